//! A plan as compact bytes and back, exactly: how the app's compile worker hands its plan to the
//! page (`ARCHITECTURE.md`, "The compile off the page's thread").
//!
//! The plan's JSON (its `Serialize`) writes every list out, 2.56 M entries for a 10k-node model;
//! these bytes keep the plan as it is held in memory (templates, arenas: a few MB), so encoding
//! and decoding cost about a copy. The format is private to one build of the engine (the page
//! and its worker are built together); [`decode`] still checks every length and tag it reads
//! and fails with a [`WireError`], never a panic, on bytes that are not a plan of this build.

use super::hop_table::HopTable;
use super::lists::{Client, Group, Lists, Source, Span};
use super::load::SingleFailures;
use super::{
    Entry, NodeAddress, NodeInfo, Plan, Server, ServiceAddress, ServiceLoad, ServicePlan,
    SubnetInfo,
};
use crate::diagnostics::{Diagnostic, DiagnosticCode, Item, Severity};
use crate::strategy::Strategy;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The first bytes of an encoded plan (and the format's version).
const MAGIC: &[u8; 4] = b"CPW1";

/// Why bytes do not decode to a plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("the plan's bytes end early (at byte {0})")]
    Truncated(usize),
    #[error("the plan's bytes are not of this build (no plan header)")]
    NotAPlan,
    #[error("the plan's bytes hold an invalid {0} at byte {1}")]
    Invalid(&'static str, usize),
}

/// The plan as bytes ([`decode`] reads them back).
pub fn encode(plan: &Plan) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 16);
    out.extend_from_slice(MAGIC);
    plan.put(&mut out);
    out
}

/// The plan [`encode`] wrote, exactly (its serialisation is byte for byte the original's).
pub fn decode(bytes: &[u8]) -> Result<Plan, WireError> {
    if bytes.get(..4) != Some(MAGIC.as_slice()) {
        return Err(WireError::NotAPlan);
    }
    let mut r = Reader { bytes, at: 4 };
    let plan = Plan::take(&mut r)?;
    if r.at != bytes.len() {
        return Err(WireError::Invalid("length", r.at));
    }
    Ok(plan)
}

/// Reads the bytes in order.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        let end = self.at.checked_add(N).ok_or(WireError::Truncated(self.at))?;
        let slice = self.bytes.get(self.at..end).ok_or(WireError::Truncated(self.at))?;
        self.at = end;
        let mut out = [0; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    /// A length, checked against what is left (each element takes at least one byte), so a
    /// corrupt length never allocates more than the bytes could hold.
    fn len(&mut self) -> Result<usize, WireError> {
        let at = self.at;
        let n = usize::try_from(u64::take(self)?).map_err(|_| WireError::Invalid("length", at))?;
        if n > self.bytes.len() - self.at {
            return Err(WireError::Invalid("length", at));
        }
        Ok(n)
    }

    fn invalid(&self, what: &'static str) -> WireError {
        WireError::Invalid(what, self.at)
    }
}

/// A value written to and read from the bytes.
trait Wire: Sized {
    fn put(&self, out: &mut Vec<u8>);
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError>;
}

macro_rules! wire_number {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
                Ok(<$t>::from_le_bytes(r.array()?))
            }
        }
    )*};
}
wire_number!(u8, u16, u32, u64, i64, f64);

impl Wire for usize {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u64).put(out);
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let at = r.at;
        usize::try_from(u64::take(r)?).map_err(|_| WireError::Invalid("index", at))
    }
}

impl Wire for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        match u8::take(r)? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(r.invalid("flag")),
        }
    }
}

impl Wire for String {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        out.extend_from_slice(self.as_bytes());
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let n = r.len()?;
        let bytes = &r.bytes[r.at..r.at + n];
        let text = std::str::from_utf8(bytes).map_err(|_| r.invalid("text"))?;
        r.at += n;
        Ok(text.to_owned())
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(if bool::take(r)? { Some(T::take(r)?) } else { None })
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        for v in self {
            v.put(out);
        }
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let n = r.len()?;
        // (The capacity bounded too: a length is checked against the bytes, not their size.)
        let mut out = Vec::with_capacity(n.min(1 << 12));
        for _ in 0..n {
            out.push(T::take(r)?);
        }
        Ok(out)
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok((A::take(r)?, B::take(r)?))
    }
}

impl Wire for IpAddr {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            IpAddr::V4(a) => {
                out.push(4);
                out.extend_from_slice(&a.octets());
            }
            IpAddr::V6(a) => {
                out.push(6);
                out.extend_from_slice(&a.octets());
            }
        }
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        match u8::take(r)? {
            4 => Ok(IpAddr::V4(Ipv4Addr::from(r.array::<4>()?))),
            6 => Ok(IpAddr::V6(Ipv6Addr::from(r.array::<16>()?))),
            _ => Err(r.invalid("address")),
        }
    }
}

impl Wire for ipnet::IpNet {
    fn put(&self, out: &mut Vec<u8>) {
        self.addr().put(out);
        self.prefix_len().put(out);
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let (addr, len) = (IpAddr::take(r)?, u8::take(r)?);
        ipnet::IpNet::new(addr, len).map_err(|_| r.invalid("prefix"))
    }
}

impl Wire for Strategy {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Strategy::Rotation => out.push(0),
            Strategy::Spread => out.push(1),
            Strategy::Rendezvous => out.push(2),
            Strategy::Shuffle { seed } => {
                out.push(3);
                seed.put(out);
            }
        }
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(match u8::take(r)? {
            0 => Strategy::Rotation,
            1 => Strategy::Spread,
            2 => Strategy::Rendezvous,
            3 => Strategy::Shuffle { seed: u64::take(r)? },
            _ => return Err(r.invalid("strategy")),
        })
    }
}

impl Wire for Severity {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(match self {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Lint => 2,
        });
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(match u8::take(r)? {
            0 => Severity::Error,
            1 => Severity::Warning,
            2 => Severity::Lint,
            _ => return Err(r.invalid("severity")),
        })
    }
}

impl Wire for DiagnosticCode {
    fn put(&self, out: &mut Vec<u8>) {
        self.name().to_owned().put(out);
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let name = String::take(r)?;
        DiagnosticCode::PLAN
            .iter()
            .chain(DiagnosticCode::BOOTSTRAP)
            .copied()
            .find(|c| c.name() == name)
            .ok_or_else(|| r.invalid("diagnostic code"))
    }
}

impl Wire for Item {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Item::Document => out.push(0),
            Item::Cluster { id } => tagged(out, 1, id),
            Item::Network { name } => tagged(out, 2, name),
            Item::Subnet { prefix } => tagged(out, 3, prefix),
            Item::Router { name } => tagged(out, 4, name),
            Item::Node { uid } => tagged(out, 5, uid),
            Item::Address { address, node } => {
                out.push(6);
                address.put(out);
                node.put(out);
            }
            Item::Service { cluster, name } => {
                out.push(7);
                cluster.put(out);
                name.put(out);
            }
        }
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(match u8::take(r)? {
            0 => Item::Document,
            1 => Item::Cluster { id: String::take(r)? },
            2 => Item::Network { name: String::take(r)? },
            3 => Item::Subnet { prefix: String::take(r)? },
            4 => Item::Router { name: String::take(r)? },
            5 => Item::Node { uid: String::take(r)? },
            6 => Item::Address { address: String::take(r)?, node: Wire::take(r)? },
            7 => Item::Service { cluster: String::take(r)?, name: String::take(r)? },
            _ => return Err(r.invalid("item")),
        })
    }
}

/// An item's tag and its one text.
fn tagged(out: &mut Vec<u8>, tag: u8, text: &String) {
    out.push(tag);
    text.put(out);
}

impl Wire for Source {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Source::Template(t) => {
                out.push(0);
                t.put(out);
            }
            Source::Stored { start, len } => {
                out.push(1);
                start.put(out);
                len.put(out);
            }
        }
    }
    fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(match u8::take(r)? {
            0 => Source::Template(u32::take(r)?),
            1 => Source::Stored { start: usize::take(r)?, len: u32::take(r)? },
            _ => return Err(r.invalid("list source")),
        })
    }
}

/// A struct written field by field, in declaration order.
macro_rules! wire_struct {
    ($($t:ident { $($f:ident),* $(,)? })*) => {$(
        impl Wire for $t {
            fn put(&self, out: &mut Vec<u8>) {
                $(self.$f.put(out);)*
            }
            fn take(r: &mut Reader<'_>) -> Result<Self, WireError> {
                Ok($t { $($f: Wire::take(r)?,)* })
            }
        }
    )*};
}

wire_struct! {
    Plan { strategy, nodes, subnets, hops, services, diagnostics }
    NodeInfo { uid, name, online, clusters, addresses }
    NodeAddress { ip, subnet }
    SubnetInfo { prefix, network, implicit, net }
    HopTable { size, subnet_start, subnet_routers, router_start, router_subnets, routed, n_routed, row_of, rows, down }
    ServicePlan { cluster, service, addresses, servers, lists, load, unreachable, tiers }
    ServiceAddress { ip, subnet, priority, server }
    Server { node, number, addresses, online }
    Lists { clients, sources, strategy, spans, entries, groups, stored }
    Client { node, number }
    Span { entries, len, groups, n_groups }
    Group { start, len, tier, hops }
    Entry { address_ix, hop_count, tier, group_size, group_index, pick, local }
    ServiceLoad { clients, first_choice, unserved, worst_single_failure, single_failures,
        unserved_after_failure, balance_first_choice, balance_worst_failure, serving, fallback }
    SingleFailures { first_choice, up, start, gains, own_first }
    Diagnostic { severity, code, item, message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::data_centre;
    use crate::{compile, document};

    /// Every fixture and example, under every strategy: the decoded plan serialises exactly as
    /// the compiled one.
    #[test]
    fn plans_come_back_exactly() {
        let mut docs = vec![data_centre(300)];
        for dir in ["../../examples", "tests/data"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(dir).expect("fixture dir") {
                let path = entry.expect("entry").path();
                if path.extension().is_some_and(|e| e == "json") {
                    if let Ok(doc) = document::read(&std::fs::read_to_string(&path).expect("read"))
                    {
                        docs.push(doc);
                    }
                }
            }
        }
        assert!(docs.len() > 5);
        for doc in &docs {
            for strategy in Strategy::all(7) {
                let plan = compile(doc, strategy);
                let back = decode(&encode(&plan)).expect("decodes");
                assert_eq!(
                    serde_json::to_string(&back).unwrap(),
                    serde_json::to_string(&plan).unwrap()
                );
                let last = plan.subnets.len().saturating_sub(1);
                assert_eq!(back.hops.path(0, last), plan.hops.path(0, last));
            }
        }
    }

    #[test]
    fn bytes_that_are_not_a_plan_are_refused() {
        let bytes = encode(&compile(&data_centre(40), Strategy::Rotation));
        assert!(matches!(decode(b"{}"), Err(WireError::NotAPlan)));
        for cut in [4, 10, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_err());
        // Every byte flipped in turn: an error or a plan, never a panic.
        for i in (4..bytes.len()).step_by(97) {
            let mut b = bytes.clone();
            b[i] ^= 0xff;
            let _ = decode(&b);
        }
    }
}
