//! Ordered service lists (docs/spec.md §3) and the strategies inside equidistant groups (docs/spec.md §7).
//!
//! A list is built tier by tier: priority tiers (highest first, no priority last), inside a tier
//! the client's own (local) addresses in address order, then groups of equidistant addresses by
//! ascending hops, unreachable last. Only the order inside a group depends on the client's node
//! number (or UID) and the strategy.
//!
//! Speed: the tier/hop grouping depends only on the set of subnets a client is on, so it is
//! computed once per distinct set (a *template*) and each client only applies its strategy's
//! permutation while writing its entries. Clients that own some of the service's addresses
//! (servers, few) get a template of their own without those addresses.

use crate::fastmap::FastMap;
use crate::plan::hop_table::{HopTable, NONE};
use crate::plan::lists::{by_number, emit_by_number, Group, Span};
use crate::plan::{AddressIx, Entry, NodeInfo, NodeIx, ServiceAddress, SubnetIx};
use crate::strategy::{order_group, Client, GroupOrder, Strategy};
use std::net::IpAddr;

/// The grouping of a list for one set of client subnets. Its entries, groups and first-pick
/// counters live in the orderer's shared arenas (one allocation each, not three per template).
#[derive(Debug, Default, Clone, Copy)]
struct Template {
    /// `arena[entries..entries + len]`: one entry per address, sorted by (tier, hops,
    /// address), with its tier, hops, group size and group index, and as its pick its group
    /// index (right for a client whose rotation of the group is 0; others renumber it).
    /// Templates of subnet sets with the same hop counts share their entries and groups.
    entries: usize,
    len: usize,
    /// `group_arena[groups..groups + n_groups]`, in list order; they tile the entries.
    groups: usize,
    n_groups: usize,
    /// Clients ordered with this template, and the first of them.
    clients: usize,
    first_client: Option<NodeIx>,
    /// `count_arena[counts..counts + n_counts]`: first picks (k = 0) per group index of the
    /// first group, when it has m >= 2 (else `n_counts` = 0).
    counts: usize,
    n_counts: usize,
}

/// What the lists of one service say in aggregate, gathered while ordering them (for the
/// warnings and lints, without another pass over every entry).
#[derive(Debug, Default)]
pub(crate) struct OrderStats {
    /// Per address: clients that cannot reach it, and the first such client.
    pub unreachable: Vec<(usize, Option<NodeIx>)>,
    /// Per distinct first group of m >= 2 non-local addresses: its addresses by group index,
    /// and how many clients picked each first.
    pub first_groups: Vec<(Vec<u32>, Vec<usize>)>,
}

/// Distinct priorities of a service's addresses, highest first, `None` last; and each
/// address's tier.
pub(crate) fn tiers(addresses: &[ServiceAddress]) -> (Vec<Option<i64>>, Vec<u16>) {
    let mut prios: Vec<i64> = addresses.iter().filter_map(|a| a.priority).collect();
    crate::sorting::sort_by(&mut prios, |a, b| b.cmp(a));
    prios.dedup();
    let mut tiers: Vec<Option<i64>> = prios.iter().copied().map(Some).collect();
    if addresses.iter().any(|a| a.priority.is_none()) {
        tiers.push(None);
    }
    let tier_of = addresses
        .iter()
        .map(|a| {
            let t = match a.priority {
                Some(p) => prios.iter().position(|&x| x == p).unwrap_or(0),
                None => prios.len(),
            };
            u16::try_from(t).unwrap_or(u16::MAX)
        })
        .collect();
    (tiers, tier_of)
}

/// An entry of a template before its client's picks: placeholder for `Vec::resize`.
const BLANK: Entry = Entry {
    address_ix: 0,
    tier: 0,
    local: false,
    hop_count: Entry::UNREACHABLE,
    group_size: 0,
    group_index: 0,
    pick: 0,
};

/// Orders the lists of one service's clients.
pub(crate) struct Orderer<'a> {
    hops: &'a HopTable,
    nodes: &'a [NodeInfo],
    addresses: &'a [ServiceAddress],
    strategy: Strategy,
    tier_of: Vec<u16>,
    /// Position of each address in (tier, address) order.
    rank: Vec<u32>,
    /// For each address in (tier, address) order: (address, tier, subnet, start of its
    /// subnet's hop row or `usize::MAX`).
    base_info: Vec<(u32, u16, SubnetIx, usize)>,
    /// The client's subnets with their routed index.
    routed_subs: Vec<(SubnetIx, u32)>,
    /// Address text, for rendezvous.
    texts: Vec<String>,
    by_ip: FastMap<IpAddr, AddressIx>,
    /// Subnet -> template + 1 (0 = none yet), for clients on one subnet.
    single: Vec<u32>,
    /// Subnet set -> template, for clients on several.
    multi: FastMap<Vec<SubnetIx>, u32>,
    templates: Vec<Template>,
    /// Storage of every template's entries, groups and first-pick counters. A client's own
    /// template (it owns some of the service's addresses) is built at the end and dropped
    /// right after its list.
    arena: Vec<Entry>,
    group_arena: Vec<Group>,
    count_arena: Vec<usize>,
    /// First picks and unreachable counts of clients with their own template.
    own_first: FastMap<Vec<u32>, Vec<usize>>,
    own_unreachable: Vec<(usize, Option<NodeIx>)>,
    /// (tier, hops, address) of the addresses being grouped, in (tier, address) order.
    keyed: Vec<(u16, u32, u32)>,
    /// The hop counts of `keyed`, and the groupings already built for such hop counts:
    /// (first entry, first group, number of groups) in the arenas.
    hop_key: Vec<u32>,
    shapes: FastMap<Vec<u32>, (usize, usize, usize)>,
    /// Per hop bucket of a tier: (size, start, next free slot).
    buckets: Vec<(u32, u32, u32)>,
    subs: Vec<SubnetIx>,
    locals: Vec<u32>,
    /// Per address: the `stamp` of the last client owning it, so that "is it one of this
    /// client's own addresses" is one look-up, however many it owns.
    local_stamp: Vec<u32>,
    stamp: u32,
    /// A group's order for one client.
    order: GroupOrder,
}

impl<'a> Orderer<'a> {
    pub(crate) fn new(
        hops: &'a HopTable,
        nodes: &'a [NodeInfo],
        addresses: &'a [ServiceAddress],
        strategy: Strategy,
    ) -> Self {
        let (_, tier_of) = tiers(addresses);
        let mut base: Vec<u32> = (0..addresses.len() as u32).collect();
        #[allow(
            clippy::disallowed_methods,
            reason = "the compile's hot path: every address of a service, on every edit"
        )]
        base.sort_by(|&a, &b| {
            (tier_of[a as usize], addresses[a as usize].ip)
                .cmp(&(tier_of[b as usize], addresses[b as usize].ip))
        });
        let mut rank = vec![0u32; addresses.len()];
        for (r, &a) in base.iter().enumerate() {
            rank[a as usize] = r as u32;
        }
        let base_info = base
            .iter()
            .map(|&a| {
                let sub = addresses[a as usize].subnet;
                (a, tier_of[a as usize], sub, hops.row_start(sub))
            })
            .collect();
        let texts = if matches!(strategy, Strategy::Rendezvous) {
            addresses.iter().map(|a| a.ip.to_string()).collect()
        } else {
            Vec::new()
        };
        let by_ip = addresses.iter().enumerate().map(|(i, a)| (a.ip, i)).collect();
        Orderer {
            hops,
            nodes,
            addresses,
            strategy,
            tier_of,
            rank,
            base_info,
            routed_subs: Vec::new(),
            texts,
            by_ip,
            single: vec![0; hops.size],
            multi: FastMap::default(),
            templates: Vec::new(),
            arena: Vec::new(),
            group_arena: Vec::new(),
            count_arena: Vec::new(),
            own_first: FastMap::default(),
            own_unreachable: vec![(0, None); addresses.len()],
            keyed: Vec::with_capacity(addresses.len()),
            hop_key: Vec::with_capacity(addresses.len()),
            shapes: FastMap::default(),
            buckets: Vec::new(),
            subs: Vec::new(),
            locals: Vec::new(),
            local_stamp: Vec::new(),
            stamp: 0,
            order: GroupOrder::default(),
        }
    }

    /// Reserves the per-template records for these clients at once: at most one template per
    /// distinct subnet of single-homed clients, one per multi-homed client, and one own
    /// template at a time. (The entry and group arenas grow as needed: templates with the same
    /// hop counts share them, so they hold far fewer templates than that.)
    pub(crate) fn reserve_for(&mut self, clients: &[(NodeIx, u32)]) {
        let mut seen = vec![false; self.hops.size];
        let mut templates = 1usize;
        for &(node, _) in clients {
            let Some(info) = self.nodes.get(node) else { continue };
            match info.addresses.as_slice() {
                [] => {}
                [a] if a.subnet < seen.len() => {
                    if !seen[a.subnet] {
                        seen[a.subnet] = true;
                        templates += 1;
                    }
                }
                _ => templates += 1,
            }
        }
        let n = self.addresses.len();
        self.templates.reserve_exact(templates);
        self.count_arena.reserve(templates * n.min(16));
    }

    /// Writes the ordered entries of one client into `out` (cleared first). Returns the
    /// template the list was written from by number ([`emit_by_number`], so it can be written
    /// again from [`Orderer::into_templates`]'s arenas), or `None` when it must be kept as is.
    pub(crate) fn order_into(
        &mut self,
        node: NodeIx,
        number: u32,
        out: &mut Vec<Entry>,
    ) -> Option<u32> {
        out.clear();
        let info = self.nodes.get(node)?;
        self.subs.clear();
        self.locals.clear();
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.local_stamp.fill(0);
            self.stamp = 1;
        }
        for a in &info.addresses {
            // An interface on a failed subnet reaches nothing (docs/spec.md §2); its own
            // addresses stay local.
            if !self.hops.is_down(a.subnet) {
                self.subs.push(a.subnet);
            }
            if let Some(&ix) = self.by_ip.get(&a.ip) {
                if self.local_stamp.len() <= ix {
                    self.local_stamp.resize(ix + 1, 0);
                }
                if self.local_stamp[ix] != self.stamp {
                    self.local_stamp[ix] = self.stamp;
                    self.locals.push(ix as u32);
                }
            }
        }
        self.subs.sort_unstable();
        self.subs.dedup();
        let template_ix = if self.locals.is_empty() {
            let found = if self.subs.len() == 1 {
                self.single.get(self.subs[0]).and_then(|&t| t.checked_sub(1))
            } else {
                self.multi.get(&self.subs).copied()
            };
            match found {
                Some(t) => Some(t as usize),
                None => {
                    let t = self.fill_template();
                    let ix = self.templates.len();
                    self.templates.push(t);
                    if self.subs.len() == 1 && self.subs[0] < self.single.len() {
                        self.single[self.subs[0]] = ix as u32 + 1;
                    } else {
                        self.multi.insert(self.subs.clone(), ix as u32);
                    }
                    Some(ix)
                }
            }
        } else {
            None
        };
        let mut template = match template_ix {
            Some(ix) => self.templates[ix],
            None => {
                let rank = &self.rank;
                #[allow(
                    clippy::disallowed_methods,
                    reason = "the compile's hot path: once per client owning addresses"
                )]
                self.locals.sort_unstable_by_key(|&a| rank[a as usize]);
                self.fill_template()
            }
        };
        let entries = &self.arena[template.entries..template.entries + template.len];
        let groups = &self.group_arena[template.groups..template.groups + template.n_groups];
        let written_by_number = template_ix.filter(|_| by_number(self.strategy));
        if written_by_number.is_some() {
            emit_by_number(self.strategy, entries, groups, number, out);
        } else {
            let arena = std::mem::take(&mut self.arena);
            let group_arena = std::mem::take(&mut self.group_arena);
            self.emit(
                &arena[template.entries..template.entries + template.len],
                &group_arena[template.groups..template.groups + template.n_groups],
                &info.uid,
                number,
                out,
            );
            self.arena = arena;
            self.group_arena = group_arena;
        }
        // Aggregates: a cached template counts its clients; an own template is counted now.
        template.clients += 1;
        template.first_client.get_or_insert(node);
        let first_pick =
            out.first().filter(|e| !e.local && e.group_size >= 2).map(|e| e.group_index as usize);
        match template_ix {
            Some(ix) => {
                if let Some(i) = first_pick.filter(|&i| i < template.n_counts) {
                    self.count_arena[template.counts + i] += 1;
                }
                self.templates[ix] = template;
            }
            None => {
                let entries = &self.arena[template.entries..template.entries + template.len];
                let groups =
                    &self.group_arena[template.groups..template.groups + template.n_groups];
                if let (Some(i), Some(g)) = (first_pick, groups.first()) {
                    let members: Vec<u32> = entries[g.start as usize..(g.start + g.len) as usize]
                        .iter()
                        .map(|e| e.address_ix)
                        .collect();
                    let counts =
                        self.own_first.entry(members).or_insert_with(|| vec![0; g.len as usize]);
                    if let Some(c) = counts.get_mut(i) {
                        *c += 1;
                    }
                }
                for g in groups.iter().filter(|g| g.hops == NONE) {
                    for e in &entries[g.start as usize..(g.start + g.len) as usize] {
                        let u = &mut self.own_unreachable[e.address()];
                        u.0 += 1;
                        u.1.get_or_insert(node);
                    }
                }
                // The own template is not kept.
                self.arena.truncate(template.entries);
                self.group_arena.truncate(template.groups);
                self.count_arena.truncate(template.counts);
            }
        }
        written_by_number.and_then(|t| u32::try_from(t).ok())
    }

    /// The templates' spans and arenas, for [`crate::lists::ListsBuilder::finish`].
    pub(crate) fn into_templates(self) -> (Vec<Span>, Vec<Entry>, Vec<Group>) {
        let spans = self
            .templates
            .iter()
            .map(|t| Span {
                entries: t.entries,
                len: t.len,
                groups: t.groups,
                n_groups: t.n_groups,
            })
            .collect();
        (spans, self.arena, self.group_arena)
    }

    /// The aggregates of every list ordered so far.
    pub(crate) fn stats(&self) -> OrderStats {
        let mut unreachable = self.own_unreachable.clone();
        let mut first: FastMap<Vec<u32>, Vec<usize>> = self.own_first.clone();
        for t in &self.templates {
            let entries = &self.arena[t.entries..t.entries + t.len];
            let groups = &self.group_arena[t.groups..t.groups + t.n_groups];
            let first_counts = &self.count_arena[t.counts..t.counts + t.n_counts];
            for g in groups.iter().filter(|g| g.hops == NONE) {
                for e in &entries[g.start as usize..(g.start + g.len) as usize] {
                    let u = &mut unreachable[e.address()];
                    u.0 += t.clients;
                    if u.1.is_none() || t.first_client < u.1 {
                        u.1 = t.first_client;
                    }
                }
            }
            if let Some(g) = groups.first() {
                if first_counts.iter().any(|&c| c > 0) {
                    let members = entries[g.start as usize..(g.start + g.len) as usize]
                        .iter()
                        .map(|e| e.address_ix)
                        .collect();
                    let counts = first.entry(members).or_insert_with(|| vec![0; g.len as usize]);
                    for (c, &x) in counts.iter_mut().zip(first_counts) {
                        *c += x;
                    }
                }
            }
        }
        let mut first_groups: Vec<(Vec<u32>, Vec<usize>)> = first.into_iter().collect();
        first_groups.sort();
        OrderStats { unreachable, first_groups }
    }

    /// Groups the non-local addresses by (tier, hops from the client's subnets) into a new
    /// template at the end of the arenas.
    fn fill_template(&mut self) -> Template {
        self.keyed.clear();
        self.routed_subs.clear();
        for &s in &self.subs {
            self.routed_subs.push((s, self.hops.routed_ix(s)));
        }
        let rows = self.hops.rows();
        let hop = |s: SubnetIx, rs: u32, sub: SubnetIx, row: usize| -> u32 {
            if s == sub {
                0
            } else if rs != NONE && row != usize::MAX {
                rows.get(row + rs as usize).copied().unwrap_or(NONE)
            } else {
                NONE
            }
        };
        if let ([(s, rs)], true) = (&self.routed_subs[..], self.locals.is_empty()) {
            let (s, rs) = (*s, *rs);
            // The common case: a client on one subnet, owning none of the addresses.
            self.keyed.extend(
                self.base_info.iter().map(|&(a, tier, sub, row)| (tier, hop(s, rs, sub, row), a)),
            );
        } else {
            for &(a, tier, sub, row) in &self.base_info {
                if self.local_stamp.get(a as usize) == Some(&self.stamp) {
                    continue;
                }
                let mut d = NONE;
                for &(s, rs) in &self.routed_subs {
                    d = d.min(hop(s, rs, sub, row));
                }
                self.keyed.push((tier, d, a));
            }
        }
        let n = self.keyed.len();
        // Clients owning none of the addresses group them by their hop counts alone (the
        // (tier, address) order is the service's): subnets at the same distances from every
        // address (say, the leaf subnets of one router) share one grouping.
        let shared = self.locals.is_empty();
        if shared {
            self.hop_key.clear();
            self.hop_key.extend(self.keyed.iter().map(|k| k.1));
            if let Some(&(entries, groups, n_groups)) = self.shapes.get(self.hop_key.as_slice()) {
                return self.template_at(entries, n, groups, n_groups);
            }
        }
        let e0 = self.arena.len();
        let g0 = self.group_arena.len();
        self.arena.resize(e0 + n, BLANK);
        // `keyed` is in (tier, address) order, so sorting each tier's run stably by hops
        // leaves each group in address order. Hops are small integers: a counting sort per
        // tier writes every entry straight to its place, with its group's size and its index
        // in the group (a comparison sort remains for absurd hop counts).
        let mut lo = 0;
        while lo < n {
            let tier = self.keyed[lo].0;
            let mut hi = lo;
            let mut max = 0u32;
            while hi < n && self.keyed[hi].0 == tier {
                let h = self.keyed[hi].1;
                if h != NONE {
                    max = max.max(h);
                }
                hi += 1;
            }
            let run = &mut self.keyed[lo..hi];
            let out = &mut self.arena[e0 + lo..e0 + hi];
            if max < 4096 {
                // Bucket max + 1 holds the unreachable addresses (last).
                let unreachable = max as usize + 1;
                let bucket = |h: u32| if h == NONE { unreachable } else { h as usize };
                self.buckets.clear();
                self.buckets.resize(unreachable + 1, (0, 0, 0));
                for &(_, h, _) in run.iter() {
                    self.buckets[bucket(h)].0 += 1;
                }
                let mut at = 0u32;
                for (b, slot) in self.buckets.iter_mut().enumerate() {
                    slot.1 = at;
                    slot.2 = at;
                    if slot.0 > 0 {
                        self.group_arena.push(Group {
                            start: lo as u32 + at,
                            len: slot.0,
                            tier,
                            hops: if b == unreachable { NONE } else { b as u32 },
                        });
                    }
                    at += slot.0;
                }
                for &(_, h, a) in run.iter() {
                    let slot = &mut self.buckets[bucket(h)];
                    let p = slot.2 as usize;
                    slot.2 += 1;
                    let index = u16::try_from(p as u32 - slot.1).unwrap_or(u16::MAX);
                    out[p] = Entry {
                        address_ix: a,
                        tier,
                        local: false,
                        hop_count: Entry::encode_hops((h != NONE).then_some(h)),
                        group_size: u16::try_from(slot.0).unwrap_or(u16::MAX),
                        group_index: index,
                        pick: index,
                    };
                }
            } else {
                #[allow(
                    clippy::disallowed_methods,
                    reason = "the compile's hot path: inside the orderer's grouping of a template"
                )]
                run.sort_by_key(|&(_, h, _)| h);
                let mut i = 0;
                while i < run.len() {
                    let h = run[i].1;
                    let start = i;
                    while i < run.len() && run[i].1 == h {
                        i += 1;
                    }
                    let size = u16::try_from(i - start).unwrap_or(u16::MAX);
                    for (j, &(_, _, a)) in run[start..i].iter().enumerate() {
                        out[start + j] = Entry {
                            address_ix: a,
                            tier,
                            local: false,
                            hop_count: Entry::encode_hops((h != NONE).then_some(h)),
                            group_size: size,
                            group_index: u16::try_from(j).unwrap_or(u16::MAX),
                            pick: u16::try_from(j).unwrap_or(u16::MAX),
                        };
                    }
                    self.group_arena.push(Group {
                        start: (lo + start) as u32,
                        len: (i - start) as u32,
                        tier,
                        hops: h,
                    });
                }
            }
            lo = hi;
        }
        let n_groups = self.group_arena.len() - g0;
        if shared {
            self.shapes.insert(self.hop_key.clone(), (e0, g0, n_groups));
        }
        self.template_at(e0, n, g0, n_groups)
    }

    /// A template over entries and groups already in the arenas, with first-pick counters of
    /// its own.
    fn template_at(
        &mut self,
        entries: usize,
        len: usize,
        groups: usize,
        n_groups: usize,
    ) -> Template {
        let c0 = self.count_arena.len();
        let n_counts = match self.group_arena[groups..groups + n_groups].first() {
            Some(g) if g.len >= 2 => g.len as usize,
            _ => 0,
        };
        self.count_arena.resize(c0 + n_counts, 0);
        Template {
            entries,
            len,
            groups,
            n_groups,
            clients: 0,
            first_client: None,
            counts: c0,
            n_counts,
        }
    }

    /// Writes a list from a template's `entries` and `groups` (any strategy, local addresses
    /// included).
    fn emit(
        &mut self,
        entries: &[Entry],
        groups: &[Group],
        uid: &str,
        number: u32,
        out: &mut Vec<Entry>,
    ) {
        let mut li = 0;
        let client = Client::new(self.strategy, number, uid);
        for g in groups {
            while li < self.locals.len() && self.tier_of[self.locals[li] as usize] <= g.tier {
                self.push_local(li, out);
                li += 1;
            }
            let m = g.len as usize;
            // The group's entries in address order, group_index set, pick 0.
            let group = &entries[g.start as usize..g.start as usize + m];
            if m == 1 {
                out.push(group[0]);
                continue;
            }
            let hops = (g.hops != NONE).then_some(g.hops);
            let texts = &self.texts;
            let text = |i: usize| texts[group[i].address()].as_str();
            order_group(self.strategy, &client, m, g.tier, hops, text, &mut self.order);
            out.extend(self.order.picks.iter().enumerate().map(|(k, &i)| Entry {
                pick: u16::try_from(k).unwrap_or(u16::MAX),
                ..group[i as usize]
            }));
        }
        while li < self.locals.len() {
            self.push_local(li, out);
            li += 1;
        }
    }

    fn push_local(&self, li: usize, out: &mut Vec<Entry>) {
        let a = self.locals[li];
        out.push(Entry {
            address_ix: a,
            tier: self.tier_of[a as usize],
            local: true,
            hop_count: 0,
            group_size: 1,
            group_index: 0,
            pick: 0,
        });
    }
}
