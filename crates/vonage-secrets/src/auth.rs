//! [`Credentials`]: the client's api key and secret, given to the transport as HTTP Basic
//! credentials ([`Auth`]), and the scrubber of a call made with them.

use base64::Engine as _;
use http::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};
use vonage_secrets_transport::{Auth, AuthError, Scrubber};

/// An api key with its secret, held as the `Authorization` value `Basic base64(key:secret)`,
/// computed once and zeroized on drop.
///
/// The header value is made from it on each call (a copy of some 40 bytes): keeping a
/// ready-made `HeaderValue` would save a few hundred instructions a call, but would hold the
/// credentials for the client's whole life in memory that is not zeroized.
pub(crate) struct Credentials {
    pub(crate) api_key: String,
    api_secret: SecretString,
    basic: SecretString,
}

impl Credentials {
    pub(crate) fn new(api_key: String, api_secret: SecretString) -> Self {
        let pair = SecretString::from(format!("{api_key}:{}", api_secret.expose_secret()));
        let token = SecretString::from(
            base64::engine::general_purpose::STANDARD.encode(pair.expose_secret()),
        );
        let basic = SecretString::from(format!("Basic {}", token.expose_secret()));
        Credentials {
            api_key,
            api_secret,
            basic,
        }
    }

    /// A scrubber for a call with these credentials and, if any, a new secret: the api secret,
    /// the `key:secret` pair (whose base64 is the `Basic` token), the `Authorization` value and
    /// the new secret, each with its encodings.
    pub(crate) fn scrubber(&self, sent_secret: Option<&str>) -> Scrubber {
        let mut scrubber = Scrubber::new().with(sent_secret);
        self.add_secrets(&mut scrubber);
        scrubber
    }
}

impl Auth for Credentials {
    /// The `Authorization` header, marked sensitive so that `http` and ureq never print it.
    fn authorization(&self) -> Result<HeaderValue, AuthError> {
        let mut value = HeaderValue::from_str(self.basic.expose_secret())
            .map_err(|_| "the credentials cannot be sent in an HTTP header")?;
        value.set_sensitive(true);
        Ok(value)
    }

    fn add_secrets(&self, scrubber: &mut Scrubber) {
        let pair = SecretString::from(format!(
            "{}:{}",
            self.api_key,
            self.api_secret.expose_secret()
        ));
        scrubber.add(pair.expose_secret());
        scrubber.add(self.api_secret.expose_secret());
        // The header itself, for its base64 forms (its raw form holds the token).
        scrubber.add(self.basic.expose_secret());
    }
}

impl Credentials {
    /// A secret from a successful answer, its id scrubbed like any text from the server (a
    /// server could echo a credential there too, and ids reach terminals).
    ///
    /// Ids are UUIDs in practice: an id of hex digits and dashes that holds neither secret raw
    /// is kept as it is without building a scrubber, so that a list costs what the call costs.
    pub(crate) fn clean(
        &self,
        secret: crate::model::Secret,
        sent_secret: Option<&str>,
    ) -> crate::model::Secret {
        let id = secret.id.as_str();
        let plain = id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
            && !id.contains(self.api_secret.expose_secret())
            && !sent_secret.is_some_and(|s| !s.is_empty() && id.contains(s));
        if plain {
            return secret;
        }
        let clean = self
            .scrubber(sent_secret)
            .scrub_field(id, vonage_secrets_transport::scrub::EXCERPT_LEN);
        crate::model::Secret {
            id: crate::model::SecretId::from(clean),
            ..secret
        }
    }
}

impl Credentials {
    /// Whether these are `api_key` with `api_secret` (the rotation's lockout guard).
    pub(crate) fn is(&self, api_key: &str, api_secret: &SecretString) -> bool {
        let other = Credentials::new(api_key.to_owned(), api_secret.clone());
        self.api_key == other.api_key && self.basic.expose_secret() == other.basic.expose_secret()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorization_header_is_basic_and_sensitive() {
        let credentials = Credentials::new("abcd1234".into(), SecretString::from("Secret-123"));
        let value = credentials.authorization().unwrap();
        assert!(value.is_sensitive());
        // base64("abcd1234:Secret-123")
        assert_eq!(value, "Basic YWJjZDEyMzQ6U2VjcmV0LTEyMw==");
        assert!(!format!("{value:?}").contains("YWJj"));
    }
}
