//! The complexity rules: [`validate`], [`Violation`], [`Violations`].

use std::fmt;

/// The fewest characters a secret may have (server rule).
pub const MIN_LENGTH: usize = 8;

/// The most characters a secret may have (server rule).
pub const MAX_LENGTH: usize = 25;

/// How many positions [`Violations`]' `Display` lists before summarising the rest.
const SHOWN_POSITIONS: usize = 10;

/// One rule a secret fails.
///
/// Carries only what is needed to explain the failure (a length, positions), never a character
/// of the secret, so it is safe to print and to log.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Violation {
    /// Fewer than [`MIN_LENGTH`] characters (server rule).
    TooShort {
        /// The secret's length in `char`s.
        length: usize,
    },
    /// More than [`MAX_LENGTH`] characters (server rule).
    TooLong {
        /// The secret's length in `char`s.
        length: usize,
    },
    /// No lower-case letter `a`–`z` (server rule).
    MissingLowercase,
    /// No upper-case letter `A`–`Z` (server rule).
    MissingUppercase,
    /// No digit `0`–`9` (server rule).
    MissingDigit,
    /// Characters other than printable ASCII `!` to `~` (this project's rule, not the server's).
    NotPortable {
        /// The offending characters' 0-based positions, counted in `char`s, ascending.
        positions: Vec<usize>,
    },
}

impl Violation {
    /// Whether the Vonage server itself enforces this rule. Only [`Violation::NotPortable`] is
    /// this project's own rule; an emulation of the server should ignore it.
    ///
    /// ```
    /// use vonage_secrets_policy::validate;
    ///
    /// let violations = validate("Ab1 défgh").unwrap_err();
    /// assert!(violations.iter().all(|v| !v.is_server_rule()));
    /// ```
    #[must_use]
    pub fn is_server_rule(&self) -> bool {
        !matches!(self, Violation::NotPortable { .. })
    }

    /// The rule's stable name, in `snake_case`, for programs (JSON output, metrics):
    /// `too_short`, `too_long`, `missing_lowercase`, `missing_uppercase`, `missing_digit` or
    /// `not_portable`. A rule added later gets a name of its own; these never change.
    ///
    /// ```
    /// use vonage_secrets_policy::validate;
    ///
    /// let codes: Vec<&str> = validate("abc").unwrap_err().iter().map(|v| v.code()).collect();
    /// assert_eq!(codes, ["too_short", "missing_uppercase", "missing_digit"]);
    /// ```
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Violation::TooShort { .. } => "too_short",
            Violation::TooLong { .. } => "too_long",
            Violation::MissingLowercase => "missing_lowercase",
            Violation::MissingUppercase => "missing_uppercase",
            Violation::MissingDigit => "missing_digit",
            Violation::NotPortable { .. } => "not_portable",
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::TooShort { length } => write!(
                f,
                "it is too short: {length} {}, at least {MIN_LENGTH} are needed; make it longer",
                plural(*length, "character", "characters")
            ),
            Violation::TooLong { length } => write!(
                f,
                "it is too long: {length} characters, at most {MAX_LENGTH} are allowed; \
                 make it shorter"
            ),
            Violation::MissingLowercase => {
                f.write_str("it has no lower-case letter; add one from a to z")
            }
            Violation::MissingUppercase => {
                f.write_str("it has no upper-case letter; add one from A to Z")
            }
            Violation::MissingDigit => f.write_str("it has no digit; add a digit from 0 to 9"),
            Violation::NotPortable { positions } => {
                let n = positions.len();
                write!(
                    f,
                    "the {} at {} ",
                    plural(n, "character", "characters"),
                    plural(n, "position", "positions")
                )?;
                for (i, p) in positions.iter().take(SHOWN_POSITIONS).enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{p}")?;
                }
                if n > SHOWN_POSITIONS {
                    write!(f, " and {} more", n - SHOWN_POSITIONS)?;
                }
                write!(
                    f,
                    " (counted from 0) {} not printable ASCII; use only the characters ! to ~, \
                     without spaces, accents or other Unicode",
                    plural(n, "is", "are")
                )
            }
        }
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Every rule a secret fails, in a stable order: length, lower-case, upper-case, digit,
/// portability. Never empty.
///
/// Its `Display` lists each failing rule in plain words with what to do about it; like its
/// `Debug`, it depends only on the violations (kinds, lengths, positions) and never shows the
/// secret or any character of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// The violations, in the order described on [`Violations`].
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }

    /// How many rules fail (at least 1).
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: a `Violations` holds at least one violation. Present for API symmetry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the given violation is among these.
    #[must_use]
    pub fn contains(&self, violation: &Violation) -> bool {
        self.0.contains(violation)
    }

    /// Whether any of these is a rule the Vonage server enforces (see
    /// [`Violation::is_server_rule`]).
    #[must_use]
    pub fn breaks_server_rules(&self) -> bool {
        self.0.iter().any(Violation::is_server_rule)
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "the secret breaks {n} {}: ", plural(n, "rule", "rules"))?;
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Whether `c` is allowed by this project's portability rule: printable ASCII, no space.
fn is_portable(c: char) -> bool {
    matches!(c, '!'..='~')
}

/// Checks `secret` against every rule (see the [crate] documentation) and reports all that fail.
///
/// Allocates nothing when the secret is valid. The returned [`Violations`] never contains the
/// secret or any character of it.
///
/// # Errors
///
/// [`Violations`] listing every failed rule, in a stable order.
///
/// # Example
///
/// ```
/// use vonage_secrets_policy::{validate, Violation};
///
/// assert!(validate("N3w-secret-value").is_ok());
///
/// let err = validate("pässwörd").unwrap_err();
/// assert!(err.contains(&Violation::NotPortable { positions: vec![1, 5] }));
/// assert!(err.contains(&Violation::MissingDigit));
/// // The message explains, but never quotes the secret.
/// assert!(err.to_string().contains("add a digit"));
/// assert!(!err.to_string().contains("ss"));
/// ```
pub fn validate(secret: &str) -> Result<(), Violations> {
    let mut length = 0usize;
    let (mut lower, mut upper, mut digit, mut portable) = (false, false, false, true);
    for c in secret.chars() {
        length += 1;
        lower |= c.is_ascii_lowercase();
        upper |= c.is_ascii_uppercase();
        digit |= c.is_ascii_digit();
        portable &= is_portable(c);
    }
    let length_ok = (MIN_LENGTH..=MAX_LENGTH).contains(&length);
    if length_ok && lower && upper && digit && portable {
        return Ok(());
    }

    let mut found = Vec::with_capacity(5);
    if length < MIN_LENGTH {
        found.push(Violation::TooShort { length });
    } else if length > MAX_LENGTH {
        found.push(Violation::TooLong { length });
    }
    if !lower {
        found.push(Violation::MissingLowercase);
    }
    if !upper {
        found.push(Violation::MissingUppercase);
    }
    if !digit {
        found.push(Violation::MissingDigit);
    }
    if !portable {
        let positions = secret
            .chars()
            .enumerate()
            .filter(|&(_, c)| !is_portable(c))
            .map(|(i, _)| i)
            .collect();
        found.push(Violation::NotPortable { positions });
    }
    Err(Violations(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(secret: &str) -> Vec<Violation> {
        validate(secret).map_or_else(|v| v.into_iter().collect(), |()| Vec::new())
    }

    #[test]
    fn the_edges_of_length() {
        assert_eq!(kinds("Ab3defg"), [Violation::TooShort { length: 7 }]);
        assert_eq!(kinds("Ab3defgh"), []);
        assert_eq!(kinds("Ab3defghijklmnopqrstuvwxy"), []);
        assert_eq!(
            kinds("Ab3defghijklmnopqrstuvwxyz"),
            [Violation::TooLong { length: 26 }]
        );
    }

    #[test]
    fn length_counts_chars_not_bytes() {
        // 8 chars, 9 bytes: too short would be wrong, not portable is right.
        assert_eq!(
            kinds("Ab3defgé"),
            [Violation::NotPortable { positions: vec![7] }]
        );
        assert_eq!(
            kinds("Ab3dëfg"),
            [
                Violation::TooShort { length: 7 },
                Violation::NotPortable { positions: vec![4] }
            ]
        );
    }

    #[test]
    fn the_empty_secret_breaks_everything_but_portability() {
        assert_eq!(
            kinds(""),
            [
                Violation::TooShort { length: 0 },
                Violation::MissingLowercase,
                Violation::MissingUppercase,
                Violation::MissingDigit,
            ]
        );
    }

    #[test]
    fn unicode_letters_and_digits_do_not_count() {
        assert_eq!(
            kinds("ÄBCDEFG1"),
            [
                Violation::MissingLowercase,
                Violation::NotPortable { positions: vec![0] }
            ]
        );
        assert_eq!(
            kinds("Abcdefg٣"),
            [
                Violation::MissingDigit,
                Violation::NotPortable { positions: vec![7] }
            ]
        );
    }

    #[test]
    fn space_and_controls_are_not_portable() {
        assert_eq!(
            kinds("Ab 1234\tx"),
            [Violation::NotPortable {
                positions: vec![2, 7]
            }]
        );
        assert_eq!(kinds("Ab1~!cd}"), []);
    }

    #[test]
    fn display_explains_every_rule() {
        let text = validate("").unwrap_err().to_string();
        assert_eq!(
            text,
            "the secret breaks 4 rules: it is too short: 0 characters, at least 8 are needed; \
             make it longer; it has no lower-case letter; add one from a to z; it has no \
             upper-case letter; add one from A to Z; it has no digit; add a digit from 0 to 9"
        );
        let text = validate(&"Ab1 ".repeat(4)).unwrap_err().to_string();
        assert_eq!(
            text,
            "the secret breaks 1 rule: the characters at positions 3, 7, 11, 15 (counted from 0) \
             are not printable ASCII; use only the characters ! to ~, without spaces, accents or \
             other Unicode"
        );
    }

    #[test]
    fn display_summarises_many_positions() {
        let text = validate(&" ".repeat(30)).unwrap_err().to_string();
        assert!(
            text.contains("positions 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 20 more (counted from 0)"),
            "{text}"
        );
    }

    #[test]
    fn server_rules() {
        let v = validate("Ab1defg h").unwrap_err();
        assert!(!v.breaks_server_rules());
        let v = validate("Ab1 h").unwrap_err();
        assert!(v.breaks_server_rules());
        assert_eq!(v.len(), 2);
        assert!(!v.is_empty());
    }
}
