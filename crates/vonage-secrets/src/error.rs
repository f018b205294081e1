//! [`Error`]: everything that can go wrong, classified so that callers can act on it.

use std::fmt;
use std::time::Duration;

use http::StatusCode;
use vonage_secrets_policy::Violations;
use vonage_secrets_transport::TransportErrorKind;

use crate::model::{InvalidParameter, Problem, SecretId, join};

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to the Secret Management API.
///
/// Server errors are classified by the problem document's `type` first and by the HTTP status
/// second, so that, for example, the "too many secrets" error is [`Error::LimitReached`] whether
/// the server sends it as 400 or as 403. The problem document is kept on every variant that came
/// with one ([`Error::problem`]).
///
/// `Display` says what happened and what to do about it; neither `Display` nor `Debug` ever shows
/// a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The new secret breaks the server's rules. Checked before any I/O: the secret never left
    /// the machine.
    #[error("the new secret was refused before sending it: {0}")]
    Policy(Violations),

    /// The server refused the credentials (401).
    #[error(
        "the credentials of api key {api_key} were refused{}; check the api key and secret \
         (VONAGE_API_KEY, VONAGE_API_SECRET), and for a secondary account that it belongs to \
         this primary account",
        problem_suffix(problem)
    )]
    Unauthorized {
        /// The api key whose credentials were refused.
        api_key: String,
        /// The server's problem document, if it sent one.
        problem: Option<Box<Problem>>,
    },

    /// The account named in the request does not exist, or is not a secondary account of the
    /// authenticating account (404 `invalid-api-key`).
    #[error(
        "account {api_key} was not found{}; check the api key, and for a secondary account that \
         it belongs to the primary account whose credentials are used",
        problem_suffix(problem)
    )]
    AccountNotFound {
        /// The account's api key, as sent in the path.
        api_key: String,
        /// The server's problem document, if it sent one.
        problem: Option<Box<Problem>>,
    },

    /// The account has no secret with this id (404 `invalid-id`).
    #[error(
        "account {api_key} has no secret with id {secret_id}{}; list the account's secrets for \
         the current ids",
        problem_suffix(problem)
    )]
    SecretNotFound {
        /// The account's api key.
        api_key: String,
        /// The id that was not found.
        secret_id: SecretId,
        /// The server's problem document, if it sent one.
        problem: Option<Box<Problem>>,
    },

    /// The account already has two secrets, the maximum (`add-excess-secret`, sent as 400 or 403).
    #[error(
        "account {api_key} already has 2 secrets, the maximum; revoke one first{}",
        problem_suffix(problem)
    )]
    LimitReached {
        /// The account's api key.
        api_key: String,
        /// The server's problem document, if it sent one.
        problem: Option<Box<Problem>>,
    },

    /// The secret is the account's only one and cannot be revoked (403 `delete-last-secret`).
    #[error(
        "secret {secret_id} is the only secret of account {api_key} and cannot be revoked; create \
         a new secret first{}",
        problem_suffix(problem)
    )]
    LastSecret {
        /// The account's api key.
        api_key: String,
        /// The secret that could not be revoked.
        secret_id: SecretId,
        /// The server's problem document, if it sent one.
        problem: Option<Box<Problem>>,
    },

    /// The server refused the new secret (400 `validation`).
    #[error(
        "the server refused the new secret for account {api_key}: {}; choose another secret{}",
        reasons(invalid_parameters),
        problem_suffix(problem)
    )]
    Rejected {
        /// The account's api key.
        api_key: String,
        /// What the server refused, and why.
        invalid_parameters: Vec<InvalidParameter>,
        /// The server's problem document, if it sent one.
        problem: Option<Box<Problem>>,
    },

    /// Any other HTTP status: the server's problem document if it sent one, or an excerpt of the
    /// body otherwise.
    #[error(
        "{} failed with HTTP {status}{}{}",
        action(operation),
        problem_suffix(problem),
        excerpt_suffix(problem, body_excerpt)
    )]
    Api {
        /// The operation (the API's operationId, e.g. `retrieveAPISecrets`); `Display` says
        /// it in words ("listing the secrets").
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The server's problem document, if it sent one that could be read.
        problem: Option<Box<Problem>>,
        /// The start of the response body (lossy UTF-8, at most about 512 bytes).
        body_excerpt: String,
        /// How long the server asked to wait before the next request (its `Retry-After`, in
        /// seconds), when it said; see [`Error::retry_after`].
        retry_after: Option<Duration>,
    },

    /// No complete answer arrived within the request's time budget
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout), retries included).
    #[error(
        "{} failed: no complete answer within {after:.1?}; the server or the network is slow or \
         unreachable{}",
        action(operation),
        if *request_sent { " (the request may have reached the server)" } else { "" }
    )]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// How long the client waited, retries included.
        after: Duration,
        /// Whether the request may have reached the server (the timeout struck after connecting).
        request_sent: bool,
    },

    /// The connection failed: DNS, connect, TLS, or a connection reset.
    #[error("{} failed: {kind} ({source})", action(operation))]
    Transport {
        /// The operation.
        operation: &'static str,
        /// What kind of failure it was.
        kind: TransportErrorKind,
        /// The underlying error.
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },

    /// The response could not be decoded: a body that does not parse, or that exceeds the size
    /// cap (1 MiB).
    #[error(
        "{} failed: the response (HTTP {status}) could not be decoded: {reason}{}",
        action(operation),
        if body_excerpt.is_empty() { String::new() } else { format!("; body starts with {body_excerpt:?}") }
    )]
    Decode {
        /// The operation.
        operation: &'static str,
        /// The HTTP status of the response.
        status: StatusCode,
        /// Why it could not be decoded.
        reason: String,
        /// The start of the response body (lossy UTF-8, at most about 512 bytes).
        body_excerpt: String,
    },

    /// The server listed no secret for an account, which the API never does (an account keeps
    /// at least one secret): a rotation cannot go on from such an answer.
    #[error(
        "account {api_key} listed no secrets, though an account always keeps at least one; list \
         them again, and if the list stays empty, contact Vonage support"
    )]
    NoSecrets {
        /// The account's api key.
        api_key: String,
    },

    /// The client's configuration is unusable (bad base URL, missing environment variable,
    /// unreadable certificate, ...). Reported by [`ClientBuilder::build`](crate::ClientBuilder::build)
    /// and [`Client::from_env`](crate::Client::from_env), before any I/O.
    #[error("invalid configuration: {message}")]
    Config {
        /// What is wrong, naming the setting or environment variable.
        message: String,
    },

    /// An argument was refused before any I/O (an empty api key or secret id).
    #[error("invalid argument: {message}")]
    InvalidInput {
        /// What is wrong with the argument.
        message: String,
    },

    /// The account may not use the Subaccounts API (403 `unprovisioned`): it is offered to
    /// some accounts only. Secondary accounts cannot be listed with these credentials.
    #[error(
        "account {api_key} cannot list its secondary accounts: the Subaccounts API is not \
         enabled for it{}; ask Vonage support to enable it, or name the secondary accounts' api \
         keys yourself",
        problem_suffix(problem)
    )]
    Unprovisioned {
        /// The primary account's api key.
        api_key: String,
        /// The server's problem document, if it sent one.
        problem: Option<Box<Problem>>,
    },

    /// A [rotation](crate::Rotation) refused to go on before changing anything, because going
    /// on could revoke the secret the client authenticates with; the reason says what to do.
    #[error("{0}")]
    Refused(Refusal),
}

impl Error {
    /// Whether the client retries this error itself (for idempotent operations): connection
    /// failures and resets, and HTTP 429, 502, 503 and 504.
    ///
    /// ```
    /// use vonage_secrets::Error;
    ///
    /// let e = Error::Config { message: "no base url".into() };
    /// assert!(!e.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { kind, .. } => {
                matches!(kind, TransportErrorKind::Connect | TransportErrorKind::Io)
            }
            Error::Api { status, .. } => {
                vonage_secrets_transport::retry::is_retryable_status(*status)
            }
            _ => false,
        }
    }

    /// The server's problem document, on the variants that came with one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Error::Unauthorized { problem, .. }
            | Error::AccountNotFound { problem, .. }
            | Error::SecretNotFound { problem, .. }
            | Error::LimitReached { problem, .. }
            | Error::LastSecret { problem, .. }
            | Error::Rejected { problem, .. }
            | Error::Unprovisioned { problem, .. }
            | Error::Api { problem, .. } => problem.as_deref(),
            _ => None,
        }
    }

    /// Whether a request may have reached the server without the client learning the outcome
    /// (a timeout or broken connection after connecting, or a gateway error). After such a
    /// failure of a non-idempotent request the server's state is unknown.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            Error::Timeout { request_sent, .. } => *request_sent,
            Error::Transport { kind, .. } => matches!(
                kind,
                TransportErrorKind::Io | TransportErrorKind::Protocol | TransportErrorKind::Other
            ),
            Error::Api { status, .. } => status.is_server_error(),
            Error::Decode { status, .. } => !status.is_client_error(),
            _ => false,
        }
    }

    /// How long the server asked the client to wait before its next request (the `Retry-After`
    /// of a 429 or 503 that the client's own retries did not absorb), when it said.
    ///
    /// ```
    /// let e = vonage_secrets::Error::Config { message: "no base url".into() };
    /// assert_eq!(e.retry_after(), None);
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

impl Error {
    /// The API operation that failed (its operationId, e.g. `createAPISecret`), on the
    /// variants that carry one.
    ///
    /// ```
    /// let e = vonage_secrets::Error::Config { message: "no base url".into() };
    /// assert_eq!(e.operation(), None);
    /// ```
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Decode { operation, .. } => Some(operation),
            _ => None,
        }
    }
}

/// What an operation does, in words for messages.
pub(crate) fn action(operation: &str) -> &'static str {
    use vonage_secrets_api::Operation;
    use vonage_secrets_api::operations::{
        CreateApiSecret, RetrieveApiSecret, RetrieveApiSecrets, RevokeApiSecret,
    };
    use vonage_subaccounts_api::operations::{RetrieveSubaccount, RetrieveSubaccountsList};
    match operation {
        RetrieveApiSecrets::OPERATION_ID => "listing the secrets",
        RetrieveApiSecret::OPERATION_ID => "getting a secret",
        CreateApiSecret::OPERATION_ID => "creating a secret",
        RevokeApiSecret::OPERATION_ID => "revoking a secret",
        RetrieveSubaccountsList::OPERATION_ID => "listing the secondary accounts",
        RetrieveSubaccount::OPERATION_ID => "getting a secondary account",
        _ => "the request",
    }
}

/// The statuses worth retrying for an idempotent request.
fn problem_suffix(problem: &Option<Box<Problem>>) -> String {
    match problem {
        Some(p) => format!(" (server said: {p})"),
        None => String::new(),
    }
}

fn excerpt_suffix(problem: &Option<Box<Problem>>, excerpt: &str) -> String {
    if problem.is_some() || excerpt.trim().is_empty() {
        String::new()
    } else {
        format!("; body starts with {excerpt:?}")
    }
}

fn reasons(params: &[InvalidParameter]) -> String {
    if params.is_empty() {
        return "no reason given".to_owned();
    }
    params
        .iter()
        .map(|p| format!("{}: {}", p.name, p.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why a [rotation](crate::Rotation) refused to go on, before changing anything: going on could revoke the
/// secret the client authenticates with and lock it out of its own account.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The given new secret is the secret the client authenticates with on this account: it is
    /// not new, and a run with it could revoke the other secret and then the client's own.
    NewSecretIsLogin {
        /// The account.
        account: String,
    },
    /// The client's own account is full and [`MakeRoom::RevokeOldest`](crate::MakeRoom::RevokeOldest) was asked: the oldest
    /// secret may be the one the client authenticates with.
    OldestOnOwnAccount {
        /// The account.
        account: String,
        /// Its secrets, oldest first.
        secrets: Vec<SecretId>,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NewSecretIsLogin { account } => write!(
                f,
                "the new secret given for account {account} is the secret this client \
                 authenticates with, not a new one; nothing was sent. Give the new secret an \
                 earlier rotation created, or none to have one generated"
            ),
            Refusal::OldestOnOwnAccount { account, secrets } => write!(
                f,
                "account {account} already has 2 secrets ({}), and revoking the oldest to make \
                 room is refused on the client's own account: the API does not say which secret \
                 the client authenticates with, and if it is the oldest the client would lock \
                 itself out. Nothing changed. Find the id of the secret your programs do not \
                 use and make room with MakeRoom::Revoke, or revoke it first",
                join(secrets)
            ),
        }
    }
}
