//! [`Auth`]: the hook through which a client gives the transport its credentials.

use http::HeaderValue;

use crate::Scrubber;

/// What an [`Auth`] returns when it cannot give an `Authorization` value (a token that cannot
/// be signed, credentials that are no header value).
pub type AuthError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A credential provider: asked for the `Authorization` value of each attempt.
///
/// Basic credentials return the same value every time; a token provider may sign a fresh
/// token when the old one is near its end, and may ask for one more attempt when the server
/// says the token expired ([`refresh_after`](Auth::refresh_after)).
pub trait Auth {
    /// The `Authorization` header of the next attempt. Mark it sensitive
    /// ([`HeaderValue::set_sensitive`]) so that `http` and ureq never print it.
    fn authorization(&self) -> Result<HeaderValue, AuthError>;

    /// Adds every secret this provider holds (passwords, tokens, the header value) to a
    /// scrubber, so that no error text from the network repeats them.
    fn add_secrets(&self, scrubber: &mut Scrubber);

    /// Whether this response says the credentials expired and the request may be sent once
    /// more with a fresh [`authorization`](Auth::authorization) (for example a token-expired
    /// answer; the provider drops its token here). Asked at most once per call; the default
    /// never asks.
    fn refresh_after(&self, response: &http::Response<Vec<u8>>) -> bool {
        let _ = response;
        false
    }
}

impl<A: Auth + ?Sized> Auth for &A {
    fn authorization(&self) -> Result<HeaderValue, AuthError> {
        (**self).authorization()
    }
    fn add_secrets(&self, scrubber: &mut Scrubber) {
        (**self).add_secrets(scrubber)
    }
    fn refresh_after(&self, response: &http::Response<Vec<u8>>) -> bool {
        (**self).refresh_after(response)
    }
}

/// Whether a status says the request's credentials were refused (401 Unauthorized, RFC 9110
/// section 15.5.2): HTTP's own meaning, the same for every API, for a client to recognise such
/// an answer when its body is not the error document the API describes (an empty body, a
/// proxy's page).
pub fn refuses_credentials(status: http::StatusCode) -> bool {
    status == http::StatusCode::UNAUTHORIZED
}
