//! Property tests of `validate`: equivalence with an independent oracle, exactness of each
//! violation, and redaction of `Violations`' text.
//!
//! Cases: 10,000 per property by default; set `PROPTEST_CASES` to change it. Failures proptest
//! finds are kept in `proptest-regressions/` (checked in) and replayed first.

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use vonage_secrets_policy::{Violation, validate};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    ProptestConfig {
        cases,
        // Integration tests have no lib.rs beside them for the default `SourceParallel`.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/rules.txt",
        ))),
        ..ProptestConfig::default()
    }
}

/// The oracle: the rules written again, differently (code points and counts per class, not
/// `char` methods and flags), from the documented rules rather than from `validate`.
struct Oracle {
    length: usize,
    lower: usize,
    upper: usize,
    digits: usize,
    not_portable: Vec<usize>,
}

impl Oracle {
    fn new(secret: &str) -> Oracle {
        let code_points: Vec<u32> = secret.chars().map(u32::from).collect();
        let in_range = |lo: u8, hi: u8| {
            code_points
                .iter()
                .filter(|&&p| u32::from(lo) <= p && p <= u32::from(hi))
                .count()
        };
        Oracle {
            length: code_points.len(),
            lower: in_range(b'a', b'z'),
            upper: in_range(b'A', b'Z'),
            digits: in_range(b'0', b'9'),
            // printable ASCII without space: 0x21 to 0x7E
            not_portable: (0..code_points.len())
                .filter(|&i| code_points[i] <= 0x20 || code_points[i] >= 0x7F)
                .collect(),
        }
    }

    fn is_valid(&self) -> bool {
        8 <= self.length
            && self.length <= 25
            && self.lower > 0
            && self.upper > 0
            && self.digits > 0
            && self.not_portable.is_empty()
    }

    /// The violations the rules specify, in their documented order.
    fn expected(&self) -> Vec<Violation> {
        let mut v = Vec::new();
        if self.length < 8 {
            v.push(Violation::TooShort {
                length: self.length,
            });
        }
        if self.length > 25 {
            v.push(Violation::TooLong {
                length: self.length,
            });
        }
        if self.lower == 0 {
            v.push(Violation::MissingLowercase);
        }
        if self.upper == 0 {
            v.push(Violation::MissingUppercase);
        }
        if self.digits == 0 {
            v.push(Violation::MissingDigit);
        }
        if !self.not_portable.is_empty() {
            v.push(Violation::NotPortable {
                positions: self.not_portable.clone(),
            });
        }
        v
    }
}

const ODD: &[char] = &[
    ' ',
    '\t',
    '\n',
    '\r',
    '\0',
    '\u{7f}',
    '\u{a0}',
    '\u{2003}',
    'é',
    'Ä',
    'ß',
    'ﬁ',
    '٣',
    'ｚ',
    'Ｚ',
    '１',
    '😀',
    '\u{200b}',
    '\u{10ffff}',
];
const SYMBOLS: &[char] = &[
    '!', '"', '#', '$', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', ':', ';', '<', '=',
    '>', '?', '@', '[', '\\', ']', '^', '_', '`', '{', '|', '}', '~',
];

/// Secrets biased to the edges: lengths 0 to 40 with 7, 8, 25 and 26 over-weighted, each class
/// present or absent, non-ASCII and whitespace sprinkled in or not.
///
/// Drawn as plain numbers and mapped to characters (no `prop_flat_map`), which keeps 10,000 cases
/// quick in the dev profile.
fn edge_secret() -> impl Strategy<Value = String> {
    let length = prop_oneof![
        2 => Just(7usize),
        2 => Just(8usize),
        2 => Just(25usize),
        2 => Just(26usize),
        6 => 0..=40usize,
    ];
    let draws = proptest::collection::vec(any::<(u8, u8)>(), 40);
    (length, any::<[bool; 4]>(), draws).prop_map(|(length, [lower, upper, digit, odd], draws)| {
        // (weight, the class's characters); symbols are always possible.
        let mut kinds: Vec<(u8, Vec<char>)> = vec![(2, SYMBOLS.to_vec())];
        if lower {
            kinds.push((4, ('a'..='z').collect()));
        }
        if upper {
            kinds.push((4, ('A'..='Z').collect()));
        }
        if digit {
            kinds.push((4, ('0'..='9').collect()));
        }
        if odd {
            kinds.push((1, ODD.to_vec()));
        }
        let total: u8 = kinds.iter().map(|(w, _)| w).sum();
        draws[..length]
            .iter()
            .map(|&(k, c)| {
                let mut k = k % total;
                let mut chosen = &kinds[0].1;
                for (w, chars) in &kinds {
                    if k < *w {
                        chosen = chars;
                        break;
                    }
                    k -= w;
                }
                chosen[usize::from(c) % chosen.len()]
            })
            .collect()
    })
}

/// Arbitrary Unicode strings (any `char`, any length up to 48).
fn unicode_secret() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..=48).prop_map(|c| c.into_iter().collect())
}

/// Any string: arbitrary Unicode, printable ASCII, and the edge family above.
fn any_secret() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => unicode_secret(),
        1 => proptest::collection::vec(proptest::char::range('!', '~'), 0..=30)
            .prop_map(|c| c.into_iter().collect::<String>()),
        3 => edge_secret(),
    ]
}

/// Another secret with exactly the same violations: every character replaced by a different one
/// that the rules treat alike.
fn same_violations_other_characters(secret: &str) -> String {
    let rotate = |c: char, first: char, last: char| {
        if c == last {
            first
        } else {
            char::from_u32(u32::from(c) + 1).unwrap_or(first)
        }
    };
    secret
        .chars()
        .map(|c| match c {
            'a'..='z' => rotate(c, 'a', 'z'),
            'A'..='Z' => rotate(c, 'A', 'Z'),
            '0'..='9' => rotate(c, '0', '9'),
            '!'..='~' => {
                let i = SYMBOLS.iter().position(|&s| s == c).unwrap_or(0);
                SYMBOLS[(i + 1) % SYMBOLS.len()]
            }
            ' ' => 'é',
            _ => ' ',
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    /// `validate` accepts exactly what the oracle accepts, over arbitrary Unicode.
    #[test]
    fn equivalent_to_the_oracle_on_any_string(secret in unicode_secret()) {
        prop_assert_eq!(validate(&secret).is_ok(), Oracle::new(&secret).is_valid());
    }

    /// ... and over secrets biased to the edges.
    #[test]
    fn equivalent_to_the_oracle_at_the_edges(secret in edge_secret()) {
        prop_assert_eq!(validate(&secret).is_ok(), Oracle::new(&secret).is_valid());
    }

    /// Each violation is reported exactly when its rule fails, with the right length or
    /// positions, in the stable order; never both `TooShort` and `TooLong`.
    #[test]
    fn each_violation_exactly_when_its_rule_fails(secret in any_secret()) {
        let found: Vec<Violation> = match validate(&secret) {
            Ok(()) => Vec::new(),
            Err(v) => {
                prop_assert!(!v.is_empty());
                prop_assert_eq!(v.len(), v.iter().count());
                v.into_iter().collect()
            }
        };
        prop_assert_eq!(&found, &Oracle::new(&secret).expected());
        let short = found.iter().any(|v| matches!(v, Violation::TooShort { .. }));
        let long = found.iter().any(|v| matches!(v, Violation::TooLong { .. }));
        prop_assert!(!(short && long));
    }

    /// The text of `Violations` depends only on the violations: two different secrets with the
    /// same violations give the same `Display` and `Debug`, and neither contains the secret.
    #[test]
    fn text_never_depends_on_the_characters(secret in any_secret()) {
        let other = same_violations_other_characters(&secret);
        prop_assert!(secret.is_empty() || secret != other);
        match (validate(&secret), validate(&other)) {
            (Ok(()), Ok(())) => {}
            (Err(a), Err(b)) => {
                prop_assert_eq!(&a, &b);
                prop_assert_eq!(a.to_string(), b.to_string());
                prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
                prop_assert_eq!(format!("{a:#?}"), format!("{b:#?}"));
                // Short secrets can coincide with words of the text ("C" is in "Missing...",
                // eight spaces in the indentation of `{:#?}`), but 8 characters or more that are
                // not just whitespace in the text would mean the secret was quoted.
                let distinctive = |s: &str| s.trim().chars().count() >= 8;
                let texts = [a.to_string(), format!("{a:?}"), format!("{a:#?}")];
                for s in [&secret, &other] {
                    if distinctive(s) {
                        prop_assert!(texts.iter().all(|t| !t.contains(s.as_str())));
                    }
                }
            }
            (a, b) => prop_assert!(false, "same rules, different verdicts: {:?} {:?}", a, b),
        }
    }
}

#[test]
fn the_oracle_itself_agrees_with_the_issue() {
    assert!(Oracle::new("N3w-secret-value").is_valid());
    assert!(!Oracle::new("N3w-secret value").is_valid());
    assert!(!Oracle::new("Ab3defg").is_valid());
    assert!(Oracle::new("Ab3defgh").is_valid());
    assert!(Oracle::new(&format!("Ab3{}", "d".repeat(22))).is_valid());
    assert!(!Oracle::new(&format!("Ab3{}", "d".repeat(23))).is_valid());
    assert!(!Oracle::new("Ab3défgh").is_valid());
}

/// The edge family really reaches every verdict: valid secrets, each violation, and the lengths
/// around both limits (else the properties above would prove little).
#[test]
fn the_edge_family_covers_every_verdict() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = edge_secret();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..2_000 {
        let secret = strategy.new_tree(&mut runner).unwrap().current();
        let length = secret.chars().count();
        if [7, 8, 25, 26].contains(&length) {
            seen.insert(format!("length {length}"));
        }
        match validate(&secret) {
            Ok(()) => {
                seen.insert("valid".to_owned());
            }
            Err(v) => {
                for violation in v {
                    let kind = format!("{violation:?}");
                    let kind = kind.split([' ', '{']).next().unwrap_or_default().to_owned();
                    seen.insert(kind);
                }
            }
        }
    }
    let expected = [
        "MissingDigit",
        "MissingLowercase",
        "MissingUppercase",
        "NotPortable",
        "TooLong",
        "TooShort",
        "length 25",
        "length 26",
        "length 7",
        "length 8",
        "valid",
    ];
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), expected);
}

/// The rule names programs see (the CLI's JSON): pinned, one per rule, never the message.
#[test]
fn each_rule_has_its_stable_code() {
    let cases = [
        ("Ab1", "too_short"),
        ("Abcdefghijklmnopqrstuvwxyz1", "too_long"),
        ("ABCDEFG1", "missing_lowercase"),
        ("abcdefg1", "missing_uppercase"),
        ("Abcdefgh", "missing_digit"),
        ("Abcdefg1 ", "not_portable"),
    ];
    for (secret, code) in cases {
        let violations = validate(secret).unwrap_err();
        let codes: Vec<&str> = violations.iter().map(Violation::code).collect();
        assert_eq!(codes, [code], "{secret}");
    }
}
