//! The browser, the app's bottom layer: local storage and IndexedDB (the autosave, its versions),
//! the page's address, downloads, file reading, the clock and idle callbacks. It knows nothing
//! of the model or the components above it.

pub mod browser;
pub mod files;
pub mod idb;
pub mod storage;
pub mod versions;
