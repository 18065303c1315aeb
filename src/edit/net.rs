//! Address arithmetic the editor needs: which subnet holds an address, the next free address of
//! a prefix, the next free /24 for a new subnet. Pure functions over the document.

use clusterplan_engine::Document;
use ipnet::IpNet;
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Parses a prefix as written (`10.0.1.0/24`); host bits are allowed and cleared.
pub fn parse_prefix(text: &str) -> Option<IpNet> {
    text.trim().parse::<IpNet>().ok().map(|net| net.trunc())
}

/// Parses an address as written.
pub fn parse_addr(text: &str) -> Option<IpAddr> {
    text.trim().parse().ok()
}

/// The prefix (as the document writes it) of the subnet holding `address`: longest prefix wins.
pub fn subnet_of<'a>(doc: &'a Document, address: &str) -> Option<&'a str> {
    let ip = parse_addr(address)?;
    doc.subnets
        .iter()
        .filter_map(|s| parse_prefix(&s.prefix).map(|net| (net, s.prefix.as_str())))
        .filter(|(net, _)| net.contains(&ip))
        .max_by_key(|(net, _)| net.prefix_len())
        .map(|(_, prefix)| prefix)
}

/// Precomputed subnets for many look-ups (the auto layout of 1,000 nodes).
#[derive(Debug)]
pub struct SubnetIndex<'a> {
    nets: Vec<(IpNet, &'a str)>,
}

impl<'a> SubnetIndex<'a> {
    pub fn new(doc: &'a Document) -> Self {
        let mut nets: Vec<(IpNet, &str)> = doc
            .subnets
            .iter()
            .filter_map(|s| parse_prefix(&s.prefix).map(|net| (net, s.prefix.as_str())))
            .collect();
        // Longest prefix first, so the first match wins.
        nets.sort_by_key(|(net, _)| std::cmp::Reverse(net.prefix_len()));
        SubnetIndex { nets }
    }

    pub fn subnet_of(&self, address: &str) -> Option<&'a str> {
        let ip = parse_addr(address)?;
        self.nets.iter().find(|(net, _)| net.contains(&ip)).map(|(_, p)| *p)
    }
}

/// Every address used by a node of the document, parsed.
pub fn used_addresses(doc: &Document) -> HashSet<IpAddr> {
    doc.nodes.iter().flat_map(|n| n.addresses.iter()).filter_map(|a| parse_addr(a)).collect()
}

/// The lowest host address of `prefix` that no node uses (the network address, and the
/// broadcast address of an IPv4 prefix shorter than /31, are never given). `None` when the
/// prefix does not parse or is full.
pub fn next_free_address(doc: &Document, prefix: &str) -> Option<String> {
    next_free_address_avoiding(prefix, &used_addresses(doc))
}

/// As [`next_free_address`], with the set of used addresses given (to hand out several).
pub fn next_free_address_avoiding(prefix: &str, used: &HashSet<IpAddr>) -> Option<String> {
    const MAX_TRIES: u128 = 1 << 20;
    let net = parse_prefix(prefix)?;
    match net {
        IpNet::V4(v4) => {
            let base = u32::from(v4.network()) as u128;
            let size = 1u128 << (32 - v4.prefix_len());
            let (first, last) = if v4.prefix_len() >= 31 { (0, size - 1) } else { (1, size - 2) };
            (first..=last.min(first + MAX_TRIES))
                .map(|offset| IpAddr::V4(Ipv4Addr::from((base + offset) as u32)))
                .find(|ip| !used.contains(ip))
                .map(|ip| ip.to_string())
        }
        IpNet::V6(v6) => {
            let base = u128::from(v6.network());
            let bits = 128 - u32::from(v6.prefix_len());
            let size_minus_one = if bits == 128 { u128::MAX } else { (1u128 << bits) - 1 };
            let first = if bits == 0 { 0 } else { 1 };
            (first..=size_minus_one.min(first + MAX_TRIES))
                .map(|offset| IpAddr::V6(Ipv6Addr::from(base + offset)))
                .find(|ip| !used.contains(ip))
                .map(|ip| ip.to_string())
        }
    }
}

/// A prefix for a new subnet: the first `10.0.N.0/24` (N = 0..255, then `10.M.N.0/24`) that
/// overlaps no subnet of the document.
pub fn next_free_prefix(doc: &Document) -> String {
    let existing: Vec<IpNet> = doc.subnets.iter().filter_map(|s| parse_prefix(&s.prefix)).collect();
    for m in 0..=255u8 {
        for n in 0..=255u8 {
            let candidate = IpNet::V4(
                ipnet::Ipv4Net::new(Ipv4Addr::new(10, m, n, 0), 24).expect("/24 is a valid length"),
            );
            let overlaps = existing
                .iter()
                .any(|e| e.contains(&candidate.network()) || candidate.contains(&e.network()));
            if !overlaps {
                return candidate.to_string();
            }
        }
    }
    "192.168.0.0/24".to_owned()
}

/// Numeric order of addresses (IPv4 before IPv6); unparseable text last, textually.
pub fn address_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (parse_addr(a), parse_addr(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clusterplan_engine::document::{Node, Subnet};

    fn doc() -> Document {
        let mut doc = Document::default();
        for prefix in ["10.0.0.0/16", "10.0.1.0/24", "fd00::/64", "10.0.2.0/31"] {
            doc.subnets.push(Subnet {
                prefix: prefix.into(),
                network: "lan".into(),
                ..Default::default()
            });
        }
        doc.nodes.push(Node {
            uid: "a".into(),
            addresses: vec!["10.0.1.1".into(), "10.0.1.2".into(), "fd00::1".into()],
            ..Default::default()
        });
        doc
    }

    #[test]
    fn longest_prefix_wins() {
        let doc = doc();
        assert_eq!(subnet_of(&doc, "10.0.1.7"), Some("10.0.1.0/24"));
        assert_eq!(subnet_of(&doc, "10.0.9.7"), Some("10.0.0.0/16"));
        assert_eq!(subnet_of(&doc, "192.168.0.1"), None);
        assert_eq!(subnet_of(&doc, "not an address"), None);
        let index = SubnetIndex::new(&doc);
        assert_eq!(index.subnet_of("10.0.1.7"), Some("10.0.1.0/24"));
        assert_eq!(index.subnet_of("fd00::9"), Some("fd00::/64"));
    }

    #[test]
    fn next_free_address_skips_used_network_and_broadcast() {
        let doc = doc();
        assert_eq!(next_free_address(&doc, "10.0.1.0/24").as_deref(), Some("10.0.1.3"));
        assert_eq!(next_free_address(&doc, "fd00::/64").as_deref(), Some("fd00::2"));
        assert_eq!(next_free_address(&doc, "10.0.2.0/31").as_deref(), Some("10.0.2.0"));
        let mut full = Document::default();
        full.nodes.push(Node {
            uid: "x".into(),
            addresses: vec!["10.9.0.1".into(), "10.9.0.2".into()],
            ..Default::default()
        });
        assert_eq!(next_free_address(&full, "10.9.0.0/30"), None, "/30 has two hosts, both used");
        assert_eq!(next_free_address(&full, "garbage"), None);
    }

    #[test]
    fn next_free_prefix_avoids_overlaps() {
        let mut doc = Document::default();
        assert_eq!(next_free_prefix(&doc), "10.0.0.0/24");
        doc.subnets.push(Subnet { prefix: "10.0.0.0/23".into(), ..Default::default() });
        assert_eq!(next_free_prefix(&doc), "10.0.2.0/24");
    }

    #[test]
    fn addresses_order_numerically() {
        assert!(address_order("10.0.0.9", "10.0.0.12").is_lt());
        assert!(address_order("10.0.0.9", "fd00::1").is_lt());
        assert!(address_order("x", "10.0.0.1").is_gt());
    }
}
