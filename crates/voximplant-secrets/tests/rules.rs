//! The rules against an independent oracle (a regular expression and character counts).

use proptest::prelude::*;
use regex::Regex;
use voximplant_secrets::rules::{Violation, check_description, check_name, check_value};
use voximplant_secrets::{NewSecret, SecretString};

fn oracle_name_ok(name: &str) -> bool {
    Regex::new("^[A-Za-z][A-Za-z0-9_]{0,63}$")
        .unwrap()
        .is_match(name)
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(512)
}

fn names() -> impl Strategy<Value = String> {
    prop_oneof![
        // Mostly valid characters, around the length limit.
        "[A-Za-z0-9_]{0,70}",
        "[A-Za-z][A-Za-z0-9_]{60,66}",
        // Anything, non-ASCII letters and digits included.
        "\\PC{0,20}",
        "[a-z\u{e9}\u{660}\u{ff21} _-]{0,10}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn names_follow_the_pattern(name in names()) {
        let violations = check_name(&name);
        prop_assert_eq!(violations.is_empty(), oracle_name_ok(&name), "{:?}: {:?}", name, violations);
        for v in &violations {
            // Each message says what is wrong in words, without Rust syntax.
            // (The name itself, which may hold anything, is left out of the check.)
            let text = v.to_string().replace(&format!("{name:?}"), "NAME");
            prop_assert!(!text.contains("..") && !text.contains("Some("), "{}", text);
        }
    }

    #[test]
    fn values_have_1_to_8192_characters(
        unit in "[a\u{e9}\u{20ac}\u{1F600}]",
        count in prop_oneof![0usize..4, 8189usize..8196],
    ) {
        let value = unit.repeat(count);
        let ok = (1..=8192).contains(&value.chars().count());
        let violations = check_value(&value);
        prop_assert_eq!(violations.is_empty(), ok);
        for v in &violations {
            prop_assert!(!v.to_string().contains(&unit.repeat(2)), "a violation shows the value");
        }
    }

    #[test]
    fn descriptions_over_200_characters_warn(
        unit in "[a\u{e9}\u{1F600}]",
        count in prop_oneof![0usize..4, 198usize..203],
    ) {
        let description = unit.repeat(count);
        prop_assert_eq!(check_description(&description).is_empty(), count <= 200);
    }

    #[test]
    fn every_violation_is_reported_at_once(name in names(), long in any::<bool>()) {
        let value = if long { "v".repeat(8193) } else { String::new() };
        let report = NewSecret::new(name.clone(), SecretString::from(value)).check();
        let name_violations = report
            .violations
            .iter()
            .filter(|v| !matches!(v, Violation::ValueEmpty | Violation::ValueTooLong { .. }))
            .count();
        prop_assert_eq!(name_violations == 0, oracle_name_ok(&name));
        prop_assert_eq!(report.violations.len() - name_violations, 1, "{:?}", report);
    }
}

#[test]
fn characters_a_name_may_not_hold_are_named_in_words() {
    let violations = check_name("db\u{200b}pass word-x\té");
    let text = violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    assert!(
        text.contains("not U+200B, a space, '-', U+0009, 'é'"),
        "{text}"
    );
    // No Rust escapes in the list of characters.
    let list = text.split(", not ").nth(1).unwrap();
    assert!(!list.contains("\\u{") && !list.contains("'\\t'"), "{text}");
}
