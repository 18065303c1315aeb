//! Strategies for ordering a group of equidistant addresses (docs/spec.md §7); `Rotation` is the
//! source's. This module is the one place of each strategy's maths (the rotation's
//! `((n mod m) + k) mod m`, spread's picks, rendezvous weights and their order, the seeded
//! shuffle) and of the formula text that explains a pick ([`Strategy::formula`]); the orderer,
//! the compact lists, the strategy comparison and the explanations all call it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "lowercase")]
pub enum Strategy {
    /// The source's rule: k-th pick = ((n mod m) + k) mod m. The reference.
    #[default]
    Rotation,
    /// First pick as rotation; later picks spread a failed server's clients over its neighbours.
    Spread,
    /// Highest random weight: descending FNV-1a-64(uid + "|" + address), ties by address.
    Rendezvous,
    /// A seeded per-client random permutation.
    Shuffle { seed: u64 },
}

impl Strategy {
    /// The four strategies, in the order the planner compares them.
    pub fn all(seed: u64) -> [Strategy; 4] {
        [Strategy::Rotation, Strategy::Spread, Strategy::Rendezvous, Strategy::Shuffle { seed }]
    }

    pub fn name(self) -> &'static str {
        match self {
            Strategy::Rotation => "rotation",
            Strategy::Spread => "spread",
            Strategy::Rendezvous => "rendezvous",
            Strategy::Shuffle { .. } => "shuffle",
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Text that names no strategy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnknownStrategy {
    #[error(
        "unknown strategy {0:?}: expected rotation, spread, rendezvous, shuffle or shuffle:SEED"
    )]
    Name(String),
    #[error(
        "strategy {text:?}: the shuffle's seed must be a number from 0 to {}, not {seed:?}",
        u64::MAX
    )]
    Seed { text: String, seed: String },
}

impl FromStr for Strategy {
    type Err = UnknownStrategy;
    /// `rotation`, `spread`, `rendezvous`, `shuffle` (seed 0) or `shuffle:SEED`, without regard
    /// to case or surrounding spaces (the CLI's `--strategy`, a link's `strategy=`, the app's
    /// picker all read it here).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_str() {
            "rotation" => Ok(Strategy::Rotation),
            "spread" => Ok(Strategy::Spread),
            "rendezvous" => Ok(Strategy::Rendezvous),
            "shuffle" => Ok(Strategy::Shuffle { seed: 0 }),
            _ => {
                const SHUFFLE: &str = "shuffle:";
                if !lower.starts_with(SHUFFLE) {
                    return Err(UnknownStrategy::Name(s.to_owned()));
                }
                // (ASCII lowercasing keeps byte offsets.)
                let seed = s.trim()[SHUFFLE.len()..].trim();
                seed.parse().map(|seed| Strategy::Shuffle { seed }).map_err(|_| {
                    UnknownStrategy::Seed { text: s.to_owned(), seed: seed.to_owned() }
                })
            }
        }
    }
}

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

/// `r = n mod m`: the group index a client numbered `n` picks first in a group of `m > 0`
/// addresses, under `rotation` and `spread` alike (docs/spec.md §7).
#[inline]
pub fn rotation_start(n: u32, m: u32) -> usize {
    (n % m) as usize
}

/// The `rotation` strategy's k-th pick: `((n mod m) + k) mod m`.
#[inline]
pub fn rotation_index(n: u64, m: u64, k: u64) -> u64 {
    ((n % m) + k) % m
}

/// Appends a group in the rotation's order for a client whose first pick is `r`
/// ([`rotation_start`]): the group from index `r` on, then its head.
#[inline]
pub fn rotate<T: Copy>(group: &[T], r: usize, out: &mut Vec<T>) {
    out.extend_from_slice(&group[r..]);
    out.extend_from_slice(&group[..r]);
}

/// The `spread` strategy's k-th pick in a group of `m` for node number `n` (docs/spec.md §7):
/// the first pick is the rotation's, the later ones spread over the other addresses by `n / m`.
pub fn spread_index(n: u64, m: u64, k: u64) -> u64 {
    if k == 0 || m < 2 {
        return rotation_index(n, m, k);
    }
    let f = n % m;
    (f + 1 + ((n / m + k - 1) % (m - 1))) % m
}

/// The rendezvous hash state of a client: FNV-1a-64 over `uid + "|"`, continued by
/// [`rendezvous_weight_from`] for each address.
#[inline]
pub fn rendezvous_client(uid: &str) -> u64 {
    fnv1a64(fnv1a64(FNV_OFFSET, uid.as_bytes()), b"|")
}

/// The rendezvous weight of an address for a client state from [`rendezvous_client`].
#[inline]
pub fn rendezvous_weight_from(client: u64, address: &str) -> u64 {
    fnv1a64(client, address.as_bytes())
}

/// The rendezvous weight of an address for a client: FNV-1a-64 of `uid + "|" + address text`.
pub fn rendezvous_weight(uid: &str, address: &str) -> u64 {
    rendezvous_weight_from(rendezvous_client(uid), address)
}

/// Sorts (weight, group index) pairs into the rendezvous order: descending weight, ties by
/// index (that is, by address).
#[inline]
#[allow(
    clippy::disallowed_methods,
    reason = "the compile's hot path: every group of every client's list under rendezvous"
)]
pub fn rendezvous_sort(weights: &mut [(u64, u32)]) {
    weights.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
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
/// tier and hops (so groups shuffle independently; unreachable counts as `u32::MAX` hops).
pub fn shuffle_seed(seed: u64, uid: &str, tier: u16, hops: Option<u32>) -> u64 {
    let mut s = seed ^ fnv1a64(FNV_OFFSET, uid.as_bytes());
    s ^= u64::from(tier) << 48;
    s ^= u64::from(hops.unwrap_or(u32::MAX)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
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

/// A client as the strategies see it when they order its groups.
#[derive(Debug, Clone, Copy)]
pub struct Client<'a> {
    /// `n`: its node number (rotation, spread).
    pub number: u32,
    /// Its UID (rendezvous, shuffle).
    pub uid: &'a str,
    /// [`rendezvous_client`] of the UID, under rendezvous (computed once per client).
    rendezvous: u64,
}

impl<'a> Client<'a> {
    pub fn new(strategy: Strategy, number: u32, uid: &'a str) -> Self {
        let rendezvous =
            if matches!(strategy, Strategy::Rendezvous) { rendezvous_client(uid) } else { 0 };
        Client { number, uid, rendezvous }
    }
}

/// What [`order_group`] writes: the group's indices in pick order, and its scratch space.
#[derive(Debug, Default)]
pub struct GroupOrder {
    /// `picks[k]`: the k-th pick, as an index into the group in address order.
    pub picks: Vec<u32>,
    weights: Vec<(u64, u32)>,
}

/// Orders one group of `m` equidistant addresses (in address order; `text(i)` is the i-th
/// one's text, read by rendezvous only) of tier `tier` at `hops` (`None`: unreachable) for
/// `client`, as `strategy` does (docs/spec.md §7), into `into.picks`. The one dispatch of the
/// strategies over a whole group: the orderer's lists and the comparison's what-ifs both order
/// through it.
pub fn order_group<'t>(
    strategy: Strategy,
    client: &Client<'_>,
    m: usize,
    tier: u16,
    hops: Option<u32>,
    text: impl Fn(usize) -> &'t str,
    into: &mut GroupOrder,
) {
    let picks = &mut into.picks;
    picks.clear();
    if m <= 1 {
        picks.extend((0..m).map(|i| i as u32));
        return;
    }
    let (n, m64) = (u64::from(client.number), m as u64);
    match strategy {
        Strategy::Rotation => {
            let r = rotation_start(client.number, m as u32) as u32;
            picks.extend((r..m as u32).chain(0..r));
        }
        Strategy::Spread => picks.extend((0..m64).map(|k| spread_index(n, m64, k) as u32)),
        Strategy::Rendezvous => {
            let weights = &mut into.weights;
            weights.clear();
            weights.extend(
                (0..m).map(|i| (rendezvous_weight_from(client.rendezvous, text(i)), i as u32)),
            );
            rendezvous_sort(weights);
            picks.extend(weights.iter().map(|&(_, i)| i));
        }
        Strategy::Shuffle { seed } => {
            shuffle_permutation(shuffle_seed(seed, client.uid, tier, hops), m, picks)
        }
    }
}

/// One pick from an equidistant group, as [`Strategy::formula`] explains it.
#[derive(Debug, Clone, Copy)]
pub struct Pick<'a> {
    /// `n`: the client's node number.
    pub n: u64,
    /// `m`: the group's size.
    pub m: u64,
    /// `k`: the k-th pick from the group.
    pub k: u64,
    /// The picked address's position in the group sorted by address.
    pub index: u32,
    pub client_uid: &'a str,
    /// The picked address as text.
    pub address: &'a str,
    pub tier: u16,
    pub hops: Option<u32>,
}

impl Strategy {
    /// The strategy's rule for one pick with the numbers filled in, e.g.
    /// `index = ((5 mod 3) + 0) mod 3 = 2`.
    pub fn formula(self, p: &Pick<'_>) -> String {
        let Pick { n, m, k, index, client_uid, address, .. } = *p;
        let m1 = m.max(1);
        match self {
            Strategy::Rotation => {
                format!("index = (({n} mod {m}) + {k}) mod {m} = {}", rotation_index(n, m1, k))
            }
            Strategy::Spread if k == 0 => {
                format!("index = {n} mod {m} = {}", rotation_index(n, m1, 0))
            }
            Strategy::Spread => {
                let f = rotation_index(n, m1, 0);
                let m_1 = m.saturating_sub(1).max(1);
                format!(
                    "f = {n} mod {m} = {f}; index = (f + 1 + ((floor({n} / {m}) + {k} - 1) mod {m_1})) mod {m} \
                     = ({f} + 1 + (({} + {k} - 1) mod {m_1})) mod {m} = {}",
                    n / m1,
                    spread_index(n, m1, k)
                )
            }
            Strategy::Rendezvous => {
                let w = rendezvous_weight(client_uid, address);
                format!(
                    "weight = FNV-1a-64(\"{client_uid}|{address}\") = {w:#018x}; rank {k} of {m} by descending weight"
                )
            }
            Strategy::Shuffle { seed } => format!(
                "seeded permutation (seed {seed}, client {client_uid}, group state {:#018x}): pick {k} of {m} \
                 is index {index}",
                shuffle_seed(seed, client_uid, p.tier, p.hops)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_without_regard_to_case_or_spaces() {
        assert_eq!("SPREAD".parse(), Ok(Strategy::Spread));
        assert_eq!(" Rendezvous ".parse(), Ok(Strategy::Rendezvous));
        assert_eq!("Shuffle:42".parse(), Ok(Strategy::Shuffle { seed: 42 }));
        assert_eq!("shuffle".parse(), Ok(Strategy::Shuffle { seed: 0 }));
        for s in Strategy::all(7) {
            assert_eq!(crate::share::strategy_text(s).parse(), Ok(s));
        }
    }

    #[test]
    fn a_seed_that_is_not_a_number_is_said_to_be_one() {
        let err = "shuffle:abc".parse::<Strategy>().unwrap_err();
        assert_eq!(err, UnknownStrategy::Seed { text: "shuffle:abc".into(), seed: "abc".into() });
        assert_eq!(
            err.to_string(),
            "strategy \"shuffle:abc\": the shuffle's seed must be a number from 0 to 18446744073709551615, not \"abc\""
        );
        assert!(matches!("fastest".parse::<Strategy>(), Err(UnknownStrategy::Name(_))));
        assert!(matches!("shuffle:-1".parse::<Strategy>(), Err(UnknownStrategy::Seed { .. })));
    }

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
    fn order_group_picks_each_address_once_as_each_strategy_says() {
        let texts: Vec<String> = (0..7).map(|i| format!("10.0.0.{i}")).collect();
        let mut order = GroupOrder::default();
        for strategy in Strategy::all(3) {
            for m in 0..texts.len() {
                for n in 0..20u32 {
                    let client = Client::new(strategy, n, "node-a");
                    let text = |i: usize| texts[i].as_str();
                    order_group(strategy, &client, m, 1, Some(2), text, &mut order);
                    let mut seen = order.picks.clone();
                    seen.sort_unstable();
                    assert_eq!(seen, (0..m as u32).collect::<Vec<_>>(), "{strategy} m={m} n={n}");
                    let (n, m) = (u64::from(n), m as u64);
                    for (k, &pick) in order.picks.iter().enumerate() {
                        let k = k as u64;
                        match strategy {
                            Strategy::Rotation => {
                                assert_eq!(u64::from(pick), rotation_index(n, m, k))
                            }
                            Strategy::Spread => assert_eq!(u64::from(pick), spread_index(n, m, k)),
                            _ => {}
                        }
                    }
                }
            }
        }
        // Rendezvous: descending weight of uid|address.
        let client = Client::new(Strategy::Rendezvous, 0, "node-a");
        order_group(Strategy::Rendezvous, &client, 7, 0, None, |i| texts[i].as_str(), &mut order);
        let weights: Vec<u64> =
            order.picks.iter().map(|&i| rendezvous_weight("node-a", &texts[i as usize])).collect();
        assert!(weights.windows(2).all(|w| w[0] >= w[1]), "{weights:?}");
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
