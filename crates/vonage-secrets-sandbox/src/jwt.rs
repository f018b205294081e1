//! Voximplant service accounts: their RSA keys, their `credentials.json`, and checking a
//! request's Bearer token the way the real API does.
//!
//! Rule: a token's failure is one of [`TokenError`]'s kinds, each with the API's error code;
//! the token itself is never logged or quoted.

use std::sync::Mutex;

use base64::Engine;
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::sha2::Sha256;
use rsa::signature::Verifier;
use secrecy::SecretString;
use serde::Deserialize;

use crate::voximplant_state::VoxAccount;

/// The longest lifetime of a token (`exp - iat`), in seconds.
pub(crate) const MAX_LIFETIME: i64 = 3600;
/// How far in the future `iat` may be, for clocks that differ a little.
pub(crate) const CLOCK_SKEW: i64 = 30;

/// Keys made so far in this process: generating an RSA key takes a while, so the `n`-th
/// service account of every sandbox in a process has the same key (each sandbox gives it a
/// fresh key id, so a token for one sandbox is refused by another).
static KEYS: Mutex<Vec<RsaPrivateKey>> = Mutex::new(Vec::new());

/// The process's `n`-th service-account key, made on first use.
pub(crate) fn key(n: usize) -> Result<RsaPrivateKey, String> {
    let mut keys = KEYS.lock().unwrap_or_else(|e| e.into_inner());
    while keys.len() <= n {
        let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)
            .map_err(|e| format!("could not make an RSA key: {e}"))?;
        keys.push(key);
    }
    Ok(keys[n].clone())
}

/// The `credentials.json` of `account`'s service account, whose private key is `key`.
pub(crate) fn credentials_json(
    account: &VoxAccount,
    key: &RsaPrivateKey,
) -> Result<SecretString, String> {
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| format!("could not write the RSA key: {e}"))?;
    let json = serde_json::json!({
        "account_email": account.email,
        "account_id": account.id,
        "key_id": account.key_id,
        "private_key": pem.as_str(),
    });
    Ok(SecretString::from(
        serde_json::to_string_pretty(&json).unwrap_or_default(),
    ))
}

/// Why a token is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenError {
    /// No token, an unknown key id, a bad signature, or `iss` not the key's account (100).
    Unauthorized(&'static str),
    /// Not a JWT signed RS256 with `kid`, `iss`, `iat` and `exp` (447).
    Format(&'static str),
    /// `exp - iat` over an hour, or `exp` not after `iat` (454).
    Lifetime,
    /// `iat` in the future beyond the skew (455).
    Future,
    /// `exp` has passed (456).
    Expired,
}

impl TokenError {
    /// The API's error code.
    pub(crate) fn code(&self) -> u32 {
        match self {
            TokenError::Unauthorized(_) => 100,
            TokenError::Format(_) => 447,
            TokenError::Lifetime => 454,
            TokenError::Future => 455,
            TokenError::Expired => 456,
        }
    }

    /// What went wrong and what to do, without the token.
    pub(crate) fn message(&self) -> String {
        match self {
            TokenError::Unauthorized(why) => format!("Authorization failed: {why}"),
            TokenError::Format(why) => format!("Invalid token format: {why}"),
            TokenError::Lifetime => format!(
                "Invalid token lifetime: exp must be after iat and at most {MAX_LIFETIME} seconds \
                 later"
            ),
            TokenError::Future => format!(
                "Token issued in the future: iat is more than {CLOCK_SKEW} seconds ahead of the \
                 server's clock; check the client's clock"
            ),
            TokenError::Expired => {
                "Token expired: make a fresh token for each request (exp is in the past)".into()
            }
        }
    }
}

#[derive(Deserialize)]
struct Header {
    alg: Option<String>,
    kid: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    iss: Option<serde_json::Value>,
    iat: Option<i64>,
    exp: Option<i64>,
}

fn part<T: for<'de> Deserialize<'de>>(b64: &str) -> Option<T> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(b64.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Checks the `Authorization` header's Bearer token at Unix time `now` against `accounts`;
/// gives the account it acts for.
pub(crate) fn check(
    authorization: Option<&str>,
    accounts: &[VoxAccount],
    now: i64,
) -> Result<u64, TokenError> {
    let Some(value) = authorization else {
        return Err(TokenError::Unauthorized(
            "send Authorization: Bearer <JWT> signed with the service account's key",
        ));
    };
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => {
            return Err(TokenError::Unauthorized(
                "the Authorization header must be Bearer <JWT>",
            ));
        }
    };
    let parts: Vec<&str> = token.split('.').collect();
    let [header_b64, claims_b64, signature_b64] = parts.as_slice() else {
        return Err(TokenError::Format("a JWT has three dot-separated parts"));
    };
    let header: Header =
        part(header_b64).ok_or(TokenError::Format("the header is not base64url JSON"))?;
    let claims: Claims =
        part(claims_b64).ok_or(TokenError::Format("the claims are not base64url JSON"))?;
    if header.alg.as_deref() != Some("RS256") {
        return Err(TokenError::Format("the token must be signed with RS256"));
    }
    let kid = header
        .kid
        .ok_or(TokenError::Format("the header has no kid (the key id)"))?;
    let (Some(iat), Some(exp)) = (claims.iat, claims.exp) else {
        return Err(TokenError::Format(
            "the claims need iat and exp (Unix seconds)",
        ));
    };
    let iss = match &claims.iss {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(serde_json::Value::String(s)) => s.parse().ok(),
        _ => None,
    }
    .ok_or(TokenError::Format("the claims need iss, the account id"))?;
    let account = accounts
        .iter()
        .find(|a| a.key_id == kid)
        .ok_or(TokenError::Unauthorized(
            "no service account has this key id (kid)",
        ))?;
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature_b64.trim_end_matches('='))
        .ok()
        .and_then(|s| Signature::try_from(s.as_slice()).ok())
        .ok_or(TokenError::Format("the signature is not base64url"))?;
    let signed = &token[..header_b64.len() + 1 + claims_b64.len()];
    VerifyingKey::<Sha256>::new(account.public_key.clone())
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| {
            TokenError::Unauthorized("the signature does not match the service account's key")
        })?;
    // The key's own account, or one of its child accounts that it acts for.
    let acting = accounts
        .iter()
        .find(|a| a.id == iss && (a.id == account.id || a.parent == Some(account.id)))
        .ok_or(TokenError::Unauthorized(
            "iss is not the account of the key's service account nor one of its child accounts",
        ))?;
    if exp <= iat || exp - iat > MAX_LIFETIME {
        return Err(TokenError::Lifetime);
    }
    if iat > now + CLOCK_SKEW {
        return Err(TokenError::Future);
    }
    if exp <= now {
        return Err(TokenError::Expired);
    }
    Ok(acting.id)
}
