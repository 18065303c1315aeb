//! Longest-prefix look-ups: which subnet holds an address (the longest prefix containing it) and
//! which subnet has exactly a given prefix, and how the document's address and prefix text is
//! parsed. The model maps addresses and router attachments with it, and `query` answers the
//! app's look-ups with the same index.

use crate::fastmap::FastMap;
use crate::plan::SubnetIx;
use ipnet::IpNet;
use std::net::IpAddr;

/// Longest-prefix lookup: one hash map per prefix length present, longest first.
#[derive(Debug, Default)]
pub(crate) struct PrefixIndex {
    v4: Vec<(u8, FastMap<u32, SubnetIx>)>,
    v6: Vec<(u8, FastMap<u128, SubnetIx>)>,
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
    tables: &mut Vec<(u8, FastMap<K, SubnetIx>)>,
    len: u8,
    key: K,
    ix: SubnetIx,
) -> Option<SubnetIx> {
    let pos = match tables.iter().position(|(l, _)| *l == len) {
        Some(p) => p,
        None => {
            tables.push((len, FastMap::default()));
            crate::sorting::sort_by_key(tables, |x| std::cmp::Reverse(x.0));
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;
    use std::net::{Ipv4Addr, Ipv6Addr};

    /// The maps here, in the model and in the orderer are keyed by addresses and masked
    /// networks that differ only in their last bytes; std's map picks buckets from the hash's
    /// low bits, so those must spread (a plain multiplicative hash, and `rustc-hash` 2 for IPv6
    /// addresses, leave them almost all equal: the regression this guards).
    #[test]
    fn low_bits_spread_for_similar_addresses() {
        let b = foldhash::fast::FixedState::default();
        let distinct = |hashes: Vec<u64>| {
            let mut low: Vec<u64> = hashes.into_iter().map(|h| h & 0xff).collect();
            low.sort_unstable();
            low.dedup();
            low.len()
        };
        let hosts = distinct(
            (0..256u32).map(|i| b.hash_one(IpAddr::V4(Ipv4Addr::new(10, 0, 0, i as u8)))).collect(),
        );
        assert!(hosts > 128, "only {hosts} distinct low bytes of 256 host addresses");
        let v6 = distinct(
            (0..256u128)
                .map(|i| b.hash_one(IpAddr::V6(Ipv6Addr::from((0x2001_0db8u128 << 96) | i))))
                .collect(),
        );
        assert!(v6 > 128, "only {v6} distinct low bytes of 256 IPv6 host addresses");
        let networks =
            distinct((0..256u32).map(|i| b.hash_one((10u32 << 24) | (i << 8))).collect());
        assert!(networks > 128, "only {networks} distinct low bytes of 256 /24 networks");
    }

    #[test]
    fn the_longest_prefix_wins_and_the_first_of_a_duplicate_stays() {
        let mut index = PrefixIndex::default();
        let net = |t: &str| parse_prefix(t).unwrap().0;
        assert_eq!(index.insert(net("10.0.0.0/8"), 0), None);
        assert_eq!(index.insert(net("10.1.0.0/16"), 1), None);
        assert_eq!(index.insert(net("10.1.0.9/16"), 2), Some(1));
        assert_eq!(index.find(parse_ip("10.1.2.3").unwrap()), Some(1));
        assert_eq!(index.find(parse_ip("10.2.2.3").unwrap()), Some(0));
        assert_eq!(index.find(parse_ip("11.0.0.1").unwrap()), None);
        assert_eq!(index.exact(net("10.1.0.0/16")), Some(1));
        assert_eq!(index.exact(net("10.1.0.0/24")), None);
    }
}
