//! A design review's services: for each service of either plan, its servers' load and its
//! clients' lists before and after, the lists that changed with each change in steps (see
//! [`ServiceDiff`]).

use super::data::{Change, ListChange, ListStep, ServerDiff, ServiceDiff, Side};
use crate::fastmap::FastMap;
use crate::plan::{Plan, ServicePlan};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A hash set with the engine's hasher (see [`FastMap`]).
type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

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

/// A figure of the service's plan on each side (`None`: the service is not on that side).
fn both<T>(before: SideOf, after: SideOf, f: impl Fn(Option<&ServicePlan>) -> T) -> Side<T> {
    Side { before: f(before.1), after: f(after.1) }
}

pub(super) fn service_diff(
    cluster: &str,
    service: &str,
    before: SideOf,
    after: SideOf,
) -> ServiceDiff {
    let presence = match (before.1, after.1) {
        (None, _) => Some(Change::Added),
        (_, None) => Some(Change::Removed),
        _ => None,
    };

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

    // Clients by uid (each list moved into its change, never copied).
    let (mut cb, mut ca) = (clients_of(before.0, before.1), clients_of(after.0, after.1));
    let uids: BTreeSet<String> = cb.keys().chain(ca.keys()).cloned().collect();
    let mut lists: Vec<ListChange> = uids
        .into_iter()
        .filter_map(|uid| {
            let (b, a) = (cb.remove(&uid), ca.remove(&uid));
            let (was, is) = (b.is_some(), a.is_some());
            let side = |c: &Option<ClientSide>| c.as_ref().map(|c| (c.number, c.server));
            let (sb, sa) = (side(&b), side(&a));
            let change = ListChange {
                uid,
                number: Side { before: sb.map(|s| s.0), after: sa.map(|s| s.0) },
                before: b.map(|c| c.addresses).unwrap_or_default(),
                after: a.map(|c| c.addresses).unwrap_or_default(),
                server: Side { before: sb.and_then(|s| s.1), after: sa.and_then(|s| s.1) },
                words: Vec::new(),
            };
            let same = was == is && change.before == change.after;
            (!same || change.moved()).then(|| ListChange {
                words: steps(was, is, &change.before, &change.after)
                    .iter()
                    .map(ListStep::phrase)
                    .collect(),
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
        clients: both(before, after, |sp| sp.map_or(0, |sp| sp.load.clients)),
        unserved: both(before, after, |sp| sp.map_or(0, |sp| sp.load.unserved)),
        balance_first_choice: both(before, after, |sp| {
            sp.and_then(|sp| sp.load.balance_first_choice)
        }),
        balance_worst_failure: both(before, after, |sp| {
            sp.and_then(|sp| sp.load.balance_worst_failure)
        }),
        servers,
        lists,
        clients_moved,
        worst_router_failure: None,
    }
}

/// A list's change in steps. Addresses in both lists that keep their relative order (the
/// longest common subsequence) are not said to move, so an address inserted at the top does
/// not make every other one "move"; among equally short explanations, the addresses that
/// rise are named.
fn steps<'a>(
    was_client: bool,
    is_client: bool,
    before: &'a [String],
    after: &'a [String],
) -> Vec<ListStep<'a>> {
    match (was_client, is_client) {
        (false, true) => return vec![ListStep::NowClient(after)],
        (true, false) => return vec![ListStep::NoLongerClient],
        _ => {}
    }
    // Each address's first position on each side (1-based), found once: the steps below are
    // then linear in the lists, and the kept order O(n log n) (see `lcs`).
    let first = |list: &'a [String]| {
        let mut map: FastMap<&'a String, usize> = FastMap::default();
        map.reserve(list.len());
        for (i, x) in list.iter().enumerate() {
            map.entry(x).or_insert(i + 1);
        }
        map
    };
    let (in_before, in_after) = (first(before), first(after));
    let position = |map: &FastMap<&String, usize>, x: &String| map.get(x).copied().unwrap_or(1);
    let common_b: Vec<&String> = before.iter().filter(|x| in_after.contains_key(x)).collect();
    let common_a: Vec<&String> = after.iter().filter(|x| in_before.contains_key(x)).collect();
    let kept: FastSet<&String> = lcs(&common_b, &common_a).into_iter().collect();
    let moved = |x: &'a String| ListStep::Moved {
        address: x,
        from: position(&in_before, x),
        to: position(&in_after, x),
    };
    let mut out = Vec::new();
    for x in after {
        if !in_before.contains_key(x) {
            out.push(ListStep::Added { address: x, at: position(&in_after, x) });
        } else if !kept.contains(x) && position(&in_before, x) != position(&in_after, x) {
            out.push(moved(x));
        }
    }
    for x in before {
        if !in_after.contains_key(x) {
            out.push(ListStep::Removed { address: x, was: position(&in_before, x) });
        }
    }
    if out.is_empty() && before != after {
        // Only addresses that kept their place were left out of the order: name every move.
        out.extend(
            after.iter().filter(|x| position(&in_before, x) != position(&in_after, x)).map(moved),
        );
    }
    if out.is_empty() {
        out.push(ListStep::SameList);
    }
    out
}

/// Most cells of the table [`lcs_table`] fills: 4 MB of it. Two lists with a repeated address
/// (a plan never makes one) and more cells than this are ordered by their first occurrences.
const MAX_LCS_CELLS: usize = 1 << 20;

/// The longest common subsequence of `a` and `b` (two orders of the same items); on ties it
/// keeps `a`'s items, so the items of `b` that came forward are the ones left out.
///
/// Items appear once in a list (a client's list names each address once), so this is the
/// longest increasing run of `b`'s positions in `a`, in O(n log n): walking `b`, an item is kept
/// when it is the next one of `a`, or when every longest common subsequence of what is left
/// holds it (the longest increasing run starting at it is longer than any after it that is
/// still open). That is the choice the quadratic table's walk makes (`lcs_table`, which the
/// tests check it against, and which still answers lists with a repeated item).
fn lcs<'a>(a: &[&'a String], b: &[&'a String]) -> Vec<&'a String> {
    let mut at: FastMap<&String, usize> = FastMap::default();
    at.reserve(a.len());
    for (i, x) in a.iter().enumerate() {
        at.entry(x).or_insert(i);
    }
    let distinct = at.len() == a.len()
        && b.len() == a.len()
        && b.iter().collect::<FastSet<_>>().len() == b.len()
        && b.iter().all(|x| at.contains_key(x));
    if !distinct && (a.len() + 1).saturating_mul(b.len() + 1) <= MAX_LCS_CELLS {
        return lcs_table(a, b);
    }
    // Positions in `a` of `b`'s items (an item missing from `a`, or seen before, has none).
    let mut seen = FastSet::default();
    seen.reserve(b.len());
    let p: Vec<Option<usize>> =
        b.iter().map(|x| at.get(x).copied().filter(|_| seen.insert(*x))).collect();
    let n = a.len();
    // longest[j]: the longest increasing run of positions starting at b[j].
    let mut longest = vec![0usize; b.len()];
    // best.max(from): the longest run seen so far (to the right) starting at a position >= from.
    let mut best = MaxTree::new(n);
    for j in (0..b.len()).rev() {
        if let Some(v) = p[j] {
            longest[j] = 1 + best.max(v + 1);
            best.set(v, longest[j]);
        }
    }
    let (mut next, mut out) = (0, Vec::new());
    for j in 0..b.len() {
        let Some(v) = p[j] else { continue };
        best.set(v, 0);
        if v == next || (v > next && longest[j] > best.max(next)) {
            out.push(b[j]);
            next = v + 1;
        }
    }
    out
}

/// The same choice as [`lcs`] by the quadratic table, for lists with repeated items.
fn lcs_table<'a>(a: &[&'a String], b: &[&'a String]) -> Vec<&'a String> {
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

/// Maximum over a suffix of positions, with point updates: a segment tree, O(log n) each.
struct MaxTree {
    size: usize,
    tree: Vec<usize>,
}

impl MaxTree {
    fn new(n: usize) -> Self {
        let size = n.next_power_of_two().max(1);
        MaxTree { size, tree: vec![0; 2 * size] }
    }

    fn set(&mut self, at: usize, value: usize) {
        let mut i = at + self.size;
        self.tree[i] = value;
        while i > 1 {
            i /= 2;
            self.tree[i] = self.tree[2 * i].max(self.tree[2 * i + 1]);
        }
    }

    /// The largest value at a position >= `from`.
    fn max(&self, from: usize) -> usize {
        let (mut lo, mut hi, mut out) = (from + self.size, 2 * self.size, 0);
        while lo < hi {
            if lo % 2 == 1 {
                out = out.max(self.tree[lo]);
                lo += 1;
            }
            if hi % 2 == 1 {
                hi -= 1;
                out = out.max(self.tree[hi]);
            }
            lo /= 2;
            hi /= 2;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    /// The change of list `before` -> `after` of a client on both sides, in words.
    fn words(before: &[&str], after: &[&str]) -> Vec<String> {
        steps(true, true, &strings(before), &strings(after)).iter().map(ListStep::phrase).collect()
    }

    #[test]
    fn a_swap_names_the_address_that_rises() {
        let w = words(&["a", "b", "c"], &["b", "a", "c"]);
        assert_eq!(w, ["b moved from 2nd to 1st"]);
    }

    #[test]
    fn an_insertion_does_not_move_the_others() {
        let w = words(&["a", "b", "c"], &["a", "x", "b", "c"]);
        assert_eq!(w, ["x added at 2nd"]);
        let w = words(&["a", "b", "c"], &["b", "c", "a"]);
        assert_eq!(w, ["a moved from 1st to 3rd"]);
        let w = words(&["a", "b", "c"], &["c", "a"]);
        assert_eq!(w, ["c moved from 3rd to 1st", "b removed (was 2nd)"]);
    }

    #[test]
    fn the_fast_common_order_is_the_tables_on_every_small_permutation_and_random_ones() {
        let names: Vec<String> = (0..64).map(|i| format!("10.0.0.{i}")).collect();
        let check = |a: &[usize], b: &[usize]| {
            let a: Vec<&String> = a.iter().map(|&i| &names[i]).collect();
            let b: Vec<&String> = b.iter().map(|&i| &names[i]).collect();
            assert_eq!(lcs(&a, &b), lcs_table(&a, &b), "{a:?} / {b:?}");
        };
        // Every pair of orders of up to 5 items.
        fn orders(n: usize) -> Vec<Vec<usize>> {
            if n == 0 {
                return vec![Vec::new()];
            }
            let mut out = Vec::new();
            for o in orders(n - 1) {
                for at in 0..=o.len() {
                    let mut o = o.clone();
                    o.insert(at, n - 1);
                    out.push(o);
                }
            }
            out
        }
        for n in 0..=5 {
            let all = orders(n);
            for a in &all {
                for b in &all {
                    check(a, b);
                }
            }
        }
        // Random orders of up to 64 items (a fixed linear congruential sequence).
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |below: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % below
        };
        for _ in 0..2_000 {
            let n = 1 + next(64);
            let a: Vec<usize> = (0..n).collect();
            let mut b = a.clone();
            for i in (1..n).rev() {
                b.swap(i, next(i + 1));
            }
            // Now and then only a few moves.
            if next(2) == 0 {
                b = a.clone();
                for _ in 0..1 + next(4) {
                    let (i, j) = (next(n), next(n));
                    let x = b.remove(i);
                    b.insert(j, x);
                }
            }
            check(&a, &b);
        }
        // A repeated item goes through the table.
        check(&[0, 1, 0], &[1, 0, 0]);
    }

    #[test]
    fn a_long_reversed_list_is_explained_without_the_table() {
        // 100,000 addresses: the table would be 40 GB.
        let before: Vec<String> = (0..100_000).map(|i| format!("a{i}")).collect();
        let mut after = before.clone();
        after.swap(0, 99_999);
        let steps = steps(true, true, &before, &after);
        assert_eq!(
            steps.iter().map(ListStep::phrase).collect::<Vec<_>>(),
            ["a99999 moved from 100000th to 1st", "a0 moved from 1st to 100000th"]
        );
    }
}
