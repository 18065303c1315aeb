//! One shared stable sort for cold paths: the standard library's order, one copy of its code.
//!
//! Every `sort_by`/`sort_by_key` call with its own closure or element type is a new copy of the
//! standard library's stable sort (~6 KB of WASM each; docs/performance.md, "Release bundle").
//! [`sort_by`] sorts the elements' indices with one non-generic sort that compares through a
//! `&dyn Fn`, then moves the elements into that order. A stable sort's result is fixed by its
//! comparison alone, so the order is exactly the one `v.sort_by(compare)` gives (the tests below
//! check it against the standard library). The indirect comparison and the extra pass cost time:
//! use it where a sort runs once per question or per render, never in the compile's hot loops
//! (`ordering`, `build`).
//!
//! `collect()` into a `BTreeMap` or `BTreeSet` sorts the items first, another copy of the sort
//! per item type: [`btree_map`] and [`btree_set`] build the same collections by inserting.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `v` stably by `compare`: the order `v.sort_by(compare)` gives.
pub fn sort_by<T>(v: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = sorted_indices(v.len(), &|a, b| compare(&v[a], &v[b]));
    permute(v, order);
}

/// Sorts `v` stably by the key `key` gives each element: the order `v.sort_by_key(key)` gives.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` by its elements' own order: the order `v.sort()` gives.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The map `items.collect()` gives (a repeated key ends with its last value), built by
/// inserting the items one by one instead of sorting them first.
pub fn btree_map<K: Ord, V>(items: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in items {
        map.insert(key, value);
    }
    map
}

/// The set `items.collect()` gives, built by inserting the items one by one instead of sorting
/// them first. Of equal items the set keeps the first, `collect()` the last: use it where equal
/// items are the same (numbers, strings, tuples of them).
pub fn btree_set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// The indices `0..len` in the stable order of `compare` on them: the one copy of the standard
/// library's sort that every caller shares.
#[inline(never)]
fn sorted_indices(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    #[allow(clippy::disallowed_methods, reason = "the one copy of the sort every caller shares")]
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges `v` so that `v[i]` becomes the element at `order[i]` before, by swapping along each
/// cycle of the permutation (no copies of the elements, no `Clone`).
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            v.swap(at, from);
            // Done with `at`: it holds its element now; mark it as a fixed point.
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small, repeatable pseudo-random sequence (no dependency for the tests).
    fn numbers(n: usize, seed: u64, modulo: u64) -> Vec<u64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (x >> 33) % modulo
            })
            .collect()
    }

    #[test]
    #[allow(
        clippy::disallowed_methods,
        reason = "the standard library's sort is what the shared one is checked against"
    )]
    fn gives_the_standard_librarys_stable_order_with_ties() {
        for n in [0, 1, 2, 3, 7, 20, 21, 100, 1000, 5000] {
            for modulo in [1, 2, 5, 1000] {
                // (key, original position): the position tells a tie's order apart.
                let v: Vec<(u64, usize)> =
                    numbers(n, n as u64 + modulo, modulo).into_iter().zip(0..).collect();
                let mut expected = v.clone();
                expected.sort_by_key(|x| x.0);
                let mut got = v.clone();
                sort_by_key(&mut got, |x| x.0);
                assert_eq!(got, expected, "n = {n}, keys mod {modulo}");
                let mut descending = v.clone();
                sort_by(&mut descending, |a, b| b.0.cmp(&a.0));
                expected.sort_by_key(|x| std::cmp::Reverse(x.0));
                assert_eq!(descending, expected, "descending, n = {n}, keys mod {modulo}");
            }
        }
    }

    #[test]
    fn maps_and_sets_are_the_ones_collect_gives() {
        let keys = numbers(500, 3, 60);
        let pairs: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
        assert_eq!(btree_map(pairs.clone()), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(btree_set(keys.clone()), keys.into_iter().collect::<BTreeSet<_>>());
    }

    #[test]
    fn moves_elements_without_cloning_them() {
        // Strings own their bytes: a wrong permutation would lose or repeat one.
        let words: Vec<String> = numbers(300, 7, 50).iter().map(|x| format!("w{x}")).collect();
        let mut expected = words.clone();
        expected.sort();
        let mut got = words;
        sort(&mut got);
        assert_eq!(got, expected);
    }
}
