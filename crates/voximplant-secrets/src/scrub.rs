//! Removing the secrets of a call (the token, the private key, secret values) from text that
//! came from the network, before it reaches an error or a log line.
//!
//! Each needle is matched as it is, form-encoded (as the request body carries it), and
//! JSON-escaped (as a server's JSON may quote it); a cut-off start of a needle at the end of a
//! body excerpt is removed too.

const REDACTED: &str = "<redacted>";

/// The shortest secret string that is scrubbed.
pub(crate) const MIN_NEEDLE_CHARS: usize = 4;

/// The secret strings of one call, in every form they may come back in.
#[derive(Default)]
pub(crate) struct Scrubber {
    forms: Vec<String>,
}

impl Scrubber {
    /// Adds a secret string. One shorter than [`MIN_NEEDLE_CHARS`] is left out: it would match
    /// ordinary words of every message, and shows too little to matter.
    pub(crate) fn add(&mut self, needle: &str) {
        if needle.chars().count() < MIN_NEEDLE_CHARS {
            return;
        }
        let form: String = form_urlencoded::byte_serialize(needle.as_bytes()).collect();
        let json = serde_json::to_string(needle).unwrap_or_default();
        let json = json
            .strip_prefix('"')
            .and_then(|j| j.strip_suffix('"'))
            .unwrap_or_default()
            .to_owned();
        // Percent-encoding with `%20` for spaces, as some servers re-encode.
        let percent = form.replace('+', "%20");
        for candidate in [needle.to_owned(), form, json, percent] {
            if !candidate.is_empty() && !self.forms.contains(&candidate) {
                self.forms.push(candidate);
            }
        }
        // Longest first, so that a form holding another is replaced whole.
        self.forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    }

    /// `text` with every form of every needle replaced by `<redacted>`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for form in &self.forms {
            if text.contains(form.as_str()) {
                text = text.replace(form.as_str(), REDACTED);
            }
        }
        text
    }

    /// Like [`scrub`](Scrubber::scrub), for a body excerpt that may end in the middle of a
    /// needle: such a cut-off start is removed as well.
    pub(crate) fn scrub_excerpt(&self, text: &str) -> String {
        let mut text = self.scrub(text);
        let mut cut = 0;
        for form in &self.forms {
            // The longest end of `text` that is a proper start of `form`.
            let longest = (1..form.len())
                .rev()
                .filter(|&n| form.is_char_boundary(n))
                .find(|&n| text.ends_with(&form[..n]));
            if let Some(n) = longest {
                cut = cut.max(n);
            }
        }
        if cut > 0 {
            text.truncate(text.len() - cut);
            text.push_str(REDACTED);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_and_a_cut_off_start_are_removed() {
        let mut s = Scrubber::default();
        s.add("a b\"c&d");
        assert_eq!(s.scrub("x a b\"c&d y"), "x <redacted> y");
        assert_eq!(s.scrub("x a+b%22c%26d y"), "x <redacted> y");
        assert_eq!(s.scrub("x a%20b%22c%26d y"), "x <redacted> y");
        assert_eq!(s.scrub(r#"x a b\"c&d y"#), "x <redacted> y");
        assert_eq!(s.scrub_excerpt("value=a+b%2"), "value=<redacted>");
        assert_eq!(s.scrub_excerpt("plain text"), "plain text");
    }
}
