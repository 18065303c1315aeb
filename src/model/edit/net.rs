//! Address arithmetic the editor needs: which subnet holds an address, the next free address of
//! a prefix, the next free /24 for a new subnet. Pure functions over the document.

use clusterplan_engine::query;
use clusterplan_engine::Document;
use ipnet::IpNet;
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Parses a prefix as written (`10.0.1.0/24`); host bits are allowed and cleared.
pub fn parse_prefix(text: &str) -> Option<IpNet> {
    text.trim().parse::<IpNet>().ok().map(|net| net.trunc())
}

/// Checks a prefix typed by the user, strictly: it must parse, its length must fit the family,
/// and it must have no host bits set. The error names the problem.
pub fn check_prefix(text: &str) -> Result<IpNet, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("a prefix cannot be empty (write it as 10.0.1.0/24)".into());
    }
    let Some((addr, len)) = t.split_once('/') else {
        return Err(format!("{t} is not a prefix: it needs a length, as in 10.0.1.0/24"));
    };
    let Ok(ip) = addr.parse::<IpAddr>() else {
        return Err(format!("{t} is not a prefix: {addr} is not an IP address"));
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let Ok(len) = len.parse::<u8>() else {
        return Err(format!("{t} is not a prefix: the length must be a number from 0 to {max}"));
    };
    if len > max {
        return Err(format!(
            "{t} is not a prefix: /{len} is longer than the {max} bits of an {} address",
            if ip.is_ipv4() { "IPv4" } else { "IPv6" }
        ));
    }
    let net = IpNet::new(ip, len).map_err(|e| format!("{t} is not a prefix: {e}"))?;
    if net.addr() != net.network() {
        return Err(format!(
            "{t} has host bits set: the network of {} is {}",
            net.addr(),
            net.trunc()
        ));
    }
    Ok(net)
}

/// Checks an address typed by the user.
pub fn check_address(text: &str) -> Result<IpAddr, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("an address cannot be empty".into());
    }
    parse_addr(t).ok_or_else(|| format!("{t} is not an IP address (write it as 10.0.0.1)"))
}

/// The offset of `ip` from the start of `net` (its host part), if `ip` is in the same family.
fn host_part(net: &IpNet, ip: IpAddr) -> Option<u128> {
    match (net, ip) {
        (IpNet::V4(n), IpAddr::V4(a)) => Some(u128::from(u32::from(a) - u32::from(n.network()))),
        (IpNet::V6(n), IpAddr::V6(a)) => Some(u128::from(a) - u128::from(n.network())),
        _ => None,
    }
}

/// The address of `net` with host part `host`, when it is a usable host address of it (not the
/// network address, nor an IPv4 broadcast address, for prefixes with room for them).
fn with_host(net: &IpNet, host: u128) -> Option<IpAddr> {
    match net {
        IpNet::V4(n) => {
            let bits = 32 - u32::from(n.prefix_len());
            let size = 1u128 << bits;
            let usable = if bits <= 1 { host < size } else { host >= 1 && host < size - 1 };
            usable.then(|| IpAddr::V4(Ipv4Addr::from(u32::from(n.network()) + host as u32)))
        }
        IpNet::V6(n) => {
            let bits = 128 - u32::from(n.prefix_len());
            let fits = bits == 128 || host < (1u128 << bits);
            (fits && (host >= 1 || bits == 0))
                .then(|| IpAddr::V6(Ipv6Addr::from(u128::from(n.network()) + host)))
        }
    }
}

/// New addresses in `to` for `addresses` (all in `from`): the same host part where it is a free
/// host address of `to`, else the next free one. `used` holds the addresses of the document
/// (those being renumbered are released). `None` when `to` has no room for them all.
pub fn renumber(
    from: &IpNet,
    to: &IpNet,
    addresses: &[String],
    used: &HashSet<IpAddr>,
) -> Option<Vec<(String, String)>> {
    let mut used: HashSet<IpAddr> = used.clone();
    for a in addresses {
        if let Some(ip) = parse_addr(a) {
            used.remove(&ip);
        }
    }
    let mut out = Vec::new();
    let mut pending = Vec::new();
    // Same host part first, so a later address does not take an earlier one's spot.
    for a in addresses {
        let same = parse_addr(a)
            .and_then(|ip| host_part(from, ip))
            .and_then(|h| with_host(to, h))
            .filter(|ip| !used.contains(ip));
        match same {
            Some(ip) => {
                used.insert(ip);
                out.push((a.clone(), ip.to_string()));
            }
            None => pending.push(a.clone()),
        }
    }
    let to_text = to.to_string();
    for a in pending {
        let next = next_free_address_avoiding(&to_text, &used)?;
        used.insert(parse_addr(&next)?);
        out.push((a, next));
    }
    Some(out)
}

/// Parses an address as written.
pub fn parse_addr(text: &str) -> Option<IpAddr> {
    text.trim().parse().ok()
}

/// The prefix (as the document writes it) of the subnet holding `address`: longest prefix wins
/// (the engine's look-up, `clusterplan_engine::query::SubnetIndex`).
pub fn subnet_of<'a>(doc: &'a Document, address: &str) -> Option<&'a str> {
    SubnetIndex::new(doc).subnet_of(address)
}

/// The engine's subnet index, answering with the document's prefix text (the auto layout of
/// 1,000 nodes asks many times).
#[derive(Debug)]
pub struct SubnetIndex<'a> {
    doc: &'a Document,
    index: query::SubnetIndex,
}

impl<'a> SubnetIndex<'a> {
    pub fn new(doc: &'a Document) -> Self {
        SubnetIndex { doc, index: query::SubnetIndex::new(doc) }
    }

    pub fn subnet_of(&self, address: &str) -> Option<&'a str> {
        let doc: &'a Document = self.doc;
        self.index.subnet_of(address).and_then(|i| doc.subnets.get(i)).map(|s| s.prefix.as_str())
    }

    /// The names of the routers attached to the subnet written `prefix` in the document, as the
    /// engine attaches them (`query::SubnetIndex::routers_of`: a router's `10.0.1.5/24` is
    /// attached to `10.0.1.0/24`).
    pub fn routers_of(&self, prefix: &str) -> Vec<&'a str> {
        let doc: &'a Document = self.doc;
        let Some(subnet) = doc.subnets.iter().position(|s| s.prefix == prefix) else {
            return Vec::new();
        };
        let routers = self.index.routers_of(doc, subnet);
        routers.into_iter().map(|r| doc.routers[r].name.as_str()).collect()
    }
}

/// Every address used anywhere in the model (a node's interface, or a service's address even
/// when no node has it), parsed.
pub fn used_addresses(doc: &Document) -> HashSet<IpAddr> {
    doc.nodes
        .iter()
        .flat_map(|n| n.addresses.iter())
        .chain(doc.services.iter().flat_map(|s| s.addresses.iter()))
        .filter_map(|a| parse_addr(a))
        .collect()
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
    fn routers_are_attached_as_the_engine_attaches_them() {
        let mut d = doc();
        d.routers.push(clusterplan_engine::document::Router {
            name: "r".into(),
            subnets: vec!["10.0.1.5/24".into(), "fd00::/64".into()],
            ..Default::default()
        });
        let index = SubnetIndex::new(&d);
        assert_eq!(index.routers_of("10.0.1.0/24"), vec!["r"]);
        assert_eq!(index.routers_of("fd00::/64"), vec!["r"]);
        assert!(index.routers_of("10.0.0.0/16").is_empty());
        assert!(index.routers_of("10.9.9.0/24").is_empty());
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
    fn next_free_address_skips_addresses_used_anywhere_in_the_model() {
        let mut doc = doc();
        // A service published at an address no node has (yet): not handed out.
        doc.services.push(clusterplan_engine::document::Service {
            name: "registry".into(),
            cluster: "A".into(),
            addresses: vec!["10.0.1.3".into()],
            ..Default::default()
        });
        assert_eq!(next_free_address(&doc, "10.0.1.0/24").as_deref(), Some("10.0.1.4"));
    }

    #[test]
    fn next_free_prefix_avoids_overlaps() {
        let mut doc = Document::default();
        assert_eq!(next_free_prefix(&doc), "10.0.0.0/24");
        doc.subnets.push(Subnet { prefix: "10.0.0.0/23".into(), ..Default::default() });
        assert_eq!(next_free_prefix(&doc), "10.0.2.0/24");
    }

    #[test]
    fn typed_prefixes_are_checked_strictly() {
        assert_eq!(check_prefix(" 10.0.5.0/24 ").unwrap().to_string(), "10.0.5.0/24");
        assert_eq!(check_prefix("fd00::/64").unwrap().to_string(), "fd00::/64");
        let banana = check_prefix("banana").unwrap_err();
        assert!(banana.contains("banana is not a prefix"), "{banana}");
        let long = check_prefix("10.0.1.0/33").unwrap_err();
        assert!(long.contains("/33 is longer than the 32 bits"), "{long}");
        let host = check_prefix("10.0.1.5/24").unwrap_err();
        assert!(host.contains("host bits") && host.contains("10.0.1.0/24"), "{host}");
        assert!(check_prefix("10.0.1.0/x").unwrap_err().contains("length"));
        assert!(check_prefix("10.0.1.0").unwrap_err().contains("needs a length"));
        assert!(check_prefix("").is_err());
        assert!(check_address("10.0.0.999").unwrap_err().contains("not an IP address"));
        assert!(check_address("10.0.0.9").is_ok());
    }

    #[test]
    fn renumbering_keeps_host_parts_where_they_fit() {
        let from = check_prefix("10.0.2.0/24").unwrap();
        let to = check_prefix("10.0.5.0/24").unwrap();
        let used: HashSet<IpAddr> =
            ["10.0.2.12", "10.0.2.20", "10.0.5.20"].iter().map(|a| a.parse().unwrap()).collect();
        let moved = renumber(&from, &to, &["10.0.2.12".into(), "10.0.2.20".into()], &used).unwrap();
        // .20 is taken in the new prefix by someone else: the next free one.
        assert_eq!(
            moved,
            vec![("10.0.2.12".into(), "10.0.5.12".into()), ("10.0.2.20".into(), "10.0.5.1".into())]
        );
        // Into a smaller prefix: host parts that do not fit get the next free ones.
        let small = check_prefix("10.9.0.0/30").unwrap();
        let moved = renumber(&from, &small, &["10.0.2.1".into(), "10.0.2.20".into()], &used);
        assert_eq!(
            moved.unwrap(),
            vec![("10.0.2.1".into(), "10.9.0.1".into()), ("10.0.2.20".into(), "10.9.0.2".into())]
        );
        let three = ["10.0.2.1".into(), "10.0.2.2".into(), "10.0.2.3".into()];
        assert_eq!(renumber(&from, &small, &three, &used), None, "no room for three");
    }

    #[test]
    fn addresses_order_numerically() {
        assert!(address_order("10.0.0.9", "10.0.0.12").is_lt());
        assert!(address_order("10.0.0.9", "fd00::1").is_lt());
        assert!(address_order("x", "10.0.0.1").is_gt());
    }
}
