//! Strength advice beyond the rules: [`advise`], [`Advice`] (feature `strength`).

use std::fmt;

/// The zxcvbn score (0 to 4) below which a secret is called guessable; zxcvbn's own advice is
/// that anything below 3 is too weak.
const WEAK_BELOW: u8 = 3;

/// Words that common passwords are built on, separated by whitespace. A secret whose letters,
/// once lower-cased and with look-alike digits and symbols read as letters (`0` as `o`, `@` as
/// `a`, ...), are one of these (or one of these twice), with only digits and symbols around them,
/// follows a common pattern (`Password1`, `W3lcome2024!`). zxcvbn knows these words too, but
/// can rate such a variant 3 when enough digits are appended; this list catches the pattern
/// whatever the score.
const COMMON_WORDS: &str = "\
    password passw pass passwd passphrase secret apisecret api apikey vonage nexmo welcome \
    qwerty qwertz azerty qwertyuiop asdf asdfgh zxcvbn letmein admin administrator root \
    login changeme default test testing guest user master monkey dragon sunshine iloveyou \
    football baseball princess shadow superman trustno hello abc abcd abcdef abcdefg \
    abcdefgh summer winter spring autumn january february march april may june july august \
    september october november december company";

/// Advice about a secret's strength. Advice is never an error: the secret may still be used.
///
/// Like [`crate::Violations`], its `Debug` and `Display` never contain the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Advice {
    /// zxcvbn estimates the secret easy to guess: a score below 3 out of 4.
    Guessable {
        /// zxcvbn's score, 0 (under 10³ guesses) to 2 (under 10⁸ guesses).
        score: u8,
    },
    /// The secret follows a common password pattern: a common word with capitals, look-alike
    /// substitutions, digits or symbols added, such as `Password1`.
    CommonPattern,
}

impl fmt::Display for Advice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Advice::Guessable { score } => write!(
                f,
                "it is easy to guess (strength {score} of 4, 3 or more is advised); prefer a \
                 secret from `generate()`"
            ),
            Advice::CommonPattern => f.write_str(
                "it follows a common password pattern (a common word with capitals, digits or \
                 symbols added); prefer a secret from `generate()`",
            ),
        }
    }
}

/// Advice on a secret's strength, beyond the rules [`crate::validate`] checks: empty when there
/// is nothing to say.
///
/// A secret can meet every rule and still be weak (`Password1` does). `advise` reports a zxcvbn
/// score below 3 ([`Advice::Guessable`]) and common password patterns
/// ([`Advice::CommonPattern`]), the check against common and compromised passwords that NIST SP
/// 800-63B recommends. It judges strength only and does not repeat rule violations: call
/// [`crate::validate`] for those. zxcvbn rates only the first 100 characters, and the pattern
/// check skips a word longer than 100 characters (no valid secret is that long).
///
/// # Example
///
/// ```
/// use vonage_secrets_policy::{advise, generate, validate, Advice};
/// use secrecy::ExposeSecret;
///
/// assert!(validate("Password1").is_ok());
/// assert!(advise("Password1").contains(&Advice::CommonPattern));
///
/// assert!(advise(generate().expose_secret()).is_empty());
/// ```
#[must_use]
pub fn advise(secret: &str) -> Vec<Advice> {
    let mut advice = Vec::new();
    let score = u8::from(zxcvbn::zxcvbn(secret, &[]).score());
    if score < WEAK_BELOW {
        advice.push(Advice::Guessable { score });
    }
    if follows_common_pattern(secret) {
        advice.push(Advice::CommonPattern);
    }
    advice
}

/// Whether `secret` is a common word dressed up: see [`COMMON_WORDS`].
fn follows_common_pattern(secret: &str) -> bool {
    let trimmed = secret.trim_matches(|c: char| !c.is_ascii_alphabetic() && !is_look_alike(c));
    // Look-alikes at the edges are more likely decoration ("Welcome1!") than letters, so try
    // the word both with and without them.
    let core = secret.trim_matches(|c: char| !c.is_ascii_alphabetic());
    [trimmed, core].into_iter().any(|word| {
        if word.is_empty() || word.chars().count() > 100 {
            return false;
        }
        let plain: String = word.chars().map(read_as_letter).collect();
        COMMON_WORDS.split_whitespace().any(|w| w == plain)
            || COMMON_WORDS.split_whitespace().any(|w| {
                w.len() >= 4 && plain.len() <= 2 * w.len() && plain.len() % w.len() == 0 && {
                    plain.as_bytes().chunks(w.len()).all(|c| c == w.as_bytes())
                }
            })
    })
}

fn is_look_alike(c: char) -> bool {
    matches!(c, '0' | '1' | '3' | '4' | '5' | '7' | '@' | '$' | '!')
}

fn read_as_letter(c: char) -> char {
    match c {
        '0' => 'o',
        '1' | '!' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        c => c.to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_patterns_are_caught() {
        for s in [
            "Password1",
            "P@ssw0rd2024!",
            "Welcome123",
            "W3lcome2024!",
            "Qwerty123456",
            "Vonage2025",
            "LetMeIn99",
            "Summer2024",
            "1Password!",
            "PasswordPassword1",
        ] {
            assert!(follows_common_pattern(s), "{s}");
            assert!(advise(s).contains(&Advice::CommonPattern), "{s}");
        }
    }

    #[test]
    fn strong_and_unusual_secrets_are_not_flagged() {
        for s in ["N3w-secret-value", "Tq8vLz2Rk9WmXc4Hp7Yd", "x7Kp2mQ9vL4nR8"] {
            assert!(!follows_common_pattern(s), "{s}");
        }
        assert_eq!(advise("Tq8vLz2Rk9WmXc4Hp7Yd"), []);
    }

    #[test]
    fn guessable_secrets_get_their_score() {
        let advice = advise("Abcdefg1");
        assert!(
            advice
                .iter()
                .any(|a| matches!(a, Advice::Guessable { score } if *score < 3)),
            "{advice:?}"
        );
    }

    #[test]
    fn advice_never_quotes_the_secret() {
        for s in ["Password1", "Abcdefg1"] {
            for a in advise(s) {
                assert!(!a.to_string().contains(s));
                assert!(!format!("{a:?}").contains(s));
            }
        }
    }
}
