//! Tokens: short-lived RS256 JWTs signed with the service account's key, reused until near
//! their expiry.

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret as _, SecretString};
use serde::Serialize;

use crate::credentials::Credentials;
use crate::error::Error;

/// The longest lifetime the API accepts (`exp - iat`).
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// The lifetime of a token unless another is chosen: short, as the official clients make them.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(60);

/// A token is made anew when less than this share of its lifetime is left (and always when
/// less than a second is), so that it does not expire on the way to the server.
const RENEW_WHEN_LEFT_DIVISOR: u32 = 4;

#[derive(Serialize)]
struct Claims {
    iss: i64,
    iat: u64,
    exp: u64,
}

/// A token and when it expires (Unix seconds).
#[derive(Clone)]
pub(crate) struct Token {
    pub(crate) value: SecretString,
    iat: u64,
    exp: u64,
}

/// Signs tokens for one issuer and keeps the last one until it is near its end.
pub(crate) struct Tokens {
    credentials: Credentials,
    issuer: i64,
    lifetime: Duration,
    cached: Mutex<Option<Token>>,
}

impl Tokens {
    pub(crate) fn new(credentials: Credentials, issuer: i64, lifetime: Duration) -> Self {
        Self {
            credentials,
            issuer,
            lifetime: lifetime.clamp(Duration::from_secs(1), MAX_TOKEN_LIFETIME),
            cached: Mutex::new(None),
        }
    }

    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The token to send: the cached one while enough of its lifetime is left, else a new one.
    pub(crate) fn current(&self) -> Result<Token, Error> {
        let now = unix_now();
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(token) = cached.as_ref() {
            let lifetime = token.exp.saturating_sub(token.iat);
            let margin = (lifetime / u64::from(RENEW_WHEN_LEFT_DIVISOR)).max(1);
            if now >= token.iat && now + margin < token.exp {
                return Ok(token.clone());
            }
        }
        let token = self.sign(now)?;
        *cached = Some(token.clone());
        Ok(token)
    }

    /// Forgets `rejected` (the server said it expired), so that the next [`current`] signs a
    /// new token. A token another thread has renewed meanwhile is kept.
    ///
    /// [`current`]: Tokens::current
    pub(crate) fn forget(&self, rejected: &Token) {
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if cached
            .as_ref()
            .is_some_and(|t| t.value.expose_secret() == rejected.value.expose_secret())
        {
            *cached = None;
        }
    }

    fn sign(&self, now: u64) -> Result<Token, Error> {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(self.credentials.key_id().to_owned());
        header.typ = Some("JWT".to_owned());
        let claims = Claims {
            iss: self.issuer,
            iat: now,
            exp: now + self.lifetime.as_secs(),
        };
        let value = jsonwebtoken::encode(&header, &claims, self.credentials.signing_key())
            .map_err(|e| Error::Signing {
                reason: e.to_string(),
            })?;
        Ok(Token {
            value: SecretString::from(value),
            iat: claims.iat,
            exp: claims.exp,
        })
    }
}

/// Signs one token for `issuer` with `lifetime` (at most [`MAX_TOKEN_LIFETIME`]): for the
/// benchmark and for programs that call the API by other means.
///
/// # Errors
/// [`Error::Signing`] when the key cannot sign (it was checked when the credentials were read,
/// so this is rare).
pub fn sign_token(
    credentials: &Credentials,
    issuer: i64,
    lifetime: Duration,
) -> Result<SecretString, Error> {
    Tokens::new(credentials.clone(), issuer, lifetime)
        .sign(unix_now())
        .map(|t| t.value)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
