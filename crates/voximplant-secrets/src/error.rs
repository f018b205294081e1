//! The errors of this crate: what failed, in words, and what to do next.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::rules::Violations;

/// The method a failure belongs to, for the start of each error's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Adding a secret.
    Add,
    /// Listing secrets.
    List,
    /// Reading a secret's value.
    ReadValue,
    /// Changing a secret.
    Update,
    /// Deleting secrets.
    Delete,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Add => "adding the secret",
            Action::List => "listing the secrets",
            Action::ReadValue => "reading the secret's value",
            Action::Update => "changing the secret",
            Action::Delete => "deleting the secrets",
        })
    }
}

/// What went wrong with a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// The host name could not be resolved.
    Dns,
    /// No connection could be opened.
    Connect,
    /// TLS failed (certificate, handshake).
    Tls,
    /// The connection broke, or the server spoke no HTTP.
    Io,
    /// The response body is larger than the client reads.
    BodyTooLarge,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Dns => "the host name could not be resolved",
            TransportKind::Connect => "no connection could be opened",
            TransportKind::Tls => "the TLS connection failed",
            TransportKind::Io => "the connection failed",
            TransportKind::BodyTooLarge => "the answer is larger than the client accepts",
        })
    }
}

/// Everything that can go wrong. Texts never hold a secret value, the private key or a token:
/// whatever comes from the network is scrubbed of them first.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks the API's rules; nothing was sent.
    #[error("{0}")]
    Rules(Violations),
    /// The credentials could not be read or used.
    #[error("the Voximplant credentials {} are not usable: {reason}", path_text(.path))]
    Credentials {
        /// The file, when they came from one.
        path: Option<PathBuf>,
        /// What is wrong with them.
        reason: String,
    },
    /// The client's configuration is wrong (such as its base URL).
    #[error("the client is not configured correctly: {0}")]
    Config(String),
    /// A token could not be signed.
    #[error("signing the access token failed: {reason}")]
    Signing {
        /// Why.
        reason: String,
    },
    /// The server refused the credentials (code 100).
    #[error(
        "{action} failed: authorization failed ({message}); check that the service account's \
         key is active and has the rights for this application"
    )]
    AuthorizationFailed {
        /// The method.
        action: Action,
        /// The server's message.
        message: String,
    },
    /// The server could not read the token (code 447).
    #[error(
        "{action} failed: the server says the access token is malformed ({message}); check \
         that credentials.json is the service account's file, unchanged"
    )]
    InvalidTokenFormat {
        /// The method.
        action: Action,
        /// The server's message.
        message: String,
    },
    /// The server refused the token's lifetime (code 454).
    #[error(
        "{action} failed: the server refused the access token's lifetime ({message}); use a \
         lifetime of at most one hour"
    )]
    InvalidTokenLifetime {
        /// The method.
        action: Action,
        /// The server's message.
        message: String,
    },
    /// The token's issue time is after the server's clock (code 455).
    #[error(
        "{action} failed: the server says the access token was issued in the future \
         ({message}); check that this machine's clock is right"
    )]
    TokenIssuedInFuture {
        /// The method.
        action: Action,
        /// The server's message.
        message: String,
    },
    /// The token had expired, also after one renewal (code 456).
    #[error(
        "{action} failed: the server says the access token has expired, also after a new one \
         was made ({message}); check that this machine's clock is right"
    )]
    TokenExpired {
        /// The method.
        action: Action,
        /// The server's message.
        message: String,
    },
    /// What was asked for does not exist: `GetSecretValue` answered no secret, or the API
    /// refused a call naming secrets with a code it documents no meaning for and the
    /// application's list of secrets does not hold one of them.
    #[error("{action} failed: {what} was not found")]
    NotFound {
        /// The method.
        action: Action,
        /// What was looked for, such as `the secret named "db_password"`.
        what: String,
    },
    /// Any other error the API reported, with its code and message: every code but the
    /// documented ones above (100, 447, 454, 455, 456).
    #[error("{action} failed: the server reported error {code}: {message}")]
    Api {
        /// The method.
        action: Action,
        /// The API's error code.
        code: i64,
        /// The server's message.
        message: String,
    },
    /// An answer the client does not understand.
    #[error(
        "{action} failed: the server's answer (HTTP {status}) was not understood: {reason}; \
         check the base URL"
    )]
    Unexpected {
        /// The method.
        action: Action,
        /// The HTTP status.
        status: http::StatusCode,
        /// What was wrong with it, with the start of the body.
        reason: String,
    },
    /// The server answered without the confirmation the method documents (a result other
    /// than 1, no id): the change may or may not have been made.
    #[error(
        "{action} is not confirmed: the server's answer did not say it succeeded ({reason}); \
         list the secrets to see what the application holds"
    )]
    NotConfirmed {
        /// The method.
        action: Action,
        /// What was missing.
        reason: String,
    },
    /// The call did not finish within its time budget.
    #[error(
        "{action} failed: no answer within {} ms{}; try again later or give a longer timeout",
        .after.as_millis(),
        if *.request_sent { " (the request may have reached the server)" } else { "" }
    )]
    Timeout {
        /// The method.
        action: Action,
        /// How long the call ran.
        after: Duration,
        /// Whether the request may have reached the server.
        request_sent: bool,
    },
    /// The connection failed.
    #[error("{action} failed: {kind}: {message}; check the network and the base URL")]
    Transport {
        /// The method.
        action: Action,
        /// What kind of failure.
        kind: TransportKind,
        /// The details.
        message: String,
    },
}

fn path_text(path: &Option<PathBuf>) -> String {
    match path {
        Some(p) => format!("in {}", p.display()),
        None => "from the environment".to_owned(),
    }
}

impl Error {
    /// The API's error code, when the server reported one.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::AuthorizationFailed { .. } => Some(crate::codes::AUTHORIZATION_FAILED),
            Error::InvalidTokenFormat { .. } => Some(crate::codes::INVALID_TOKEN_FORMAT),
            Error::InvalidTokenLifetime { .. } => Some(crate::codes::INVALID_TOKEN_LIFETIME),
            Error::TokenIssuedInFuture { .. } => Some(crate::codes::TOKEN_ISSUED_IN_FUTURE),
            Error::TokenExpired { .. } => Some(crate::codes::TOKEN_EXPIRED),
            Error::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Classifies the API's error document.
    pub(crate) fn from_api(action: Action, code: i64, message: String) -> Self {
        use crate::codes::*;
        match code {
            AUTHORIZATION_FAILED => Error::AuthorizationFailed { action, message },
            INVALID_TOKEN_FORMAT => Error::InvalidTokenFormat { action, message },
            INVALID_TOKEN_LIFETIME => Error::InvalidTokenLifetime { action, message },
            TOKEN_ISSUED_IN_FUTURE => Error::TokenIssuedInFuture { action, message },
            TOKEN_EXPIRED => Error::TokenExpired { action, message },
            _ => Error::Api {
                action,
                code,
                message,
            },
        }
    }
}
