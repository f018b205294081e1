//! The HTTP plumbing every handler shares: the request body read within its cap before any
//! handler sees the request ([`buffer`]), the response before faults spoil it ([`Reply`]), and
//! the response body that a fault may cut short ([`Body`]).
//!
//! Rule: handlers build a [`Reply`]; only [`Reply::into_response`] makes a hyper response, and
//! only through [`fault::spoil`] does a fault change a body. Every request's body is read
//! before it is answered, refusals included: a connection whose request body was left unread
//! cannot carry another request, and hyper would close it after the answer without saying so,
//! under a client that keeps it for its next request.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_LENGTH, RETRY_AFTER, WWW_AUTHENTICATE};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Frame, Incoming, SizeHint};
use serde::Serialize;

use crate::fault::{self, FaultKind};
use crate::wire::Problem;

/// The largest request body accepted (64 KiB); larger gets 413.
pub(crate) const MAX_BODY: usize = 64 * 1024;

pub(crate) const JSON: &str = "application/json";

/// The service's error: hyper drops the connection without (completing) a response.
#[derive(Debug)]
pub(crate) struct Abort;

impl std::fmt::Display for Abort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection aborted by the sandbox")
    }
}

impl std::error::Error for Abort {}

/// A response body: whole, or cut short by a fault.
pub(crate) enum Body {
    Whole(Option<Bytes>),
    /// The part to send, then a pause (so that hyper flushes what it has buffered), then
    /// an error, on which hyper closes the connection.
    Truncated {
        part: Option<Bytes>,
        pause: Option<Pin<Box<tokio::time::Sleep>>>,
    },
}

/// How long a truncated body waits before the connection is cut.
const TRUNCATE_PAUSE: Duration = Duration::from_millis(20);

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Abort;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Abort>>> {
        match self.get_mut() {
            Body::Whole(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            Body::Truncated { part, pause } => {
                if let Some(part) = part.take() {
                    return Poll::Ready(Some(Ok(Frame::data(part))));
                }
                let pause =
                    pause.get_or_insert_with(|| Box::pin(tokio::time::sleep(TRUNCATE_PAUSE)));
                pause.as_mut().poll(cx).map(|()| Some(Err(Abort)))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Whole(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Whole(Some(b)) => SizeHint::with_exact(b.len() as u64),
            Body::Whole(None) => SizeHint::with_exact(0),
            Body::Truncated { .. } => SizeHint::default(),
        }
    }
}

/// A response before faults spoil it.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    /// The body and its content type.
    body: Option<(Vec<u8>, &'static str)>,
    pub(crate) allow: Option<&'static str>,
    pub(crate) retry_after: Option<u64>,
}

impl Reply {
    pub(crate) fn json(status: StatusCode, value: &impl Serialize) -> Self {
        // Serializing these small structs of strings cannot fail; fall back to an empty
        // object rather than panic.
        let bytes = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
        Reply {
            status,
            body: Some((bytes, JSON)),
            allow: None,
            retry_after: None,
        }
    }

    /// Problems are sent as `application/json`, as the project's OpenAPI description says.
    pub(crate) fn problem(status: StatusCode, problem: Problem) -> Self {
        Self::json(status, &problem)
    }

    pub(crate) fn empty(status: StatusCode) -> Self {
        Reply {
            status,
            body: None,
            allow: None,
            retry_after: None,
        }
    }

    pub(crate) fn into_response(self, spoil: Option<&FaultKind>) -> Response<Body> {
        let mut builder = Response::builder().status(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            builder = builder.header(WWW_AUTHENTICATE, "Basic realm=\"Vonage\"");
        }
        if let Some(allow) = self.allow {
            builder = builder.header(ALLOW, allow);
        }
        if let Some(seconds) = self.retry_after {
            builder = builder.header(RETRY_AFTER, seconds);
        }
        let body = match self.body {
            None => Body::Whole(None),
            Some((bytes, ctype)) => {
                let (b, body) = fault::spoil(builder, bytes, ctype, spoil);
                builder = b;
                body
            }
        };
        // Every header above is a valid static name with a valid value.
        builder.body(body).unwrap_or_else(|_| {
            let mut r = Response::new(Body::Whole(None));
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            r
        })
    }
}

/// A request's body, as read.
pub(crate) enum BodyRead {
    Read(Bytes),
    TooLarge,
}

/// The body of a request as [`buffer`] read it, for the handler that wants it.
pub(crate) struct RequestBody(Result<BodyRead, Abort>);

/// Reads the request's body (within [`MAX_BODY`]) before any handler looks at the request.
/// The flag says whether the whole body was read: when it was not (too large, or the
/// connection failed), the answer must close the connection.
pub(crate) async fn buffer(req: Request<Incoming>) -> (Request<RequestBody>, bool) {
    let (parts, body) = req.into_parts();
    let read = read_incoming(&parts.headers, body).await;
    let whole = matches!(read, Ok(BodyRead::Read(_)));
    (Request::from_parts(parts, RequestBody(read)), whole)
}

/// The request's body, as [`buffer`] read it; `Err` when reading it failed (the connection
/// is gone).
pub(crate) fn read_body(req: Request<RequestBody>) -> Result<BodyRead, Abort> {
    req.into_body().0
}

async fn read_incoming(headers: &http::HeaderMap, body: Incoming) -> Result<BodyRead, Abort> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Ok(BodyRead::TooLarge);
    }
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => Ok(BodyRead::Read(collected.to_bytes())),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Ok(BodyRead::TooLarge),
        Err(e) => {
            log::debug!("reading a request body failed: {e}");
            Err(Abort)
        }
    }
}
