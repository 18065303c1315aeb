//! A design review's items: the two documents' clusters, networks, subnets, routers, nodes and
//! services matched by identity and compared field by field (see [`Diff::items`]).
//!
//! [`Diff::items`]: super::data::Diff::items

use super::data::{Change, Field, ItemChange};
use crate::diagnostics::Item;
use crate::document::{Document, Extra};
use crate::query::prefix_key;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Added, removed and changed items of every kind (see [`Diff::items`]).
///
/// [`Diff::items`]: super::data::Diff::items
pub(super) fn items(before: &Document, after: &Document) -> Vec<ItemChange> {
    let mut out = Vec::new();
    kind(
        &mut out,
        &before.clusters,
        &after.clusters,
        |c| c.id.clone(),
        |id| Item::Cluster { id },
        |b, a, f| {
            text_field(f, "name", &b.name, &a.name);
            if b.registry_servers != a.registry_servers {
                f.push(Field::RegistryServers {
                    before: &b.registry_servers,
                    after: &a.registry_servers,
                });
            }
            extra_fields(f, &b.extra, &a.extra);
        },
    );
    kind(
        &mut out,
        &before.networks,
        &after.networks,
        |n| n.name.clone(),
        |name| Item::Network { name },
        |b, a, f| {
            let services: BTreeSet<&String> =
                crate::sorting::btree_set(b.priorities.keys().chain(a.priorities.keys()));
            for s in services {
                let (pb, pa) = (b.priorities.get(s), a.priorities.get(s));
                if pb != pa {
                    f.push(Field::Priority { service: s, before: pb.copied(), after: pa.copied() });
                }
            }
            extra_fields(f, &b.extra, &a.extra);
        },
    );
    kind(
        &mut out,
        &before.subnets,
        &after.subnets,
        |s| prefix_key(&s.prefix),
        |prefix| Item::Subnet { prefix },
        |b, a, f| {
            text_field(f, "network", &b.network, &a.network);
            extra_fields(f, &b.extra, &a.extra);
        },
    );
    kind(
        &mut out,
        &before.routers,
        &after.routers,
        |r| r.name.clone(),
        |name| Item::Router { name },
        |b, a, f| {
            set_field(f, "subnets", &b.subnets, &a.subnets, prefix_key);
            extra_fields(f, &b.extra, &a.extra);
        },
    );
    kind(
        &mut out,
        &before.nodes,
        &after.nodes,
        |n| n.uid.clone(),
        |uid| Item::Node { uid },
        |b, a, f| {
            text_field(f, "name", &b.name, &a.name);
            let clusters: BTreeSet<&String> =
                crate::sorting::btree_set(b.clusters.keys().chain(a.clusters.keys()));
            for c in clusters {
                match (b.clusters.get(c), a.clusters.get(c)) {
                    (Some(&before), Some(&after)) if before != after => {
                        f.push(Field::NodeNumber { cluster: c, before, after })
                    }
                    (None, Some(&number)) => f.push(Field::Defined { cluster: c, number }),
                    (Some(&was), None) => f.push(Field::Undefined { cluster: c, was }),
                    _ => {}
                }
            }
            if b.online != a.online {
                f.push(Field::Online { before: b.online.as_deref(), after: a.online.as_deref() });
            }
            set_field(f, "addresses", &b.addresses, &a.addresses, address_key);
            extra_fields(f, &b.extra, &a.extra);
        },
    );
    kind(
        &mut out,
        &before.services,
        &after.services,
        |s| format!("{}\u{0}{}", s.cluster, s.name),
        |key| {
            let (cluster, name) = key.split_once('\u{0}').unwrap_or((&key, ""));
            Item::Service { cluster: cluster.to_owned(), name: name.to_owned() }
        },
        |b, a, f| {
            set_field(f, "addresses", &b.addresses, &a.addresses, address_key);
            extra_fields(f, &b.extra, &a.extra);
        },
    );
    out
}

/// The items of one kind: matched by `key` (the first of a duplicated key wins; the plan
/// diagnoses duplicates), compared field by field with `fields` (each field that differs put
/// into words).
fn kind<T>(
    out: &mut Vec<ItemChange>,
    before: &[T],
    after: &[T],
    key: impl Fn(&T) -> String,
    item: impl Fn(String) -> Item,
    fields: impl for<'a> Fn(&'a T, &'a T, &mut Vec<Field<'a>>),
) {
    let index = |list: &[T]| {
        let mut map: HashMap<String, usize> = HashMap::new();
        for (i, x) in list.iter().enumerate() {
            map.entry(key(x)).or_insert(i);
        }
        map
    };
    let (in_before, in_after) = (index(before), index(after));
    for (i, b) in before.iter().enumerate() {
        let k = key(b);
        if in_before.get(&k) != Some(&i) {
            continue;
        }
        match in_after.get(&k) {
            None => {
                out.push(ItemChange { change: Change::Removed, item: item(k), fields: Vec::new() })
            }
            Some(&j) => {
                let mut changed = Vec::new();
                fields(b, &after[j], &mut changed);
                if !changed.is_empty() {
                    out.push(ItemChange {
                        change: Change::Changed,
                        item: item(k),
                        fields: changed.iter().map(Field::phrase).collect(),
                    });
                }
            }
        }
    }
    for (j, a) in after.iter().enumerate() {
        let k = key(a);
        if in_after.get(&k) == Some(&j) && !in_before.contains_key(&k) {
            out.push(ItemChange { change: Change::Added, item: item(k), fields: Vec::new() });
        }
    }
}

/// An address's identity: its canonical form when it parses, else its text.
fn address_key(text: &str) -> String {
    text.trim().parse::<std::net::IpAddr>().map_or_else(|_| text.to_owned(), |a| a.to_string())
}

fn text_field<'a>(out: &mut Vec<Field<'a>>, name: &'a str, before: &'a str, after: &'a str) {
    if before != after {
        out.push(Field::Text { name, before, after });
    }
}

/// The values added and removed (order does not matter for these fields), each value
/// compared by its `key`.
fn set_field<'a>(
    out: &mut Vec<Field<'a>>,
    name: &'a str,
    before: &[String],
    after: &[String],
    key: fn(&str) -> String,
) {
    let before: Vec<String> = before.iter().map(|x| key(x)).collect();
    let after: Vec<String> = after.iter().map(|x| key(x)).collect();
    let (in_before, in_after): (HashSet<&String>, HashSet<&String>) =
        (before.iter().collect(), after.iter().collect());
    let added: Vec<String> = after.iter().filter(|x| !in_before.contains(x)).cloned().collect();
    let removed: Vec<String> = before.iter().filter(|x| !in_after.contains(x)).cloned().collect();
    if !added.is_empty() || !removed.is_empty() {
        out.push(Field::Set { name, added, removed });
    }
}

/// The extension fields an item carries (resource controllers, notes), key by key.
fn extra_fields<'a>(out: &mut Vec<Field<'a>>, before: &'a Extra, after: &'a Extra) {
    let keys: BTreeSet<&String> = crate::sorting::btree_set(before.keys().chain(after.keys()));
    for key in keys {
        let (b, a) = (before.get(key), after.get(key));
        if b != a {
            out.push(Field::Extra { key, before: b, after: a });
        }
    }
}
