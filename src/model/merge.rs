//! Three-way merge of two edits of one model (two tabs that both changed it since the version
//! they share): items are matched by identity (a node by its UID, a subnet by its prefix, a
//! router or network by its name, a cluster by its id, a service by its cluster and name), so
//! edits of different items combine; an item both sides changed differently is a conflict,
//! named in words (`docs/reliability.md`, "In the browser").

use clusterplan_engine::{document, Document};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// The result of merging: the model with the other side's changes and ours, and the items both
/// changed differently (empty: a clean merge, `ours` and `theirs` are the same model).
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// Conflicting items keep our version.
    pub ours: Document,
    /// Conflicting items keep the other side's version.
    pub theirs: Document,
    /// The conflicting items, in words ("node n5", "the position of node n5").
    pub conflicts: Vec<String>,
}

/// Merges `ours` and `theirs`, both edits of `base`. `None` when a merged model does not read
/// back as a document (it cannot happen for documents that read; kept as a refusal).
pub fn merge(base: &Document, ours: &Document, theirs: &Document) -> Option<Merged> {
    let [b, o, t] = [base, ours, theirs].map(|d| serde_json::to_value(d).unwrap_or(Value::Null));
    let mut conflicts = Vec::new();
    let (mine, other) = merge_value(Some(&b), Some(&o), Some(&t), &[], &mut conflicts);
    let read = |v: Option<Value>| document::from_value(&v?).ok();
    Some(Merged { ours: read(mine)?, theirs: read(other)?, conflicts })
}

/// Is this top-level list one of items with an identity?
fn is_item_list(list: &str) -> bool {
    matches!(list, "nodes" | "clusters" | "subnets" | "routers" | "networks" | "services")
}

/// An item's identity in its top-level list.
fn identity(list: &str, entry: &Value) -> Option<String> {
    let field = |k: &str| entry.get(k).and_then(Value::as_str);
    match list {
        "nodes" => field("uid").map(str::to_owned),
        "clusters" => field("id").map(str::to_owned),
        "subnets" => field("prefix").map(str::to_owned),
        "routers" | "networks" => field("name").map(str::to_owned),
        "services" => Some(format!("{} {}", field("name")?, field("cluster")?)),
        _ => None,
    }
}

/// An item's or field's name in words, from its path in the document.
fn name(path: &[String]) -> String {
    fn singular(list: &str) -> &str {
        match list {
            "nodes" => "node",
            "clusters" => "cluster",
            "subnets" => "subnet",
            "routers" => "router",
            "networks" => "network",
            "services" => "service",
            other => other,
        }
    }
    match path {
        [] => "the model".to_owned(),
        [list, id, ..] if is_item_list(list) => format!("{} {id}", singular(list)),
        [layout, list, id, ..] if layout == "layout" => {
            format!("the position of {} {id}", singular(list))
        }
        _ => format!("the field {}", path.join(".")),
    }
}

type Pair = (Option<Value>, Option<Value>);

/// Merges one value (absent: `None`); returns (ours on conflict, theirs on conflict).
fn merge_value(
    b: Option<&Value>,
    o: Option<&Value>,
    t: Option<&Value>,
    path: &[String],
    conflicts: &mut Vec<String>,
) -> Pair {
    if o == t || t == b {
        return (o.cloned(), o.cloned());
    }
    if o == b {
        return (t.cloned(), t.cloned());
    }
    let empty = Value::Object(Map::new());
    match (o, t) {
        (Some(Value::Object(om)), Some(Value::Object(tm))) => {
            let bm = match b {
                Some(Value::Object(bm)) => bm,
                _ => empty.as_object().expect("an object"),
            };
            merge_object(bm, om, tm, path, conflicts)
        }
        (Some(Value::Array(oa)), Some(Value::Array(ta)))
            if path.len() == 1 && is_item_list(&path[0]) =>
        {
            let ba: &[Value] = match b {
                Some(Value::Array(ba)) => ba,
                _ => &[],
            };
            merge_items(&path[0], ba, oa, ta, path, conflicts)
        }
        _ => {
            conflicts.push(name(path));
            (o.cloned(), t.cloned())
        }
    }
}

fn merge_object(
    b: &Map<String, Value>,
    o: &Map<String, Value>,
    t: &Map<String, Value>,
    path: &[String],
    conflicts: &mut Vec<String>,
) -> Pair {
    let mut keys: Vec<&String> = t.keys().collect();
    keys.extend(o.keys().filter(|k| !t.contains_key(*k)));
    let (mut mine, mut other) = (Map::new(), Map::new());
    for key in keys {
        let sub: Vec<String> = path.iter().cloned().chain([key.clone()]).collect();
        let (m, th) = merge_value(b.get(key), o.get(key), t.get(key), &sub, conflicts);
        if let Some(m) = m {
            mine.insert(key.clone(), m);
        }
        if let Some(th) = th {
            other.insert(key.clone(), th);
        }
    }
    (Some(Value::Object(mine)), Some(Value::Object(other)))
}

/// A list of items merged by identity: the other side's order, then the items only we added.
fn merge_items(
    list: &str,
    b: &[Value],
    o: &[Value],
    t: &[Value],
    path: &[String],
    conflicts: &mut Vec<String>,
) -> Pair {
    let keyed = |items: &[Value]| -> Option<Vec<(String, Value)>> {
        items.iter().map(|v| Some((identity(list, v)?, v.clone()))).collect()
    };
    let (Some(bk), Some(ok), Some(tk)) = (keyed(b), keyed(o), keyed(t)) else {
        conflicts.push(name(path));
        return (Some(Value::Array(o.to_vec())), Some(Value::Array(t.to_vec())));
    };
    let map = |k: &[(String, Value)]| -> HashMap<String, Value> { k.iter().cloned().collect() };
    let (bm, om, tm) = (map(&bk), map(&ok), map(&tk));
    let mut order: Vec<&String> = tk.iter().map(|(k, _)| k).collect();
    let seen: HashSet<&String> = order.iter().copied().collect();
    // Items we kept that they removed come back only when we changed them (a conflict then).
    order.extend(ok.iter().map(|(k, _)| k).filter(|k| !seen.contains(k)));
    let (mut mine, mut other) = (Vec::new(), Vec::new());
    for key in order {
        let sub: Vec<String> = path.iter().cloned().chain([key.clone()]).collect();
        let (m, th) = merge_value(bm.get(key), om.get(key), tm.get(key), &sub, conflicts);
        mine.extend(m);
        other.extend(th);
    }
    (Some(Value::Array(mine)), Some(Value::Array(other)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::{self, EditAction};
    use crate::model::examples;
    use crate::model::layout::Pt;

    fn fig24() -> Document {
        crate::model::layout::with_layout(examples::FIG24.document())
    }

    fn apply(doc: &Document, action: EditAction) -> Document {
        edit::apply(doc, &action).expect("the edit applies").doc
    }

    #[test]
    fn edits_of_different_items_combine_in_either_order() {
        let base = fig24();
        let renamed =
            apply(&base, EditAction::SetNodeName { uid: "n5".into(), name: "renamed".into() });
        let added = apply(
            &base,
            EditAction::AddNode { at: Pt::new(900.0, 900.0), subnet: Some("10.0.2.0/24".into()) },
        );
        let merged = merge(&base, &added, &renamed).unwrap();
        assert_eq!(merged.conflicts, Vec::<String>::new());
        assert_eq!(merged.ours, merged.theirs);
        let doc = merged.ours;
        assert_eq!(doc.nodes.len(), base.nodes.len() + 1, "the added node is kept");
        assert_eq!(doc.nodes.iter().find(|n| n.uid == "n5").unwrap().name, "renamed");
        assert!(crate::model::layout::Layout::read(&doc).covers(&doc), "its position too");
        // The other way round, the same items.
        let back = merge(&base, &renamed, &added).unwrap().ours;
        assert_eq!(back.nodes.len(), doc.nodes.len());
        assert_eq!(back.nodes.iter().find(|n| n.uid == "n5").unwrap().name, "renamed");
        // Nothing changed on one side: the other side's model.
        assert_eq!(merge(&base, &base, &renamed).unwrap().ours, renamed);
        assert_eq!(merge(&base, &renamed, &base).unwrap().ours, renamed);
    }

    #[test]
    fn the_same_item_changed_differently_is_a_named_conflict_with_both_resolutions() {
        let base = fig24();
        let ours = apply(&base, EditAction::SetNodeName { uid: "n5".into(), name: "ours".into() });
        let theirs =
            apply(&base, EditAction::SetNodeName { uid: "n5".into(), name: "theirs".into() });
        let theirs = apply(&theirs, EditAction::AddCluster);
        let merged = merge(&base, &ours, &theirs).unwrap();
        assert_eq!(merged.conflicts, vec!["node n5".to_owned()]);
        let name = |d: &Document| d.nodes.iter().find(|n| n.uid == "n5").unwrap().name.clone();
        assert_eq!((name(&merged.ours), name(&merged.theirs)), ("ours".into(), "theirs".into()));
        assert_eq!(merged.ours.clusters.len(), 2, "their other change is kept either way");
        assert_eq!(merged.theirs.clusters.len(), 2);
        // Deleted here, changed there: a conflict too; moved on both sides: the position.
        let deleted = apply(&base, EditAction::Delete(vec![edit::ItemRef::Node("n5".into())]));
        let gone = merge(&base, &deleted, &theirs).unwrap();
        assert!(gone.conflicts.contains(&"node n5".to_owned()), "{:?}", gone.conflicts);
        assert!(gone.ours.nodes.iter().all(|n| n.uid != "n5"));
        assert!(gone.theirs.nodes.iter().any(|n| n.uid == "n5"));
        let items = || vec![edit::ItemRef::Node("n1".into())];
        let left =
            apply(&base, EditAction::Move { items: items(), dx: -40.0, dy: 0.0, snap: false });
        let right =
            apply(&base, EditAction::Move { items: items(), dx: 40.0, dy: 0.0, snap: false });
        assert_eq!(merge(&base, &left, &right).unwrap().conflicts, vec!["the position of node n1"]);
    }
}
