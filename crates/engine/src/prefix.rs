//! Longest-prefix look-ups: which subnet holds an address (the longest prefix containing it) and
//! which subnet has exactly a given prefix, and how the document's address and prefix text is
//! parsed. The model maps addresses and router attachments with it, and `query` answers the
//! app's look-ups with the same index.

use crate::fxhash::FxMap;
use crate::plan::SubnetIx;
use ipnet::IpNet;
use std::net::IpAddr;

/// Longest-prefix lookup: one hash map per prefix length present, longest first.
#[derive(Debug, Default)]
pub(crate) struct PrefixIndex {
    v4: Vec<(u8, FxMap<u32, SubnetIx>)>,
    v6: Vec<(u8, FxMap<u128, SubnetIx>)>,
}

fn mask4(len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len.min(32)))
    }
}

fn mask6(len: u8) -> u128 {
    if len == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(len.min(128)))
    }
}

impl PrefixIndex {
    /// Adds a subnet; returns the subnet already holding this exact prefix, if any.
    pub(crate) fn insert(&mut self, net: IpNet, ix: SubnetIx) -> Option<SubnetIx> {
        let len = net.prefix_len();
        match net {
            IpNet::V4(n) => {
                insert_prefix(&mut self.v4, len, u32::from(n.network()) & mask4(len), ix)
            }
            IpNet::V6(n) => {
                insert_prefix(&mut self.v6, len, u128::from(n.network()) & mask6(len), ix)
            }
        }
    }

    /// The subnet with the longest prefix containing `ip`.
    pub(crate) fn find(&self, ip: IpAddr) -> Option<SubnetIx> {
        match ip {
            IpAddr::V4(a) => {
                let a = u32::from(a);
                self.v4.iter().find_map(|(len, map)| map.get(&(a & mask4(*len))).copied())
            }
            IpAddr::V6(a) => {
                let a = u128::from(a);
                self.v6.iter().find_map(|(len, map)| map.get(&(a & mask6(*len))).copied())
            }
        }
    }

    /// The subnet with exactly this prefix.
    pub(crate) fn exact(&self, net: IpNet) -> Option<SubnetIx> {
        let len = net.prefix_len();
        match net {
            IpNet::V4(n) => self
                .v4
                .iter()
                .find(|(l, _)| *l == len)
                .and_then(|(_, m)| m.get(&(u32::from(n.network()) & mask4(len))).copied()),
            IpNet::V6(n) => self
                .v6
                .iter()
                .find(|(l, _)| *l == len)
                .and_then(|(_, m)| m.get(&(u128::from(n.network()) & mask6(len))).copied()),
        }
    }
}

/// Adds `key` (a masked network) of prefix length `len` to the per-length tables (kept longest
/// first); returns the subnet already holding it, if any.
fn insert_prefix<K: std::hash::Hash + Eq>(
    tables: &mut Vec<(u8, FxMap<K, SubnetIx>)>,
    len: u8,
    key: K,
    ix: SubnetIx,
) -> Option<SubnetIx> {
    let pos = match tables.iter().position(|(l, _)| *l == len) {
        Some(p) => p,
        None => {
            tables.push((len, FxMap::default()));
            tables.sort_by_key(|x| std::cmp::Reverse(x.0));
            tables.iter().position(|(l, _)| *l == len).unwrap_or(0)
        }
    };
    match tables[pos].1.entry(key) {
        std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(ix);
            None
        }
    }
}

/// Parses an address as the document writes it (plain IPv4 or IPv6 text, surrounding spaces
/// tolerated).
pub(crate) fn parse_ip(text: &str) -> Option<IpAddr> {
    text.trim().parse().ok()
}

/// Parses a CIDR prefix; the host bits are cleared (the second value says whether any were set).
pub(crate) fn parse_prefix(text: &str) -> Option<(IpNet, bool)> {
    let net: IpNet = text.trim().parse().ok()?;
    let trunc = net.trunc();
    Some((trunc, trunc != net))
}
