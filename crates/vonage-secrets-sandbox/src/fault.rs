//! Fault injection: scripted misbehaviour for reliability tests. The script ([`Fault`],
//! [`Faults`]) and applying it: [`before`] the request is handled (answer instead, close,
//! hang, delay) and [`spoil`] after (a truncated body, a body that is not JSON).
//!
//! Rule: a handler takes one fault per request (`Faults::take`, by operation) before it
//! touches the state, and applies it only through these two functions.
//!
//! Faults that need control below ordinary responses are done with hyper's own means: the
//! service returning an error makes hyper drop the connection without a response
//! ("close the connection"), and a body that yields half its bytes and then an error, under a
//! `Content-Length` for the whole, gives a truncated body.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::response::Builder;

use crate::Operation;
use crate::reply::{Abort, Body, JSON, Reply};
use crate::wire::Problem;

/// What [`FaultKind::InvalidJson`] sends.
const NOT_JSON: &[u8] = b"{\"_links\": <html>502 Bad Gateway</html>";

/// What an injected fault does to a request.
///
/// Faults that answer in place of the API (`Status`, `CloseConnection`, `Hang`) leave the
/// state untouched. `Delay` waits and then handles the request normally. `TruncatedBody` and
/// `InvalidJson` handle the request normally (the state changes as usual) and then spoil the
/// body of its response; a response without a body (a revoke's 204) is sent unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultKind {
    /// Answer with this status, a problem document of type `about:blank`, and, if set, a
    /// `Retry-After` header in seconds. A status outside `200..=599` is served as 500.
    Status {
        /// The HTTP status code.
        status: u16,
        /// The `Retry-After` header's value, in seconds.
        retry_after: Option<u64>,
    },
    /// Wait this long, then handle the request normally.
    Delay(Duration),
    /// Close the connection without sending any response.
    CloseConnection,
    /// Handle the request, then send the status, the headers and a `Content-Length` for the
    /// whole body, but only the first half of the body, and close the connection.
    TruncatedBody,
    /// Handle the request, then send its status with a body that is not JSON (with a
    /// correct `Content-Length` and `Content-Type: application/json`).
    InvalidJson,
    /// Never answer: keep the connection open until the client gives up or the sandbox is
    /// dropped (dropping it does not wait for hanging requests).
    Hang,
}

/// In words, for logs and the dashboard: `status 503 with Retry-After 1 s`, `delay of 300 ms`,
/// `connection closed`, `truncated body`, `body that is not JSON`, `no answer (hang)`.
impl std::fmt::Display for FaultKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FaultKind::Status {
                status,
                retry_after: None,
            } => write!(f, "status {status}"),
            FaultKind::Status {
                status,
                retry_after: Some(s),
            } => write!(f, "status {status} with Retry-After {s} s"),
            FaultKind::Delay(d) => write!(f, "delay of {} ms", d.as_millis()),
            FaultKind::CloseConnection => f.write_str("connection closed"),
            FaultKind::TruncatedBody => f.write_str("truncated body"),
            FaultKind::InvalidJson => f.write_str("body that is not JSON"),
            FaultKind::Hang => f.write_str("no answer (hang)"),
        }
    }
}

/// A scripted fault: what to do ([`FaultKind`]), to which operation (or to every request),
/// and how many times.
///
/// Faults are applied in the order they were injected: each request takes the first
/// injected fault that matches it and is not used up. Which fault (if any) a request got is
/// recorded in its [`RequestRecord`](crate::RequestRecord).
///
/// ```
/// use std::time::Duration;
/// use vonage_secrets_sandbox::{Fault, Operation};
///
/// // The next two lists get 503 with `Retry-After: 1`.
/// let fault = Fault::status(503).times(2).retry_after(1).on(Operation::List);
/// // Every request is delayed by 50 ms until the faults are cleared.
/// let slow = Fault::delay(Duration::from_millis(50)).always();
/// # let _ = (fault, slow);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub(crate) kind: FaultKind,
    pub(crate) operation: Option<Operation>,
    /// `None`: forever.
    pub(crate) remaining: Option<u32>,
}

impl Fault {
    fn new(kind: FaultKind) -> Self {
        Fault {
            kind,
            operation: None,
            remaining: Some(1),
        }
    }

    /// Answer with `status` (and a problem document) instead of handling the request.
    pub fn status(status: u16) -> Self {
        Self::new(FaultKind::Status {
            status,
            retry_after: None,
        })
    }

    /// Delay the response by `delay`, then handle the request normally.
    pub fn delay(delay: Duration) -> Self {
        Self::new(FaultKind::Delay(delay))
    }

    /// Close the connection before responding.
    pub fn close_connection() -> Self {
        Self::new(FaultKind::CloseConnection)
    }

    /// Send only the first half of the response body, then close the connection.
    pub fn truncated_body() -> Self {
        Self::new(FaultKind::TruncatedBody)
    }

    /// Send a response body that is not JSON.
    pub fn invalid_json() -> Self {
        Self::new(FaultKind::InvalidJson)
    }

    /// Never answer.
    pub fn hang() -> Self {
        Self::new(FaultKind::Hang)
    }

    /// Add a `Retry-After: seconds` header (only for [`Fault::status`]; ignored otherwise).
    pub fn retry_after(mut self, seconds: u64) -> Self {
        if let FaultKind::Status { retry_after, .. } = &mut self.kind {
            *retry_after = Some(seconds);
        }
        self
    }

    /// Apply to the next `n` matching requests (default 1). `times(0)` never applies.
    pub fn times(mut self, n: u32) -> Self {
        self.remaining = Some(n);
        self
    }

    /// Apply to every matching request until [`Sandbox::clear_faults`](crate::Sandbox::clear_faults).
    pub fn always(mut self) -> Self {
        self.remaining = None;
        self
    }

    /// Apply only to requests for `operation` (by default a fault applies to every request,
    /// including those that match no operation).
    pub fn on(mut self, operation: Operation) -> Self {
        self.operation = Some(operation);
        self
    }

    /// What this fault does.
    pub fn kind(&self) -> &FaultKind {
        &self.kind
    }
}

/// The queue of injected faults.
#[derive(Default)]
pub(crate) struct Faults {
    queue: Vec<Fault>,
}

impl Faults {
    pub(crate) fn push(&mut self, fault: Fault) {
        if fault.remaining != Some(0) {
            self.queue.push(fault);
        }
    }

    pub(crate) fn clear(&mut self) {
        self.queue.clear();
    }

    /// The faults in force (not used up), in the order they apply.
    pub(crate) fn in_force(&self) -> &[Fault] {
        &self.queue
    }

    /// Takes one use of the first fault matching a request for `operation`.
    pub(crate) fn take(&mut self, operation: Option<Operation>) -> Option<FaultKind> {
        let at = self
            .queue
            .iter()
            .position(|f| f.operation.is_none() || f.operation == operation)?;
        let fault = &mut self.queue[at];
        let kind = fault.kind.clone();
        if let Some(n) = &mut fault.remaining {
            *n -= 1;
            if *n == 0 {
                self.queue.remove(at);
            }
        }
        Some(kind)
    }
}

/// What a fault does in place of handling the request.
enum Preempt {
    /// Answer with this (the state is untouched).
    Reply(Reply),
    /// Close the connection without a response.
    Close,
    /// Never answer ([`hang`]).
    Hang,
}

/// Applies the part of `fault` that comes before the request is handled: waits out a delay,
/// or says what to do instead of handling it. `None`: handle the request.
async fn before(fault: Option<&FaultKind>) -> Option<Preempt> {
    match fault? {
        FaultKind::Status {
            status,
            retry_after,
        } => {
            let status = StatusCode::from_u16(*status)
                .ok()
                .filter(|s| (200..=599).contains(&s.as_u16()))
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut reply =
                if status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED {
                    Reply::empty(status)
                } else {
                    Reply::problem(
                        status,
                        Problem::blank(
                            status,
                            format!("Fault injected by the sandbox: status {status}"),
                        ),
                    )
                };
            reply.retry_after = *retry_after;
            Some(Preempt::Reply(reply))
        }
        FaultKind::CloseConnection => Some(Preempt::Close),
        FaultKind::Hang => Some(Preempt::Hang),
        FaultKind::Delay(d) => {
            tokio::time::sleep(*d).await;
            None
        }
        FaultKind::TruncatedBody | FaultKind::InvalidJson => None,
    }
}

/// Pending until the client goes away or the runtime is dropped with the sandbox.
/// Applies the part of `fault` that comes before the request is handled, as [`before`] says,
/// and when the request ends there, logs `record` (with the status answered) through `push`.
/// `shape` words an injected reply the way this API words its errors. `None`: handle the
/// request.
pub(crate) async fn preempt(
    fault: Option<&FaultKind>,
    record: &mut crate::RequestRecord,
    push: impl FnOnce(crate::RequestRecord),
    shape: impl FnOnce(Reply) -> Reply,
) -> Option<Result<http::Response<Body>, Abort>> {
    match before(fault).await? {
        Preempt::Reply(injected) => {
            let reply = shape(injected);
            record.status = Some(reply.status.as_u16());
            push(record.clone());
            Some(Ok(reply.into_response(None)))
        }
        Preempt::Close => {
            push(record.clone());
            Some(Err(Abort))
        }
        Preempt::Hang => {
            push(record.clone());
            Some(hang().await)
        }
    }
}

async fn hang<T>() -> Result<T, Abort> {
    std::future::pending::<Infallible>().await;
    Err(Abort)
}

/// The body of a response (`bytes` of type `ctype`), as the fault `spoil` (if any) leaves it,
/// with the headers it needs added to `builder`.
pub(crate) fn spoil(
    builder: Builder,
    bytes: Vec<u8>,
    ctype: &'static str,
    spoil: Option<&FaultKind>,
) -> (Builder, Body) {
    match spoil {
        Some(FaultKind::InvalidJson) => (
            builder.header(CONTENT_TYPE, JSON),
            Body::Whole(Some(Bytes::from_static(NOT_JSON))),
        ),
        Some(FaultKind::TruncatedBody) => {
            let builder = builder
                .header(CONTENT_TYPE, ctype)
                .header(CONTENT_LENGTH, bytes.len());
            let mut bytes = Bytes::from(bytes);
            let _rest = bytes.split_off(bytes.len() / 2);
            (
                builder,
                Body::Truncated {
                    part: Some(bytes),
                    pause: None,
                },
            )
        }
        _ => (
            builder.header(CONTENT_TYPE, ctype),
            Body::Whole(Some(Bytes::from(bytes))),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_taken_in_order_and_counted() {
        let mut q = Faults::default();
        q.push(Fault::status(503).times(2).on(Operation::List));
        q.push(Fault::close_connection());
        q.push(Fault::hang().times(0));
        assert_eq!(
            q.take(Some(Operation::Create)),
            Some(FaultKind::CloseConnection)
        );
        assert_eq!(q.take(Some(Operation::Create)), None);
        let s = FaultKind::Status {
            status: 503,
            retry_after: None,
        };
        assert_eq!(q.take(Some(Operation::List)), Some(s.clone()));
        assert_eq!(q.take(None), None);
        assert_eq!(q.take(Some(Operation::List)), Some(s));
        assert_eq!(q.take(Some(Operation::List)), None);
    }

    #[test]
    fn always_never_runs_out_and_retry_after_only_for_status() {
        let mut q = Faults::default();
        q.push(Fault::invalid_json().retry_after(3).always());
        for _ in 0..10 {
            assert_eq!(q.take(None), Some(FaultKind::InvalidJson));
        }
        q.clear();
        assert_eq!(q.take(None), None);
        assert_eq!(
            Fault::status(429).retry_after(7).kind(),
            &FaultKind::Status {
                status: 429,
                retry_after: Some(7)
            }
        );
    }
}
