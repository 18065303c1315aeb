//! The plan's index types and one client's list entries: what an ordered list is made of.

use serde::Serialize;

/// Index into [`super::Plan::nodes`].
pub type NodeIx = usize;
/// Index into [`super::Plan::subnets`].
pub type SubnetIx = usize;
/// Index into [`super::ServicePlan::addresses`].
pub type AddressIx = usize;
/// Index into [`super::ServicePlan::servers`].
pub type ServerIx = usize;

/// One client's ordered list, written out (see [`super::Lists::get`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientList {
    pub node: NodeIx,
    /// The client's node number in the service's cluster (`n` of the rotation).
    pub number: u32,
    /// The service's addresses, reordered for this client; first = first choice.
    pub entries: Vec<Entry>,
}

/// One position of a client's ordered list, with the data that explains it.
///
/// 16 bytes: a 10k-node plan holds 2.56 M of them. Read the address and the hop distance with
/// [`Entry::address`] and [`Entry::hops`] (the raw fields are compact encodings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Index into [`super::ServicePlan::addresses`] (as `u32`; see [`Entry::address`]).
    pub address_ix: u32,
    /// Distance from the client; [`Entry::UNREACHABLE`] = unreachable (listed last in its tier,
    /// flagged). See [`Entry::hops`].
    pub hop_count: u16,
    /// 0 = highest-priority tier.
    pub tier: u16,
    /// Size `m` of the equidistant group this entry was picked from (1 for a local entry).
    pub group_size: u16,
    /// Position of the address in its group sorted by address (0..m-1).
    pub group_index: u16,
    /// `k`: this entry was the k-th pick from its group.
    pub pick: u16,
    /// One of the client's own addresses.
    pub local: bool,
}

impl Entry {
    /// `hop_count` of an unreachable address.
    pub const UNREACHABLE: u16 = u16::MAX;

    /// The address: an index into [`super::ServicePlan::addresses`].
    pub fn address(&self) -> AddressIx {
        self.address_ix as AddressIx
    }

    /// Distance from the client in router hops; `None` = unreachable.
    pub fn hops(&self) -> Option<u32> {
        (self.hop_count != Self::UNREACHABLE).then_some(u32::from(self.hop_count))
    }

    /// Encodes a hop distance (saturating at 65,534 hops, far beyond any drawn network).
    pub fn encode_hops(hops: Option<u32>) -> u16 {
        hops.map_or(Self::UNREACHABLE, |h| h.min(u32::from(Self::UNREACHABLE) - 1) as u16)
    }
}

/// Serialised with the plain meanings: `address` (index), `hops` (`null` = unreachable).
impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Entry", 7)?;
        s.serialize_field("address", &self.address())?;
        s.serialize_field("tier", &self.tier)?;
        s.serialize_field("local", &self.local)?;
        s.serialize_field("hops", &self.hops())?;
        s.serialize_field("group_size", &self.group_size)?;
        s.serialize_field("group_index", &self.group_index)?;
        s.serialize_field("pick", &self.pick)?;
        s.end()
    }
}
