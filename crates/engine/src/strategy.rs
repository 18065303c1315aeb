//! Strategies for ordering a group of equidistant addresses (docs/spec.md §7); `Rotation` is the source's.

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
}
