//! The `cluster-planner/1` document: the file format, as serde types (stage 1 of 3).
//!
//! These types mirror the JSON exactly. They hold what the user wrote, right or wrong: nothing
//! here is validated (that is the model's job, `model.rs`). Every object keeps the fields it does not
//! know in `extra`, so a document read and written again loses nothing.

use crate::diagnostics::{Diagnostic, DiagnosticCode, Item};
use crate::limits::{self, Exceeded, Limit};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// The format tag every document carries.
pub const FORMAT: &str = "cluster-planner/1";

/// Largest document [`read`] accepts (see [`crate::limits`]).
pub use crate::limits::MAX_DOCUMENT_BYTES;

/// Unknown fields, kept in their original order (numbers exactly as written: serde_json's
/// `arbitrary_precision`).
pub type Extra = Map<String, Value>;

/// A whole planned environment. It is written with its top-level keys in the order it was read
/// with (see [`KeyOrder`]), so that a file read and written again is not reordered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Always [`FORMAT`] for documents this engine writes.
    pub format: String,
    pub clusters: Vec<Cluster>,
    pub networks: Vec<Network>,
    pub subnets: Vec<Subnet>,
    pub routers: Vec<Router>,
    pub nodes: Vec<Node>,
    pub services: Vec<Service>,
    pub extra: Extra,
    /// The order of the top-level keys in the text [`read`] read (empty otherwise).
    pub key_order: KeyOrder,
}

/// The order a document's top-level keys had in its text. Presentation only: two documents that
/// differ in it alone are equal. Writing follows it; a list the text did not have goes after the
/// key it follows in the format's own order (`format`, `clusters`, `networks`, `subnets`,
/// `routers`, `nodes`, `services`), an extension field it did not have goes last.
#[derive(Debug, Clone, Default)]
pub struct KeyOrder(pub Vec<String>);

impl PartialEq for KeyOrder {
    fn eq(&self, _: &KeyOrder) -> bool {
        true
    }
}
impl Eq for KeyOrder {}

impl Document {
    /// The top-level keys in the order they are written.
    fn written_keys(&self) -> Vec<&str> {
        let format_order: Vec<&str> =
            DOCUMENT_KEYS.iter().copied().chain(self.extra.keys().map(String::as_str)).collect();
        let mut keys: Vec<&str> = self
            .key_order
            .0
            .iter()
            .map(String::as_str)
            .filter(|k| format_order.contains(k))
            .collect();
        for (i, key) in format_order.iter().enumerate() {
            if keys.contains(key) {
                continue;
            }
            if i >= DOCUMENT_KEYS.len() {
                keys.push(key);
                continue;
            }
            let after = format_order[..i]
                .iter()
                .rev()
                .find_map(|before| keys.iter().position(|k| k == before))
                .map_or(0, |p| p + 1);
            keys.insert(after, key);
        }
        keys
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let keys = self.written_keys();
        let mut map = serializer.serialize_map(Some(keys.len()))?;
        for key in keys {
            match key {
                "format" => map.serialize_entry(key, &self.format)?,
                "clusters" => map.serialize_entry(key, &self.clusters)?,
                "networks" => map.serialize_entry(key, &self.networks)?,
                "subnets" => map.serialize_entry(key, &self.subnets)?,
                "routers" => map.serialize_entry(key, &self.routers)?,
                "nodes" => map.serialize_entry(key, &self.nodes)?,
                "services" => map.serialize_entry(key, &self.services)?,
                other => map.serialize_entry(other, &self.extra[other])?,
            }
        }
        map.end()
    }
}

fn default_format() -> String {
    FORMAT.to_owned()
}

impl Default for Document {
    fn default() -> Self {
        Document {
            format: default_format(),
            clusters: Vec::new(),
            networks: Vec::new(),
            subnets: Vec::new(),
            routers: Vec::new(),
            nodes: Vec::new(),
            services: Vec::new(),
            extra: Extra::new(),
            key_order: KeyOrder::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Cluster {
    pub id: String,
    pub name: String,
    /// Node numbers (in this cluster) of its registry server nodes, primary first.
    pub registry_servers: Vec<u32>,
    /// The registry's rule under faults (docs/spec.md §6, docs/format.md); absent: `none`, the
    /// source's. Written back only when the document has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quorum: Option<Quorum>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Cluster {
    /// The cluster's quorum rule (`none` when the document sets none).
    pub fn quorum(&self) -> Quorum {
        self.quorum.unwrap_or_default()
    }
}

/// Which parts of a cluster's registry servers serve when the network splits them
/// (docs/spec.md §6, "Under faults").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Quorum {
    /// The source's rule: every part serves reads and, after phase 2, takes writes.
    #[default]
    None,
    /// A part serves only while it holds more than half of the cluster's registry servers.
    Majority,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Network {
    pub name: String,
    /// The service routing table: service name -> priority, higher preferred.
    pub priorities: BTreeMap<String, i64>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Subnet {
    /// CIDR text, IPv4 or IPv6, as written (parsed by the model).
    pub prefix: String,
    pub network: String,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Router {
    pub name: String,
    /// Prefixes of the subnets the router is attached to.
    pub subnets: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Node {
    pub uid: String,
    pub name: String,
    /// Cluster id -> node number in that cluster.
    pub clusters: BTreeMap<String, u32>,
    /// The cluster the node is online in, if any.
    pub online: Option<String>,
    /// Interface addresses, as written.
    pub addresses: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Node {
    /// The node as messages name it: see [`node_label`].
    pub fn label(&self) -> String {
        node_label(&self.uid, &self.name)
    }
}

/// A node as every message names it: `node c2 (web 2)`, or `node c2` when it has no name (or
/// its name is its uid), never `node c2 ()`.
pub fn node_label(uid: &str, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() || name == uid {
        format!("node {uid}")
    } else {
        format!("node {uid} ({name})")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Service {
    pub name: String,
    pub cluster: String,
    pub addresses: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

// Reading the items. Hand-written rather than derived: `#[serde(flatten)]` on `extra` would buffer
// every unknown field in serde's private `Content` and read it again, which doubles the reading
// code in the WASM (docs/performance.md, "Release bundle"). What the derive did is done here
// step by step, so every message is the one it gave: the same `MapAccess` calls in the same
// order, `duplicate field` before reading the value, `missing field` in declaration order after
// the closing brace, `expected struct Node` for anything other than an object. Unknown fields
// are read straight into `extra` as `Value`s (numbers exactly as written, in document order, a
// repeated one keeping its first place with its last value, as before).

/// An object's key: one of its type's own fields (its index among their names) or an extension
/// field.
enum Key {
    Known(usize),
    Other(String),
}

/// Reads a key, telling a type's own fields (`names`) from extension fields.
struct KeySeed(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("field identifier")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(self.0.iter().position(|k| *k == v).map_or_else(|| Key::Other(v.to_owned()), Key::Known))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(match self.0.iter().position(|k| *k == v) {
            Some(i) => Key::Known(i),
            None => Key::Other(v),
        })
    }
}

/// A field's value when the object does not have it: an error (`required`), the type's default
/// (`default`), or what a function gives.
macro_rules! or_missing {
    ($value:expr, $name:expr, required, $error:ty) => {
        match $value {
            Some(v) => v,
            None => return Err(<$error as de::Error>::missing_field($name)),
        }
    };
    ($value:expr, $name:expr, default, $error:ty) => {
        $value.unwrap_or_default()
    };
    ($value:expr, $name:expr, ($make:path), $error:ty) => {
        match $value {
            Some(v) => v,
            None => $make(),
        }
    };
}

/// `Deserialize` for an item with extension fields: its own fields in declaration order, each
/// `required`, `default` or `(function)` when missing, then `extra` (and any skipped field).
macro_rules! read_with_extra {
    ($ty:ident, $expecting:literal, { $($field:ident: $fty:ty = $missing:tt),* $(,)? } $(, $skipped:ident)*) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ItemVisitor;
                impl<'de> Visitor<'de> for ItemVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                        $(let mut $field: Option<$fty> = None;)*
                        let mut extra = Extra::new();
                        while let Some(key) = map.next_key_seed(KeySeed(&[$(stringify!($field)),*]))? {
                            let known = match key {
                                Key::Other(name) => {
                                    let value: Value = map.next_value()?;
                                    extra.insert(name, value);
                                    continue;
                                }
                                Key::Known(i) => i,
                            };
                            // The fields in the order of the names given to `KeySeed`.
                            let mut at = 0;
                            $(if known == at {
                                if $field.is_some() {
                                    return Err(<A::Error as de::Error>::duplicate_field(stringify!($field)));
                                }
                                $field = Some(map.next_value()?);
                                continue;
                            }
                            at += 1;)*
                            let _ = at;
                        }
                        $(let $field = or_missing!($field, stringify!($field), $missing, A::Error);)*
                        Ok($ty { $($field,)* extra $(, $skipped: Default::default())* })
                    }
                }
                deserializer.deserialize_map(ItemVisitor)
            }
        }
    };
}

read_with_extra!(Document, "struct Document", {
    format: String = (default_format),
    clusters: Vec<Cluster> = default,
    networks: Vec<Network> = default,
    subnets: Vec<Subnet> = default,
    routers: Vec<Router> = default,
    nodes: Vec<Node> = default,
    services: Vec<Service> = default,
}, key_order);
read_with_extra!(Cluster, "struct Cluster", {
    id: String = required,
    name: String = default,
    registry_servers: Vec<u32> = default,
    quorum: Option<Quorum> = default,
});
read_with_extra!(Network, "struct Network", {
    name: String = required,
    priorities: BTreeMap<String, i64> = default,
});
read_with_extra!(Subnet, "struct Subnet", { prefix: String = required, network: String = required });
read_with_extra!(Router, "struct Router", {
    name: String = required,
    subnets: Vec<String> = default,
});
read_with_extra!(Node, "struct Node", {
    uid: String = required,
    name: String = default,
    clusters: BTreeMap<String, u32> = default,
    online: Option<String> = default,
    addresses: Vec<String> = default,
});
read_with_extra!(Service, "struct Service", {
    name: String = required,
    cluster: String = required,
    addresses: Vec<String> = default,
});

/// Why a text could not be read as a document at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Larger than a limit allows (size, nesting, nodes, routers, a service's addresses: see
    /// [`crate::limits`]). Transparent: the refusal is said once, not again as its source.
    #[error(transparent)]
    Limit(#[from] Exceeded),
    #[error("not JSON: {0}")]
    NotJson(serde_json::Error),
    #[error("not a cluster-planner/1 document: {0}")]
    NotTheFormat(String),
    /// A value of the wrong type: where it is (its JSON path, `nodes[3].clusters.A`) and the
    /// reason, which ends with its line and column.
    /// A value quoted in the reason is cut to its first characters (a 15 MB value was quoted
    /// whole).
    #[error("{path}: {}", bounded(&error.to_string()))]
    Invalid { path: String, error: serde_json::Error },
    #[error("unsupported format {found:?}: this planner reads \"cluster-planner/1\"")]
    WrongFormat { found: String },
}

/// Most characters of a reason kept before a quoted value is cut.
const MAX_REASON_CHARS: usize = 200;

/// `reason`, or when longer than [`MAX_REASON_CHARS`] its start, how much was left out, and
/// its place (` at line 1 column 9`).
fn bounded(reason: &str) -> String {
    if reason.chars().count() <= MAX_REASON_CHARS {
        return reason.to_owned();
    }
    let place = reason.rfind(" at line ").map_or("", |at| &reason[at..]);
    let body = &reason[..reason.len() - place.len()];
    let head: String = body.chars().take(MAX_REASON_CHARS / 2).collect();
    format!("{head}... ({} more bytes){place}", body.len() - head.len())
}

/// The top-level keys of a document; one of them, or `format`, must be present.
const DOCUMENT_KEYS: [&str; 7] =
    ["format", "clusters", "networks", "subnets", "routers", "nodes", "services"];

/// Reads a document from JSON text (a leading byte-order mark is skipped). Fails only when the
/// text is not a document at all (beyond a limit of [`crate::limits`], not JSON, not an object,
/// an object with none of the document's fields, a `format` other than [`FORMAT`]); a document
/// that breaks the model's rules still reads (see [`crate::compile`]).
pub fn read(text: &str) -> Result<Document, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    limits::check_size("the document", Limit::DocumentBytes, text.len())?;
    // The limits first, in one pass that builds nothing; then the JSON's syntax, without
    // building a value either; then the typed reading, which holds a model within the limits.
    let outline = limits::outline(text)?;
    // Nearly every text read is a document: try the typed reading first. A text it reads to
    // the end is valid JSON, so the syntax pass below would pass and the checks after it (on
    // the outline alone) are made here first: the result is the one of the full sequence. Any
    // failure takes the full sequence, whose error is the one reported (docs/performance.md,
    // "The CLI end to end").
    if outline.object
        && outline.keys.iter().any(|key| DOCUMENT_KEYS.contains(&key.as_str()))
        && outline.format.is_none_or(
            |f| matches!(serde_json::from_str::<Value>(f), Ok(Value::String(f)) if f == FORMAT),
        )
    {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        if let Ok(doc) = serde_path_to_error::deserialize::<_, Document>(&mut deserializer) {
            if deserializer.end().is_ok() {
                return Ok(Document { key_order: KeyOrder(outline.keys), ..doc });
            }
        }
    }
    serde_json::from_str::<IgnoredAny>(text).map_err(ReadError::NotJson)?;
    if !outline.object {
        return Err(ReadError::NotTheFormat("the top level must be a JSON object".into()));
    }
    // Any JSON object would read as an empty model (every list may be missing): an object with
    // none of the document's keys is some other file, and reading it would lose the user's model.
    if !outline.keys.iter().any(|key| DOCUMENT_KEYS.contains(&key.as_str())) {
        return Err(ReadError::NotTheFormat(
            "it has none of the fields \"format\", \"clusters\", \"nodes\", \"subnets\", \"networks\", \"routers\", \"services\"".into(),
        ));
    }
    if let Some(format) = outline.format {
        match serde_json::from_str::<Value>(format) {
            Ok(Value::String(f)) if f == FORMAT => {}
            Ok(Value::String(other)) => return Err(ReadError::WrongFormat { found: other }),
            _ => return Err(ReadError::NotTheFormat("\"format\" must be a string".into())),
        }
    }
    // Through serde_path_to_error, so that an error knows its path (and, from the text, its
    // line and column).
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let doc: Document = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| ReadError::Invalid { path: e.path().to_string(), error: e.into_inner() })?;
    Ok(Document { key_order: KeyOrder(outline.keys), ..doc })
}

/// Reads a document back from a JSON value built from documents (the app's three-way merge),
/// without [`read`]'s limits and checks. Through the value's text and the same typed reading as
/// [`read`] rather than `serde_json::from_value`, so the WASM holds one copy of the reader
/// (docs/performance.md, "Release bundle"); numbers come back exactly as they were.
pub fn from_value(value: &Value) -> Result<Document, serde_json::Error> {
    let text = value.to_string();
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let doc = serde_path_to_error::deserialize::<_, Document>(&mut deserializer)
        .map_err(serde_path_to_error::Error::into_inner)?;
    deserializer.end()?;
    Ok(doc)
}

/// Writes a document as pretty JSON (the form the app exports and reviews diff).
pub fn write(doc: &Document) -> String {
    serde_json::to_string_pretty(doc).expect("a Document always serialises")
}

/// The name of the node extension field that lists a node's resource controllers.
pub const RESOURCE_CONTROLLERS_FIELD: &str = "resource_controllers";

/// Reads the `resource_controllers` extension field of a node: the names in document order,
/// duplicates and empty names dropped, and a diagnostic for each problem.
pub fn resource_controllers(node: &Node) -> (Vec<String>, Vec<Diagnostic>) {
    let mut names: Vec<String> = Vec::new();
    // Duplicates found in a set: a node may list many controllers.
    let mut seen = std::collections::HashSet::new();
    let mut diagnostics = Vec::new();
    let item = || Item::Node { uid: node.uid.clone() };
    let mut problem = |message: String| {
        diagnostics.push(Diagnostic::new(DiagnosticCode::BadResourceControllers, item(), message))
    };
    match node.extra.get(RESOURCE_CONTROLLERS_FIELD) {
        None | Some(Value::Null) => {}
        Some(Value::Array(values)) => {
            for value in values {
                match value.as_str().map(str::trim) {
                    Some("") => problem(format!(
                        "node {} lists an empty resource controller name; it is ignored",
                        node.uid
                    )),
                    Some(name) if !seen.insert(name) => problem(format!(
                        "node {} lists resource controller {name:?} twice; it runs once",
                        node.uid
                    )),
                    Some(name) => names.push(name.to_owned()),
                    None => problem(format!(
                        "node {}: resource controller {value} is not a name (a string); it is ignored",
                        node.uid
                    )),
                }
            }
        }
        Some(other) => problem(format!(
            "node {}: \"{RESOURCE_CONTROLLERS_FIELD}\" must be an array of names, not {other}; it is ignored",
            node.uid
        )),
    }
    (names, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_value_is_quoted_by_its_start() {
        let long = "x".repeat(1_000_000);
        let err =
            read(&format!(r#"{{"nodes": [{{"uid": "a"}}], "routers": "{long}"}}"#)).unwrap_err();
        let text = err.to_string();
        assert!(text.len() < 300, "{text}");
        assert!(text.contains("... ("), "{text}");
        assert!(text.contains(" at line 1 column "), "{text}");
        // A short reason is as it was.
        assert_eq!(
            bounded("invalid type: integer `1`, expected a string at line 1 column 9"),
            "invalid type: integer `1`, expected a string at line 1 column 9"
        );
    }

    #[test]
    fn a_refusal_by_a_limit_is_said_once() {
        let nodes = vec![r#"{"uid": "x"}"#; limits::MAX_NODES + 1].join(",");
        let err = read(&format!(r#"{{"nodes": [{nodes}]}}"#)).unwrap_err();
        assert_eq!(err.to_string(), "the document has more than the 100,000 nodes allowed");
        // Callers that print the error's chain (the CLI's `{:#}`) print it once.
        assert!(std::error::Error::source(&err).is_none());
    }

    #[test]
    fn an_object_with_none_of_the_documents_fields_is_not_a_document() {
        let err = read(r#"{"name": "some-package", "version": "1.0.0"}"#).unwrap_err();
        assert!(matches!(err, ReadError::NotTheFormat(_)), "{err}");
        assert!(err.to_string().contains("none of the fields"), "{err}");
    }

    /// The typed reading comes first (a fast path): a text it reads but that does not end there,
    /// or that holds a wrong format or a wrong type, still gets the full sequence's error.
    #[test]
    fn the_typed_reading_first_keeps_every_error() {
        let err = read(r#"{"clusters": [{"id": "A"}]} x"#).unwrap_err();
        assert!(matches!(err, ReadError::NotJson(_)), "{err}");
        assert!(err.to_string().contains("trailing characters at line 1 column 29"), "{err}");
        let err = read(r#"{"format": "other/1", "clusters": []}"#).unwrap_err();
        assert!(matches!(err, ReadError::WrongFormat { .. }), "{err}");
        let err = read(r#"{"nodes": [{"uid": 5}]}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "nodes[0].uid: invalid type: integer `5`, expected a string at line 1 column 20"
        );
    }

    /// `quorum` (docs/format.md): read, written back as it was, absent when it was absent; an
    /// unknown value is named.
    #[test]
    fn a_clusters_quorum_reads_and_round_trips() {
        let text = r#"{"clusters": [{"id": "A", "quorum": "majority"}, {"id": "B"}]}"#;
        let doc = read(text).unwrap();
        assert_eq!(doc.clusters[0].quorum(), Quorum::Majority);
        assert_eq!(doc.clusters[1].quorum(), Quorum::None);
        let json = serde_json::to_value(&doc.clusters).unwrap();
        assert_eq!(json[0]["quorum"], "majority");
        assert!(json[1].get("quorum").is_none());
        let again = read(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(again, doc);
        let err = read(r#"{"clusters": [{"id": "A", "quorum": "all"}]}"#).unwrap_err();
        assert!(err.to_string().contains("clusters[0].quorum"), "{err}");
        assert!(err.to_string().contains("majority"), "{err}");
    }

    #[test]
    fn a_document_without_format_but_with_its_fields_reads() {
        let doc = read(r#"{"clusters": [{"id": "A"}]}"#).unwrap();
        assert_eq!(doc.clusters[0].id, "A");
        assert_eq!(doc.format, FORMAT);
    }

    #[test]
    fn too_large_says_how_large_in_megabytes() {
        let text = format!("{{\"nodes\": [], \"x\": \"{}\"}}", "a".repeat(MAX_DOCUMENT_BYTES));
        let err = read(&text).unwrap_err();
        assert_eq!(err.to_string(), "the document is 16.0 MB, more than the 16 MB allowed");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let doc = read("\u{feff}{\"clusters\": [{\"id\": \"A\"}]}").unwrap();
        assert_eq!(doc.clusters[0].id, "A");
    }

    #[test]
    fn deeply_nested_json_is_too_deeply_nested_not_not_json() {
        // Valid JSON, nested beyond serde_json's own recursion limit (128) too.
        let text = format!("{{\"nodes\": [], \"x\": {}{}}}", "[".repeat(200), "]".repeat(200));
        let err = read(&text).unwrap_err();
        assert!(matches!(err, ReadError::Limit(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            "the document is nested more than 64 levels deep: too deeply nested to read"
        );
    }

    #[test]
    fn extension_fields_round_trip_exactly_numbers_included() {
        let x = "[3.3333333333333334e+86,1.0,-0.0,1e-7,123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890]";
        let w = "0.1000000000000000055511151231257827";
        let text = format!(
            r#"{{"format": "cluster-planner/1", "x": {x}, "nodes": [{{"uid": "a", "clusters": {{"A": 1}}, "w": {w}}}]}}"#
        );
        let doc = read(&text).unwrap();
        assert_eq!(doc.nodes[0].clusters["A"], 1);
        assert_eq!(serde_json::to_string(&doc.extra["x"]).unwrap(), x);
        assert_eq!(serde_json::to_string(&doc.nodes[0].extra["w"]).unwrap(), w);
        let again = read(&write(&doc)).unwrap();
        assert_eq!(again, doc);
        assert_eq!(write(&again), write(&doc));
    }

    #[test]
    fn the_format_is_checked_before_the_rest() {
        let err = read(r#"{"format": 2, "nodes": []}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not a cluster-planner/1 document: \"format\" must be a string"
        );
        let err = read(r#"{"nodes": "x", "format": "cluster-planner/2"}"#).unwrap_err();
        assert!(matches!(err, ReadError::WrongFormat { .. }), "{err}");
        let err = read(r#"[{"nodes": []}]"#).unwrap_err();
        assert!(matches!(err, ReadError::NotTheFormat(_)), "{err}");
        let err = read(r#"{"nodes": [}"#).unwrap_err();
        assert!(matches!(err, ReadError::NotJson(_)), "{err}");
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_path_line_and_column() {
        let text = "{\n  \"nodes\": [\n    {\"uid\": \"a\"},\n    {\"uid\": \"b\", \"clusters\": {\"A\": -1}}\n  ]\n}";
        let err = read(text).unwrap_err();
        let ReadError::Invalid { path, error } = &err else { panic!("{err:?}") };
        assert_eq!(path, "nodes[1].clusters.A");
        assert_eq!((error.line(), error.column()), (4, 37));
        assert_eq!(
            err.to_string(),
            "nodes[1].clusters.A: invalid value: integer `-1`, expected u32 at line 4 column 37"
        );
        // A missing field names the object it is missing from.
        let err = read(r#"{"clusters": [{"id": "A"}, {"name": "B"}]}"#).unwrap_err();
        assert!(err.to_string().starts_with("clusters[1]: missing field `id`"), "{err}");
    }

    #[test]
    fn repeated_fields_and_items_of_the_wrong_shape_are_named_with_their_place() {
        let err = read("{\"nodes\": [{\"uid\": \"a\",\n \"uid\": \"b\"}]}").unwrap_err();
        assert_eq!(err.to_string(), "nodes[0]: duplicate field `uid` at line 2 column 6");
        let err = read(r#"{"nodes": ["n1"]}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "nodes[0]: invalid type: string \"n1\", expected struct Node at line 1 column 15"
        );
        let err = read(r#"{"subnets": [{"network": "lan"}]}"#).unwrap_err();
        assert_eq!(err.to_string(), "subnets[0]: missing field `prefix` at line 1 column 31");
    }

    #[test]
    fn extension_fields_keep_their_place_and_exact_numbers_from_text_and_from_a_value() {
        let text = r#"{"format": "cluster-planner/1", "nodes": [{"x": 1.50, "uid": "a",
            "big": 123456789012345678901234567890, "x": {"n": 1e400}}], "z": -0.0}"#;
        let doc = read(text).unwrap();
        let node = &doc.nodes[0];
        // A repeated extension field keeps its first place and its last value.
        assert_eq!(node.extra.keys().collect::<Vec<_>>(), ["x", "big"]);
        assert_eq!(node.extra["x"].to_string(), r#"{"n":1e+400}"#);
        assert_eq!(node.extra["big"].to_string(), "123456789012345678901234567890");
        assert_eq!(doc.extra["z"].to_string(), "-0.0");
        // Through a `Value` (the app's three-way merge reads documents back this way), numbers
        // wider than 64 bits included.
        let value = serde_json::to_value(&doc).unwrap();
        let again: Document = serde_json::from_value(value).unwrap();
        assert_eq!(again, doc);
        assert_eq!(write(&again), write(&doc));
    }

    #[test]
    fn a_node_without_a_name_is_named_by_its_uid() {
        assert_eq!(node_label("c2", ""), "node c2");
        assert_eq!(node_label("c2", "  "), "node c2");
        assert_eq!(node_label("c2", "c2"), "node c2");
        assert_eq!(node_label("c2", "web 2"), "node c2 (web 2)");
        let node = Node { uid: "s4".into(), ..Node::default() };
        assert_eq!(node.label(), "node s4");
    }

    #[test]
    fn the_top_level_keys_are_written_in_the_order_they_were_read() {
        let keys = |text: &str| -> Vec<String> {
            let value: Value = serde_json::from_str(text).unwrap();
            value.as_object().unwrap().keys().cloned().collect()
        };
        // Written fresh: the format's order, extension fields last.
        let mut doc = Document::default();
        doc.extra.insert("description".into(), "d".into());
        let fresh = keys(&write(&doc));
        assert_eq!(
            fresh,
            [
                "format",
                "clusters",
                "networks",
                "subnets",
                "routers",
                "nodes",
                "services",
                "description"
            ]
        );
        // Read: the file's order, a missing list after the key it follows in the format's order
        // (`services` after `nodes`), a new extension field last.
        let text =
            r#"{"format": "cluster-planner/1", "description": "d", "nodes": [], "clusters": []}"#;
        let mut doc = read(text).unwrap();
        doc.extra.insert("layout".into(), Value::Object(Extra::new()));
        assert_eq!(
            keys(&write(&doc)),
            [
                "format",
                "description",
                "nodes",
                "services",
                "clusters",
                "networks",
                "subnets",
                "routers",
                "layout"
            ]
        );
        // And again: unchanged (and equal to the same model read from any order).
        let again = read(&write(&doc)).unwrap();
        assert_eq!(keys(&write(&again)), keys(&write(&doc)));
        assert_eq!(again, Document { key_order: KeyOrder::default(), ..doc });
    }

    #[test]
    fn the_wrong_format_is_named() {
        let err = read(r#"{"format": "cluster-planner/2"}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unsupported format \"cluster-planner/2\": this planner reads \"cluster-planner/1\""
        );
    }
}
