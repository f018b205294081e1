//! The API's rules for names, values and descriptions, checked before anything is sent.
//!
//! Every check reports all violations at once, and none shows a secret value (only its
//! length). Names are not secret: a violation may quote one.

use std::fmt;

/// The most characters of a name.
pub const NAME_MAX_CHARS: usize = 64;
/// The most characters of a value.
pub const VALUE_MAX_CHARS: usize = 8192;
/// The most characters of a description the server keeps (it drops the rest).
pub const DESCRIPTION_KEPT_CHARS: usize = 200;

/// Something that stops a request from being sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// The name is empty.
    NameEmpty,
    /// The name does not start with a Latin letter.
    NameStart {
        /// The name.
        name: String,
    },
    /// The name has characters other than Latin letters, digits and underscores.
    NameCharacters {
        /// The name.
        name: String,
        /// The characters that are not allowed, each once, in order of appearance.
        invalid: Vec<char>,
    },
    /// The name is longer than [`NAME_MAX_CHARS`].
    NameTooLong {
        /// The name.
        name: String,
        /// Its length in characters.
        chars: usize,
    },
    /// The value is empty.
    ValueEmpty,
    /// The value is longer than [`VALUE_MAX_CHARS`].
    ValueTooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// An update that would change nothing.
    NothingToUpdate,
    /// A delete without any id or name.
    NothingToDelete,
    /// An application name or secret name given as an empty text.
    EmptyReference {
        /// What it should name ("application", "secret").
        what: &'static str,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::NameEmpty => f.write_str("the name is empty; give 1 to 64 characters"),
            Violation::NameStart { name } => {
                write!(
                    f,
                    "the name {name:?} must start with a Latin letter (A-Z or a-z)"
                )
            }
            Violation::NameCharacters { name, invalid } => {
                let list: Vec<String> = invalid.iter().copied().map(char_in_words).collect();
                write!(
                    f,
                    "the name {name:?} may hold only Latin letters, digits and underscores, \
                     not {}",
                    list.join(", ")
                )
            }
            Violation::NameTooLong { name, chars } => write!(
                f,
                "the name {name:?} has {chars} characters; the most is {NAME_MAX_CHARS}"
            ),
            Violation::ValueEmpty => f.write_str("the value is empty; give at least 1 character"),
            Violation::ValueTooLong { chars } => write!(
                f,
                "the value has {chars} characters; the most is {VALUE_MAX_CHARS}"
            ),
            Violation::NothingToUpdate => {
                f.write_str("nothing to change; give a new name, value or description")
            }
            Violation::NothingToDelete => f.write_str(
                "no secret to delete was named; give at least one id or name (to delete every \
                 secret of the application, use delete_all)",
            ),
            Violation::EmptyReference { what } => {
                write!(f, "the {what} name is empty; give its name or its id")
            }
        }
    }
}

/// A character as a person can read it in a message: itself in quotes when it shows, "a
/// space", or its Unicode code point (`U+200B`) when it is invisible or moves the text.
fn char_in_words(c: char) -> String {
    // Zero-width and direction marks, joiners, the byte order mark and the soft hyphen
    // show nothing, though they are not control characters.
    let invisible = matches!(
        c,
        '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
    );
    match c {
        ' ' => "a space".to_owned(),
        _ if c.is_control() || c.is_whitespace() || invisible => {
            format!("U+{:04X}", u32::from(c))
        }
        _ => format!("'{c}'"),
    }
}

/// Something the server accepts but changes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// The description is longer than [`DESCRIPTION_KEPT_CHARS`]; the server keeps its start.
    DescriptionTruncated {
        /// Its length in characters.
        chars: usize,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::DescriptionTruncated { chars } => write!(
                f,
                "the description has {chars} characters; the server keeps only the first \
                 {DESCRIPTION_KEPT_CHARS}"
            ),
        }
    }
}

/// All violations and warnings of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// What stops the request.
    pub violations: Vec<Violation>,
    /// What the server will change.
    pub warnings: Vec<Warning>,
}

impl Report {
    /// Whether the request may be sent.
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }

    /// Adds the violations of a name.
    pub fn name(&mut self, name: &str) -> &mut Self {
        self.violations.extend(check_name(name));
        self
    }

    /// Adds the violations of a value.
    pub fn value(&mut self, value: &str) -> &mut Self {
        self.violations.extend(check_value(value));
        self
    }

    /// Adds the warnings of a description.
    pub fn description(&mut self, description: &str) -> &mut Self {
        self.warnings.extend(check_description(description));
        self
    }
}

/// The violations of a secret's name (empty when it is valid): it starts with a Latin letter
/// and has at most 64 Latin letters, digits and underscores.
pub fn check_name(name: &str) -> Vec<Violation> {
    let mut found = Vec::new();
    let Some(first) = name.chars().next() else {
        found.push(Violation::NameEmpty);
        return found;
    };
    if !first.is_ascii_alphabetic() {
        found.push(Violation::NameStart {
            name: name.to_owned(),
        });
    }
    let mut invalid: Vec<char> = Vec::new();
    for c in name.chars() {
        let allowed = c.is_ascii_alphanumeric() || c == '_';
        if !allowed && !invalid.contains(&c) {
            invalid.push(c);
        }
    }
    if !invalid.is_empty() {
        found.push(Violation::NameCharacters {
            name: name.to_owned(),
            invalid,
        });
    }
    let chars = name.chars().count();
    if chars > NAME_MAX_CHARS {
        found.push(Violation::NameTooLong {
            name: name.to_owned(),
            chars,
        });
    }
    found
}

/// The violations of a secret's value (empty when it is valid): 1 to 8192 characters.
pub fn check_value(value: &str) -> Vec<Violation> {
    let chars = value.chars().count();
    if chars == 0 {
        vec![Violation::ValueEmpty]
    } else if chars > VALUE_MAX_CHARS {
        vec![Violation::ValueTooLong { chars }]
    } else {
        Vec::new()
    }
}

/// The warnings of a description: longer than 200 characters, the server drops the rest.
pub fn check_description(description: &str) -> Vec<Warning> {
    let chars = description.chars().count();
    if chars > DESCRIPTION_KEPT_CHARS {
        vec![Warning::DescriptionTruncated { chars }]
    } else {
        Vec::new()
    }
}

/// The violations of a request, all of them, for [`Error::Rules`](crate::Error::Rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let texts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        write!(
            f,
            "nothing was sent: {}; correct {} and try again",
            texts.join("; "),
            if self.0.len() == 1 { "it" } else { "them" }
        )
    }
}
