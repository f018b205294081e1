//! The transport's auth hook for Voximplant: a Bearer token per attempt from [`Tokens`], one
//! new token after a token-expired answer.

use std::sync::Mutex;

use http::HeaderValue;
use secrecy::ExposeSecret as _;
use vonage_secrets_transport::{Auth, AuthError, Scrubber};
use voximplant_secrets_api::types::ApiError;

use crate::token::{Token, Tokens};

/// The credentials of one call: the tokens it sent, for the scrubber and for forgetting an
/// expired one.
pub(crate) struct CallAuth<'a> {
    tokens: &'a Tokens,
    sent: Mutex<Vec<Token>>,
}

impl<'a> CallAuth<'a> {
    pub(crate) fn new(tokens: &'a Tokens) -> Self {
        Self {
            tokens,
            sent: Mutex::new(Vec::new()),
        }
    }

    fn sent(&self) -> std::sync::MutexGuard<'_, Vec<Token>> {
        self.sent.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Auth for CallAuth<'_> {
    fn authorization(&self) -> Result<HeaderValue, AuthError> {
        let token = self.tokens.current().map_err(Box::new)?;
        let mut value = HeaderValue::try_from(format!("Bearer {}", token.value.expose_secret()))?;
        value.set_sensitive(true);
        self.sent().push(token);
        Ok(value)
    }

    fn add_secrets(&self, scrubber: &mut Scrubber) {
        for token in self.sent().iter() {
            scrubber.add(token.value.expose_secret());
        }
        let key = self.tokens.credentials().private_key().expose_secret();
        scrubber.add(key);
        // The key's base64 lines, in case a part of it comes back.
        for line in key
            .lines()
            .map(str::trim)
            .filter(|l| l.len() >= 16 && !l.starts_with("-----"))
        {
            scrubber.add(line);
        }
    }

    /// A token-expired answer (code 456, whatever the status): the server did not act on the
    /// request, so it is sent once more with a new token.
    fn refresh_after(&self, response: &http::Response<Vec<u8>>) -> bool {
        let expired = serde_json::from_slice::<ApiError>(response.body())
            .is_ok_and(|e| e.error.code == crate::codes::TOKEN_EXPIRED);
        if expired {
            if let Some(token) = self.sent().last() {
                self.tokens.forget(token);
            }
            log::debug!("the token expired; signing a new one");
        }
        expired
    }
}
