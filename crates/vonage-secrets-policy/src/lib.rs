//! The rules a new Vonage API secret must meet, and a generator of secrets that meet them.
//!
//! A small pure crate: no I/O (apart from asking the operating system for random bytes in
//! [`generate`]), no network, no async. The client facade checks a secret with [`validate`]
//! before sending it, the sandbox server enforces the same rules, and the CLI offers
//! [`generate`].
//!
//! # The rules
//!
//! The server's documented rules are: 8 to 25 characters, with at least one lower-case letter,
//! one upper-case letter and one digit. The documents leave some points open; this crate pins
//! them down as follows:
//!
//! | rule | source | an example that breaks it |
//! |---|---|---|
//! | at least 8 characters | server | `Ab3defg` (7) |
//! | at most 25 characters | server | `Abcdefghijklmnopqrstuvwx12` (26) |
//! | a lower-case letter `a`–`z` | server | `ABCDEFG1` |
//! | an upper-case letter `A`–`Z` | server | `abcdefg1` |
//! | a digit `0`–`9` | server | `Abcdefgh` |
//! | only printable ASCII except space (`!`–`~`) | ours ([`Violation::NotPortable`]) | `Abc 1234` |
//!
//! - Length is counted in Unicode scalar values (`char`s), not bytes.
//! - Lower-case means `a`–`z`, upper-case `A`–`Z` and digit `0`–`9`, as the official Python SDK
//!   checks; `é`, `Ä` or `٣` count as none of them.
//! - The last rule is this project's own: a secret travels inside HTTP Basic credentials, shell
//!   commands and env files, where anything else is ambiguous or fragile. The sandbox server,
//!   which emulates only the real server, ignores [`Violation::NotPortable`].
//!
//! [`validate`] reports every rule that fails, all at once, in the order of the table.
//!
//! # Example
//!
//! ```
//! use vonage_secrets_policy::{validate, Violation};
//!
//! assert!(validate("N3w-secret-value").is_ok());
//!
//! let violations = validate("short").unwrap_err();
//! let found: Vec<&Violation> = violations.iter().collect();
//! assert_eq!(
//!     found,
//!     [
//!         &Violation::TooShort { length: 5 },
//!         &Violation::MissingUppercase,
//!         &Violation::MissingDigit,
//!     ]
//! );
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "strength")]
mod advise;
mod generate;
mod rules;

#[cfg(feature = "strength")]
pub use advise::{Advice, advise};
pub use generate::{Alphabet, Generator, GeneratorError, SAFE_SYMBOLS, generate};
pub use rules::{MAX_LENGTH, MIN_LENGTH, Violation, Violations, validate};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
