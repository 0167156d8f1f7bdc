//! `--shard K/N`: the disjoint, balanced parts of a sweep that `merge`
//! joins.

use anyhow::{Result, bail};

/// `K/N` with 1 <= K <= N.
pub(super) fn parse_shard(s: &str) -> Result<(usize, usize)> {
    let parsed = s.split_once('/').and_then(|(k, n)| {
        Some((
            k.trim().parse::<usize>().ok()?,
            n.trim().parse::<usize>().ok()?,
        ))
    });
    match parsed {
        Some((k, n)) if k >= 1 && k <= n => Ok((k, n)),
        _ => bail!("--shard {s}: expected K/N with 1 <= K <= N, like 1/4"),
    }
}

/// The points of shard `(k, n)`: every n-th point from the (k-1)-th, so
/// parts are disjoint, cover the sweep, and differ in size by at most one.
pub(super) fn shard_points(total: usize, shard: Option<(usize, usize)>) -> Vec<usize> {
    (0..total)
        .filter(|i| shard.is_none_or(|(k, n)| i % n == k - 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_disjoint_balanced_and_complete() {
        for total in [0, 1, 7, 100] {
            for n in 1..=5 {
                let parts: Vec<Vec<usize>> =
                    (1..=n).map(|k| shard_points(total, Some((k, n)))).collect();
                let mut all: Vec<usize> = parts.concat();
                all.sort();
                assert_eq!(all, (0..total).collect::<Vec<_>>());
                let sizes: Vec<usize> = parts.iter().map(Vec::len).collect();
                assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
            }
        }
    }

    #[test]
    fn shard_syntax() {
        assert_eq!(parse_shard("2/4").unwrap(), (2, 4));
        for bad in ["3/2", "0/0", "0/3", "1", "a/b", "1/0"] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }
}
