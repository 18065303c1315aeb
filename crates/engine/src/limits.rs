//! The limits on what the planner reads (docs/format.md "Limits"), stated and enforced here only.
//!
//! Every document, file or share link goes through [`outline`] before it is deserialised: one
//! pass over the text, allocating nothing that grows with it, that refuses text nested deeper
//! than [`MAX_DEPTH`] and lists longer than their limit, so that the typed reading (and then the
//! compile) never holds more than a bounded model. Each refusal is an [`Exceeded`] that names
//! the limit in words ("16 MB", "100,000 nodes") and the item that broke it.

use crate::text::thousands;

/// Largest document, in bytes (the 10,000-node benchmark model is about 2 MB).
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;
/// Most nodes a document may have.
pub const MAX_NODES: usize = 100_000;
/// Most addresses one service may have.
pub const MAX_SERVICE_ADDRESSES: usize = 100_000;
/// Most routers a document may have.
pub const MAX_ROUTERS: usize = 10_000;
/// Deepest nesting of JSON arrays and objects (the format itself needs 4; serde_json's own
/// recursion limit, 128, is never reached).
pub const MAX_DEPTH: usize = 64;
/// Most list entries a plan holds: clients x (addresses + [`LIST_COST`]), summed over the
/// services (the 10,000-node benchmark model has 2.56 million addresses in lists; 100,000 nodes
/// of four 64-address services, 25.6 million plus 1.6 million for the lists themselves). A list
/// entry is 16 bytes where a list is kept whole, and a list with its load figures about 64 (4
/// entries), so the lists stay under 512 MB: a service with no address, or one, costs each of its
/// clients a list all the same (10,000 clients x 10,000 such services once took 6.3 GB).
pub const MAX_LIST_ENTRIES: usize = 32_000_000;
/// What one (client, service) pair costs against [`MAX_LIST_ENTRIES`] beyond its addresses: its
/// list and its load figures, about 64 bytes (measured: `tests/memory_bounds.rs`).
pub const LIST_COST: usize = 4;
/// Most hop counts the compile precomputes: rows (one per set of routers that subnets holding
/// service addresses are attached to) x routed subnets, 4 bytes each, so at most 128 MB.
pub const MAX_HOP_CELLS: usize = 32_000_000;
/// Longest share-link payload (`model=` or `before=`), in characters: 2 MB, the length browsers
/// keep in an address. A payload packs about ten times, so this never refuses a document the
/// size limit accepts in practice.
pub const MAX_LINK_CHARS: usize = 2 * 1024 * 1024;

/// What a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    DocumentBytes,
    Nodes,
    ServiceAddresses,
    Routers,
    Depth,
    LinkChars,
    ListEntries,
    HopCells,
}

impl Limit {
    /// The limit's value.
    pub fn value(self) -> usize {
        match self {
            Limit::DocumentBytes => MAX_DOCUMENT_BYTES,
            Limit::Nodes => MAX_NODES,
            Limit::ServiceAddresses => MAX_SERVICE_ADDRESSES,
            Limit::Routers => MAX_ROUTERS,
            Limit::Depth => MAX_DEPTH,
            Limit::LinkChars => MAX_LINK_CHARS,
            Limit::ListEntries => MAX_LIST_ENTRIES,
            Limit::HopCells => MAX_HOP_CELLS,
        }
    }

    /// `amount` in this limit's unit, for people: `16 MB`, `100,000 nodes`.
    pub fn words(self, amount: usize) -> String {
        match self {
            Limit::DocumentBytes | Limit::LinkChars => megabytes(amount),
            Limit::Nodes => format!("{} nodes", thousands(amount)),
            Limit::ServiceAddresses => format!("{} addresses", thousands(amount)),
            Limit::Routers => format!("{} routers", thousands(amount)),
            Limit::Depth => format!("{} levels", thousands(amount)),
            Limit::ListEntries => format!("{} list entries", thousands(amount)),
            Limit::HopCells => format!("{} hop counts", thousands(amount)),
        }
    }
}

/// A limit broken: by `item` (`the document`, `service "dns" of cluster A`, `nodes`), which has
/// `found` (at least that many; counting stops at the first one too many).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Exceeded {
    #[error("{item} is nested more than {} deep: too deeply nested to read", Limit::Depth.words(MAX_DEPTH))]
    TooDeep { item: String },
    #[error("{item} is {}, more than the {} allowed", limit.words(*found), limit.words(limit.value()))]
    TooLarge { item: String, limit: Limit, found: usize },
    #[error("{item} has more than the {} allowed", limit.words(limit.value()))]
    TooMany { item: String, limit: Limit },
}

impl Exceeded {
    /// The limit broken.
    pub fn limit(&self) -> Limit {
        match self {
            Exceeded::TooDeep { .. } => Limit::Depth,
            Exceeded::TooLarge { limit, .. } | Exceeded::TooMany { limit, .. } => *limit,
        }
    }
}

/// Fails when `size` (of `item`) is more than `limit` allows.
pub fn check_size(item: &str, limit: Limit, size: usize) -> Result<(), Exceeded> {
    if size > limit.value() {
        return Err(Exceeded::TooLarge { item: item.to_owned(), limit, found: size });
    }
    Ok(())
}

/// `16 MB` (whole) or `17.3 MB`; `512 KB` below a megabyte (1 MB = 2^20 bytes, as the limits are
/// set).
pub fn megabytes(bytes: usize) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else if bytes % (1024 * 1024) == 0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

/// What [`outline`] learns of a text on the way: enough to tell a document from other JSON
/// without building a value of the whole text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline<'a> {
    /// The text's top level is a JSON object.
    pub object: bool,
    /// The top-level keys, in order (decoded).
    pub keys: Vec<String>,
    /// The JSON text of the top-level `format` value, if any.
    pub format: Option<&'a str>,
}

/// The lists a limit counts, known by their place in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Other,
    Top,
    Nodes,
    Routers,
    Services,
    Service(usize),
    ServiceAddresses(usize),
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    object: bool,
    place: Place,
    /// Values in this array so far.
    count: usize,
    /// Object: the next string is a key. Array: the next token starts a value.
    expecting: bool,
    /// Object: the place the value of the key just read goes to.
    key: Place,
}

/// One pass over `text` (JSON or not): refuses it when it nests deeper than [`MAX_DEPTH`], has
/// more than [`MAX_NODES`] nodes or [`MAX_ROUTERS`] routers, or a service with more than
/// [`MAX_SERVICE_ADDRESSES`] addresses. Text that is not JSON passes (the JSON reader then says
/// what is wrong with it); the [`Outline`] of JSON says what its top level holds.
pub fn outline(text: &str) -> Result<Outline<'_>, Exceeded> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::with_capacity(8);
    let mut out = Outline::default();
    let mut format_start = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        // A value starts in an array: count it.
        if let Some(top) = stack.last_mut() {
            if !top.object && top.expecting && b != b']' {
                top.expecting = false;
                top.count += 1;
                let limit = match top.place {
                    Place::Nodes => Some(Limit::Nodes),
                    Place::Routers => Some(Limit::Routers),
                    Place::ServiceAddresses(_) => Some(Limit::ServiceAddresses),
                    _ => None,
                };
                if let Some(limit) = limit.filter(|l| top.count > l.value()) {
                    let item = match top.place {
                        Place::ServiceAddresses(s) => format!("services[{s}].addresses"),
                        _ => "the document".to_owned(),
                    };
                    return Err(Exceeded::TooMany { item, limit });
                }
            }
        }
        match b {
            b'{' | b'[' => {
                let object = b == b'{';
                let place = match stack.last() {
                    None => {
                        out.object = object;
                        if object {
                            Place::Top
                        } else {
                            Place::Other
                        }
                    }
                    Some(parent) if parent.object => parent.key,
                    Some(parent) => match parent.place {
                        Place::Services if object => Place::Service(parent.count - 1),
                        _ => Place::Other,
                    },
                };
                let place = match (place, object) {
                    (Place::Nodes | Place::Routers | Place::Services, false) => place,
                    (Place::ServiceAddresses(_), false) => place,
                    (Place::Top | Place::Service(_), true) => place,
                    _ => Place::Other,
                };
                if stack.len() == MAX_DEPTH {
                    return Err(Exceeded::TooDeep { item: "the document".to_owned() });
                }
                stack.push(Frame { object, place, count: 0, expecting: true, key: Place::Other });
                i += 1;
            }
            b'}' | b']' => {
                if stack.len() == 1 {
                    if let Some(f) = format_start.take() {
                        out.format = text.get(f..i).map(str::trim);
                    }
                }
                stack.pop();
                if stack.is_empty() {
                    // The top-level value is complete: what follows is for the JSON reader.
                    break;
                }
                i += 1;
            }
            b',' => {
                if stack.len() == 1 {
                    if let Some(f) = format_start.take() {
                        out.format = text.get(f..i).map(str::trim);
                    }
                }
                if let Some(top) = stack.last_mut() {
                    top.expecting = true;
                }
                i += 1;
            }
            b':' => i += 1,
            b'"' => {
                let start = i + 1;
                let mut escaped = false;
                i = start;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        escaped = true;
                        i += 1;
                    }
                    i += 1;
                }
                let end = i.min(bytes.len());
                i = end + 1;
                let Some(top) = stack.last_mut() else { break };
                if top.object && top.expecting {
                    top.expecting = false;
                    let raw = text.get(start..end).unwrap_or("");
                    let key = if escaped {
                        serde_json::from_str::<String>(text.get(start - 1..i).unwrap_or(""))
                            .unwrap_or_default()
                    } else {
                        raw.to_owned()
                    };
                    top.key = match (top.place, key.as_str()) {
                        (Place::Top, "nodes") => Place::Nodes,
                        (Place::Top, "routers") => Place::Routers,
                        (Place::Top, "services") => Place::Services,
                        (Place::Service(s), "addresses") => Place::ServiceAddresses(s),
                        _ => Place::Other,
                    };
                    if top.place == Place::Top {
                        if key == "format" {
                            format_start = Some(skip_colon(bytes, i));
                        }
                        out.keys.push(key);
                    }
                }
            }
            _ => i += 1,
        }
    }
    Ok(out)
}

/// The position after the `:` (and whitespace) following a key that ends before `at`.
fn skip_colon(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b':') {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_said_in_words() {
        assert_eq!(Limit::DocumentBytes.words(MAX_DOCUMENT_BYTES), "16 MB");
        assert_eq!(Limit::DocumentBytes.words(17_825_793), "17.0 MB");
        assert_eq!(Limit::LinkChars.words(43_000), "42 KB");
        assert_eq!(Limit::Nodes.words(MAX_NODES), "100,000 nodes");
        assert_eq!(Limit::Routers.words(1_234_567), "1,234,567 routers");
    }

    #[test]
    fn the_outline_of_a_document_names_its_keys_and_format() {
        let text = r#" {"format" : "cluster-planner/1", "n\u006fdes": [{"uid": "a,]}"}], "x": {"format": 1}}"#;
        let o = outline(text).unwrap();
        assert!(o.object);
        assert_eq!(o.keys, ["format", "nodes", "x"]);
        assert_eq!(o.format, Some("\"cluster-planner/1\""));
        let o = outline(r#"{"nodes": [], "format": {"a": [1]}}"#).unwrap();
        assert_eq!(o.format, Some(r#"{"a": [1]}"#));
        let o = outline(r#"{"format": 12 , "nodes": []}"#).unwrap();
        assert_eq!(o.format, Some("12"));
        let o = outline(r#"{"format": null}"#).unwrap();
        assert_eq!(o.format, Some("null"));
        assert!(!outline("[1, 2]").unwrap().object);
    }

    #[test]
    fn lists_are_counted_where_the_format_puts_them() {
        let nodes = |n: usize| {
            let items = vec![r#"{"uid": "x", "addresses": [1, 2]}"#; n].join(",");
            format!(r#"{{"nodes": [{items}], "other": [{items}]}}"#)
        };
        assert!(outline(&nodes(MAX_NODES)).is_ok());
        let err = outline(&nodes(MAX_NODES + 1)).unwrap_err();
        assert_eq!(err.to_string(), "the document has more than the 100,000 nodes allowed");
        let addresses = vec!["\"10.0.0.1\""; MAX_SERVICE_ADDRESSES + 1].join(",");
        let text = format!(
            r#"{{"services": [{{"name": "a", "addresses": []}}, {{"addresses": [{addresses}]}}]}}"#
        );
        let err = outline(&text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "services[1].addresses has more than the 100,000 addresses allowed"
        );
        // The same list elsewhere (a node's addresses) is not a service's.
        let text = format!(r#"{{"nodes": [{{"addresses": [{addresses}]}}]}}"#);
        assert!(outline(&text).is_ok());
    }

    #[test]
    fn nesting_is_limited() {
        let deep = |n: usize| format!("{{\"x\": {}{}}}", "[".repeat(n - 1), "]".repeat(n - 1));
        assert!(outline(&deep(MAX_DEPTH)).is_ok());
        let err = outline(&deep(MAX_DEPTH + 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the document is nested more than 64 levels deep: too deeply nested to read"
        );
    }

    #[test]
    fn text_that_is_not_json_passes_without_panicking() {
        for text in [
            "",
            "{",
            "]]]",
            "\"",
            "{\"a",
            "{\"format\":",
            "[{\"a\"}",
            "\\",
            "{,,}",
            "{\"nodes\":[,,,]",
        ] {
            let _ = outline(text);
        }
    }
}
