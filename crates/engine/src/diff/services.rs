//! A design review's services: for each service of either plan, its servers' load and its
//! clients' lists before and after, the lists that changed with each change in steps (see
//! [`ServiceDiff`]).

use super::data::{Change, ListChange, ListStep, ServerDiff, ServiceDiff, Side};
use crate::plan::{Plan, ServicePlan};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
                words: steps(b.is_some(), a.is_some(), &change.before, &change.after)
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
    let common_b: Vec<&String> = before.iter().filter(|x| after.contains(x)).collect();
    let common_a: Vec<&String> = after.iter().filter(|x| before.contains(x)).collect();
    let kept = lcs(&common_b, &common_a);
    let position = |list: &[String], x: &String| list.iter().position(|y| y == x).unwrap_or(0) + 1;
    let moved = |x: &'a String| ListStep::Moved {
        address: x,
        from: position(before, x),
        to: position(after, x),
    };
    let mut out = Vec::new();
    for x in after {
        if !before.contains(x) {
            out.push(ListStep::Added { address: x, at: position(after, x) });
        } else if !kept.contains(&x) && position(before, x) != position(after, x) {
            out.push(moved(x));
        }
    }
    for x in before {
        if !after.contains(x) {
            out.push(ListStep::Removed { address: x, was: position(before, x) });
        }
    }
    if out.is_empty() && before != after {
        // Only addresses that kept their place were left out of the order: name every move.
        out.extend(after.iter().filter(|x| position(before, x) != position(after, x)).map(moved));
    }
    if out.is_empty() {
        out.push(ListStep::SameList);
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
}
