//! The questions the app asks of a document and its plan, answered with the engine's own rules
//! so that no view recomputes them: which subnet holds an address (longest prefix, as the
//! model maps addresses), which subnet a router's attachment names (its prefix normalised, as
//! the model attaches routers), which servers the failed nodes are, which server and list entry
//! serve a client with them down, whether a server is down, the ideal first-choice load, each
//! subnet's heat (its busiest server's load over the ideal) and how many first choices a
//! strategy can change.

use crate::document::Document;
use crate::plan::{ideal_load, NodeIx, Plan, ServerIx, ServicePlan, SubnetIx};
use crate::prefix::{parse_ip, parse_prefix, PrefixIndex};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// A subnet's identity: its canonical prefix (host bits cleared, as the plan writes
/// `SubnetInfo::prefix`) when it parses, else its text. `10.0.1.5/24` is `10.0.1.0/24`.
pub fn prefix_key(text: &str) -> String {
    parse_prefix(text).map_or_else(|| text.to_owned(), |(net, _)| net.to_string())
}

/// The document's subnets indexed by prefix, for many look-ups. Indices are positions in
/// `Document::subnets` (which are also the plan's subnet indices). As in the model, a prefix's
/// host bits are cleared, a prefix that is not CIDR text holds nothing, and of two subnets with
/// the same prefix the first holds the addresses.
#[derive(Debug, Default)]
pub struct SubnetIndex {
    prefixes: PrefixIndex,
}

impl SubnetIndex {
    pub fn new(doc: &Document) -> SubnetIndex {
        let mut prefixes = PrefixIndex::default();
        for (ix, s) in doc.subnets.iter().enumerate() {
            if let Some((net, _)) = parse_prefix(&s.prefix) {
                // A repeated prefix keeps the first subnet (the model's `duplicate-subnet`).
                let _first = prefixes.insert(net, ix);
            }
        }
        SubnetIndex { prefixes }
    }

    /// The subnet holding an address written as text: the longest prefix containing it; `None`
    /// when the text is no address or no subnet holds it.
    pub fn subnet_of(&self, address: &str) -> Option<SubnetIx> {
        self.subnet_of_ip(parse_ip(address)?)
    }

    /// The subnet holding an address: the longest prefix containing it.
    pub fn subnet_of_ip(&self, ip: IpAddr) -> Option<SubnetIx> {
        self.prefixes.find(ip)
    }

    /// The subnet a router attachment names, as the engine attaches routers: the prefix text is
    /// read with its host bits cleared (`10.0.1.5/24` names `10.0.1.0/24`); `None` when it is no
    /// prefix or no subnet has it.
    pub fn subnet_named(&self, prefix: &str) -> Option<SubnetIx> {
        self.prefixes.exact(parse_prefix(prefix)?.0)
    }

    /// The routers attached to `subnet` (indices into `Document::routers`), as the engine
    /// attaches them: by [`SubnetIndex::subnet_named`], so `10.0.1.5/24` attaches a router to
    /// `10.0.1.0/24`.
    pub fn routers_of(&self, doc: &Document, subnet: SubnetIx) -> Vec<usize> {
        (doc.routers.iter().enumerate())
            .filter(|(_, r)| r.subnets.iter().any(|p| self.subnet_named(p) == Some(subnet)))
            .map(|(ix, _)| ix)
            .collect()
    }
}

/// Who serves one client list with some server nodes failed, as the engine's failover says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Serving {
    /// The service's servers that failed (indices into `ServicePlan::servers`).
    pub down: Vec<ServerIx>,
    /// The client's own node is one of them: it is no client now, served by no one.
    pub failed_client: bool,
    /// The server serving the client now; `None` = unserved.
    pub server: Option<ServerIx>,
    /// The list position it is served through: the first entry of that server the client can
    /// reach (else its first entry of that server).
    pub entry: Option<usize>,
}

/// Who serves list `list` of `service` with the nodes whose uid is in `failed` down (uids that
/// serve nothing in this service change nothing): first choice when none of its servers
/// failed, else the failover's answer (docs/spec.md §4).
pub fn serving<'a>(
    plan: &Plan,
    service: &ServicePlan,
    list: usize,
    failed: impl IntoIterator<Item = &'a str>,
) -> Serving {
    let down = service.servers_by_uid(&plan.nodes, failed);
    let (server, failed_client) = if down.is_empty() {
        (service.load.serving.get(list).copied().flatten(), false)
    } else {
        let f = service.failover(&down);
        (
            f.serving.get(list).copied().flatten(),
            f.failed_client.get(list).copied().unwrap_or(false),
        )
    };
    let entries = service.lists.entries(list);
    let of_server = |e: &crate::plan::Entry| {
        server.is_some() && service.addresses.get(e.address()).is_some_and(|a| a.server == server)
    };
    let entry = entries
        .iter()
        .position(|e| of_server(e) && e.hops().is_some())
        .or_else(|| entries.iter().position(of_server));
    Serving { down, failed_client, server, entry }
}

/// Is `server` of `service` down with the servers `down` failed? A server is up only while
/// online in its service's cluster and not failed (docs/spec.md §4, `load.rs`).
pub fn is_down(service: &ServicePlan, down: &[ServerIx], server: ServerIx) -> bool {
    down.contains(&server) || !service.servers.get(server).is_some_and(|s| s.online)
}

/// Each subnet's heat in `service` with the nodes `failed` down: the load of its busiest
/// server over the ideal (clients over servers up), from the plan's first choice when nothing
/// failed, else from the failover (docs/spec.md §4). Subnets with no server of the service, and
/// every subnet when no server is up, are left out.
pub fn heat(service: &ServicePlan, failed: &[NodeIx]) -> BTreeMap<SubnetIx, f64> {
    let mut out = BTreeMap::new();
    let (load, clients, up) = if failed.is_empty() {
        let up = service.servers.iter().filter(|server| server.online).count();
        (service.load.first_choice.clone(), service.load.clients, up)
    } else {
        let f = service.failover_of_nodes(failed);
        (f.load, f.clients, f.servers_up)
    };
    let Some(ideal) = ideal_load(clients, up).filter(|i| *i > 0.0) else { return out };
    for (ix, server) in service.servers.iter().enumerate() {
        let ratio = load.get(ix).copied().unwrap_or(0) as f64 / ideal;
        for &a in &server.addresses {
            let e = out.entry(service.addresses[a].subnet).or_insert(0.0);
            if ratio > *e {
                *e = ratio;
            }
        }
    }
    out
}

/// Clients of `service` whose first choice is picked from a group of two or more equidistant,
/// non-local addresses: the only first choices a strategy can change (docs/spec.md §7).
pub fn first_choices_from_groups(service: &ServicePlan) -> usize {
    (0..service.lists.len())
        .filter(|&l| service.lists.first_entry(l).is_some_and(|e| !e.local && e.group_size >= 2))
        .count()
}

/// The ideal first-choice load of a service's servers: its clients over its servers in play
/// (online in the cluster), as its first-choice balance measures against (docs/spec.md §4).
pub fn ideal_first_choice(service: &ServicePlan) -> Option<f64> {
    ideal_load(service.load.clients, service.servers.iter().filter(|s| s.online).count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::compile;
    use crate::strategy::Strategy;

    fn doc(text: &str) -> Document {
        crate::document::read(text).unwrap()
    }

    const TWO_SUBNETS: &str = r#"{"format":"cluster-planner/1",
        "clusters":[{"id":"A","registry_servers":[1]}],
        "networks":[{"name":"n","priorities":{}}],
        "subnets":[{"prefix":"10.0.0.0/16","network":"n"},{"prefix":"10.0.1.0/24","network":"n"},
                   {"prefix":"10.0.1.0/24","network":"n"},{"prefix":"10.0.2.9/24","network":"n"}],
        "routers":[{"name":"r","subnets":["10.0.1.5/24","10.0.2.0/24","10.9.0.0/16"]}],
        "nodes":[{"uid":"a","name":"a","clusters":{"A":1},"online":"A","addresses":["10.0.1.1"]},
                 {"uid":"b","name":"b","clusters":{"A":2},"online":"A","addresses":["10.0.2.1"]},
                 {"uid":"c","name":"c","clusters":{"A":3},"online":"A","addresses":["10.0.2.5"]}],
        "services":[{"cluster":"A","name":"registry","addresses":["10.0.1.1","10.0.2.1"]}]}"#;

    #[test]
    fn subnets_are_found_as_the_model_maps_them() {
        let d = doc(TWO_SUBNETS);
        let index = SubnetIndex::new(&d);
        // Longest prefix wins; of two equal prefixes the first; host bits cleared.
        assert_eq!(index.subnet_of("10.0.1.1"), Some(1));
        assert_eq!(index.subnet_of(" 10.0.3.1 "), Some(0));
        assert_eq!(index.subnet_of("10.0.2.7"), Some(3));
        assert_eq!(index.subnet_of("192.168.0.1"), None);
        assert_eq!(index.subnet_of("not an address"), None);
        // A router attachment names a subnet by its normalised prefix.
        assert_eq!(index.subnet_named("10.0.1.5/24"), Some(1));
        assert_eq!(index.subnet_named("10.0.2.0/24"), Some(3));
        assert_eq!(index.subnet_named("10.9.0.0/16"), None);
        assert_eq!(index.subnet_named("garbage"), None);
        // The same answers as the compiled plan's.
        let plan = compile(&d, Strategy::Rotation);
        for n in &plan.nodes {
            for a in &n.addresses {
                assert_eq!(index.subnet_of_ip(a.ip), Some(a.subnet));
            }
        }
        let r = plan.hops.subnets_of(0);
        assert_eq!(r, &[1, 3]);
    }

    #[test]
    fn serving_follows_the_failover() {
        let d = doc(TWO_SUBNETS);
        let plan = compile(&d, Strategy::Rotation);
        let (_, sp) = plan.service("A", "registry").unwrap();
        let list_c = sp.list_index(plan.node_by_uid("c").unwrap()).unwrap();
        let first = serving(&plan, sp, list_c, []);
        assert!(first.down.is_empty());
        assert_eq!(first.server, sp.load.serving[list_c]);
        assert_eq!(first.entry, Some(0));
        let a = sp.server_index(plan.node_by_uid("a").unwrap()).unwrap();
        let b = sp.server_index(plan.node_by_uid("b").unwrap()).unwrap();
        assert_eq!(first.server, Some(b));
        // b down: c is served by a, one router away, through its second entry.
        let now = serving(&plan, sp, list_c, ["b", "nobody"]);
        assert_eq!((now.down.clone(), now.server, now.failed_client), (vec![b], Some(a), false));
        assert_eq!(now.entry, Some(1));
        let entries = sp.lists.entries(list_c);
        assert_eq!(sp.addresses[entries[1].address()].server, Some(a));
        let list_a = sp.list_index(plan.node_by_uid("a").unwrap()).unwrap();
        let own = serving(&plan, sp, list_a, ["a"]);
        assert_eq!((own.server, own.failed_client, own.entry), (None, true, None));
        assert_eq!(ideal_first_choice(sp), Some(1.5));
    }

    #[test]
    fn routers_attach_and_servers_go_down_as_the_engine_says() {
        let d = doc(TWO_SUBNETS);
        let index = SubnetIndex::new(&d);
        // `10.0.1.5/24` attaches r to 10.0.1.0/24 (the first of the two).
        assert_eq!(index.routers_of(&d, 1), vec![0]);
        assert_eq!(index.routers_of(&d, 3), vec![0]);
        assert!(index.routers_of(&d, 0).is_empty());
        assert!(index.routers_of(&d, 2).is_empty());
        let plan = compile(&d, Strategy::Rotation);
        let (_, sp) = plan.service("A", "registry").unwrap();
        let a = sp.server_index(plan.node_by_uid("a").unwrap()).unwrap();
        let b = sp.server_index(plan.node_by_uid("b").unwrap()).unwrap();
        assert!(!is_down(sp, &[], a));
        assert!(is_down(sp, &[a], a));
        assert!(!is_down(sp, &[a], b));
        assert!(is_down(sp, &[], 99));
    }

    #[test]
    fn heat_is_the_busiest_servers_load_over_the_ideal() {
        let d = doc(TWO_SUBNETS);
        let plan = compile(&d, Strategy::Rotation);
        let (_, sp) = plan.service("A", "registry").unwrap();
        // Three clients, two servers: ideal 1.5; a serves itself, b serves itself and c.
        let first = heat(sp, &[]);
        assert_eq!(first, BTreeMap::from([(1, 1.0 / 1.5), (3, 2.0 / 1.5)]));
        // b down: a serves a and c (b is no client), one server up: ideal 2.
        let b = plan.node_by_uid("b").unwrap();
        assert_eq!(heat(sp, &[b]), BTreeMap::from([(1, 1.0), (3, 0.0)]));
        // Each client's first choice is its own address or the only one at its distance.
        assert_eq!(first_choices_from_groups(sp), 0);
    }
}
