//! [`Scrubber`]: removes every credential a call holds from text that came from the network.
//!
//! A server, or a proxy's error page, may echo the request: its `Authorization` header, its
//! body, or a value quoted back in a validation message or in a decoder's complaint. Every
//! string from the network that reaches an error or a log line goes through a scrubber first.
//!
//! A scrubber holds the *needles* of one call (any set of secret strings: an api secret, the
//! `key:secret` pair, a new secret; a client for another API adds its tokens and values the same
//! way). Each needle is also looked for in its base64 forms (standard and URL-safe, padded or
//! not). Every form is matched character by character, where each character may appear raw,
//! percent-encoded (`%XX` per UTF-8 byte, upper- or lower-case hex, `+` for a space),
//! JSON-escaped (`\"`, `\\`, `\/`, `\n`, `\uXXXX` with surrogate pairs, ...) or escaped the way
//! Rust's `Debug` does (`\u{XXXX}`, `\'`, `\0`): a server that encodes some characters and not
//! others is caught too. Escapes may nest (a JSON dump of the request inside a JSON string,
//! quoted again by a decoder): the text is also searched with up to three layers of escapes
//! decoded, backslash escapes and percent-encoding apart. A text cut off inside a needle (an
//! excerpt) ends with a prefix of it; that prefix is removed as well. The search at one
//! position is bounded: a text that would make it explode is redacted to its end.

use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};

/// What replaces a credential.
pub const REDACTED: &str = "[REDACTED]";

/// The longest excerpt of a body kept in an error, in bytes.
pub const EXCERPT_LEN: usize = 512;

/// The shortest prefix of a needle removed from the end of a cut-off text, in characters.
const MIN_CUT_PREFIX: usize = 3;

/// The needles of one call; see the module's documentation.
#[derive(Default)]
pub struct Scrubber {
    needles: Vec<SecretString>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The needles are secrets: only how many there are.
        f.debug_struct("Scrubber")
            .field("needles", &self.needles.len())
            .finish()
    }
}

impl Scrubber {
    /// A scrubber without needles (it only truncates).
    pub fn new() -> Self {
        Scrubber::default()
    }

    /// Adds a secret string, and its base64 forms, as needles. Empty strings are ignored.
    pub fn add(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
        // The unpadded forms: a padded echo contains them.
        for encoded in [
            STANDARD_NO_PAD.encode(secret),
            URL_SAFE_NO_PAD.encode(secret),
        ] {
            self.push(encoded);
        }
        self.push(secret.to_owned());
    }

    /// Adds every secret string of a set.
    #[must_use]
    pub fn with<'s>(mut self, secrets: impl IntoIterator<Item = &'s str>) -> Self {
        for s in secrets {
            self.add(s);
        }
        self
    }

    fn push(&mut self, needle: String) {
        if !self.needles.iter().any(|n| n.expose_secret() == needle) {
            self.needles.push(SecretString::from(needle));
            // Longest first: a needle that contains another is removed whole.
            self.needles
                .sort_by_key(|n| std::cmp::Reverse(n.expose_secret().len()));
        }
    }

    /// The text with every needle, in every encoding, replaced by `[REDACTED]`.
    pub fn scrub(&self, text: &str) -> String {
        self.replace(text, false)
    }

    /// Like [`scrub`](Self::scrub), for a text that may have been cut off inside a needle: a
    /// prefix of a needle (of at least three characters) at its end is removed too. The result
    /// is at most [`EXCERPT_LEN`] bytes (plus the marker), cut on a character boundary.
    pub fn scrub_excerpt(&self, text: &str) -> String {
        let mut text = self.replace(text, true);
        truncate(&mut text, EXCERPT_LEN);
        text
    }

    /// A text from the server, scrubbed and cut to at most `max` bytes. Only a start of a long
    /// text is scrubbed (sixteen times `max`): the rest is cut off anyway.
    pub fn scrub_field(&self, text: &str, max: usize) -> String {
        let mut end = text.len().min(16 * max);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut clean = self.replace(&text[..end], end < text.len());
        truncate(&mut clean, max);
        clean
    }

    /// An excerpt of a body: lossy UTF-8, scrubbed, then cut to [`EXCERPT_LEN`].
    pub fn body_excerpt(&self, body: &[u8]) -> String {
        // Scrubbing a start much longer than the excerpt before cutting it: no needle is cut
        // in two (one cut at the end of that start is a cut-off prefix, removed as such).
        let start = &body[..body.len().min(16 * EXCERPT_LEN)];
        let cut = start.len() < body.len();
        let mut text = self.replace(&String::from_utf8_lossy(start), cut);
        truncate(&mut text, EXCERPT_LEN);
        text
    }

    fn replace(&self, text: &str, cut_off: bool) -> String {
        if self.needles.is_empty() {
            return text.to_owned();
        }
        let partial = cut_off.then_some(MIN_CUT_PREFIX);
        // Where needles are, as byte ranges of `text`: found in the text itself, then in the
        // text with one layer of escapes decoded, then two, ... (a JSON dump of a request
        // inside a JSON string, quoted again by a decoder's message, nests them).
        let mut spans = Vec::new();
        let mut frontier = vec![Layer::of(text)];
        for depth in 0..=MAX_DEPTH {
            for layer in &frontier {
                let mut i = 0;
                while i < layer.bytes.len() {
                    let found = self
                        .needles
                        .iter()
                        .find_map(|n| match_needle(&layer.bytes, i, n.expose_secret(), partial));
                    match found {
                        Some(end) => {
                            let to = if end == layer.bytes.len() {
                                text.len()
                            } else {
                                layer.spans[end - 1].1
                            };
                            spans.push((layer.spans[i].0, to));
                            i = end;
                        }
                        None => i += 1,
                    }
                }
            }
            if depth == MAX_DEPTH {
                break;
            }
            // Backslash escapes and percent-encoding are decoded apart: a secret may hold a
            // literal `%41` and still be JSON-escaped.
            frontier = frontier
                .iter()
                .flat_map(|layer| {
                    [
                        layer.decoded(Escapes::Backslash),
                        layer.decoded(Escapes::Percent),
                    ]
                })
                .flatten()
                .collect();
            if frontier.is_empty() {
                break;
            }
        }
        if spans.is_empty() {
            return text.to_owned();
        }
        spans.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        for (mut from, mut to) in spans {
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            while !text.is_char_boundary(to) {
                to += 1;
            }
            if to <= copied {
                continue; // inside a span already redacted
            }
            // A span that overlaps the previous one extends it.
            if from >= copied {
                out.push_str(&text[copied..from]);
                out.push_str(REDACTED);
            }
            copied = to;
        }
        out.push_str(&text[copied..]);
        out
    }
}

/// How many layers of escapes are decoded on top of the text itself.
const MAX_DEPTH: usize = 3;

/// A text with some layers of escapes decoded, and for each of its bytes the range of the
/// original text it came from.
struct Layer {
    bytes: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

impl Layer {
    fn of(text: &str) -> Layer {
        Layer {
            bytes: text.as_bytes().to_vec(),
            spans: (0..text.len()).map(|i| (i, i + 1)).collect(),
        }
    }

    /// This layer with one more layer of escapes of this kind decoded; `None` when there is
    /// none.
    fn decoded(&self, kind: Escapes) -> Option<Layer> {
        let (bytes, spans) = (&self.bytes, &self.spans);
        let mut out = Layer {
            bytes: Vec::with_capacity(bytes.len()),
            spans: Vec::with_capacity(bytes.len()),
        };
        let mut changed = false;
        let mut i = 0;
        while i < bytes.len() {
            if let Some((decoded, len)) = decode_escape(&bytes[i..], kind) {
                let span = (spans[i].0, spans[i + len - 1].1);
                let mut buf = [0u8; 4];
                let encoded: &[u8] = match decoded {
                    Decoded::Byte(b) => {
                        buf[0] = b;
                        &buf[..1]
                    }
                    Decoded::Char(c) => c.encode_utf8(&mut buf).as_bytes(),
                };
                for &b in encoded {
                    out.bytes.push(b);
                    out.spans.push(span);
                }
                changed = true;
                i += len;
            } else {
                out.bytes.push(bytes[i]);
                out.spans.push(spans[i]);
                i += 1;
            }
        }
        changed.then_some(out)
    }
}

/// The kinds of escapes a layer decodes.
#[derive(Clone, Copy, PartialEq)]
enum Escapes {
    /// JSON's and Rust `Debug`'s: `\"`, `\\`, `\n`, `\u00e9`, `\u{e9}`, ...
    Backslash,
    /// `%XX`.
    Percent,
}

enum Decoded {
    Byte(u8),
    Char(char),
}

/// The escape of this kind at the start of `rest`, decoded, and its length.
fn decode_escape(rest: &[u8], kind: Escapes) -> Option<(Decoded, usize)> {
    let hex = |digits: &[u8]| parse_hex(digits);
    if (kind == Escapes::Percent) != (rest.first() == Some(&b'%')) {
        return None;
    }
    match rest {
        [b'%', a, b, ..] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit() => {
            let n = hex(&rest[1..3])?;
            Some((Decoded::Byte(u8::try_from(n).ok()?), 3))
        }
        [b'\\', b'u', b'{', ..] => {
            let close = rest.iter().take(11).position(|&b| b == b'}')?;
            let c = char::from_u32(hex(&rest[3..close])?)?;
            Some((Decoded::Char(c), close + 1))
        }
        [b'\\', b'u', ..] => {
            let unit = hex(rest.get(2..6)?)?;
            if (0xD800..0xDC00).contains(&unit) {
                // A surrogate pair.
                if rest.get(6..8)? != b"\\u" {
                    return None;
                }
                let low = hex(rest.get(8..12)?)?;
                if !(0xDC00..0xE000).contains(&low) {
                    return None;
                }
                let c = char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?;
                return Some((Decoded::Char(c), 12));
            }
            Some((Decoded::Char(char::from_u32(unit)?), 6))
        }
        [b'\\', kind, ..] => {
            let b = match kind {
                b'"' | b'\\' | b'/' | b'\'' => *kind,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                b'b' => 8,
                b'f' => 12,
                b'0' => 0,
                _ => return None,
            };
            Some((Decoded::Byte(b), 2))
        }
        _ => None,
    }
}

/// Cuts a string to at most `max` bytes, on a character boundary.
pub fn truncate(text: &mut String, max: usize) {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

/// Where a match of `needle` starting at `pos` ends, if there is one. With `partial`, reaching
/// the end of the text after at least that many characters of the needle counts as a match.
fn match_needle(text: &[u8], pos: usize, needle: &str, partial: Option<usize>) -> Option<usize> {
    let mut steps = MAX_STEPS;
    match match_chars(text, pos, needle, 0, partial, &mut steps) {
        // A text that makes the search explode (a needle of many backslashes, a text of many
        // more): redacted from here to its end rather than searched for ever.
        _ if steps == 0 => Some(text.len()),
        found => found,
    }
}

/// The most alternatives tried for one needle at one position.
const MAX_STEPS: u32 = 10_000;

/// Matches `rest` (what is left of the needle, after `matched` characters) at `pos`.
fn match_chars(
    text: &[u8],
    pos: usize,
    rest: &str,
    matched: usize,
    partial: Option<usize>,
    steps: &mut u32,
) -> Option<usize> {
    let Some(c) = rest.chars().next() else {
        return Some(pos);
    };
    let at_end_ok = partial.is_some_and(|min| matched >= min);
    if pos >= text.len() {
        return at_end_ok.then_some(pos);
    }
    let mut ran_out = false;
    for form in Form::ALL {
        if *steps == 0 {
            return None;
        }
        *steps -= 1;
        match form.consume(text, pos, c) {
            Step::Matched(next) => {
                let after = &rest[c.len_utf8()..];
                if let Some(end) = match_chars(text, next, after, matched + 1, partial, steps) {
                    return Some(end);
                }
            }
            Step::RanOut => ran_out = true,
            Step::No => {}
        }
    }
    // The text ends inside an encoded character of the needle.
    (ran_out && at_end_ok).then_some(text.len())
}

/// The ways one character may be written.
#[derive(Clone, Copy)]
enum Form {
    Raw,
    Percent,
    Plus,
    Escaped,
}

enum Step {
    Matched(usize),
    /// The text ends where this form of the character would continue.
    RanOut,
    No,
}

impl Form {
    const ALL: [Form; 4] = [Form::Raw, Form::Percent, Form::Plus, Form::Escaped];

    fn consume(self, text: &[u8], pos: usize, c: char) -> Step {
        let mut buf = [0u8; 4];
        let utf8 = c.encode_utf8(&mut buf).as_bytes();
        let rest = &text[pos..];
        match self {
            Form::Raw => prefix_step(rest, utf8, pos),
            Form::Plus if c == ' ' => prefix_step(rest, b"+", pos),
            Form::Plus => Step::No,
            Form::Percent => {
                let mut at = 0;
                for &b in utf8 {
                    for (k, want) in [b'%', hex_digit(b >> 4), hex_digit(b & 0xf)]
                        .into_iter()
                        .enumerate()
                    {
                        match rest.get(at + k) {
                            None => return Step::RanOut,
                            Some(got) if got.eq_ignore_ascii_case(&want) => {}
                            Some(_) => return Step::No,
                        }
                    }
                    at += 3;
                }
                Step::Matched(pos + at)
            }
            Form::Escaped => escaped_step(rest, c, pos),
        }
    }
}

fn prefix_step(rest: &[u8], want: &[u8], pos: usize) -> Step {
    if rest.starts_with(want) {
        Step::Matched(pos + want.len())
    } else if want.starts_with(rest) {
        Step::RanOut
    } else {
        Step::No
    }
}

fn hex_digit(n: u8) -> u8 {
    b"0123456789ABCDEF"[usize::from(n & 0xf)]
}

/// A backslash escape of `c` (JSON's and Rust `Debug`'s).
fn escaped_step(rest: &[u8], c: char, pos: usize) -> Step {
    if rest.first() != Some(&b'\\') {
        return Step::No;
    }
    let Some(&kind) = rest.get(1) else {
        return Step::RanOut;
    };
    let simple = match c {
        '"' => Some(b'"'),
        '\\' => Some(b'\\'),
        '/' => Some(b'/'),
        '\'' => Some(b'\''),
        '\n' => Some(b'n'),
        '\r' => Some(b'r'),
        '\t' => Some(b't'),
        '\u{8}' => Some(b'b'),
        '\u{c}' => Some(b'f'),
        '\0' => Some(b'0'),
        _ => None,
    };
    if simple == Some(kind) {
        return Step::Matched(pos + 2);
    }
    if kind != b'u' {
        return Step::No;
    }
    if rest.get(2) == Some(&b'{') {
        // Rust: \u{1f600}
        let digits: Vec<u8> = rest[3..]
            .iter()
            .take(7)
            .take_while(|b| b.is_ascii_hexdigit())
            .copied()
            .collect();
        return match rest.get(3 + digits.len()) {
            None => Step::RanOut,
            Some(b'}') => match parse_hex(&digits) {
                Some(n) if n == u32::from(c) => Step::Matched(pos + 4 + digits.len()),
                _ => Step::No,
            },
            Some(_) => Step::No,
        };
    }
    // JSON: \uXXXX, or a surrogate pair for a character outside the basic plane.
    let mut units = [0u16; 2];
    let units = c.encode_utf16(&mut units);
    let mut at = 0;
    for (k, &unit) in units.iter().enumerate() {
        if k > 0 {
            match rest.get(at..at + 2) {
                None => return Step::RanOut,
                Some(b"\\u") => {}
                Some(_) => return Step::No,
            }
        }
        let Some(digits) = rest.get(at + 2..at + 6) else {
            return Step::RanOut;
        };
        if parse_hex(digits) != Some(u32::from(unit)) {
            return Step::No;
        }
        at += 6;
    }
    Step::Matched(pos + at)
}

fn parse_hex(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubber(secrets: &[&str]) -> Scrubber {
        Scrubber::new().with(secrets.iter().copied())
    }

    #[test]
    fn every_encoding_of_a_needle_is_redacted() {
        let s = scrubber(&["p a\"ss/é😀"]);
        for echo in [
            "p a\"ss/é😀",
            "p+a%22ss%2F%C3%A9%F0%9F%98%80",
            "p%20a%22ss%2f%c3%a9%f0%9f%98%80",
            r#"p a\"ss\/\u00e9\ud83d\ude00"#,
            r#"p a\"ss/\u{e9}\u{1f600}"#,
            // Mixed: some characters encoded, others not.
            "p a%22ss/é%F0%9F%98%80",
        ] {
            let text = format!("before {echo} after");
            assert_eq!(s.scrub(&text), "before [REDACTED] after", "{echo}");
        }
        let b64 = base64::engine::general_purpose::STANDARD.encode("p a\"ss/é😀");
        assert_eq!(s.scrub(&format!("x{b64}y")).matches(REDACTED).count(), 1);
        assert!(!s.scrub(&format!("x{b64}y")).contains(&b64[..b64.len() - 2]));
    }

    #[test]
    fn text_without_needles_is_unchanged() {
        let s = scrubber(&["Secret-123"]);
        let text = "Secret-12 %53ecret-1 \\u0053ecret-1x";
        assert_eq!(s.scrub(text), text);
        assert_eq!(Scrubber::new().scrub("Secret-123"), "Secret-123");
    }

    #[test]
    fn a_cut_off_prefix_is_removed_from_an_excerpt_only() {
        let s = scrubber(&["N3w-secret!"]);
        assert_eq!(
            s.scrub_excerpt("cut inside: N3w-sec"),
            "cut inside: [REDACTED]"
        );
        assert_eq!(
            s.scrub_excerpt("cut inside: N3w%2Dsec%7"),
            "cut inside: [REDACTED]"
        );
        assert_eq!(s.scrub_excerpt("ends with N3"), "ends with N3");
        assert_eq!(s.scrub("cut inside: N3w-sec"), "cut inside: N3w-sec");
    }

    #[test]
    fn a_text_that_would_make_the_search_explode_is_redacted_not_searched_for_ever() {
        let needle = format!("{}x", "\\".repeat(40));
        let s = scrubber(&[&needle]);
        let text = format!("start {}", "\\".repeat(4000));
        let started = std::time::Instant::now();
        let clean = s.scrub(&text);
        println!("{:?} for {} bytes", started.elapsed(), text.len());
        assert_eq!(clean, "start [REDACTED]");
        // An ordinary needle in the same text is still found exactly.
        let s = scrubber(&["Secret-123"]);
        assert_eq!(s.scrub("a \\\\ Secret-123 b"), "a \\\\ [REDACTED] b");
    }

    #[test]
    fn excerpts_are_cut_on_a_char_boundary() {
        let long = "é".repeat(400);
        let s = Scrubber::new().scrub_excerpt(&long);
        assert!(s.len() <= EXCERPT_LEN);
        assert!(s.chars().all(|c| c == 'é'));
        let body =
            scrubber(&["abcdefgh"]).body_excerpt(format!("{}abcdefgh", "x".repeat(508)).as_bytes());
        assert!(!body.contains("abcd"), "{body}");
    }
}
