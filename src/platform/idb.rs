//! The autosave's store in the browser: IndexedDB (no 5 MB ceiling), one record per saved
//! version (the history `versions.rs` keeps), written only when the version the tab's model is
//! based on is still the newest (else the caller merges first); and the broadcast channel that
//! tells the other tabs of a new save (`docs/reliability.md`, "In the browser").

use super::browser::browser_error_text;
use super::versions::{self, Version};
use clusterplan_engine::sorting;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbCursorDirection, IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB: &str = "clusterplan";
/// Version id -> `{saved, nodes}` (small, listed by the Versions dialog).
const VERSIONS: &str = "versions";
/// Version id -> the model's JSON text.
const TEXTS: &str = "texts";
/// The broadcast channel a tab announces its saves on (the message: the new version's id).
pub const CHANNEL: &str = "clusterplan.saves";

thread_local! {
    static OPEN: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
    /// The page's one channel object: a message posted on it reaches the other tabs' channels
    /// but not itself, so a tab never reads back its own save.
    static CHANNEL_OBJECT: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
}

/// The result of a request, once it succeeds (or the browser's reason, in a sentence).
async fn request(req: &IdbRequest) -> Result<JsValue, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = req.clone();
        let success = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let bad = req.clone();
        let error = wasm_bindgen::closure::Closure::once_into_js(move || {
            let e = bad.error().ok().flatten().map_or(JsValue::UNDEFINED, JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        req.set_onsuccess(Some(success.unchecked_ref()));
        req.set_onerror(Some(error.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| browser_error_text(&e))
}

/// Resolves when the transaction has committed (handlers set now, before it can finish).
fn committed(tx: &IdbTransaction) -> JsFuture {
    JsFuture::from(js_sys::Promise::new(&mut |resolve, reject| {
        let done = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let (t1, t2, r2) = (tx.clone(), tx.clone(), reject.clone());
        let error = wasm_bindgen::closure::Closure::once_into_js(move || {
            let e = t1.error().map_or(JsValue::UNDEFINED, JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        let abort = wasm_bindgen::closure::Closure::once_into_js(move || {
            let e = t2.error().map_or(JsValue::from_str("the save was aborted"), JsValue::from);
            let _ = r2.call1(&JsValue::NULL, &e);
        });
        tx.set_oncomplete(Some(done.unchecked_ref()));
        tx.set_onerror(Some(error.unchecked_ref()));
        tx.set_onabort(Some(abort.unchecked_ref()));
    }))
}

fn js_err(e: JsValue) -> String {
    browser_error_text(&e)
}

/// The database, opened once per page (creating its stores on first use).
pub async fn open() -> Result<IdbDatabase, String> {
    if let Some(db) = OPEN.with(|o| o.borrow().clone()) {
        return Ok(db);
    }
    let window = web_sys::window().ok_or("no window")?;
    let factory = window
        .indexed_db()
        .map_err(js_err)?
        .ok_or("this browser gives the page no IndexedDB (private mode or blocked storage)")?;
    let req = factory.open_with_u32(DB, 1).map_err(js_err)?;
    let upgrading = req.clone();
    let upgrade = wasm_bindgen::closure::Closure::once_into_js(move || {
        let Ok(result) = upgrading.result() else { return };
        let db: IdbDatabase = result.unchecked_into();
        let params = web_sys::IdbObjectStoreParameters::new();
        params.set_auto_increment(true);
        let _ = db.create_object_store_with_optional_parameters(VERSIONS, &params);
        let _ = db.create_object_store(TEXTS);
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db: IdbDatabase = request(&req).await?.unchecked_into();
    OPEN.with(|o| *o.borrow_mut() = Some(db.clone()));
    Ok(db)
}

fn transaction(db: &IdbDatabase, mode: IdbTransactionMode) -> Result<IdbTransaction, String> {
    let stores = js_sys::Array::of2(&VERSIONS.into(), &TEXTS.into());
    db.transaction_with_str_sequence_and_mode(&stores, mode).map_err(js_err)
}

/// The newest version's id in `store` (`None`: nothing saved yet).
async fn newest(store: &web_sys::IdbObjectStore) -> Result<Option<u32>, String> {
    let req = store
        .open_cursor_with_range_and_direction(&JsValue::NULL, IdbCursorDirection::Prev)
        .map_err(js_err)?;
    let cursor = request(&req).await?;
    if cursor.is_null() || cursor.is_undefined() {
        return Ok(None);
    }
    let key = cursor.unchecked_into::<web_sys::IdbCursor>().key().map_err(js_err)?;
    Ok(key.as_f64().map(|k| k as u32))
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Written as this version.
    As(u32),
    /// Not written: another tab saved a newer version (its id and text) since `base`; merge
    /// with it first.
    Stale { newest: u32, text: String },
}

/// Saves `text` (a model with `nodes` nodes) as a new version if the newest saved version is
/// still `base` (checked and written in one transaction, so two tabs never both win), then
/// drops the versions the history no longer keeps.
pub async fn save(text: &str, nodes: u32, base: Option<u32>) -> Result<Saved, String> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readwrite)?;
    let done = committed(&tx);
    let versions = tx.object_store(VERSIONS).map_err(js_err)?;
    let texts = tx.object_store(TEXTS).map_err(js_err)?;
    if let Some(newest) = newest(&versions).await?.filter(|n| Some(*n) != base) {
        let text = request(&texts.get(&newest.into()).map_err(js_err)?).await?;
        return Ok(Saved::Stale { newest, text: text.as_string().unwrap_or_default() });
    }
    let meta = js_sys::Object::new();
    let set = |k: &str, v: f64| js_sys::Reflect::set(&meta, &k.into(), &v.into());
    set("saved", js_sys::Date::now()).map_err(js_err)?;
    set("nodes", f64::from(nodes)).map_err(js_err)?;
    let id = request(&versions.add(&meta).map_err(js_err)?).await?;
    request(&texts.put_with_key(&JsValue::from_str(text), &id).map_err(js_err)?).await?;
    let id = id.as_f64().unwrap_or_default() as u32;
    let offset = -js_sys::Date::new_0().get_timezone_offset();
    for old in versions::to_drop(&list_in(&versions).await?, offset) {
        versions.delete(&old.into()).map_err(js_err)?;
        texts.delete(&old.into()).map_err(js_err)?;
    }
    done.await.map_err(js_err)?;
    Ok(Saved::As(id))
}

async fn list_in(store: &web_sys::IdbObjectStore) -> Result<Vec<Version>, String> {
    let keys = request(&store.get_all_keys().map_err(js_err)?).await?;
    let values = request(&store.get_all().map_err(js_err)?).await?;
    let (keys, values): (js_sys::Array, js_sys::Array) =
        (keys.unchecked_into(), values.unchecked_into());
    let number = |v: &JsValue, k: &str| {
        js_sys::Reflect::get(v, &k.into()).ok().and_then(|n| n.as_f64()).unwrap_or_default()
    };
    Ok(keys
        .iter()
        .zip(values.iter())
        .map(|(k, v)| Version {
            id: k.as_f64().unwrap_or_default() as u32,
            saved_ms: number(&v, "saved"),
            nodes: number(&v, "nodes") as u32,
        })
        .collect())
}

/// Every kept version, newest first.
pub async fn list() -> Result<Vec<Version>, String> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readonly)?;
    let mut all = list_in(&tx.object_store(VERSIONS).map_err(js_err)?).await?;
    sorting::sort_by_key(&mut all, |v| std::cmp::Reverse(v.id));
    Ok(all)
}

/// A version's text (`None`: no such version any more).
pub async fn text(id: u32) -> Result<Option<String>, String> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readonly)?;
    let texts = tx.object_store(TEXTS).map_err(js_err)?;
    Ok(request(&texts.get(&id.into()).map_err(js_err)?).await?.as_string())
}

/// The newest version: its id and text (`None`: nothing saved yet).
pub async fn latest() -> Result<Option<(u32, String)>, String> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readonly)?;
    let versions = tx.object_store(VERSIONS).map_err(js_err)?;
    let Some(id) = newest(&versions).await? else { return Ok(None) };
    let texts = tx.object_store(TEXTS).map_err(js_err)?;
    let text = request(&texts.get(&id.into()).map_err(js_err)?).await?;
    Ok(text.as_string().map(|t| (id, t)))
}

/// Deletes every saved version (the app's tests start from an empty store).
pub async fn clear() -> Result<(), String> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readwrite)?;
    let done = committed(&tx);
    tx.object_store(VERSIONS).map_err(js_err)?.clear().map_err(js_err)?;
    tx.object_store(TEXTS).map_err(js_err)?.clear().map_err(js_err)?;
    done.await.map_err(js_err)?;
    Ok(())
}

/// Tells the other tabs that version `id` was saved.
pub fn announce(id: u32) {
    if let Some(channel) = channel() {
        let _ = channel.post_message(&id.into());
    }
}

/// The channel the tabs announce their saves on (`None` where the browser has none): the
/// page's one object, so its own announcements do not come back to it.
pub fn channel() -> Option<web_sys::BroadcastChannel> {
    CHANNEL_OBJECT.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = web_sys::BroadcastChannel::new(CHANNEL).ok();
        }
        c.clone()
    })
}
