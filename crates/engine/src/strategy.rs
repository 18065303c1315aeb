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

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown strategy {0:?}: expected rotation, spread, rendezvous or shuffle")]
pub struct UnknownStrategy(pub String);

impl FromStr for Strategy {
    type Err = UnknownStrategy;
    /// `rotation`, `spread`, `rendezvous`, `shuffle` (seed 0) or `shuffle:SEED`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "rotation" => Ok(Strategy::Rotation),
            "spread" => Ok(Strategy::Spread),
            "rendezvous" => Ok(Strategy::Rendezvous),
            "shuffle" => Ok(Strategy::Shuffle { seed: 0 }),
            _ => s
                .strip_prefix("shuffle:")
                .and_then(|seed| seed.parse().ok())
                .map(|seed| Strategy::Shuffle { seed })
                .ok_or_else(|| UnknownStrategy(s.to_owned())),
        }
    }
}
