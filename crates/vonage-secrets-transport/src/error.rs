//! [`Error`]: how a call can fail below the API's own meaning, which each client maps into its
//! own error type.

use std::fmt;
use std::time::Duration;

use http::StatusCode;
use vonage_secrets_runtime::{BuildError, Failure};

use crate::AuthError;

/// A failure to exchange a request and a response, with a client's own error document `E`
/// when the server answered with one.
#[non_exhaustive]
pub enum Error<E> {
    /// The call's budget ran out.
    Timeout {
        /// How long the call ran.
        after: Duration,
        /// Whether a request may have reached the server.
        request_sent: bool,
    },
    /// The network failed: no address, no connection, no TLS, a broken connection.
    Network {
        /// What failed.
        kind: TransportErrorKind,
        /// ureq's description, scrubbed of the call's secrets.
        source: NetworkError,
    },
    /// The response's body is larger than [`BODY_LIMIT`](crate::BODY_LIMIT).
    BodyTooLarge {
        /// The response's status.
        status: StatusCode,
        /// The cap, in bytes.
        limit: u64,
    },
    /// The server answered and the operation calls the answer a failure: a documented error
    /// response, an undocumented status, or a body that does not decode.
    Failure {
        /// The operation's reading of the response.
        failure: Failure<E>,
        /// The whole body, as the server sent it: **not scrubbed**, so classify it and scrub
        /// what you keep ([`Scrubber::body_excerpt`](crate::Scrubber::body_excerpt)).
        body: Vec<u8>,
    },
    /// The operation could not build its request (an empty path parameter, ...).
    Build(BuildError),
    /// The credential provider gave no `Authorization` value.
    Auth(AuthError),
}

impl<E> Error<E> {
    /// Whether another attempt may succeed: a connection that failed or broke, or a status
    /// that says "later" ([`is_retryable_status`](crate::retry::is_retryable_status)).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Network { kind, .. } => {
                matches!(kind, TransportErrorKind::Connect | TransportErrorKind::Io)
            }
            Error::Failure { failure, .. } => crate::retry::is_retryable_status(status(failure)),
            _ => false,
        }
    }

    /// Whether the request may have had its effect although the call failed.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            Error::Timeout { request_sent, .. } => *request_sent,
            Error::Network { kind, .. } => matches!(
                kind,
                TransportErrorKind::Io | TransportErrorKind::Protocol | TransportErrorKind::Other
            ),
            Error::Failure { failure, .. } => status(failure).is_server_error(),
            Error::BodyTooLarge { status, .. } => !status.is_client_error(),
            _ => false,
        }
    }

    /// The response's status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Failure { failure, .. } => Some(status(failure)),
            Error::BodyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }
}

fn status<E>(failure: &Failure<E>) -> StatusCode {
    match failure {
        Failure::Problem { status, .. } => *status,
        Failure::Unexpected(unexpected) => unexpected.status,
    }
}

// Neither shows the body or the error document: they may echo a credential.
impl<E> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Timeout {
                after,
                request_sent,
            } => f
                .debug_struct("Timeout")
                .field("after", after)
                .field("request_sent", request_sent)
                .finish(),
            Error::Network { kind, source } => f
                .debug_struct("Network")
                .field("kind", kind)
                .field("source", source)
                .finish(),
            Error::BodyTooLarge { status, limit } => f
                .debug_struct("BodyTooLarge")
                .field("status", status)
                .field("limit", limit)
                .finish(),
            Error::Failure { failure, body } => f
                .debug_struct("Failure")
                .field("status", &status(failure))
                .field("body_len", &body.len())
                .finish_non_exhaustive(),
            Error::Build(e) => f.debug_tuple("Build").field(e).finish(),
            Error::Auth(_) => f.debug_tuple("Auth").finish_non_exhaustive(),
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Timeout { after, .. } => write!(f, "no complete answer within {after:.1?}"),
            Error::Network { kind, source } => write!(f, "{kind} ({source})"),
            Error::BodyTooLarge { limit, .. } => {
                write!(f, "the body is larger than the cap of {limit} bytes")
            }
            Error::Failure { failure, .. } => {
                write!(f, "the server answered HTTP {}", status(failure))
            }
            Error::Build(e) => write!(f, "the request could not be built: {e}"),
            Error::Auth(e) => write!(f, "no credentials to send: {e}"),
        }
    }
}

impl<E> std::error::Error for Error<E> {}

/// A failed call, with whether an earlier attempt failed ambiguously (it may have reached the
/// server, so that "not found" on a retry of a delete may mean the first attempt did it).
#[derive(Debug)]
pub struct CallError<E> {
    /// The last attempt's failure.
    pub error: Error<E>,
    /// Whether an earlier attempt of this call failed ambiguously.
    pub earlier_attempt_ambiguous: bool,
}

/// What failed on the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The host name could not be resolved (no such host, or no DNS).
    Dns,
    /// The TCP connection could not be opened; the request was not sent.
    Connect,
    /// The TLS handshake failed (for example an untrusted certificate).
    Tls,
    /// The connection broke after it was opened (reset, closed early, truncated response); the
    /// request may have reached the server.
    Io,
    /// The server spoke something that is not HTTP/1.1.
    Protocol,
    /// Anything else.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Dns => "the host name could not be resolved",
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Tls => "TLS handshake failed",
            TransportErrorKind::Io => "the connection broke",
            TransportErrorKind::Protocol => "the server broke the HTTP protocol",
            TransportErrorKind::Other => "transport error",
        })
    }
}

/// The scrubbed text of a network error.
#[derive(Clone)]
pub struct NetworkError(pub(crate) String);

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl std::error::Error for NetworkError {}
