//! Design review: what a change to a model does, from two documents and their plans.
//!
//! Items are matched by identity (cluster id, network name, subnet prefix, router name, node
//! uid, service cluster + name): a renamed node is a change, a renamed router a removal and an
//! addition. For every service the diff holds the clients whose ordered list changed (each
//! change in words: "10.0.1.3 moved from 2nd to 1st"), every server's first-choice and
//! worst-single-failure load before -> after, the balance before -> after, and the diagnostics
//! that appeared and went away. Loads, balance and diagnostics are read off the two plans as
//! they are (load and balance: docs/spec.md §4), never recomputed here: the diff follows
//! whatever the load rules of the plan are.

use crate::diagnostics::{Diagnostic, Item};
use crate::document::{Document, Extra};
use crate::plan::{Plan, ServicePlan};
use crate::query::prefix_key;
use crate::strategy::Strategy;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

/// What happened to an item between the two documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    pub fn word(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// A figure before and after the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Side<T> {
    pub before: T,
    pub after: T,
}

impl<T: PartialEq> Side<T> {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

impl<T: std::fmt::Display> Side<T> {
    /// `5 -> 4`.
    pub fn text(&self) -> String {
        format!("{} -> {}", self.before, self.after)
    }
}

/// One item of the document added, removed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    pub change: Change,
    /// The item, named as the document names it (the app selects it with this).
    pub item: Item,
    /// What changed, one phrase per field (`name: "a" -> "b"`); empty when added or removed.
    pub fields: Vec<String>,
}

/// Everything a change to the model does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The strategy both plans were ordered with.
    pub strategy: Strategy,
    /// Clusters, networks, subnets, routers, nodes, services, in that order; in each kind the
    /// removed and changed items in the before document's order, then the added ones in the
    /// after document's order.
    pub items: Vec<ItemChange>,
    /// Every service of either plan, sorted by cluster id then name.
    pub services: Vec<ServiceDiff>,
    /// Diagnostics of the after plan that the before plan does not have.
    pub diagnostics_appeared: Vec<Diagnostic>,
    /// Diagnostics of the before plan that the after plan no longer has.
    pub diagnostics_gone: Vec<Diagnostic>,
}

/// One service (cluster id + name) before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceDiff {
    pub cluster: String,
    pub service: String,
    /// `Some(Added)` / `Some(Removed)` when the service exists on one side only.
    pub presence: Option<Change>,
    pub clients: Side<usize>,
    pub unserved: Side<usize>,
    /// Max first-choice load / ideal (see the plan's `ServiceLoad`).
    pub balance_first_choice: Side<Option<f64>>,
    /// Max worst-single-failure load / ideal with one server fewer.
    pub balance_worst_failure: Side<Option<f64>>,
    /// Every server of either side, by node: in the after plan's order (ascending node
    /// number), then the servers that are gone.
    pub servers: Vec<ServerDiff>,
    /// The clients whose ordered list changed: those that move to another first-choice server
    /// first, then by node number.
    pub lists: Vec<ListChange>,
    /// How many of `lists` move to another first-choice server.
    pub clients_moved: usize,
}

/// One server node of a service before and after (a side where it is not a server of the
/// service has no number and no load).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerDiff {
    pub uid: String,
    /// Node number in the service's cluster; `None` = not a server of it on that side.
    pub number: Side<Option<u32>>,
    pub first_choice: Side<usize>,
    pub worst_single_failure: Side<usize>,
    /// after - before.
    pub first_choice_delta: i64,
    pub worst_single_failure_delta: i64,
}

/// One client whose ordered list of a service changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListChange {
    pub uid: String,
    /// Node number in the service's cluster; `None` = not a client on that side.
    pub number: Side<Option<u32>>,
    /// The ordered addresses.
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// Node number of the server serving it on first choice (`None` = unserved or no client).
    pub server: Side<Option<u32>>,
    /// The change in words, one phrase each ("10.0.1.3 moved from 2nd to 1st").
    pub words: Vec<String>,
}

impl ListChange {
    /// A client before and after whose first-choice server is another one after the change.
    pub fn moved(&self) -> bool {
        self.number.before.is_some() && self.number.after.is_some() && self.server.changed()
    }

    /// The client as people name it: `node 17`, `node 17 (was 12)`, or its uid when it has no
    /// number on either side.
    pub fn client(&self) -> String {
        match (self.number.before, self.number.after) {
            (Some(b), Some(a)) if a != b => format!("node {a} (was {b})"),
            (_, Some(n)) | (Some(n), None) => format!("node {n}"),
            (None, None) => format!("node {}", self.uid),
        }
    }

    /// One line: `node 17: 10.0.1.3 moved from 2nd to 1st; first choice server 9 -> server 3`
    /// (a new client: `first choice server 3`).
    pub fn line(&self) -> String {
        let mut line = format!("{}: {}", self.client(), self.words.join("; "));
        let server = |s: Option<u32>| s.map_or("none".to_owned(), |n| format!("server {n}"));
        if self.number.before.is_none() {
            let _ = write!(line, "; first choice {}", server(self.server.after));
        } else if self.moved() {
            let _ = write!(
                line,
                "; first choice {} -> {}",
                server(self.server.before),
                server(self.server.after)
            );
        }
        line
    }
}

impl ServerDiff {
    /// The server as tables name it: its node number, `13 (new)`, `4 (gone)`, `11 (was 4)`.
    pub fn label(&self) -> String {
        match (self.number.before, self.number.after) {
            (None, Some(a)) => format!("{a} (new)"),
            (Some(b), None) => format!("{b} (gone)"),
            (Some(b), Some(a)) if a != b => format!("{a} (was {b})"),
            (_, Some(n)) => n.to_string(),
            (None, None) => self.uid.clone(),
        }
    }
}

/// A change in a figure: `+1`, `-2`, `0`.
pub fn signed(delta: i64) -> String {
    if delta > 0 {
        format!("+{delta}")
    } else {
        delta.to_string()
    }
}

impl ServiceDiff {
    /// `10 -> 11 clients, unserved 0 -> 0, balance 3.00 -> 2.55, worst-failure balance 2.78 ->
    /// 3.00`, and `(new service)` or `(service removed)`.
    pub fn figures(&self) -> String {
        let presence = match self.presence {
            Some(Change::Added) => " (new service)",
            Some(Change::Removed) => " (service removed)",
            _ => "",
        };
        format!(
            "{} -> {} clients, unserved {} -> {}, balance {} -> {}, worst-failure balance {} -> {}{presence}",
            self.clients.before,
            self.clients.after,
            self.unserved.before,
            self.unserved.after,
            ratio(self.balance_first_choice.before),
            ratio(self.balance_first_choice.after),
            ratio(self.balance_worst_failure.before),
            ratio(self.balance_worst_failure.after),
        )
    }

    /// `11 client lists changed, 2 clients move to another server`.
    pub fn lists_summary(&self) -> String {
        let mut line = format!("{} changed", plural(self.lists.len(), "client list"));
        if self.clients_moved > 0 {
            let _ = write!(line, ", {} to another server", moves(self.clients_moved));
        }
        line
    }

    /// Nothing about the service changed: same lists, loads, balance and clients.
    pub fn unchanged(&self) -> bool {
        self.presence.is_none()
            && self.lists.is_empty()
            && !self.clients.changed()
            && !self.unserved.changed()
            && self.servers.iter().all(|s| {
                !s.number.changed()
                    && !s.first_choice.changed()
                    && !s.worst_single_failure.changed()
            })
    }

    /// `registry of cluster A`.
    pub fn title(&self) -> String {
        format!("{} of cluster {}", self.service, self.cluster)
    }
}

impl Diff {
    /// Nothing differs: no item, list, load or diagnostic.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
            && self.services.iter().all(ServiceDiff::unchanged)
            && self.diagnostics_appeared.is_empty()
            && self.diagnostics_gone.is_empty()
    }

    /// The whole diff in one sentence, for a summary line:
    /// `1 item added, 1 changed; 7 client lists changed, 4 clients move; 1 diagnostic gone`.
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "no change".to_owned();
        }
        let mut parts = Vec::new();
        let count = |c: Change| self.items.iter().filter(|i| i.change == c).count();
        let (added, removed, changed) =
            (count(Change::Added), count(Change::Removed), count(Change::Changed));
        let mut items = Vec::new();
        for (n, word) in [(added, "added"), (removed, "removed"), (changed, "changed")] {
            if n > 0 {
                items.push(if items.is_empty() {
                    format!("{} {word}", plural(n, "item"))
                } else {
                    format!("{n} {word}")
                });
            }
        }
        if !items.is_empty() {
            parts.push(items.join(", "));
        }
        let lists: usize = self.services.iter().map(|s| s.lists.len()).sum();
        let moved: usize = self.services.iter().map(|s| s.clients_moved).sum();
        if lists > 0 {
            let services = self.services.iter().filter(|s| !s.lists.is_empty()).count();
            let mut text = format!("{} changed", plural(lists, "client list"));
            if services > 1 {
                let _ = write!(text, " in {services} services");
            }
            if moved > 0 {
                let _ = write!(text, ", {} to another server", moves(moved));
            }
            parts.push(text);
        }
        let balance = self
            .services
            .iter()
            .filter(|s| s.balance_first_choice.changed())
            .map(|s| {
                format!(
                    "{} balance {} -> {}",
                    s.title(),
                    ratio(s.balance_first_choice.before),
                    ratio(s.balance_first_choice.after)
                )
            })
            .take(2);
        parts.extend(balance);
        let (appeared, gone) = (self.diagnostics_appeared.len(), self.diagnostics_gone.len());
        if appeared > 0 || gone > 0 {
            let mut text = Vec::new();
            if appeared > 0 {
                text.push(format!("{} appeared", plural(appeared, "diagnostic")));
            }
            if gone > 0 {
                text.push(if appeared > 0 {
                    format!("{gone} gone")
                } else {
                    format!("{} gone", plural(gone, "diagnostic"))
                });
            }
            parts.push(text.join(", "));
        }
        parts.join("; ")
    }
}

/// `1 client moves`, `2 clients move`.
fn moves(n: usize) -> String {
    if n == 1 {
        "1 client moves".to_owned()
    } else {
        format!("{n} clients move")
    }
}

/// `1 item`, `2 items`.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A balance as the tables show it: `1.50`, or `-` when there is none.
pub fn ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "-".to_owned(), |r| format!("{r:.2}"))
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `12th`, `13th`, `21st`.
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Compiles both documents with `strategy` and diffs them.
pub fn diff(before: &Document, after: &Document, strategy: Strategy) -> Diff {
    let before_plan = crate::build::compile(before, strategy);
    let after_plan = crate::build::compile(after, strategy);
    diff_plans(before, &before_plan, after, &after_plan)
}

/// Diffs two documents whose plans are already compiled (the app keeps both memoised).
pub fn diff_plans(
    before: &Document,
    before_plan: &Plan,
    after: &Document,
    after_plan: &Plan,
) -> Diff {
    let mut services: BTreeMap<(&str, &str), Side<Option<&ServicePlan>>> = BTreeMap::new();
    for sp in &before_plan.services {
        services.entry((&sp.cluster, &sp.service)).or_default().before = Some(sp);
    }
    for sp in &after_plan.services {
        services.entry((&sp.cluster, &sp.service)).or_default().after = Some(sp);
    }
    let services = services
        .into_iter()
        .map(|((cluster, service), side)| {
            service_diff(cluster, service, (before_plan, side.before), (after_plan, side.after))
        })
        .collect();
    let (diagnostics_appeared, diagnostics_gone) =
        diagnostics(&before_plan.diagnostics, &after_plan.diagnostics);
    Diff {
        strategy: after_plan.strategy,
        items: items(before, after),
        services,
        diagnostics_appeared,
        diagnostics_gone,
    }
}

/// (appeared, gone), each in its plan's order; a diagnostic reported twice counts twice.
fn diagnostics(before: &[Diagnostic], after: &[Diagnostic]) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let minus = |a: &[Diagnostic], b: &[Diagnostic]| {
        let mut left: HashMap<&Diagnostic, usize> = HashMap::new();
        for d in b {
            *left.entry(d).or_default() += 1;
        }
        a.iter()
            .filter(|d| match left.get_mut(d) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    (minus(after, before), minus(before, after))
}

// ----- items -----

/// Added, removed and changed items of every kind (see [`Diff::items`]).
fn items(before: &Document, after: &Document) -> Vec<ItemChange> {
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
                f.push(format!(
                    "registry servers: {} -> {}",
                    numbers(&b.registry_servers),
                    numbers(&a.registry_servers)
                ));
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
                    let p = |p: Option<&i64>| p.map_or("none".to_owned(), i64::to_string);
                    f.push(format!("priority of {s}: {} -> {}", p(pb), p(pa)));
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
                    (Some(nb), Some(na)) if nb != na => {
                        f.push(format!("node number in cluster {c}: {nb} -> {na}"))
                    }
                    (None, Some(na)) => f.push(format!("defined to cluster {c} as node {na}")),
                    (Some(nb), None) => {
                        f.push(format!("no longer defined to cluster {c} (was node {nb})"))
                    }
                    _ => {}
                }
            }
            if b.online != a.online {
                let o = |o: &Option<String>| o.as_deref().unwrap_or("none").to_owned();
                f.push(format!("online: {} -> {}", o(&b.online), o(&a.online)));
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
/// diagnoses duplicates), compared field by field with `fields`.
fn kind<T>(
    out: &mut Vec<ItemChange>,
    before: &[T],
    after: &[T],
    key: impl Fn(&T) -> String,
    item: impl Fn(String) -> Item,
    fields: impl Fn(&T, &T, &mut Vec<String>),
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
                        fields: changed,
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

fn numbers(list: &[u32]) -> String {
    if list.is_empty() {
        return "none".to_owned();
    }
    list.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

fn text_field(out: &mut Vec<String>, name: &str, before: &str, after: &str) {
    if before != after {
        out.push(format!("{name}: {before:?} -> {after:?}"));
    }
}

/// `addresses: +10.0.1.4, -10.0.1.5` (order does not matter for these fields), each value
/// compared by its `key`.
fn set_field(
    out: &mut Vec<String>,
    name: &str,
    before: &[String],
    after: &[String],
    key: fn(&str) -> String,
) {
    let before: Vec<String> = before.iter().map(|x| key(x)).collect();
    let after: Vec<String> = after.iter().map(|x| key(x)).collect();
    let added: Vec<String> =
        after.iter().filter(|x| !before.contains(x)).map(|x| format!("+{x}")).collect();
    let removed: Vec<String> =
        before.iter().filter(|x| !after.contains(x)).map(|x| format!("-{x}")).collect();
    if !added.is_empty() || !removed.is_empty() {
        out.push(format!("{name}: {}", [added, removed].concat().join(", ")));
    }
}

/// The extension fields an item carries (resource controllers, notes), key by key.
fn extra_fields(out: &mut Vec<String>, before: &Extra, after: &Extra) {
    let keys: BTreeSet<&String> = crate::sorting::btree_set(before.keys().chain(after.keys()));
    for k in keys {
        let (b, a) = (before.get(k), after.get(k));
        if b != a {
            let v = |v: Option<&serde_json::Value>| v.map_or("none".to_owned(), |v| v.to_string());
            out.push(format!("{k}: {} -> {}", v(b), v(a)));
        }
    }
}

// ----- services -----

/// One side of a service: its plan and the plan it belongs to.
type SideOf<'a> = (&'a Plan, Option<&'a ServicePlan>);

/// A client's list on one side: node number, addresses, first-choice server's node number.
struct ClientSide {
    number: u32,
    addresses: Vec<String>,
    server: Option<u32>,
}

fn clients_of(plan: &Plan, sp: Option<&ServicePlan>) -> BTreeMap<String, ClientSide> {
    let mut out = BTreeMap::new();
    let Some(sp) = sp else { return out };
    for (i, list) in sp.lists.iter().enumerate() {
        let Some(node) = plan.nodes.get(list.node) else { continue };
        let addresses = list
            .entries
            .iter()
            .map(|e| {
                sp.addresses.get(e.address()).map_or_else(|| "?".to_owned(), |a| a.ip.to_string())
            })
            .collect();
        let server = sp
            .load
            .serving
            .get(i)
            .copied()
            .flatten()
            .and_then(|s| sp.servers.get(s))
            .map(|s| s.number);
        out.entry(node.uid.clone()).or_insert(ClientSide {
            number: list.number,
            addresses,
            server,
        });
    }
    out
}

/// A server's figures on one side: node number, first choice, worst single failure.
fn servers_of(plan: &Plan, sp: Option<&ServicePlan>) -> Vec<(String, u32, usize, usize)> {
    let Some(sp) = sp else { return Vec::new() };
    sp.servers
        .iter()
        .enumerate()
        .filter_map(|(s, server)| {
            let uid = plan.nodes.get(server.node)?.uid.clone();
            let first = sp.load.first_choice.get(s).copied().unwrap_or(0);
            let worst = sp.load.worst_single_failure.get(s).map_or(0, |w| w.0);
            Some((uid, server.number, first, worst))
        })
        .collect()
}

fn service_diff(cluster: &str, service: &str, before: SideOf, after: SideOf) -> ServiceDiff {
    let presence = match (before.1, after.1) {
        (None, _) => Some(Change::Added),
        (_, None) => Some(Change::Removed),
        _ => None,
    };
    let figure = |side: SideOf, f: &dyn Fn(&ServicePlan) -> usize| side.1.map_or(0, f);
    let balance = |side: SideOf, f: &dyn Fn(&ServicePlan) -> Option<f64>| side.1.and_then(f);

    // Servers by uid: the after plan's order, then those gone.
    let (sb, sa) = (servers_of(before.0, before.1), servers_of(after.0, after.1));
    let mut servers: Vec<ServerDiff> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (uid, number, first, worst) in sa.into_iter() {
        if seen.contains_key(&uid) {
            continue;
        }
        seen.insert(uid.clone(), servers.len());
        servers.push(ServerDiff {
            uid,
            number: Side { before: None, after: Some(number) },
            first_choice: Side { before: 0, after: first },
            worst_single_failure: Side { before: 0, after: worst },
            first_choice_delta: 0,
            worst_single_failure_delta: 0,
        });
    }
    let mut gone: HashMap<String, ()> = HashMap::new();
    for (uid, number, first, worst) in sb {
        match seen.get(&uid) {
            Some(&i) if servers[i].number.before.is_none() => {
                let s = &mut servers[i];
                s.number.before = Some(number);
                s.first_choice.before = first;
                s.worst_single_failure.before = worst;
            }
            Some(_) => {}
            None if gone.insert(uid.clone(), ()).is_none() => servers.push(ServerDiff {
                uid,
                number: Side { before: Some(number), after: None },
                first_choice: Side { before: first, after: 0 },
                worst_single_failure: Side { before: worst, after: 0 },
                first_choice_delta: 0,
                worst_single_failure_delta: 0,
            }),
            None => {}
        }
    }
    for s in &mut servers {
        s.first_choice_delta = s.first_choice.after as i64 - s.first_choice.before as i64;
        s.worst_single_failure_delta =
            s.worst_single_failure.after as i64 - s.worst_single_failure.before as i64;
    }

    // Clients by uid.
    let (cb, ca) = (clients_of(before.0, before.1), clients_of(after.0, after.1));
    let uids: BTreeSet<&String> = cb.keys().chain(ca.keys()).collect();
    let mut lists: Vec<ListChange> = uids
        .into_iter()
        .filter_map(|uid| {
            let (b, a) = (cb.get(uid), ca.get(uid));
            let change = ListChange {
                uid: uid.clone(),
                number: Side { before: b.map(|c| c.number), after: a.map(|c| c.number) },
                before: b.map(|c| c.addresses.clone()).unwrap_or_default(),
                after: a.map(|c| c.addresses.clone()).unwrap_or_default(),
                server: Side { before: b.and_then(|c| c.server), after: a.and_then(|c| c.server) },
                words: Vec::new(),
            };
            let same = b.is_some() == a.is_some() && change.before == change.after;
            (!same || change.moved()).then(|| ListChange {
                words: words(b.is_some(), a.is_some(), &change.before, &change.after),
                ..change
            })
        })
        .collect();
    crate::sorting::sort_by_key(&mut lists, |l| {
        (!l.moved(), l.number.after.or(l.number.before), l.uid.clone())
    });
    let clients_moved = lists.iter().filter(|l| l.moved()).count();

    ServiceDiff {
        cluster: cluster.to_owned(),
        service: service.to_owned(),
        presence,
        clients: Side {
            before: figure(before, &|sp| sp.load.clients),
            after: figure(after, &|sp| sp.load.clients),
        },
        unserved: Side {
            before: figure(before, &|sp| sp.load.unserved),
            after: figure(after, &|sp| sp.load.unserved),
        },
        balance_first_choice: Side {
            before: balance(before, &|sp| sp.load.balance_first_choice),
            after: balance(after, &|sp| sp.load.balance_first_choice),
        },
        balance_worst_failure: Side {
            before: balance(before, &|sp| sp.load.balance_worst_failure),
            after: balance(after, &|sp| sp.load.balance_worst_failure),
        },
        servers,
        lists,
        clients_moved,
    }
}

/// A list's change in words. Addresses in both lists that keep their relative order (the
/// longest common subsequence) are not said to move, so an address inserted at the top does
/// not make every other one "move"; among equally short explanations, the addresses that
/// rise are named.
fn words(was_client: bool, is_client: bool, before: &[String], after: &[String]) -> Vec<String> {
    match (was_client, is_client) {
        (false, true) => return vec![format!("now a client: {}", after.join(", "))],
        (true, false) => return vec!["no longer a client".to_owned()],
        _ => {}
    }
    let common_b: Vec<&String> = before.iter().filter(|x| after.contains(x)).collect();
    let common_a: Vec<&String> = after.iter().filter(|x| before.contains(x)).collect();
    let kept = lcs(&common_b, &common_a);
    let position = |list: &[String], x: &String| list.iter().position(|y| y == x).unwrap_or(0) + 1;
    let mut out = Vec::new();
    for x in after {
        if !before.contains(x) {
            out.push(format!("{x} added at {}", ordinal(position(after, x))));
        } else if !kept.contains(&x) && position(before, x) != position(after, x) {
            out.push(format!(
                "{x} moved from {} to {}",
                ordinal(position(before, x)),
                ordinal(position(after, x))
            ));
        }
    }
    for x in before {
        if !after.contains(x) {
            out.push(format!("{x} removed (was {})", ordinal(position(before, x))));
        }
    }
    if out.is_empty() && before != after {
        // Only addresses that kept their place were left out of the order: name every move.
        out.extend(after.iter().filter(|x| position(before, x) != position(after, x)).map(|x| {
            format!(
                "{x} moved from {} to {}",
                ordinal(position(before, x)),
                ordinal(position(after, x))
            )
        }));
    }
    if out.is_empty() {
        // Same list, another first-choice server (a server went down or came up).
        out.push("same list".to_owned());
    }
    out
}

/// The longest common subsequence of `a` and `b` (two orders of the same items); on ties it
/// keeps `a`'s items, so the items of `b` that came forward are the ones left out.
fn lcs<'a>(a: &[&'a String], b: &[&'a String]) -> Vec<&'a String> {
    let (n, m) = (a.len(), b.len());
    let mut len = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[at(i, j)] = if a[i] == b[j] {
                len[at(i + 1, j + 1)] + 1
            } else {
                len[at(i + 1, j)].max(len[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push(a[i]);
            i += 1;
            j += 1;
        } else if len[at(i + 1, j)] > len[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn ordinals_read_as_words() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal).into();
        assert_eq!(
            got,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
        );
    }

    #[test]
    fn a_swap_names_the_address_that_rises() {
        let w = words(true, true, &strings(&["a", "b", "c"]), &strings(&["b", "a", "c"]));
        assert_eq!(w, ["b moved from 2nd to 1st"]);
    }

    #[test]
    fn an_insertion_does_not_move_the_others() {
        let w = words(true, true, &strings(&["a", "b", "c"]), &strings(&["a", "x", "b", "c"]));
        assert_eq!(w, ["x added at 2nd"]);
        let w = words(true, true, &strings(&["a", "b", "c"]), &strings(&["b", "c", "a"]));
        assert_eq!(w, ["a moved from 1st to 3rd"]);
        let w = words(true, true, &strings(&["a", "b", "c"]), &strings(&["c", "a"]));
        assert_eq!(w, ["c moved from 3rd to 1st", "b removed (was 2nd)"]);
    }

    #[test]
    fn plurals_and_summary() {
        assert_eq!(plural(1, "client list"), "1 client list");
        assert_eq!(plural(3, "client list"), "3 client lists");
        assert_eq!(plural(2, "item"), "2 items");
    }
}
