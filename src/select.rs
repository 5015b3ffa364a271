//! Selectors: how `--select`, `--ignore` and settings name rules and heuristics. A selector
//! is an id (`cookie/consent-notice`, `heuristic/footer-zone`) or a family, the part before
//! the slash (`cookie`, `heuristic`), which selects every id in it.

/// The one of `names` closest to `name` by edit distance, when it is close enough to be what
/// was meant (at most a quarter of the name's length, and at least one edit away is allowed).
pub fn did_you_mean<'n>(name: &str, names: &[&'n str]) -> Option<&'n str> {
    let name: Vec<char> = name.chars().collect();
    let limit = (name.len() / 4).max(1);
    let mut best: Option<(usize, &str)> = None;
    for &n in names {
        let d = edit_distance(&name, &n.chars().collect::<Vec<_>>());
        if d <= limit && best.is_none_or(|(b, bn)| (d, n) < (b, bn)) {
            best = Some((d, n));
        }
    }
    best.map(|(_, n)| n)
}

/// Edit distance counting a swap of two neighbouring characters as one edit (optimal string
/// alignment): `cookei` is one edit from `cookie`.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[n][m]
}

/// True when selector `sel` names rule `id` or its family.
pub(crate) fn selects(sel: &str, id: &str) -> bool {
    let sel = sel.trim_end_matches('/');
    id == sel || (id.len() > sel.len() && id.starts_with(sel) && id.as_bytes()[sel.len()] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_match_ids_and_families() {
        assert!(selects("cookie", "cookie/consent-notice"));
        assert!(selects("cookie/", "cookie/consent-notice"));
        assert!(selects("cookie/consent-notice", "cookie/consent-notice"));
        assert!(!selects("cook", "cookie/consent-notice"));
        assert!(!selects("cookie/consent", "cookie/consent-notice"));
    }
}
