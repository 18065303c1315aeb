//! The four strategies (docs/spec.md §7) compared on one model: first-choice balance, the worst single
//! failure, and how many clients move when one server is removed or added.
//!
//! Definitions (per service, same clients and hop table for every strategy):
//! - **first-choice balance**: max first-choice load / (clients / servers).
//! - **worst single failure**: the largest load any server gets when one other server fails
//!   (addresses still listed, the failed node down), with its balance against
//!   clients / (servers - 1).
//! - **clients moved on removal**: server `s` is taken out of the service (its addresses are no
//!   longer published, so groups shrink and lists are reordered). Its own first-choice clients
//!   must move; every *other* client whose first-choice server changes is an extra move. The
//!   report gives the max and mean of extra moves over all servers, and the server whose removal
//!   costs most.
//! - **clients moved on addition**: a hypothetical new server node is published at a new
//!   address in the subnet of the busiest server (highest first-choice load, lowest server index
//!   on ties), next to it: the lowest free address above the busiest server's first address
//!   (below it when the subnet has no room above). It is not a client. Clients whose first
//!   choice becomes the new server moved by necessity (`to_new`); clients whose first choice
//!   changes to another existing server are extra moves (`moved`).

//!
//! How it is computed: no strategy changes a client's tiers, local entries or groups of
//! equidistant addresses (docs/spec.md §7), so the model is validated and planned once (with the
//! reference rotation) and each client's list is reduced to its *shape*: the sequence of its
//! groups, each with its members in address order. Clients on the same subnets share a shape.
//! Every strategy, what-if included, then only orders the groups it walks through:
//! - a list's first choice and fallback come from its first one or two servable groups;
//! - removing server `s` can only change the first choice of a client whose first-choice group
//!   holds an address of `s` (earlier groups serve nobody, later ones are not reached), so only
//!   that group is reordered, shrunk (and, for `shuffle`, every client is re-walked when the
//!   removal empties a priority tier, since tier numbers seed its permutations);
//! - the added address joins the busiest server's address's group in every list, so only the
//!   clients whose first-choice group is that group are reordered.
//!
//! The tests check all of it against a plan per strategy and every list reordered from scratch.

use crate::build::lists_with;
use crate::document::Document;
use crate::model::Model;
use crate::plan::{Entry, Plan, ServerIx, ServiceAddress, ServicePlan, SubnetIx};
use crate::strategy::{order_group, rotation_index, spread_index, Client, GroupOrder, Strategy};
use serde::Serialize;
use std::collections::HashMap;
use std::net::IpAddr;

/// One strategy's figures on every service of the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyReport {
    pub strategy: Strategy,
    /// Indexed like [`Plan::services`].
    pub services: Vec<ServiceReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceReport {
    pub cluster: String,
    pub service: String,
    pub clients: usize,
    pub servers: usize,
    pub unserved: usize,
    /// Largest first-choice load of a server.
    pub max_first_choice: usize,
    pub balance_first_choice: Option<f64>,
    /// Largest load of a server after one other server fails.
    pub worst_single_failure: usize,
    /// (failed server's node number, overloaded server's node number) of that worst case.
    pub worst_failure_pair: Option<(u32, u32)>,
    pub balance_worst_failure: Option<f64>,
    /// `None` with fewer than two servers.
    pub removal: Option<Removal>,
    /// `None` without servers or clients.
    pub addition: Option<Addition>,
}

/// Extra clients moved when one server is removed (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Removal {
    pub max_moved: usize,
    pub mean_moved: f64,
    /// Node number of the server whose removal moves the most other clients.
    pub worst_server: u32,
}

/// Clients moved when a hypothetical server is added (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Addition {
    pub address: IpAddr,
    pub subnet: SubnetIx,
    /// Clients whose first choice becomes the new server.
    pub to_new: usize,
    /// Clients whose first choice changes to another existing server.
    pub moved: usize,
}

/// Compares the four strategies ([`Strategy::all`], shuffle with `seed`) on one document.
pub fn compare(doc: &Document, seed: u64) -> Vec<StrategyReport> {
    // One validation and one plan (hops, tiers and groups); every strategy reuses its shapes.
    let plan =
        crate::build::into_plan(Model::build(doc).0, Strategy::Rotation, &Default::default());
    let mut node_ips: Vec<IpAddr> =
        plan.nodes.iter().flat_map(|n| n.addresses.iter().map(|a| a.ip)).collect();
    node_ips.sort_unstable();
    node_ips.dedup();
    let views: Vec<View> = plan.services.iter().map(|sp| View::new(&plan, sp, &node_ips)).collect();
    let mut scratch = Scratch::default();
    Strategy::all(seed)
        .into_iter()
        .map(|strategy| {
            let services = views.iter().map(|v| v.report(strategy, &mut scratch)).collect();
            StrategyReport { strategy, services }
        })
        .collect()
}

/// A run of a list that a strategy orders as one: a group of equidistant addresses of one tier,
/// or a single local address.
#[derive(Debug, Clone, Copy)]
struct Group {
    /// Its members are `Shape::members[start..start + len]`.
    start: u32,
    len: u32,
    tier: u16,
    /// `None` = unreachable (serves nobody).
    hops: Option<u32>,
    local: bool,
}

/// The strategy-independent part of a list: its groups in list order, members in address order.
#[derive(Debug)]
struct Shape {
    groups: Vec<Group>,
    members: Vec<u32>,
}

impl Shape {
    /// Reads the shape off an ordered list (any strategy's).
    fn of(entries: &[Entry], addresses: &[ServiceAddress]) -> Shape {
        let mut groups = Vec::new();
        let mut members: Vec<u32> = Vec::with_capacity(entries.len());
        let mut i = 0;
        while i < entries.len() {
            let e = entries[i];
            let mut j = i + 1;
            if !e.local {
                while j < entries.len()
                    && !entries[j].local
                    && entries[j].tier == e.tier
                    && entries[j].hops() == e.hops()
                {
                    j += 1;
                }
            }
            let start = members.len();
            members.extend(entries[i..j].iter().map(|x| x.address_ix));
            // Address order, as the orderer sorts a group: each entry knows its place in it
            // (a stable sort by address when the group is too large for the u16 index).
            if j - i <= usize::from(u16::MAX) {
                for x in &entries[i..j] {
                    members[start + usize::from(x.group_index)] = x.address_ix;
                }
            } else {
                crate::sorting::sort_by_key(&mut members[start..], |&a| addresses[a as usize].ip);
            }
            groups.push(Group {
                start: start as u32,
                len: (j - i) as u32,
                tier: e.tier,
                hops: e.hops(),
                local: e.local,
            });
            i = j;
        }
        Shape { groups, members }
    }

    fn members(&self, g: &Group) -> &[u32] {
        &self.members[g.start as usize..(g.start + g.len) as usize]
    }
}

/// The address a what-if adds (index `addresses.len()`).
struct Added {
    anchor: u32,
    ip: IpAddr,
    text: String,
    server: ServerIx,
}

/// A what-if applied while walking a list.
enum Edit<'a> {
    None,
    /// The server's addresses are gone (and no priority tier with them).
    Remove(ServerIx),
    /// A new address joins the group of `anchor` (when it is not the client's own address).
    Add(&'a Added),
}

#[derive(Default)]
struct Scratch {
    members: Vec<u32>,
    order: Vec<u32>,
    group: GroupOrder,
}

/// One service, reduced to what the comparison needs.
struct View<'p> {
    plan: &'p Plan,
    sp: &'p ServicePlan,
    shapes: Vec<Shape>,
    /// Per client list: its shape.
    shape_of: Vec<u32>,
    /// Per address: the server serving from it (`None` when no server of the cluster owns it or
    /// its server is down for the cluster), the server owning it, its text (rendezvous), its tier.
    server: Vec<Option<ServerIx>>,
    owner: Vec<Option<ServerIx>>,
    /// Per server: up (online in the cluster).
    up: Vec<bool>,
    /// Per client list: the server index of the client's own node.
    own: Vec<Option<ServerIx>>,
    texts: Vec<String>,
    tier_of: Vec<u16>,
    tiers: usize,
    /// Addresses taken: every node's, and this service's (each sorted).
    node_ips: &'p [IpAddr],
    used: Vec<IpAddr>,
}

impl<'p> View<'p> {
    fn new(plan: &'p Plan, sp: &'p ServicePlan, node_ips: &'p [IpAddr]) -> View<'p> {
        let mut shapes = Vec::new();
        let mut shape_of = Vec::with_capacity(sp.lists.len());
        // The orderer's templates: one per set of client subnets, and one per client that owns
        // some of the service's addresses.
        let mut by_subnets: HashMap<Vec<SubnetIx>, u32> = HashMap::new();
        let mut subs: Vec<SubnetIx> = Vec::new();
        let mut entries = Vec::with_capacity(sp.addresses.len());
        for (i, l) in sp.lists.clients().iter().enumerate() {
            sp.lists.entries_into(i, &mut entries);
            let own = entries.iter().any(|e| e.local);
            subs.clear();
            if let Some(n) = plan.nodes.get(l.node) {
                subs.extend(n.addresses.iter().map(|a| a.subnet));
            }
            subs.sort_unstable();
            subs.dedup();
            let found = if own { None } else { by_subnets.get(&subs).copied() };
            let ix = match found {
                Some(ix) => ix,
                None => {
                    let ix = shapes.len() as u32;
                    shapes.push(Shape::of(&entries, &sp.addresses));
                    if !own {
                        by_subnets.insert(subs.clone(), ix);
                    }
                    ix
                }
            };
            shape_of.push(ix);
        }
        // Tiers as the orderer numbers them: distinct priorities highest first, `None` last.
        let (tier_priorities, tier_of) = crate::ordering::tiers(&sp.addresses);
        let tiers = tier_priorities.len();
        let mut used: Vec<IpAddr> = sp.addresses.iter().map(|a| a.ip).collect();
        used.sort_unstable();
        View {
            plan,
            sp,
            shapes,
            shape_of,
            server: sp
                .addresses
                .iter()
                .map(|a| a.server.filter(|&s| sp.servers.get(s).is_some_and(|x| x.online)))
                .collect(),
            owner: sp.addresses.iter().map(|a| a.server).collect(),
            up: sp.servers_up(),
            own: sp.own_servers(),
            texts: sp.addresses.iter().map(|a| a.ip.to_string()).collect(),
            tier_of,
            tiers,
            node_ips,
            used,
        }
    }

    /// Walks client `c`'s list under `edit` from group `from` on: the first server that can
    /// serve it, the group it is in, and (with `fallback`) the first other server after it.
    fn walk(
        &self,
        strategy: Strategy,
        c: usize,
        from: usize,
        edit: &Edit,
        fallback: bool,
        sc: &mut Scratch,
    ) -> (Option<ServerIx>, Option<usize>, Option<ServerIx>) {
        let shape = &self.shapes[self.shape_of[c] as usize];
        let list = &self.sp.lists[c];
        let new_ix = self.server.len() as u32;
        let mut first: Option<(ServerIx, usize)> = None;
        for (gi, g) in shape.groups.iter().enumerate().skip(from) {
            if g.hops.is_none() {
                continue;
            }
            let members = shape.members(g);
            sc.members.clear();
            let mut added = None;
            match *edit {
                Edit::None => sc.members.extend_from_slice(members),
                Edit::Remove(server) => sc.members.extend(
                    members.iter().copied().filter(|&a| self.owner[a as usize] != Some(server)),
                ),
                Edit::Add(x) => {
                    sc.members.extend_from_slice(members);
                    if !g.local && members.contains(&x.anchor) {
                        let ip = x.ip;
                        let at =
                            members.partition_point(|&a| self.sp.addresses[a as usize].ip <= ip);
                        sc.members.insert(at, new_ix);
                        added = Some(x);
                    }
                }
            }
            if sc.members.is_empty() {
                continue;
            }
            // Rotation and spread pick by index: only the picks walked are computed.
            let m = sc.members.len();
            let lazy = m == 1 || matches!(strategy, Strategy::Rotation | Strategy::Spread);
            if !lazy {
                self.order(strategy, list.number, c, g.tier, g.hops, added, sc);
            }
            let n = u64::from(list.number);
            for k in 0..m {
                let a = match strategy {
                    _ if m == 1 => sc.members[0],
                    Strategy::Rotation => {
                        sc.members[rotation_index(n, m as u64, k as u64) as usize]
                    }
                    Strategy::Spread => sc.members[spread_index(n, m as u64, k as u64) as usize],
                    _ => sc.order[k],
                };
                let server = if a == new_ix {
                    added.map(|x| x.server)
                } else {
                    self.server.get(a as usize).copied().flatten()
                };
                let Some(s) = server else { continue };
                match first {
                    None => {
                        first = Some((s, gi));
                        if !fallback {
                            return (Some(s), Some(gi), None);
                        }
                    }
                    Some((f, fg)) if s != f => return (Some(f), Some(fg), Some(s)),
                    Some(_) => {}
                }
            }
        }
        (first.map(|f| f.0), first.map(|f| f.1), None)
    }

    /// Orders `sc.members` (one group, in address order) into `sc.order` as the strategy does
    /// for client `c` (docs/spec.md §7, through [`order_group`] as [`crate::ordering`] does).
    #[allow(clippy::too_many_arguments)]
    fn order(
        &self,
        strategy: Strategy,
        number: u32,
        c: usize,
        tier: u16,
        hops: Option<u32>,
        added: Option<&Added>,
        sc: &mut Scratch,
    ) {
        let uid = self.plan.nodes.get(self.sp.lists[c].node).map_or("", |n| n.uid.as_str());
        let members = &sc.members;
        let text = |i: usize| match self.texts.get(members[i] as usize) {
            Some(t) => t.as_str(),
            None => added.map_or("", |x| x.text.as_str()),
        };
        let client = Client::new(strategy, number, uid);
        order_group(strategy, &client, members.len(), tier, hops, text, &mut sc.group);
        sc.order.clear();
        sc.order.extend(sc.group.picks.iter().map(|&i| members[i as usize]));
    }

    /// One strategy's figures.
    fn report(&self, strategy: Strategy, sc: &mut Scratch) -> ServiceReport {
        let sp = self.sp;
        let clients = sp.lists.len();
        let servers = sp.servers.len();
        let mut serving = Vec::with_capacity(clients);
        let mut fallback = Vec::with_capacity(clients);
        let mut first_group = Vec::with_capacity(clients);
        for c in 0..clients {
            let (first, group, next) = self.walk(strategy, c, 0, &Edit::None, true, sc);
            serving.push(first);
            fallback.push(first.and(next));
            first_group.push(group);
        }
        // The load by the rules of docs/spec.md §4, computed where the plan's is.
        let load = crate::load::compute(&self.up, serving, fallback, &self.own);
        let (serving, first_choice) = (&load.serving, &load.first_choice);
        let max_first_choice = first_choice.iter().copied().max().unwrap_or(0);
        let worst = crate::load::worst_failure(&load);
        let number = |s: ServerIx| sp.servers.get(s).map_or(0, |x| x.number);
        let removal = (servers >= 2)
            .then(|| self.removal(strategy, serving, &first_group, sc))
            .map(|(max, sum)| Removal {
                max_moved: max.0,
                mean_moved: sum as f64 / servers as f64,
                worst_server: number(max.1),
            });
        let addition = self.addition(strategy, first_choice, serving, &first_group, sc);
        ServiceReport {
            cluster: sp.cluster.clone(),
            service: sp.service.clone(),
            clients,
            servers,
            unserved: load.unserved,
            max_first_choice,
            balance_first_choice: load.balance_first_choice,
            worst_single_failure: worst.map_or(max_first_choice, |w| w.0),
            worst_failure_pair: worst.and_then(|(_, f, s)| Some((number(f?), number(s)))),
            balance_worst_failure: load.balance_worst_failure,
            removal,
            addition,
        }
    }

    /// Removing each server in turn: ((most extra moves, its server), sum of extra moves).
    fn removal(
        &self,
        strategy: Strategy,
        serving: &[Option<ServerIx>],
        first_group: &[Option<usize>],
        sc: &mut Scratch,
    ) -> ((usize, ServerIx), usize) {
        let servers = self.sp.servers.len();
        // touched[s]: the clients whose first-choice group holds an address of s.
        let mut touched: Vec<Vec<u32>> = vec![Vec::new(); servers];
        for (c, g) in first_group.iter().enumerate() {
            let Some(g) = *g else { continue };
            let shape = &self.shapes[self.shape_of[c] as usize];
            for &a in shape.members(&shape.groups[g]) {
                if let Some(t) = self.owner[a as usize].and_then(|s| touched.get_mut(s)) {
                    if t.last() != Some(&(c as u32)) {
                        t.push(c as u32);
                    }
                }
            }
        }
        // Addresses per tier, and per tier of each server.
        let mut in_tier = vec![0usize; self.tiers];
        let mut mine = vec![0usize; self.tiers * servers];
        for (a, &t) in self.tier_of.iter().enumerate() {
            let t = usize::from(t).min(self.tiers.saturating_sub(1));
            in_tier[t] += 1;
            if let Some(s) = self.owner[a].filter(|&s| s < servers) {
                mine[s * self.tiers + t] += 1;
            }
        }
        let mut max = (0usize, 0);
        let mut sum = 0;
        for s in 0..servers {
            // A tier of s's addresses alone disappears, renumbering the tiers after it; the
            // shuffle seeds each group with its tier number, so then every list may change:
            // they are all reordered from scratch (rare: a priority used by one server only).
            let renumbers =
                (0..self.tiers.saturating_sub(1)).any(|t| in_tier[t] == mine[s * self.tiers + t]);
            let moved = if renumbers && matches!(strategy, Strategy::Shuffle { .. }) {
                self.removal_from_scratch(strategy, s, serving)
            } else if matches!(strategy, Strategy::Rendezvous) {
                // Weights do not depend on the group: the other addresses keep their order, so
                // a client not served by s keeps its first choice.
                0
            } else {
                let mut moved = 0;
                for &c in &touched[s] {
                    let c = c as usize;
                    let (before, Some(g)) = (serving[c], first_group[c]) else { continue };
                    if before != Some(s)
                        && self.walk(strategy, c, g, &Edit::Remove(s), false, sc).0 != before
                    {
                        moved += 1;
                    }
                }
                moved
            };
            sum += moved;
            if moved > max.0 || s == 0 {
                max = (moved, s);
            }
        }
        (max, sum)
    }

    /// Extra moves when server `s` is removed, every list reordered by the engine's orderer.
    fn removal_from_scratch(
        &self,
        strategy: Strategy,
        s: ServerIx,
        serving: &[Option<ServerIx>],
    ) -> usize {
        let (plan, sp) = (self.plan, self.sp);
        let kept: Vec<ServiceAddress> =
            sp.addresses.iter().filter(|a| a.server != Some(s)).cloned().collect();
        let clients: Vec<(usize, u32)> =
            sp.lists.clients().iter().map(|c| (c.node, c.number)).collect();
        let mut moved = 0;
        lists_with(&plan.hops, &plan.nodes, &kept, &clients, strategy, |c, entries| {
            let now = entries
                .iter()
                .filter(|e| e.local || e.hops().is_some())
                .find_map(|e| kept.get(e.address()).and_then(|a| a.server).filter(|&x| self.up[x]));
            if serving[c] != Some(s) && serving[c] != now {
                moved += 1;
            }
        });
        moved
    }

    fn addition(
        &self,
        strategy: Strategy,
        first_choice: &[usize],
        serving: &[Option<ServerIx>],
        first_group: &[Option<usize>],
        sc: &mut Scratch,
    ) -> Option<Addition> {
        let (plan, sp) = (self.plan, self.sp);
        if sp.lists.is_empty() {
            return None;
        }
        let busiest =
            (0..sp.servers.len()).max_by_key(|&s| (first_choice[s], std::cmp::Reverse(s)))?;
        let &first_addr = sp.servers[busiest].addresses.first()?;
        let anchor = sp.addresses.get(first_addr)?;
        let net = plan.subnets.get(anchor.subnet).and_then(|s| s.net);
        let ip = free_address(anchor.ip, net, |ip| {
            self.used.binary_search(&ip).is_ok() || self.node_ips.binary_search(&ip).is_ok()
        })?;
        let added = Added {
            anchor: first_addr as u32,
            ip,
            text: if matches!(strategy, Strategy::Rendezvous) {
                ip.to_string()
            } else {
                String::new()
            },
            server: sp.servers.len(),
        };
        // The new address joins the anchor's group in every list (same subnet, same priority):
        // a client's first choice can change only when that group is its first-choice group.
        // (An earlier group serves nobody; a client owning the anchor is served by it or before.)
        let edit = Edit::Add(&added);
        let (mut to_new, mut moved) = (0, 0);
        for (c, g) in first_group.iter().enumerate() {
            let Some(g) = *g else { continue };
            let shape = &self.shapes[self.shape_of[c] as usize];
            let group = &shape.groups[g];
            if group.local || !shape.members(group).contains(&added.anchor) {
                continue;
            }
            let now = self.walk(strategy, c, g, &edit, false, sc).0;
            if now == Some(added.server) {
                to_new += 1;
            } else if now != serving[c] {
                moved += 1;
            }
        }
        Some(Addition { address: ip, subnet: anchor.subnet, to_new, moved })
    }
}

/// The lowest unused address above `anchor` inside `net` (or below it when there is no room
/// above); an implicit /32 or /128 subnet has no room, so its neighbour address is used.
fn free_address(
    anchor: IpAddr,
    net: Option<ipnet::IpNet>,
    used: impl Fn(IpAddr) -> bool,
) -> Option<IpAddr> {
    let contains = |ip: IpAddr| match net {
        Some(n) if n.prefix_len() < n.max_prefix_len() => n.contains(&ip),
        _ => true,
    };
    let step = |ip: IpAddr, up: bool| -> Option<IpAddr> {
        match ip {
            IpAddr::V4(a) => {
                let x = u32::from(a);
                let y = if up { x.checked_add(1)? } else { x.checked_sub(1)? };
                Some(IpAddr::V4(y.into()))
            }
            IpAddr::V6(a) => {
                let x = u128::from(a);
                let y = if up { x.checked_add(1)? } else { x.checked_sub(1)? };
                Some(IpAddr::V6(y.into()))
            }
        }
    };
    for up in [true, false] {
        let mut ip = anchor;
        for _ in 0..4096 {
            match step(ip, up) {
                Some(next) => ip = next,
                None => break,
            }
            if !contains(ip) {
                break;
            }
            if !used(ip) {
                return Some(ip);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::DataCentre;

    /// The straightforward recomputation: a plan per strategy, its load as computed by the
    /// engine, and for every what-if every client's list reordered from scratch.
    fn reference(doc: &Document, seed: u64) -> Vec<StrategyReport> {
        Strategy::all(seed)
            .into_iter()
            .map(|strategy| {
                let plan =
                    crate::build::into_plan(Model::build(doc).0, strategy, &Default::default());
                let services = plan.services.iter().map(|sp| reference_report(&plan, sp)).collect();
                StrategyReport { strategy, services }
            })
            .collect()
    }

    /// Every client's first-choice server with another set of addresses.
    fn first_choices(
        plan: &Plan,
        sp: &ServicePlan,
        addresses: &[ServiceAddress],
    ) -> Vec<Option<ServerIx>> {
        let clients: Vec<(usize, u32)> =
            sp.lists.clients().iter().map(|c| (c.node, c.number)).collect();
        let mut now = Vec::with_capacity(clients.len());
        lists_with(&plan.hops, &plan.nodes, addresses, &clients, plan.strategy, |_, entries| {
            now.push(entries.iter().filter(|e| e.local || e.hops().is_some()).find_map(|e| {
                addresses
                    .get(e.address())
                    .and_then(|a| a.server)
                    .filter(|&s| sp.servers.get(s).is_none_or(|x| x.online))
            }));
        });
        now
    }

    fn reference_report(plan: &Plan, sp: &ServicePlan) -> ServiceReport {
        let ld = &sp.load;
        let max_first_choice = ld.first_choice.iter().copied().max().unwrap_or(0);
        let worst = crate::load::worst_failure(ld);
        let number = |s: ServerIx| sp.servers.get(s).map_or(0, |x| x.number);
        let removal = (sp.servers.len() >= 2).then(|| {
            let mut max = (0usize, 0u32);
            let mut sum = 0usize;
            for s in 0..sp.servers.len() {
                let kept: Vec<ServiceAddress> =
                    sp.addresses.iter().filter(|a| a.server != Some(s)).cloned().collect();
                let now = first_choices(plan, sp, &kept);
                let moved = ld
                    .serving
                    .iter()
                    .zip(&now)
                    .filter(|(before, after)| **before != Some(s) && before != after)
                    .count();
                sum += moved;
                if moved > max.0 || s == 0 {
                    max = (moved, number(s));
                }
            }
            Removal {
                max_moved: max.0,
                mean_moved: sum as f64 / sp.servers.len() as f64,
                worst_server: max.1,
            }
        });
        let addition = (|| {
            if sp.lists.is_empty() {
                return None;
            }
            let busiest = (0..sp.servers.len())
                .max_by_key(|&s| (sp.load.first_choice[s], std::cmp::Reverse(s)))?;
            let &first_addr = sp.servers[busiest].addresses.first()?;
            let anchor = sp.addresses.get(first_addr)?;
            let net = plan.subnets.get(anchor.subnet).and_then(|s| s.net);
            let used = |ip: IpAddr| {
                sp.addresses.iter().any(|a| a.ip == ip)
                    || plan.nodes.iter().any(|n| n.addresses.iter().any(|a| a.ip == ip))
            };
            let ip = free_address(anchor.ip, net, used)?;
            let new_server = sp.servers.len();
            let mut addresses = sp.addresses.clone();
            addresses.push(ServiceAddress {
                ip,
                subnet: anchor.subnet,
                priority: anchor.priority,
                server: Some(new_server),
            });
            let now = first_choices(plan, sp, &addresses);
            let to_new = now.iter().filter(|&&x| x == Some(new_server)).count();
            let moved = ld
                .serving
                .iter()
                .zip(&now)
                .filter(|(before, after)| **after != Some(new_server) && before != after)
                .count();
            Some(Addition { address: ip, subnet: anchor.subnet, to_new, moved })
        })();
        ServiceReport {
            cluster: sp.cluster.clone(),
            service: sp.service.clone(),
            clients: ld.clients,
            servers: sp.servers.len(),
            unserved: ld.unserved,
            max_first_choice,
            balance_first_choice: ld.balance_first_choice,
            worst_single_failure: worst.map_or(max_first_choice, |w| w.0),
            worst_failure_pair: worst.and_then(|(_, f, s)| Some((number(f?), number(s)))),
            balance_worst_failure: ld.balance_worst_failure,
            removal,
            addition,
        }
    }

    /// A generated data centre plus one server of every service alone on a subnet no router
    /// reaches, whose network gives every service the highest priority: removing it empties
    /// the top tier and renumbers the others, which seed the shuffle of everyone else's lists.
    fn lone_top_tier(dc: DataCentre) -> Document {
        use crate::document::{Network, Node, Subnet};
        let mut doc = dc.document();
        let prios = doc.services.iter().map(|s| (s.name.clone(), 9)).collect();
        doc.networks.push(Network { name: "top".into(), priorities: prios, ..Default::default() });
        doc.subnets.push(Subnet {
            prefix: "10.200.0.0/24".into(),
            network: "top".into(),
            ..Default::default()
        });
        let number = doc.nodes.len() as u32 + 1;
        doc.nodes.push(Node {
            uid: format!("n{number}"),
            name: format!("node {number}"),
            clusters: [("dc".to_owned(), number)].into(),
            online: Some("dc".into()),
            addresses: vec!["10.200.0.1".into()],
            ..Default::default()
        });
        for s in &mut doc.services {
            s.addresses.push("10.200.0.1".into());
        }
        doc
    }

    fn check(doc: &Document) {
        for seed in [11, 7] {
            let fast = compare(doc, seed);
            let slow = reference(doc, seed);
            assert_eq!(fast.len(), slow.len());
            for (f, s) in fast.iter().zip(&slow) {
                assert_eq!(f.strategy, s.strategy);
                for (a, b) in f.services.iter().zip(&s.services) {
                    assert_eq!(a, b, "{} {}", f.strategy, a.service);
                }
                assert_eq!(f.services.len(), s.services.len());
            }
        }
    }

    /// The fast path (shapes, reordering only the touched groups) gives the same figures as a
    /// plan per strategy with every list reordered for each what-if.
    #[test]
    fn fast_path_matches_reference() {
        let mut docs = vec![
            crate::generate::data_centre(300),
            DataCentre { nodes: 120, services: 2, servers_per_service: 9, subnets: 7, routers: 3 }
                .document(),
            lone_top_tier(DataCentre {
                nodes: 120,
                services: 2,
                servers_per_service: 9,
                subnets: 7,
                routers: 3,
            }),
            lone_top_tier(DataCentre {
                nodes: 200,
                services: 3,
                servers_per_service: 15,
                subnets: 11,
                routers: 4,
            }),
        ];
        for text in [
            include_str!("../../../examples/seed-fig24.json"),
            include_str!("../../../examples/seed-fig22.json"),
            include_str!("../../../examples/two-clusters-shared-node.json"),
            include_str!("../tests/data/residues.json"),
            include_str!("../tests/data/addresses.json"),
            include_str!("../tests/data/services.json"),
            include_str!("../tests/data/names.json"),
            include_str!("../tests/data/nodes.json"),
            include_str!("../tests/data/strategy_rendezvous.json"),
            include_str!("../tests/data/strategy_shuffle.json"),
            include_str!("../tests/data/strategy_spread.json"),
        ] {
            docs.push(crate::document::read(text).unwrap());
        }
        for doc in &docs {
            check(doc);
        }
    }

    /// The same on many small generated shapes (few servers, few subnets, unrouted subnets).
    #[test]
    fn fast_path_matches_reference_generated() {
        for nodes in [1, 2, 5, 17, 40] {
            for servers in [1, 2, 3, 6] {
                for subnets in [1, 2, 5] {
                    for routers in [1, 3] {
                        let dc = DataCentre {
                            nodes,
                            services: 2,
                            servers_per_service: servers,
                            subnets,
                            routers,
                        };
                        check(&dc.document());
                        check(&lone_top_tier(dc));
                    }
                }
            }
        }
    }
}
