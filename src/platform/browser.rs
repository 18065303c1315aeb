//! The browser's services the app uses: the page's address, a file download, the page's clock,
//! idle callbacks, and a browser exception in a sentence. Each is a thin call of the browser's
//! API; natively (tests) the clock and idle callbacks are absent.

use wasm_bindgen::JsCast;

/// The page's address.
pub fn page_address() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// Offers JSON text as a file download named `file_name` (the model; a lifecycle scenario).
pub fn download_text(file_name: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| browser_error_text(&e))?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| browser_error_text(&e))?;
    let document = gloo::utils::document();
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| browser_error_text(&e))?
        .unchecked_into::<web_sys::HtmlAnchorElement>();
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Milliseconds from the page's clock (`performance.now()`); `None` outside a browser.
pub fn now_ms() -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.performance()).map(|p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// A browser exception in a sentence: its name and message, never a stack trace.
pub fn browser_error_text(e: &wasm_bindgen::JsValue) -> String {
    if let Some(text) = e.as_string() {
        return text;
    }
    let field = |key: &str| {
        js_sys::Reflect::get(e, &wasm_bindgen::JsValue::from_str(key)).ok()?.as_string()
    };
    match (field("name"), field("message")) {
        (Some(name), _) if name == "QuotaExceededError" => {
            "the browser's storage for this site is full".to_owned()
        }
        (Some(name), Some(message)) if !message.is_empty() => format!("{message} ({name})"),
        (Some(name), _) => name,
        (None, Some(message)) => message,
        (None, None) => "the browser refused".to_owned(),
    }
}

/// Runs a task when the page is idle (`requestIdleCallback`, at most `max_wait_ms` later), so a
/// save never delays the next frame; where the browser has no idle callbacks, at once.
/// Dropping it first cancels the task.
#[cfg(target_arch = "wasm32")]
pub struct WhenIdle {
    id: Option<f64>,
    _task: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

#[cfg(target_arch = "wasm32")]
impl std::fmt::Debug for WhenIdle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WhenIdle").field("id", &self.id).finish_non_exhaustive()
    }
}

#[cfg(target_arch = "wasm32")]
impl WhenIdle {
    pub fn new(max_wait_ms: u32, task: impl FnOnce() + 'static) -> WhenIdle {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::JsValue;
        let mut task = Some(task);
        let closure = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if let Some(task) = task.take() {
                task();
            }
        });
        let window = gloo::utils::window();
        let request = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let id = request.and_then(|request| {
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"timeout".into(), &max_wait_ms.into());
            request.call2(&window, closure.as_ref(), &options).ok().and_then(|id| id.as_f64())
        });
        if id.is_none() {
            let _ = closure.as_ref().unchecked_ref::<js_sys::Function>().call0(&JsValue::NULL);
        }
        WhenIdle { id, _task: closure }
    }
}

/// Natively there is no page to be idle: the task never runs (nothing is saved natively).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug)]
pub struct WhenIdle;

#[cfg(not(target_arch = "wasm32"))]
impl WhenIdle {
    pub fn new(_max_wait_ms: u32, task: impl FnOnce() + 'static) -> WhenIdle {
        drop(task);
        WhenIdle
    }
}

#[cfg(target_arch = "wasm32")]
impl Drop for WhenIdle {
    fn drop(&mut self) {
        use wasm_bindgen::JsCast;
        let window = gloo::utils::window();
        let cancel = js_sys::Reflect::get(&window, &"cancelIdleCallback".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let (Some(id), Some(cancel)) = (self.id, cancel) {
            let _ = cancel.call1(&window, &id.into());
        }
    }
}

/// Whether the system prefers a dark page.
pub fn system_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}
