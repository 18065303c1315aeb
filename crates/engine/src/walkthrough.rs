//! The ordering of one client's list, step by step, as the source's flowcharts build it
//! (docs/spec.md §3, FIG 22 and FIG 24): the service's addresses; each address's chain address
//! -> subnet (AND mask) -> network -> priority -> tier; the tiers; local addresses first; hop
//! counts through the routers; the equidistant groups with their members in address order; the
//! strategy applied to each group; the list. Plain data for the app's walkthrough and tests,
//! computed from the plan's own list and explanations (so it always agrees with the plan).

use crate::document::Document;
use crate::explain::Explanation;
use crate::plan::{NodeIx, Plan, SubnetIx};
use crate::strategy::Strategy;
use crate::text::count;
use serde::Serialize;
use std::net::IpAddr;

/// What the canvas marks for a step: nodes (uids), subnets (prefixes), routers (names).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Marks {
    pub nodes: Vec<String>,
    pub subnets: Vec<String>,
    pub routers: Vec<String>,
}

impl Marks {
    fn add_node(&mut self, uid: &str) {
        if !uid.is_empty() && !self.nodes.iter().any(|n| n == uid) {
            self.nodes.push(uid.to_owned());
        }
    }

    fn add_subnet(&mut self, prefix: &str) {
        if !self.subnets.iter().any(|s| s == prefix) {
            self.subnets.push(prefix.to_owned());
        }
    }

    fn add_router(&mut self, name: &str) {
        if !self.routers.iter().any(|r| r == name) {
            self.routers.push(name.to_owned());
        }
    }
}

/// One of the service's addresses with the node that owns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Published {
    pub address: IpAddr,
    /// uid of the node owning the address (`None`: nobody's, it serves no load).
    pub server: Option<String>,
}

/// An address's chain to its tier (FIG 22).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chain {
    pub address: IpAddr,
    /// The subnet's prefix (`10.0.1.0/24`).
    pub subnet: String,
    /// The subnet's mask (`255.255.255.0`) and `address AND mask` (`10.0.1.0`); `None` for a
    /// prefix that does not parse.
    pub mask: Option<IpAddr>,
    pub masked: Option<IpAddr>,
    /// No subnet holds the address: the model gave it a /32 (or /128) of its own.
    pub implicit: bool,
    /// The subnet's network (`None`: on no network).
    pub network: Option<String>,
    /// The network's priority for the service (`None`: none set, the last tier).
    pub priority: Option<i64>,
    /// The tier (0 = highest priority).
    pub tier: u16,
}

/// One priority tier and its addresses (in address order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tier {
    pub tier: u16,
    pub priority: Option<i64>,
    pub addresses: Vec<IpAddr>,
}

/// An address's distance from the client and the routers on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Distance {
    pub address: IpAddr,
    pub tier: u16,
    /// `None`: unreachable.
    pub hops: Option<u32>,
    /// The path as the canvas draws it: the client's subnet, then router, subnet, router, ...
    pub path: Vec<String>,
    /// The routers crossed, by name.
    pub routers: Vec<String>,
}

/// One pick of the strategy from a group: the k-th address listed is member `index`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pick {
    pub k: u32,
    pub index: u32,
    pub address: IpAddr,
    /// The strategy's rule with the numbers filled in (`index = ((5 mod 3) + 0) mod 3 = 2`).
    pub formula: String,
}

/// What one step shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StepKind {
    /// The addresses the service is published at (document order).
    Addresses { addresses: Vec<Published> },
    /// One address's chain to its tier.
    Chain(Chain),
    /// The tiers, highest priority first, no priority last.
    Tiers { tiers: Vec<Tier> },
    /// The client's own addresses, which lead their tier (address order).
    Local { addresses: Vec<(u16, IpAddr)> },
    /// The other addresses' hop counts, nearest first within each tier.
    Hops { distances: Vec<Distance> },
    /// An equidistant group: its members sorted by address, member `i` has index `i`.
    Group { tier: u16, hops: Option<u32>, members: Vec<IpAddr> },
    /// The strategy applied to a group of `m` for node number `n`.
    Order { tier: u16, hops: Option<u32>, n: u32, m: u32, picks: Vec<Pick> },
    /// The finished list.
    List { addresses: Vec<IpAddr> },
}

/// One step of the walkthrough.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Short title (`3 · the tiers (FIG 22)`).
    pub title: String,
    /// What happens in this step, in one or two sentences.
    pub text: String,
    pub kind: StepKind,
    pub marks: Marks,
}

/// The whole walkthrough of one client's list for one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Walkthrough {
    pub client: String,
    /// The client's node number in the service's cluster (`n`).
    pub number: u32,
    pub cluster: String,
    pub service: String,
    pub strategy: Strategy,
    pub steps: Vec<Step>,
}

/// The walkthrough of node `node`'s list for service `service` (an index into
/// [`Plan::services`]); `None` when the node is no client of the service. `doc` names the
/// routers (the plan keeps their indices).
pub fn walkthrough(
    plan: &Plan,
    doc: &Document,
    service: usize,
    node: NodeIx,
) -> Option<Walkthrough> {
    let sp = plan.services.get(service)?;
    let list = sp.list_index(node)?;
    let client = plan.nodes.get(node)?;
    let number = sp.lists.get(list)?.number;
    let explained = plan.explain_list(service, list);
    let uid = client.uid.clone();
    let subnet_prefix = |s: SubnetIx| plan.subnets.get(s).map_or("?", |x| x.prefix.as_str());
    let owner = |ix: usize| {
        sp.addresses
            .get(ix)
            .and_then(|a| a.server)
            .and_then(|s| sp.servers.get(s))
            .and_then(|s| plan.nodes.get(s.node))
            .map(|n| n.uid.clone())
    };
    let address_ix = |ip: IpAddr| sp.addresses.iter().position(|a| a.ip == ip);
    let server_of = |ip: IpAddr| address_ix(ip).and_then(owner);
    let client_marks = || {
        let mut m = Marks::default();
        m.add_node(&uid);
        m
    };
    let mut steps = Vec::new();

    // 1. The service's addresses.
    let published: Vec<Published> = (0..sp.addresses.len())
        .map(|i| Published { address: sp.addresses[i].ip, server: owner(i) })
        .collect();
    let mut marks = client_marks();
    for p in &published {
        if let Some(s) = &p.server {
            marks.add_node(s);
        }
    }
    steps.push(Step {
        title: "the service's addresses".into(),
        text: format!(
            "{} of cluster {} is published at {}; node {uid} (number {number}) orders all of \
             them, whatever the state of their servers.",
            sp.service,
            sp.cluster,
            count(published.len(), "address", "addresses"),
        ),
        kind: StepKind::Addresses { addresses: published },
        marks,
    });

    // 2. Each address's chain: address -> subnet (AND mask) -> network -> priority -> tier.
    let tier_of = |ip: IpAddr| explained.iter().find(|e| e.address == ip).map_or(0, |e| e.tier);
    for a in &sp.addresses {
        let info = plan.subnets.get(a.subnet);
        let net = info.and_then(|s| s.net);
        let (mask, masked) = match net {
            Some(n) => (Some(n.netmask()), Some(n.network())),
            None => (None, None),
        };
        let chain = Chain {
            address: a.ip,
            subnet: subnet_prefix(a.subnet).to_owned(),
            mask,
            masked,
            implicit: info.is_some_and(|s| s.implicit),
            network: info.and_then(|s| s.network.clone()),
            priority: a.priority,
            tier: tier_of(a.ip),
        };
        let subnet_text = if chain.implicit {
            format!("no subnet holds it: a subnet of its own, {}", chain.subnet)
        } else {
            match (mask, masked) {
                (Some(m), Some(x)) => format!("{} AND {m} = {x}: subnet {}", a.ip, chain.subnet),
                _ => format!("subnet {}", chain.subnet),
            }
        };
        let network_text = match (&chain.network, chain.priority) {
            (Some(n), Some(p)) => {
                format!("on network {n}, which gives {} priority {p}", sp.service)
            }
            (Some(n), None) => format!("on network {n}, which sets no priority for {}", sp.service),
            (None, _) => "on no network: no priority".to_owned(),
        };
        let mut marks = Marks::default();
        marks.add_subnet(&chain.subnet);
        if let Some(s) = server_of(a.ip) {
            marks.add_node(&s);
        }
        steps.push(Step {
            title: format!("{}: subnet, network, priority", a.ip),
            text: format!("{subnet_text}; {network_text}; so tier {}.", chain.tier),
            kind: StepKind::Chain(chain),
            marks,
        });
    }

    // 3. The tiers.
    let mut tiers: Vec<Tier> = sp
        .tiers
        .iter()
        .enumerate()
        .map(|(t, p)| Tier {
            tier: u16::try_from(t).unwrap_or(u16::MAX),
            priority: *p,
            addresses: Vec::new(),
        })
        .collect();
    for e in &explained {
        if let Some(t) = tiers.get_mut(usize::from(e.tier)) {
            t.addresses.push(e.address);
        }
    }
    for t in &mut tiers {
        t.addresses.sort_unstable();
    }
    let mut marks = client_marks();
    if let Some(first) = tiers.first() {
        for ip in &first.addresses {
            if let Some(s) = server_of(*ip) {
                marks.add_node(&s);
            }
        }
    }
    steps.push(Step {
        title: "the priority tiers (FIG 22)".into(),
        text: if tiers.len() <= 1 {
            "No network sets different priorities: one tier, so the list is pure FIG 24 (distance \
             and rotation)."
                .into()
        } else {
            format!(
                "{} tiers: higher priority first, addresses with no priority last. The whole first \
                 tier comes before the second, whatever the distances.",
                tiers.len()
            )
        },
        kind: StepKind::Tiers { tiers },
        marks,
    });

    // 4. Local addresses first.
    let locals: Vec<(u16, IpAddr)> =
        explained.iter().filter(|e| e.local).map(|e| (e.tier, e.address)).collect();
    let mut marks = client_marks();
    for a in &client.addresses {
        marks.add_subnet(subnet_prefix(a.subnet));
    }
    steps.push(Step {
        title: "local addresses first".into(),
        text: if locals.is_empty() {
            format!("None of the service's addresses is one of node {uid}'s own.")
        } else {
            format!(
                "{} {} node {uid}'s own: it leads its tier (a server picks itself first).",
                locals.iter().map(|(_, a)| a.to_string()).collect::<Vec<_>>().join(", "),
                if locals.len() == 1 { "is" } else { "are" }
            )
        },
        kind: StepKind::Local { addresses: locals },
        marks,
    });

    // 5. Hop counts through the routers.
    let route = |to: SubnetIx, hops: Option<u32>| -> (Vec<String>, Vec<String>) {
        let Some(h) = hops else { return (Vec::new(), Vec::new()) };
        let Some(from) = client
            .addresses
            .iter()
            .map(|a| a.subnet)
            .find(|&s| plan.hops_between(s, to) == Some(h))
        else {
            return (Vec::new(), Vec::new());
        };
        let mut path = vec![subnet_prefix(from).to_owned()];
        let mut routers = Vec::new();
        for (r, s) in plan.path(from, to) {
            let name = doc.routers.get(r).map_or_else(|| format!("router {r}"), |x| x.name.clone());
            path.push(name.clone());
            routers.push(name);
            path.push(subnet_prefix(s).to_owned());
        }
        (path, routers)
    };
    let mut others: Vec<&Explanation> = explained.iter().filter(|e| !e.local).collect();
    crate::sorting::sort_by_key(&mut others, |e| (e.tier, e.hops.is_none(), e.hops, e.address));
    let mut marks = client_marks();
    let distances: Vec<Distance> = others
        .iter()
        .map(|e| {
            let to = address_ix(e.address).map(|i| sp.addresses[i].subnet);
            let (path, routers) = to.map(|s| route(s, e.hops)).unwrap_or_default();
            for p in &path {
                if routers.contains(p) {
                    marks.add_router(p);
                } else {
                    marks.add_subnet(p);
                }
            }
            if let Some(s) = server_of(e.address) {
                marks.add_node(&s);
            }
            Distance { address: e.address, tier: e.tier, hops: e.hops, path, routers }
        })
        .collect();
    steps.push(Step {
        title: "hop counts through the routers".into(),
        text: "Within each tier the other addresses follow by ascending hops from the client's \
               subnet (routers crossed); unreachable ones last, flagged."
            .into(),
        kind: StepKind::Hops { distances },
        marks,
    });

    // 6. The equidistant groups, each sorted by address, and the strategy applied to each.
    let mut start = 0;
    while start < others.len() {
        let key = (others[start].tier, others[start].hops);
        let end = others[start..]
            .iter()
            .position(|e| (e.tier, e.hops) != key)
            .map_or(others.len(), |p| start + p);
        let group = &others[start..end];
        start = end;
        let mut members: Vec<(u32, IpAddr)> =
            group.iter().map(|e| (e.group_index, e.address)).collect();
        // Whole (index, address) pairs: equal ones are the same, so the stable order is it.
        crate::sorting::sort(&mut members);
        let members: Vec<IpAddr> = members.into_iter().map(|(_, a)| a).collect();
        let m = u32::try_from(members.len()).unwrap_or(u32::MAX);
        let (tier, hops) = key;
        let mut marks = Marks::default();
        for ip in &members {
            if let Some(s) = server_of(*ip) {
                marks.add_node(&s);
            }
        }
        let at = match hops {
            Some(1) => "1 hop".to_owned(),
            Some(h) => format!("{h} hops"),
            None => "unreachable".to_owned(),
        };
        steps.push(Step {
            title: format!("the group at {at} (tier {tier})"),
            text: format!(
                "{} at {at} in tier {tier}, sorted by address (numerically) and indexed 0..{}.",
                count(m as usize, "address", "addresses"),
                m.saturating_sub(1)
            ),
            kind: StepKind::Group { tier, hops, members: members.clone() },
            marks: marks.clone(),
        });
        let mut picks: Vec<Pick> = group
            .iter()
            .map(|e| Pick {
                k: e.pick,
                index: e.group_index,
                address: e.address,
                formula: e.formula.clone(),
            })
            .collect();
        crate::sorting::sort_by_key(&mut picks, |p| p.k);
        let rule = match plan.strategy {
            Strategy::Rotation => {
                format!("the rotation ((n mod m) + k) mod m with n = {number}, m = {m}")
            }
            s => format!("the {s} strategy (docs/spec.md §7) for node {uid}, m = {m}"),
        };
        steps.push(Step {
            title: format!("{} applied to the group at {at}", plan.strategy),
            text: format!(
                "Picks k = 0..{} of the group by {rule}: the k-th address listed is the member at \
                 that index.",
                m.saturating_sub(1)
            ),
            kind: StepKind::Order { tier, hops, n: number, m, picks },
            marks,
        });
    }

    // 7. The list.
    let addresses: Vec<IpAddr> = explained.iter().map(|e| e.address).collect();
    let mut marks = client_marks();
    if let Some(first) = addresses.first().and_then(|ip| server_of(*ip)) {
        marks.add_node(&first);
    }
    steps.push(Step {
        title: "the list".into(),
        text: format!(
            "Node {uid}'s list for {}: {}. Its first choice is {}.",
            sp.service,
            addresses.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            addresses.first().map_or_else(|| "none".to_owned(), ToString::to_string)
        ),
        kind: StepKind::List { addresses },
        marks,
    });
    for (i, s) in steps.iter_mut().enumerate() {
        s.title = format!("{} · {}", i + 1, s.title);
    }
    Some(Walkthrough {
        client: uid,
        number,
        cluster: sp.cluster.clone(),
        service: sp.service.clone(),
        strategy: plan.strategy,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::rotation_index;

    fn walk(json: &str, uid: &str, strategy: Strategy) -> Walkthrough {
        let doc = crate::document::read(json).unwrap();
        let plan = crate::compile(&doc, strategy);
        let (service, _) = plan.service("A", "registry").unwrap();
        walkthrough(&plan, &doc, service, plan.node_by_uid(uid).unwrap()).unwrap()
    }

    fn ips(text: &[&str]) -> Vec<IpAddr> {
        text.iter().map(|t| t.parse().unwrap()).collect()
    }

    const FIG24: &str = include_str!("../../../examples/seed-fig24.json");
    const FIG22: &str = include_str!("../../../examples/seed-fig22.json");

    #[test]
    fn fig_24_node_5_step_by_step() {
        let w = walk(FIG24, "n5", Strategy::Rotation);
        assert_eq!((w.number, w.service.as_str()), (5, "registry"));
        let kinds: Vec<&str> = w
            .steps
            .iter()
            .map(|s| match &s.kind {
                StepKind::Addresses { .. } => "addresses",
                StepKind::Chain(_) => "chain",
                StepKind::Tiers { .. } => "tiers",
                StepKind::Local { .. } => "local",
                StepKind::Hops { .. } => "hops",
                StepKind::Group { .. } => "group",
                StepKind::Order { .. } => "order",
                StepKind::List { .. } => "list",
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "addresses",
                "chain",
                "chain",
                "chain",
                "chain",
                "chain",
                "chain",
                "tiers",
                "local",
                "hops",
                "group",
                "order",
                "group",
                "order",
                "list"
            ]
        );
        // A chain: the address AND its mask is its subnet; no network, no priority, one tier.
        let StepKind::Chain(c) = &w.steps[2].kind else { panic!() };
        assert_eq!(c.mask, Some("255.255.255.0".parse().unwrap()));
        assert_eq!(c.masked, Some("10.0.1.0".parse().unwrap()));
        assert_eq!((c.subnet.as_str(), c.priority, c.tier), ("10.0.1.0/24", None, 0));
        assert!(w.steps[2].text.contains(" AND 255.255.255.0 = 10.0.1.0"), "{}", w.steps[2].text);
        let StepKind::Local { addresses } = &w.steps[8].kind else { panic!() };
        assert_eq!(addresses, &[(0, "10.0.0.1".parse().unwrap())]);
        let StepKind::Hops { distances } = &w.steps[9].kind else { panic!() };
        let hops: Vec<Option<u32>> = distances.iter().map(|d| d.hops).collect();
        assert_eq!(hops, [Some(1), Some(1), Some(1), Some(2), Some(2)]);
        assert_eq!(distances[0].path, ["10.0.0.0/24", "r1", "10.0.1.0/24"]);
        assert_eq!(distances[4].routers, ["r1", "r2"]);
        // The groups with their members in address order (numerically: .3 < .7 < .9, .12 < .20).
        let StepKind::Group { members, hops, .. } = &w.steps[10].kind else { panic!() };
        assert_eq!((members, *hops), (&ips(&["10.0.1.3", "10.0.1.7", "10.0.1.9"]), Some(1)));
        let StepKind::Group { members: far, .. } = &w.steps[12].kind else { panic!() };
        assert_eq!(far, &ips(&["10.0.2.12", "10.0.2.20"]));
        // The rotation: n = 5, m = 3, k = 0 gives index 2 (10.0.1.9), then 0, then 1.
        let StepKind::Order { n, m, picks, .. } = &w.steps[11].kind else { panic!() };
        assert_eq!((*n, *m), (5, 3));
        let got: Vec<(u32, u32)> = picks.iter().map(|p| (p.k, p.index)).collect();
        assert_eq!(got, [(0, 2), (1, 0), (2, 1)]);
        assert_eq!(picks[0].formula, "index = ((5 mod 3) + 0) mod 3 = 2");
        for p in picks {
            assert_eq!(u64::from(p.index), rotation_index(5, 3, u64::from(p.k)));
            assert_eq!(members[p.index as usize], p.address);
        }
        // The list.
        let StepKind::List { addresses } = &w.steps[14].kind else { panic!() };
        assert_eq!(
            addresses,
            &ips(&["10.0.0.1", "10.0.1.9", "10.0.1.3", "10.0.1.7", "10.0.2.20", "10.0.2.12"])
        );
        // The canvas marks: the far group's step marks its two servers.
        assert_eq!(w.steps[12].marks.nodes, ["n12", "n2"]);
        assert!(w.steps[9].marks.routers.contains(&"r2".to_owned()));
        assert!(w.steps.iter().all(|s| !s.text.is_empty()));
        assert!(w.steps[0].title.starts_with("1 · "));
    }

    #[test]
    fn fig_22_priorities_make_the_tiers() {
        // c4 sits on network C's subnet, next to 10.3.0.3, and still lists 1, 2, 3.
        let w = walk(FIG22, "c4", Strategy::Rotation);
        let chains: Vec<(String, Option<String>, Option<i64>, u16)> = w
            .steps
            .iter()
            .filter_map(|s| match &s.kind {
                StepKind::Chain(c) => {
                    Some((c.address.to_string(), c.network.clone(), c.priority, c.tier))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            chains,
            [
                ("10.1.0.1".into(), Some("A".into()), Some(3), 0),
                ("10.2.0.2".into(), Some("B".into()), Some(2), 1),
                ("10.3.0.3".into(), Some("C".into()), Some(1), 2),
            ]
        );
        let tiers = w
            .steps
            .iter()
            .find_map(|s| match &s.kind {
                StepKind::Tiers { tiers } => Some(tiers.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            tiers.iter().map(|t| (t.priority, t.addresses.clone())).collect::<Vec<_>>(),
            [
                (Some(3), ips(&["10.1.0.1"])),
                (Some(2), ips(&["10.2.0.2"])),
                (Some(1), ips(&["10.3.0.3"]))
            ]
        );
        let StepKind::List { addresses } = &w.steps.last().unwrap().kind else { panic!() };
        assert_eq!(addresses, &ips(&["10.1.0.1", "10.2.0.2", "10.3.0.3"]));
        // The nearest address (0 hops) is in the last tier: distance only orders within a tier.
        let StepKind::Hops { distances } =
            &w.steps.iter().find(|s| matches!(s.kind, StepKind::Hops { .. })).unwrap().kind
        else {
            panic!()
        };
        assert_eq!(distances.iter().map(|d| d.tier).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(distances[2].hops, Some(0));
    }

    #[test]
    fn another_strategy_shows_its_own_formula_and_a_non_client_has_none() {
        let w = walk(FIG24, "n5", Strategy::Spread);
        let order = w.steps.iter().find(|s| matches!(s.kind, StepKind::Order { .. })).unwrap();
        assert!(order.title.contains("spread"), "{}", order.title);
        let doc = crate::document::read(FIG24).unwrap();
        let plan = crate::compile(&doc, Strategy::Rotation);
        assert!(walkthrough(&plan, &doc, 99, 0).is_none());
        assert!(walkthrough(&plan, &doc, 0, 999).is_none());
    }
}
