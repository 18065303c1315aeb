//! The ordered lists of one service's clients, stored compactly and written out on demand.
//!
//! Most clients own none of the service's addresses; under `rotation` and `spread` such a
//! client's list is a pure function of its *template* (the grouping shared by every client on
//! the same subnets, see [`crate::ordering`]) and its node number. [`Lists`] keeps only those
//! templates and, per client, which template it uses; [`Lists::get`] and
//! [`Lists::entries_into`] write a list out when it is read. The other lists (clients that own
//! addresses, the `rendezvous` and `shuffle` strategies) are stored in full in one arena.
//!
//! This is what keeps a 10k-node plan at a few MB instead of 41 MB of entries, and the compile
//! fast: a list is written once into a reused buffer to read its load, not kept.

use super::entry::{ClientList, Entry, NodeIx};
use crate::strategy::{rotate, rotation_start, spread_index, Strategy};
use serde::ser::SerializeSeq;
use serde::Serialize;

/// Whose list it is: the client node and its node number in the service's cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Client {
    pub node: NodeIx,
    /// The client's node number in the service's cluster (`n` of the rotation).
    pub number: u32,
}

/// A run of equidistant addresses of one tier inside a template's order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Group {
    /// First entry of the group, relative to the template's first entry.
    pub start: u32,
    pub len: u32,
    pub tier: u16,
    pub hops: u32,
}

/// Where a template's entries and groups are in the arenas.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Span {
    pub entries: usize,
    pub len: usize,
    pub groups: usize,
    pub n_groups: usize,
}

/// How one client's list is kept.
#[derive(Debug, Clone, Copy)]
pub(super) enum Source {
    /// Written from template `spans[i]` and the client's number by the strategy.
    Template(u32),
    /// `stored[start..start + len]`.
    Stored { start: usize, len: u32 },
}

/// Every client's ordered list of one service, in ascending node number (see the module doc).
///
/// Index it for the client (`lists[i].node`, `lists[i].number`); read entries with
/// [`Lists::get`], [`Lists::iter`], [`Lists::entries_into`] (no allocation) or [`Lists::first_entry`].
/// Serialised as a sequence of [`ClientList`]s, like a plain vector of lists.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    pub(super) clients: Vec<Client>,
    pub(super) sources: Vec<Source>,
    /// `Rotation` or `Spread` for templated lists (others are stored).
    pub(super) strategy: Strategy,
    pub(super) spans: Vec<Span>,
    pub(super) entries: Vec<Entry>,
    pub(super) groups: Vec<Group>,
    pub(super) stored: Vec<Entry>,
}

impl Lists {
    /// Number of lists (= clients).
    pub fn len(&self) -> usize {
        self.clients.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }

    /// The clients, indexed like the lists.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// Index of a client node's list.
    pub fn position(&self, node: NodeIx) -> Option<usize> {
        self.clients.iter().position(|c| c.node == node)
    }

    /// List `i`, written out; `None` out of range.
    pub fn get(&self, i: usize) -> Option<ClientList> {
        let client = *self.clients.get(i)?;
        Some(ClientList { node: client.node, number: client.number, entries: self.entries(i) })
    }

    /// Every list, written out one at a time.
    pub fn iter(&self) -> Iter<'_> {
        Iter { lists: self, next: 0 }
    }

    /// The entries of list `i`, written into `out` (cleared first; left empty out of range).
    pub fn entries_into(&self, i: usize, out: &mut Vec<Entry>) {
        out.clear();
        let (Some(client), Some(&source)) = (self.clients.get(i), self.sources.get(i)) else {
            return;
        };
        match source {
            Source::Template(t) => {
                if let Some((entries, groups)) = self.template(t) {
                    emit_by_number(self.strategy, entries, groups, client.number, out);
                }
            }
            Source::Stored { start, len } => {
                if let Some(stored) = self.stored.get(start..start + len as usize) {
                    out.extend_from_slice(stored);
                }
            }
        }
    }

    /// The entries of list `i` in a new vector (empty out of range).
    pub fn entries(&self, i: usize) -> Vec<Entry> {
        let mut out = Vec::new();
        self.entries_into(i, &mut out);
        out
    }

    /// The first entry of list `i` (its first choice when reachable), without writing the list.
    pub fn first_entry(&self, i: usize) -> Option<Entry> {
        let client = self.clients.get(i)?;
        match *self.sources.get(i)? {
            Source::Template(t) => {
                let (entries, groups) = self.template(t)?;
                let g = groups.first()?;
                // Both number strategies (rotation, spread) pick index n mod m first.
                let k = rotation_start(client.number, g.len);
                let e = entries.get(g.start as usize + k)?;
                Some(Entry { pick: 0, ..*e })
            }
            Source::Stored { start, len } => {
                (len > 0).then(|| self.stored.get(start)).flatten().copied()
            }
        }
    }

    fn template(&self, t: u32) -> Option<(&[Entry], &[Group])> {
        let span = self.spans.get(t as usize)?;
        let entries = self.entries.get(span.entries..span.entries + span.len)?;
        let groups = self.groups.get(span.groups..span.groups + span.n_groups)?;
        Some((entries, groups))
    }
}

impl std::ops::Index<usize> for Lists {
    type Output = Client;

    fn index(&self, i: usize) -> &Client {
        &self.clients[i]
    }
}

/// Iterator over [`Lists`], writing each list out as it is reached.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    lists: &'a Lists,
    next: usize,
}

impl Iterator for Iter<'_> {
    type Item = ClientList;

    fn next(&mut self) -> Option<ClientList> {
        let list = self.lists.get(self.next)?;
        self.next += 1;
        Some(list)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.lists.len().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Lists {
    type Item = ClientList;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl Serialize for Lists {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for list in self.iter() {
            seq.serialize_element(&list)?;
        }
        seq.end()
    }
}

/// Collects the lists of one service while the orderer writes them.
pub(crate) struct ListsBuilder {
    strategy: Strategy,
    clients: Vec<Client>,
    sources: Vec<Source>,
    stored: Vec<Entry>,
}

impl ListsBuilder {
    /// For `clients` lists of `addresses` entries each under `strategy`.
    pub(crate) fn new(strategy: Strategy, clients: usize, addresses: usize) -> Self {
        let stored = if by_number(strategy) { 0 } else { clients.saturating_mul(addresses) };
        ListsBuilder {
            strategy,
            clients: Vec::with_capacity(clients),
            sources: Vec::with_capacity(clients),
            stored: Vec::with_capacity(stored),
        }
    }

    /// A list that is template `template` written by the strategy for the client's number.
    pub(crate) fn push_template(&mut self, client: Client, template: u32) {
        self.clients.push(client);
        self.sources.push(Source::Template(template));
    }

    /// A list kept as it is.
    pub(crate) fn push_stored(&mut self, client: Client, entries: &[Entry]) {
        let start = self.stored.len();
        self.stored.extend_from_slice(entries);
        let len = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        self.clients.push(client);
        self.sources.push(Source::Stored { start, len });
    }

    /// The lists, with the orderer's template arenas.
    pub(crate) fn finish(self, spans: Vec<Span>, entries: Vec<Entry>, groups: Vec<Group>) -> Lists {
        let templated = self.sources.iter().any(|s| matches!(s, Source::Template(_)));
        let (spans, entries, groups) =
            if templated { (spans, entries, groups) } else { Default::default() };
        Lists {
            clients: self.clients,
            sources: self.sources,
            strategy: self.strategy,
            spans,
            entries,
            groups,
            stored: self.stored,
        }
    }
}

/// Strategies whose list for a client owning none of the addresses depends only on the
/// template and the node number (so such lists are written on demand, not stored).
pub(crate) fn by_number(strategy: Strategy) -> bool {
    matches!(strategy, Strategy::Rotation | Strategy::Spread)
}

/// The list of a client owning none of the addresses under a [`by_number`] strategy, from its
/// template's `entries` and `groups` (appended to `out`).
pub(crate) fn emit_by_number(
    strategy: Strategy,
    entries: &[Entry],
    groups: &[Group],
    number: u32,
    out: &mut Vec<Entry>,
) {
    match strategy {
        Strategy::Spread => {
            out.reserve(entries.len());
            for g in groups {
                let (start, m) = (g.start as usize, g.len as usize);
                if let Some(group) = entries.get(start..start + m) {
                    emit_spread(group, number, out);
                }
            }
        }
        _ => emit_rotation(entries, groups, number, out),
    }
}

/// The `spread` strategy's order of one group (entries in address order, `pick` renumbered).
fn emit_spread(group: &[Entry], number: u32, out: &mut Vec<Entry>) {
    let m = group.len();
    if m == 1 {
        out.push(group[0]);
        return;
    }
    let n = u64::from(number);
    out.extend((0..m).map(|k| Entry {
        pick: u16::try_from(k).unwrap_or(u16::MAX),
        ..group[spread_index(n, m as u64, k as u64) as usize]
    }));
}

/// The rotation strategy's list for a client owning none of the addresses. A group the client
/// does not rotate (one address, or `r = n mod m` = 0) is the template's as it stands, picks
/// included, so runs of such groups are copied in one go; a rotated group is written as two
/// contiguous copies (from index `r` to its end, then its head) and its picks renumbered while
/// it is in cache.
fn emit_rotation(entries: &[Entry], groups: &[Group], number: u32, out: &mut Vec<Entry>) {
    out.reserve(entries.len());
    // Start of the run of template entries not copied yet (all unrotated).
    let mut straight = 0;
    for g in groups {
        let (start, m) = (g.start as usize, g.len as usize);
        if m < 2 {
            continue;
        }
        let r = rotation_start(number, g.len);
        if r == 0 {
            continue;
        }
        let (Some(run), Some(group)) =
            (entries.get(straight..start), entries.get(start..start + m))
        else {
            continue;
        };
        out.extend_from_slice(run);
        let at = out.len();
        rotate(group, r, out);
        let written = &mut out[at..];
        if m <= usize::from(u16::MAX) {
            for (k, e) in written.iter_mut().enumerate() {
                e.pick = k as u16;
            }
        } else {
            for (k, e) in written.iter_mut().enumerate() {
                e.pick = u16::try_from(k).unwrap_or(u16::MAX);
            }
        }
        straight = start + m;
    }
    if let Some(rest) = entries.get(straight..) {
        out.extend_from_slice(rest);
    }
}

#[cfg(test)]
mod tests {
    use crate::build::lists_with;
    use crate::{compile, generate, Strategy};

    /// Each list read back from a plan (templated or stored) is exactly the list the orderer
    /// writes for that client, under every strategy; and rotation and spread keep most lists as
    /// templates, the others store them all.
    #[test]
    fn lists_read_back_exactly_as_ordered() {
        // Servers (clients owning addresses), multi-homed nodes and two tiers.
        let doc = generate::data_centre(300);
        for strategy in Strategy::all(7) {
            let plan = compile(&doc, strategy);
            for sp in &plan.services {
                let clients: Vec<(usize, u32)> =
                    sp.lists.clients().iter().map(|c| (c.node, c.number)).collect();
                let mut ordered = Vec::new();
                lists_with(&plan.hops, &plan.nodes, &sp.addresses, &clients, strategy, |_, e| {
                    ordered.push(e.to_vec())
                });
                let read: Vec<_> = sp.lists.iter().map(|l| l.entries).collect();
                assert_eq!(read, ordered, "{strategy} {}", sp.service);
                let stored = sp.lists.stored.len();
                let all = sp.lists.len() * sp.addresses.len();
                if super::by_number(strategy) {
                    assert!(stored < all / 4, "{strategy}: {stored} of {all} entries stored");
                } else {
                    assert_eq!(stored, all, "{strategy}");
                }
                assert_eq!(sp.lists.get(sp.lists.len()), None);
                assert!(sp.lists.entries(usize::MAX).is_empty());
            }
        }
    }
}
