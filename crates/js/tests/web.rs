//! The package in a browser (headless Chromium, `wasm-bindgen-test`): the exported functions
//! take text or objects and answer plain objects, and refuse with an `Error` naming the problem.

use clusterplan_js::{check, explain, lists};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const FIG24: &str = include_str!("../../../examples/seed-fig24.json");

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &key.into()).unwrap()
}

#[wasm_bindgen_test]
fn node_5_list_comes_back_as_objects_from_text_and_from_an_object() {
    let object = js_sys::JSON::parse(FIG24).unwrap();
    for model in [JsValue::from_str(FIG24), object] {
        let lines: js_sys::Array = lists(model, None).unwrap().into();
        let n5 = lines.iter().find(|l| get(l, "node").as_f64() == Some(5.0)).unwrap();
        let addresses: Vec<String> = js_sys::Array::from(&get(&n5, "addresses"))
            .iter()
            .map(|a| a.as_string().unwrap())
            .collect();
        assert_eq!(
            addresses,
            ["10.0.0.1", "10.0.1.9", "10.0.1.3", "10.0.1.7", "10.0.2.20", "10.0.2.12"]
        );
    }
    let explained = explain(FIG24.into(), "A", "registry", "5", None).unwrap();
    assert_eq!(get(&explained, "uid").as_string().as_deref(), Some("n5"));
}

#[wasm_bindgen_test]
fn a_broken_model_is_an_error_naming_it() {
    let error = check("{".into(), None).unwrap_err();
    let error: js_sys::Error = JsValue::from(error).into();
    let message = String::from(error.message());
    assert!(message.starts_with("cannot read the model"), "{message}");
}
