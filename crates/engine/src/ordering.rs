//! Ordered service lists (spec §3) and the strategies inside equidistant groups (spec §7).
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

use crate::fxhash::FxMap;
use crate::hops::{HopTable, NONE};
use crate::plan::{AddressIx, ClientList, Entry, NodeInfo, NodeIx, ServiceAddress, SubnetIx};
use crate::strategy::Strategy;
use std::net::IpAddr;

/// FNV-1a 64-bit offset basis.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Continues an FNV-1a-64 hash over `bytes`.
pub fn fnv1a64(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The rendezvous weight of an address for a client: FNV-1a-64 of `uid + "|" + address text`.
pub fn rendezvous_weight(uid: &str, address: &str) -> u64 {
    fnv1a64(fnv1a64(fnv1a64(FNV_OFFSET, uid.as_bytes()), b"|"), address.as_bytes())
}

/// splitmix64: the shuffle strategy's generator (small, portable, stable across versions).
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of the shuffle of one group: the view's seed, the client's UID, and the group's
/// tier and hops (so groups shuffle independently).
pub fn shuffle_seed(seed: u64, uid: &str, tier: u16, hops: Option<u32>) -> u64 {
    let mut s = seed ^ fnv1a64(FNV_OFFSET, uid.as_bytes());
    s ^= u64::from(tier) << 48;
    s ^= u64::from(hops.unwrap_or(NONE)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    s
}

/// Writes the shuffle permutation of a group of `m` into `perm` (Fisher-Yates, multiply-shift).
pub fn shuffle_permutation(state: u64, m: usize, perm: &mut Vec<u32>) {
    let mut state = state;
    perm.clear();
    perm.extend(0..m as u32);
    for i in (1..m).rev() {
        let r = splitmix64(&mut state);
        let j = ((u128::from(r) * (i as u128 + 1)) >> 64) as usize;
        perm.swap(i, j);
    }
}

/// The `spread` strategy's k-th pick in a group of `m` for node number `n` (spec §7).
pub fn spread_index(n: u64, m: u64, k: u64) -> u64 {
    let f = n % m;
    if k == 0 || m < 2 {
        return (f + k) % m;
    }
    (f + 1 + ((n / m + k - 1) % (m - 1))) % m
}

/// The `rotation` strategy's k-th pick: `((n mod m) + k) mod m`.
pub fn rotation_index(n: u64, m: u64, k: u64) -> u64 {
    ((n % m) + k) % m
}

/// A run of equidistant addresses of one tier inside a template's order.
#[derive(Debug, Clone, Copy)]
struct Group {
    start: u32,
    len: u32,
    tier: u16,
    hops: u32,
}

#[derive(Debug, Default)]
struct Template {
    /// One entry per address, sorted by (tier, hops, address), with its tier, hops, group size
    /// and group index (the pick is set per client).
    entries: Vec<Entry>,
    groups: Vec<Group>,
    /// Clients ordered with this template, and the first of them.
    clients: usize,
    first_client: Option<NodeIx>,
    /// First picks (k = 0) per group index of the first group, when it has m >= 2.
    first_counts: Vec<usize>,
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
    prios.sort_unstable_by(|a, b| b.cmp(a));
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

/// Orders the lists of one service's clients.
pub(crate) struct Orderer<'a> {
    hops: &'a HopTable,
    nodes: &'a [NodeInfo],
    addresses: &'a [ServiceAddress],
    strategy: Strategy,
    tier_of: Vec<u16>,
    /// Address indices sorted by (tier, address).
    base: Vec<u32>,
    /// Position of each address in `base`.
    rank: Vec<u32>,
    /// For each address of `base` (same order): (address, tier, subnet, start of its subnet's
    /// hop row or `usize::MAX`).
    base_info: Vec<(u32, u16, SubnetIx, usize)>,
    /// The client's subnets with their routed index.
    routed_subs: Vec<(SubnetIx, u32)>,
    /// Address text, for rendezvous.
    texts: Vec<String>,
    by_ip: FxMap<IpAddr, AddressIx>,
    /// Subnet -> template + 1 (0 = none yet), for clients on one subnet.
    single: Vec<u32>,
    /// Subnet set -> template, for clients on several.
    multi: FxMap<Vec<SubnetIx>, u32>,
    templates: Vec<Template>,
    own: Template,
    /// First picks and unreachable counts of clients with their own template.
    own_first: FxMap<Vec<u32>, Vec<usize>>,
    own_unreachable: Vec<(usize, Option<NodeIx>)>,
    keyed: Vec<(u64, u32)>,
    counts: Vec<u32>,
    sorted: Vec<(u64, u32)>,
    subs: Vec<SubnetIx>,
    locals: Vec<u32>,
    perm: Vec<u32>,
    weights: Vec<(u64, u32)>,
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
            base,
            rank,
            base_info,
            routed_subs: Vec::new(),
            texts,
            by_ip,
            single: vec![0; hops.size],
            multi: FxMap::default(),
            templates: Vec::new(),
            own: Template::default(),
            own_first: FxMap::default(),
            own_unreachable: vec![(0, None); addresses.len()],
            keyed: Vec::new(),
            counts: Vec::new(),
            sorted: Vec::new(),
            subs: Vec::new(),
            locals: Vec::new(),
            perm: Vec::new(),
            weights: Vec::new(),
        }
    }

    /// The list of one client (node `node`, node number `number`).
    pub(crate) fn list(&mut self, node: NodeIx, number: u32) -> ClientList {
        let mut entries = Vec::with_capacity(self.addresses.len());
        self.order_into(node, number, &mut entries);
        ClientList { node, number, entries }
    }

    /// Writes the ordered entries of one client into `out` (cleared first).
    pub(crate) fn order_into(&mut self, node: NodeIx, number: u32, out: &mut Vec<Entry>) {
        out.clear();
        let Some(info) = self.nodes.get(node) else {
            return;
        };
        self.subs.clear();
        self.locals.clear();
        for a in &info.addresses {
            if !self.subs.contains(&a.subnet) {
                self.subs.push(a.subnet);
            }
            if let Some(&ix) = self.by_ip.get(&a.ip) {
                if !self.locals.contains(&(ix as u32)) {
                    self.locals.push(ix as u32);
                }
            }
        }
        self.subs.sort_unstable();
        let template_ix = if self.locals.is_empty() {
            let found = if self.subs.len() == 1 {
                self.single.get(self.subs[0]).and_then(|&t| t.checked_sub(1))
            } else {
                self.multi.get(&self.subs).copied()
            };
            match found {
                Some(t) => Some(t as usize),
                None => {
                    let mut t = Template::default();
                    self.fill_template(&mut t);
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
            let mut t = std::mem::take(&mut self.own);
            self.fill_template(&mut t);
            self.own = t;
            let rank = &self.rank;
            self.locals.sort_unstable_by_key(|&a| rank[a as usize]);
            None
        };
        let mut template = match template_ix {
            Some(ix) => std::mem::take(&mut self.templates[ix]),
            None => std::mem::take(&mut self.own),
        };
        self.emit(&template, &info.uid, number, out);
        // Aggregates: a cached template counts its clients; an own template is counted now.
        template.clients += 1;
        template.first_client.get_or_insert(node);
        let first_pick =
            out.first().filter(|e| !e.local && e.group_size >= 2).map(|e| e.group_index as usize);
        match template_ix {
            Some(ix) => {
                if let Some(i) = first_pick {
                    if let Some(c) = template.first_counts.get_mut(i) {
                        *c += 1;
                    }
                }
                self.templates[ix] = template;
            }
            None => {
                if let (Some(i), Some(g)) = (first_pick, template.groups.first()) {
                    let members: Vec<u32> = template.entries
                        [g.start as usize..(g.start + g.len) as usize]
                        .iter()
                        .map(|e| e.address as u32)
                        .collect();
                    let counts =
                        self.own_first.entry(members).or_insert_with(|| vec![0; g.len as usize]);
                    if let Some(c) = counts.get_mut(i) {
                        *c += 1;
                    }
                }
                for g in template.groups.iter().filter(|g| g.hops == NONE) {
                    for e in &template.entries[g.start as usize..(g.start + g.len) as usize] {
                        let u = &mut self.own_unreachable[e.address];
                        u.0 += 1;
                        u.1.get_or_insert(node);
                    }
                }
                self.own = template;
            }
        }
    }

    /// The aggregates of every list ordered so far.
    pub(crate) fn stats(&self) -> OrderStats {
        let mut unreachable = self.own_unreachable.clone();
        let mut first: FxMap<Vec<u32>, Vec<usize>> = self.own_first.clone();
        for t in &self.templates {
            for g in t.groups.iter().filter(|g| g.hops == NONE) {
                for e in &t.entries[g.start as usize..(g.start + g.len) as usize] {
                    let u = &mut unreachable[e.address];
                    u.0 += t.clients;
                    if u.1.is_none() || t.first_client < u.1 {
                        u.1 = t.first_client;
                    }
                }
            }
            if let Some(g) = t.groups.first() {
                if t.first_counts.iter().any(|&c| c > 0) {
                    let members = t.entries[g.start as usize..(g.start + g.len) as usize]
                        .iter()
                        .map(|e| e.address as u32)
                        .collect();
                    let counts = first.entry(members).or_insert_with(|| vec![0; g.len as usize]);
                    for (c, &x) in counts.iter_mut().zip(&t.first_counts) {
                        *c += x;
                    }
                }
            }
        }
        let mut first_groups: Vec<(Vec<u32>, Vec<usize>)> = first.into_iter().collect();
        first_groups.sort();
        OrderStats { unreachable, first_groups }
    }

    /// Groups the non-local addresses by (tier, hops from the client's subnets).
    fn fill_template(&mut self, t: &mut Template) {
        t.entries.clear();
        t.entries.reserve_exact(self.base.len());
        t.groups.clear();
        t.clients = 0;
        t.first_client = None;
        t.groups.reserve(self.base.len().min(64));
        self.keyed.clear();
        self.routed_subs.clear();
        for &s in &self.subs {
            self.routed_subs.push((s, self.hops.routed_ix(s)));
        }
        let rows = self.hops.rows();
        let has_locals = !self.locals.is_empty();
        for &(a, tier, sub, row) in &self.base_info {
            if has_locals && self.locals.contains(&a) {
                continue;
            }
            let mut d = NONE;
            for &(s, rs) in &self.routed_subs {
                let h = if s == sub {
                    0
                } else if rs != NONE && row != usize::MAX {
                    rows.get(row + rs as usize).copied().unwrap_or(NONE)
                } else {
                    NONE
                };
                d = d.min(h);
            }
            self.keyed.push(((u64::from(tier) << 32) | u64::from(d), a));
        }
        // `base` is in (tier, address) order, so a stable sort by key leaves each group in
        // address order. Hops are small integers: a counting sort per tier run does it in
        // linear time (a comparison sort remains for absurd hop counts).
        let mut lo = 0;
        while lo < self.keyed.len() {
            let tier = self.keyed[lo].0 >> 32;
            let mut hi = lo;
            let mut max = 0u32;
            while hi < self.keyed.len() && self.keyed[hi].0 >> 32 == tier {
                let h = self.keyed[hi].0 as u32;
                if h != NONE {
                    max = max.max(h);
                }
                hi += 1;
            }
            let run = &mut self.keyed[lo..hi];
            if max < 4096 {
                let bucket =
                    |k: u64| if k as u32 == NONE { max as usize + 1 } else { k as u32 as usize };
                self.counts.clear();
                self.counts.resize(max as usize + 3, 0);
                for &(k, _) in run.iter() {
                    self.counts[bucket(k) + 1] += 1;
                }
                for b in 1..self.counts.len() {
                    self.counts[b] += self.counts[b - 1];
                }
                self.sorted.clear();
                self.sorted.resize(run.len(), (0, 0));
                for &(k, a) in run.iter() {
                    let slot = &mut self.counts[bucket(k)];
                    self.sorted[*slot as usize] = (k, a);
                    *slot += 1;
                }
                run.copy_from_slice(&self.sorted);
            } else {
                run.sort_by_key(|&(k, _)| k);
            }
            lo = hi;
        }
        let mut i = 0;
        while i < self.keyed.len() {
            let key = self.keyed[i].0;
            let start = i;
            while i < self.keyed.len() && self.keyed[i].0 == key {
                i += 1;
            }
            let g = Group {
                start: start as u32,
                len: (i - start) as u32,
                tier: (key >> 32) as u16,
                hops: key as u32,
            };
            let size = u16::try_from(g.len).unwrap_or(u16::MAX);
            for (j, &(_, a)) in self.keyed[start..i].iter().enumerate() {
                t.entries.push(Entry {
                    address: a as usize,
                    tier: g.tier,
                    local: false,
                    hops: (g.hops != NONE).then_some(g.hops),
                    group_size: size,
                    group_index: u16::try_from(j).unwrap_or(u16::MAX),
                    pick: 0,
                });
            }
            t.groups.push(g);
        }
        t.first_counts.clear();
        if let Some(g) = t.groups.first() {
            if g.len >= 2 {
                t.first_counts.resize(g.len as usize, 0);
            }
        }
    }

    fn emit(&mut self, t: &Template, uid: &str, number: u32, out: &mut Vec<Entry>) {
        if self.locals.is_empty() && matches!(self.strategy, Strategy::Rotation) {
            // Fast path: copy the template's entries (in address order inside each group) in
            // one go, then rotate each group by r = n mod m and number its picks.
            let at = out.len();
            out.extend_from_slice(&t.entries);
            let list = &mut out[at..];
            let limit = usize::from(u16::MAX);
            for g in &t.groups {
                let (start, m) = (g.start as usize, g.len as usize);
                let Some(group) = list.get_mut(start..start + m) else { continue };
                if m > 1 {
                    group.rotate_left((number % g.len) as usize);
                    if m <= limit {
                        for (k, e) in group.iter_mut().enumerate() {
                            e.pick = k as u16;
                        }
                    } else {
                        for (k, e) in group.iter_mut().enumerate() {
                            e.pick = k.min(limit) as u16;
                        }
                    }
                }
            }
            return;
        }
        let mut li = 0;
        let uid_state = match self.strategy {
            Strategy::Rendezvous => fnv1a64(fnv1a64(FNV_OFFSET, uid.as_bytes()), b"|"),
            _ => 0,
        };
        for g in &t.groups {
            while li < self.locals.len() && self.tier_of[self.locals[li] as usize] <= g.tier {
                self.push_local(li, out);
                li += 1;
            }
            let m = g.len as usize;
            // The group's entries in address order, group_index set, pick 0.
            let group = &t.entries[g.start as usize..g.start as usize + m];
            if m == 1 {
                out.push(group[0]);
                continue;
            }
            let pick = |k: usize| u16::try_from(k).unwrap_or(u16::MAX);
            match self.strategy {
                Strategy::Rotation => {
                    // k-th pick = (r + k) mod m: the group from index r on, then its head,
                    // copied as they are; then the picks are numbered.
                    let r = (number % g.len) as usize;
                    let at = out.len();
                    out.extend_from_slice(&group[r..]);
                    out.extend_from_slice(&group[..r]);
                    for (k, e) in out[at..].iter_mut().enumerate() {
                        e.pick = pick(k);
                    }
                }
                Strategy::Spread => {
                    let n = u64::from(number);
                    out.extend((0..m).map(|k| Entry {
                        pick: pick(k),
                        ..group[spread_index(n, m as u64, k as u64) as usize]
                    }));
                }
                Strategy::Rendezvous => {
                    self.weights.clear();
                    for (i, e) in group.iter().enumerate() {
                        let w = fnv1a64(uid_state, self.texts[e.address].as_bytes());
                        self.weights.push((w, i as u32));
                    }
                    self.weights.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
                    out.extend(
                        self.weights
                            .iter()
                            .enumerate()
                            .map(|(k, &(_, i))| Entry { pick: pick(k), ..group[i as usize] }),
                    );
                }
                Strategy::Shuffle { seed } => {
                    let hops = (g.hops != NONE).then_some(g.hops);
                    shuffle_permutation(shuffle_seed(seed, uid, g.tier, hops), m, &mut self.perm);
                    out.extend(
                        self.perm
                            .iter()
                            .enumerate()
                            .map(|(k, &i)| Entry { pick: pick(k), ..group[i as usize] }),
                    );
                }
            }
        }
        while li < self.locals.len() {
            self.push_local(li, out);
            li += 1;
        }
    }

    fn push_local(&self, li: usize, out: &mut Vec<Entry>) {
        let a = self.locals[li];
        out.push(Entry {
            address: a as usize,
            tier: self.tier_of[a as usize],
            local: true,
            hops: Some(0),
            group_size: 1,
            group_index: 0,
            pick: 0,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_is_a_permutation_and_starts_like_rotation() {
        for m in 1..9u64 {
            for n in 0..40u64 {
                let mut seen: Vec<u64> = (0..m).map(|k| spread_index(n, m, k)).collect();
                assert_eq!(seen[0], rotation_index(n, m, 0));
                seen.sort_unstable();
                assert_eq!(seen, (0..m).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn fnv_known_value() {
        // FNV-1a-64 of "a" is a published test vector.
        assert_eq!(fnv1a64(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut p = Vec::new();
        for m in 0..10 {
            shuffle_permutation(m as u64 * 7, m, &mut p);
            let mut s = p.clone();
            s.sort_unstable();
            assert_eq!(s, (0..m as u32).collect::<Vec<_>>());
        }
    }
}
