//! The generator of valid secrets: [`generate`], [`Generator`].

use secrecy::SecretString;
use secrecy::zeroize::{Zeroize, Zeroizing};

use crate::rules::{MAX_LENGTH, MIN_LENGTH, validate};

/// The symbols [`Alphabet::AlphanumericAndSafeSymbols`] adds to `A-Z a-z 0-9`: `-`, `_` and `.`.
///
/// They are the symbols that are inert everywhere a secret travels: unreserved in URLs (some
/// older Vonage APIs take `api_secret` as a query parameter, where `+` would turn into a
/// space), not special to POSIX shells or in env files (unlike `~`, `$`, `!`, `;`, quotes and
/// `=`), and outside HTTP Basic's `:` separator. The server's own documentation uses `-` and
/// `_` in its examples.
pub const SAFE_SYMBOLS: &str = "-_.";

const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ALPHANUMERIC_AND_SAFE_SYMBOLS: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

/// The characters a [`Generator`] draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Alphabet {
    /// `A-Z a-z 0-9`: 62 characters, about 5.95 bits each. The default.
    #[default]
    Alphanumeric,
    /// `A-Z a-z 0-9` and the [`SAFE_SYMBOLS`] `-_.`: 65 characters, about 6.02 bits each.
    AlphanumericAndSafeSymbols,
}

impl Alphabet {
    /// Every character of this alphabet, each once, in ASCII.
    ///
    /// ```
    /// use vonage_secrets_policy::Alphabet;
    ///
    /// assert_eq!(Alphabet::Alphanumeric.chars().len(), 62);
    /// assert!(Alphabet::AlphanumericAndSafeSymbols.chars().ends_with("-_."));
    /// ```
    #[must_use]
    pub fn chars(self) -> &'static str {
        match self {
            Alphabet::Alphanumeric => ALPHANUMERIC_STR,
            Alphabet::AlphanumericAndSafeSymbols => ALPHANUMERIC_AND_SAFE_SYMBOLS_STR,
        }
    }

    fn bytes(self) -> &'static [u8] {
        match self {
            Alphabet::Alphanumeric => ALPHANUMERIC,
            Alphabet::AlphanumericAndSafeSymbols => ALPHANUMERIC_AND_SAFE_SYMBOLS,
        }
    }
}

const ALPHANUMERIC_STR: &str = match std::str::from_utf8(ALPHANUMERIC) {
    Ok(s) => s,
    Err(_) => panic!("ASCII"),
};
const ALPHANUMERIC_AND_SAFE_SYMBOLS_STR: &str =
    match std::str::from_utf8(ALPHANUMERIC_AND_SAFE_SYMBOLS) {
        Ok(s) => s,
        Err(_) => panic!("ASCII"),
    };

/// Why a [`Generator`] could not be configured or could not produce a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GeneratorError {
    /// The requested length is outside the server's 8 to 25 characters.
    #[error("a secret must have 8 to 25 characters, not {length}; choose a length from 8 to 25")]
    InvalidLength {
        /// The length that was asked for.
        length: usize,
    },
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed: {reason}")]
    Random {
        /// The operating system's explanation.
        reason: String,
    },
}

/// A configurable generator of valid secrets. [`generate`] is `Generator::new().generate()`.
///
/// Each character is drawn uniformly from the [`Alphabet`] with the operating system's
/// cryptographically secure random number generator (rejection sampling on random bytes, so no
/// modulo bias), and a candidate that fails [`validate`] is thrown away whole and drawn again.
/// The result is uniformly distributed over all valid secrets of that length and alphabet: no
/// "insert one character of each class" trick that would make some positions predictable.
///
/// ```
/// use secrecy::ExposeSecret;
/// use vonage_secrets_policy::{validate, Alphabet, Generator};
///
/// let secret = Generator::new()
///     .length(16)?
///     .alphabet(Alphabet::AlphanumericAndSafeSymbols)
///     .generate()?;
/// assert_eq!(secret.expose_secret().len(), 16);
/// assert!(validate(secret.expose_secret()).is_ok());
///
/// // Lengths the server refuses are an error, not silently clamped.
/// assert!(Generator::new().length(26).is_err());
/// # Ok::<(), vonage_secrets_policy::GeneratorError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generator {
    length: usize,
    alphabet: Alphabet,
}

impl Default for Generator {
    fn default() -> Self {
        Self::new()
    }
}

impl Generator {
    /// A generator of 25-character secrets (the most the server allows) over
    /// [`Alphabet::Alphanumeric`]: about 148 bits of entropy.
    #[must_use]
    pub fn new() -> Self {
        Generator {
            length: MAX_LENGTH,
            alphabet: Alphabet::Alphanumeric,
        }
    }

    /// Sets the length, in characters.
    ///
    /// # Errors
    ///
    /// [`GeneratorError::InvalidLength`] unless `length` is in `8..=25`.
    pub fn length(self, length: usize) -> Result<Self, GeneratorError> {
        if (MIN_LENGTH..=MAX_LENGTH).contains(&length) {
            Ok(Generator { length, ..self })
        } else {
            Err(GeneratorError::InvalidLength { length })
        }
    }

    /// Sets the alphabet.
    #[must_use]
    pub fn alphabet(self, alphabet: Alphabet) -> Self {
        Generator { alphabet, ..self }
    }

    /// The configured length, in characters.
    #[must_use]
    pub fn len(&self) -> usize {
        self.length
    }

    /// Always `false`: a generator's length is at least 8. Present for API symmetry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The configured alphabet.
    #[must_use]
    pub fn get_alphabet(&self) -> Alphabet {
        self.alphabet
    }

    /// A new valid secret.
    ///
    /// # Errors
    ///
    /// [`GeneratorError::Random`] if the operating system's random number generator fails.
    pub fn generate(&self) -> Result<SecretString, GeneratorError> {
        let alphabet = self.alphabet.bytes();
        let mut bytes = RandomBytes::new();
        // Exactly `length` bytes of capacity, so turning it into a `SecretString` does not
        // reallocate and leave a copy behind; `Zeroizing` wipes it if we return early.
        let mut candidate = Zeroizing::new(String::with_capacity(self.length));
        loop {
            candidate.clear();
            for _ in 0..self.length {
                let i = bytes.below(alphabet.len())?;
                candidate.push(char::from(alphabet[i]));
            }
            if validate(&candidate).is_ok() {
                return Ok(SecretString::from(std::mem::take(&mut *candidate)));
            }
        }
    }
}

/// A new valid secret: 25 characters from `A-Z a-z 0-9` (about 148 bits), drawn from the
/// operating system's CSPRNG, uniformly distributed over all valid secrets of that length and
/// alphabet. See [`Generator`] for other lengths and alphabets.
///
/// # Panics
///
/// If the operating system's random number generator fails, which supported platforms do not
/// do once booted; use [`Generator::generate`] to get an error instead.
///
/// # Example
///
/// ```
/// use secrecy::ExposeSecret;
/// use vonage_secrets_policy::{generate, validate};
///
/// let secret = generate();
/// assert_eq!(secret.expose_secret().chars().count(), 25);
/// assert!(validate(secret.expose_secret()).is_ok());
/// // `Debug` does not reveal it.
/// assert!(!format!("{secret:?}").contains(secret.expose_secret()));
/// ```
#[must_use]
pub fn generate() -> SecretString {
    match Generator::new().generate() {
        Ok(secret) => secret,
        Err(e) => panic!("{e}"),
    }
}

/// Random bytes from the operating system, fetched a block at a time and wiped on drop.
struct RandomBytes {
    block: [u8; 64],
    next: usize,
}

impl RandomBytes {
    fn new() -> Self {
        RandomBytes {
            block: [0; 64],
            next: 64,
        }
    }

    fn byte(&mut self) -> Result<u8, GeneratorError> {
        if self.next == self.block.len() {
            getrandom::fill(&mut self.block).map_err(|e| GeneratorError::Random {
                reason: e.to_string(),
            })?;
            self.next = 0;
        }
        let b = self.block[self.next];
        self.block[self.next] = 0;
        self.next += 1;
        Ok(b)
    }

    /// A uniform index in `0..n` (`1 <= n <= 256`): bytes at or above the largest multiple of
    /// `n` are rejected, so every index is equally likely.
    fn below(&mut self, n: usize) -> Result<usize, GeneratorError> {
        let limit = 256 - 256 % n;
        loop {
            let b = usize::from(self.byte()?);
            if b < limit {
                return Ok(b % n);
            }
        }
    }
}

impl Drop for RandomBytes {
    fn drop(&mut self) {
        self.block.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn lengths_outside_the_rules_are_errors() {
        for length in [0, 1, 7, 26, 100, usize::MAX] {
            assert_eq!(
                Generator::new().length(length),
                Err(GeneratorError::InvalidLength { length })
            );
        }
        for length in 8..=25 {
            assert_eq!(Generator::new().length(length).unwrap().len(), length);
        }
    }

    #[test]
    fn errors_speak_words_not_rust() {
        let message = GeneratorError::InvalidLength { length: 7 }.to_string();
        assert_eq!(
            message,
            "a secret must have 8 to 25 characters, not 7; choose a length from 8 to 25"
        );
        assert!(!message.contains(".."), "{message}");
    }

    #[test]
    fn every_length_and_alphabet_gives_valid_secrets() {
        for alphabet in [Alphabet::Alphanumeric, Alphabet::AlphanumericAndSafeSymbols] {
            for length in 8..=25 {
                let g = Generator::new().length(length).unwrap().alphabet(alphabet);
                for _ in 0..50 {
                    let s = g.generate().unwrap();
                    let s = s.expose_secret();
                    assert_eq!(s.chars().count(), length);
                    assert!(s.chars().all(|c| alphabet.chars().contains(c)));
                    assert!(validate(s).is_ok());
                }
            }
        }
    }

    #[test]
    fn below_is_in_range() {
        let mut r = RandomBytes::new();
        for n in [1, 2, 62, 65, 255, 256] {
            for _ in 0..200 {
                assert!(r.below(n).unwrap() < n);
            }
        }
    }

    #[test]
    fn alphabets_are_distinct_ascii() {
        for a in [Alphabet::Alphanumeric, Alphabet::AlphanumericAndSafeSymbols] {
            let mut seen = std::collections::HashSet::new();
            assert!(
                a.chars()
                    .chars()
                    .all(|c| c.is_ascii_graphic() && seen.insert(c))
            );
        }
        assert_eq!(Alphabet::AlphanumericAndSafeSymbols.chars().len(), 65);
    }
}
