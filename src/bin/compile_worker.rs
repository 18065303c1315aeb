//! The compile worker (a Web Worker Trunk builds from this binary, `index.html`): says `ready`
//! once it listens, then answers each request `[revision, strategy, document text, failed
//! routers and subnets (JSON, empty: none)]` with
//! `[revision, plan bytes, compile ms, read ms]`, or `[revision, reason]` when the document does not
//! read here (`clusterplan::ui::compile::answer`). A request without a text (`null`) is for the
//! document of the request before (the strategy changed). ARCHITECTURE.md, "The compile off the
//! page's thread".

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let now = {
        let scope = scope.clone();
        move || scope.performance().map(|p| p.now())
    };
    let reply_to = scope.clone();
    let mut last_text = String::new();
    let onmessage = Closure::<dyn FnMut(_)>::new(move |e: web_sys::MessageEvent| {
        let request: js_sys::Array = e.data().unchecked_into();
        let revision = request.get(0);
        let strategy = request.get(1).as_string().unwrap_or_default();
        if let Some(text) = request.get(2).as_string() {
            last_text = text;
        }
        let failures = request.get(3).as_string().unwrap_or_default();
        let reply = match clusterplan::ui::compile::answer(&strategy, &failures, &last_text, &now) {
            Ok(answered) => {
                let bytes = js_sys::Uint8Array::from(answered.bytes.as_slice());
                let ms = |t: Option<f64>| t.map_or(JsValue::NULL, JsValue::from_f64);
                let reply = js_sys::Array::of4(
                    &revision,
                    &bytes,
                    &ms(answered.compile_ms),
                    &ms(answered.read_ms),
                );
                let _ = reply_to
                    .post_message_with_transfer(&reply, &js_sys::Array::of1(&bytes.buffer()));
                return;
            }
            Err(reason) => js_sys::Array::of2(&revision, &JsValue::from_str(&reason)),
        };
        let _ = reply_to.post_message(&reply);
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // (Messages the page posted before this listened would be lost: it waits for this.)
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

/// Natively there is no worker to run (the binary exists for the browser build).
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the compile worker runs in a browser (trunk build), not natively");
    std::process::exit(2);
}
