//! The engine's few words for figures, written once for the engine, the CLI and the app: a
//! number and its noun ([`count`]), a ratio or [`NONE`] ([`ratio`]), `100,000`
//! ([`thousands`]), `2nd` ([`ordinal`]).

/// How a figure that does not exist reads (a balance without servers, a removal with one
/// server): `n/a`, in every table and line of the CLI and the app.
pub const NONE: &str = "n/a";

/// `1 service`, `2 services`, `0 services`: a number and its noun, singular only for one.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A ratio (a balance, a mean) as tables and lines show it: `1.50`, or [`NONE`].
pub fn ratio(r: Option<f64>) -> String {
    r.map_or_else(|| NONE.to_owned(), |r| format!("{r:.2}"))
}

/// `100,000`: the digits in groups of three.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `12th`, `13th`, `21st`.
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_singular_only_for_one() {
        assert_eq!(count(1, "client list", "client lists"), "1 client list");
        assert_eq!(count(3, "client list", "client lists"), "3 client lists");
        assert_eq!(count(0, "address", "addresses"), "0 addresses");
    }

    #[test]
    fn ratios_have_two_decimals_or_say_none() {
        assert_eq!(ratio(Some(1.5)), "1.50");
        assert_eq!(ratio(Some(2.0 / 3.0)), "0.67");
        assert_eq!(ratio(None), "n/a");
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn ordinals_read_as_words() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal).into();
        assert_eq!(
            got,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
        );
    }
}
