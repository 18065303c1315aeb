//! The autosave's history, as data: which saved versions are kept (the last [`KEEP_LAST`]
//! distinct saves, and before them the last save of each day) and how a version is described
//! in the Versions dialog. Pure; `idb.rs` stores them (`docs/editor.md`, "Saving and versions").

use clusterplan_engine::sorting;

/// How many of the newest saves are always kept.
pub const KEEP_LAST: usize = 20;

/// A saved version, without its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Version {
    /// Its key in storage: later saves have larger ids.
    pub id: u32,
    /// When it was saved (milliseconds since the Unix epoch).
    pub saved_ms: f64,
    /// How many nodes its model has (shown in the list).
    pub nodes: u32,
}

/// The ids of the versions to delete, given all of them (any order) and the local time zone's
/// offset from UTC in minutes (east positive): every version beyond the newest [`KEEP_LAST`]
/// except the newest of its local day.
pub fn to_drop(versions: &[Version], utc_offset_min: f64) -> Vec<u32> {
    let mut newest_first: Vec<&Version> = versions.iter().collect();
    sorting::sort_by_key(&mut newest_first, |v| std::cmp::Reverse(v.id));
    let day =
        |v: &Version| ((v.saved_ms + utc_offset_min * 60_000.0) / 86_400_000.0).floor() as i64;
    let mut days_kept = std::collections::HashSet::new();
    let mut drop = Vec::new();
    for (i, v) in newest_first.into_iter().enumerate() {
        // The newest of each day is kept, also among the last saves (so a day is not kept twice).
        let first_of_day = days_kept.insert(day(v));
        if i >= KEEP_LAST && !first_of_day {
            drop.push(v.id);
        }
    }
    drop.sort_unstable();
    drop
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: f64 = 86_400_000.0;

    fn v(id: u32, saved_ms: f64) -> Version {
        Version { id, saved_ms, nodes: 1 }
    }

    #[test]
    fn the_last_twenty_and_one_a_day_are_kept() {
        // Fewer than 20: all kept.
        let few: Vec<Version> = (1..=20).map(|i| v(i, f64::from(i) * 1000.0)).collect();
        assert!(to_drop(&few, 0.0).is_empty());
        // 3 days of 30 saves each (ids 1..=90, in order): the last 20 of day 3, and the last
        // save of days 1 and 2.
        let all: Vec<Version> =
            (0..90u32).map(|i| v(i + 1, f64::from(i / 30) * DAY + f64::from(i) * 1000.0)).collect();
        let dropped = to_drop(&all, 0.0);
        let kept: Vec<u32> = (1..=90).filter(|id| !dropped.contains(id)).collect();
        let mut expected = vec![30, 60];
        expected.extend(71..=90);
        assert_eq!(kept, expected);
        // Applying it again drops nothing more (a stable history).
        let rest: Vec<Version> = all.iter().copied().filter(|x| kept.contains(&x.id)).collect();
        assert!(to_drop(&rest, 0.0).is_empty());
        // The day is the local one: 21:00 and 00:30 UTC are two days in UTC and at UTC+2, one
        // day at UTC-2 (19:00 and 22:30).
        let late = [v(1, DAY - 3.0 * 3_600_000.0), v(2, DAY + 1_800_000.0)];
        let many: Vec<Version> =
            late.iter().copied().chain((3..=22).map(|i| v(i, 5.0 * DAY))).collect();
        assert!(to_drop(&many, 0.0).is_empty());
        assert!(to_drop(&many, 120.0).is_empty());
        assert_eq!(to_drop(&many, -120.0), vec![1]);
    }
}
