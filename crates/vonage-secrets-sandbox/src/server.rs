//! The HTTP side: accept loop, one hyper HTTP/1.1 connection per client (optionally inside
//! TLS), routing, authentication, the operations, and fault injection.
//!
//! Faults that need control below ordinary responses are done with hyper's own means: the
//! service returning an error makes hyper drop the connection without a response
//! ("close the connection"), and a body that yields half its bytes and then an error, under a
//! `Content-Length` for the whole, gives a truncated body.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use base64::Engine;
use bytes::Bytes;
use chrono::Utc;
use http::header::{
    ALLOW, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE,
};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use secrecy::SecretString;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

use crate::fault::{FaultKind, Faults};
use crate::state::{CreateRefused, RevokeRefused, Store};
use crate::wire::{self, Embedded, Links, ListBody, Problem, SecretBody};
use crate::{Operation, RequestRecord};

/// The largest request body accepted (64 KiB); larger gets 413.
pub(crate) const MAX_BODY: usize = 64 * 1024;

const JSON: &str = "application/json";
/// What [`FaultKind::InvalidJson`] sends.
const NOT_JSON: &[u8] = b"{\"_links\": <html>502 Bad Gateway</html>";

/// Everything the server shares between connections, behind one lock.
pub(crate) struct Shared {
    inner: Mutex<Inner>,
    pub(crate) excess_status: StatusCode,
    /// The seeded state, for the control API's reset.
    pub(crate) initial: Store,
    /// The control API's token.
    pub(crate) token: SecretString,
    /// Whether the server speaks TLS (cookies are then `Secure`).
    pub(crate) tls: bool,
    /// The dashboard's sign-in sessions.
    pub(crate) sessions: Mutex<crate::control::Sessions>,
}

pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) faults: Faults,
    pub(crate) log: RequestLog,
}

/// The request log, keeping at most `limit` entries (the newest).
pub(crate) struct RequestLog {
    entries: std::collections::VecDeque<RequestRecord>,
    limit: usize,
}

impl RequestLog {
    pub(crate) fn push(&mut self, record: RequestRecord) {
        if self.limit == 0 {
            return;
        }
        if self.entries.len() >= self.limit {
            self.entries.pop_front();
        }
        self.entries.push_back(record);
    }

    pub(crate) fn snapshot(&self) -> Vec<RequestRecord> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}

impl Shared {
    pub(crate) fn new(
        store: Store,
        excess_status: StatusCode,
        log_limit: usize,
        token: SecretString,
        tls: bool,
    ) -> Self {
        Shared {
            initial: store.clone(),
            token,
            tls,
            sessions: Mutex::new(crate::control::Sessions::default()),
            inner: Mutex::new(Inner {
                store,
                faults: Faults::default(),
                log: RequestLog {
                    entries: std::collections::VecDeque::new(),
                    limit: log_limit,
                },
            }),
            excess_status,
        }
    }

    /// The one lock. Nothing panics while holding it, but a poisoned lock is still usable:
    /// every operation leaves the state consistent before it could panic.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

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

/// How many connections may wait to be accepted. The usual default (128) makes a burst of
/// connections beyond it wait for the client's SYN retransmission, a whole second.
pub(crate) const BACKLOG: u32 = 1024;

/// The listening socket on 127.0.0.1:`port`, with a backlog of [`BACKLOG`]. Must run inside
/// the runtime.
pub(crate) fn listen(port: u16) -> std::io::Result<TcpListener> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    // As std's and tokio's `bind` do on Unix: a port in TIME_WAIT can be listened on again.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind((std::net::Ipv4Addr::LOCALHOST, port).into())?;
    socket.listen(BACKLOG)
}

/// Accepts connections until `shutdown` fires.
pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
    mut shutdown: oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let shared = Arc::clone(&shared);
                    let tls = tls.clone();
                    tokio::spawn(async move {
                        match tls {
                            None => connection(TokioIo::new(stream), shared).await,
                            Some(acceptor) => {
                                let handshake = acceptor.accept(stream);
                                match tokio::time::timeout(Duration::from_secs(10), handshake).await {
                                    Ok(Ok(s)) => connection(TokioIo::new(s), shared).await,
                                    Ok(Err(e)) => log::debug!("TLS handshake failed: {e}"),
                                    Err(_) => log::debug!("TLS handshake timed out"),
                                }
                            }
                        }
                    });
                }
                Err(e) => {
                    // For example too many open files: wait a little instead of spinning.
                    log::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    }
}

async fn connection<I>(io: I, shared: Arc<Shared>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req| handle(Arc::clone(&shared), req));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).keep_alive(true);
    if let Err(e) = builder.serve_connection(io, service).await {
        log::debug!("connection ended: {e}");
    }
}

/// Where a request goes.
enum Route {
    /// An operation on `key` (and, for get and revoke, the secret `id`).
    Op {
        op: Operation,
        key: String,
        id: Option<String>,
    },
    /// A known path with a method it does not take.
    WrongMethod {
        allow: &'static str,
        key: String,
        id: Option<String>,
    },
    NotFound,
}

fn decode(segment: &str) -> Option<String> {
    let s = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()?;
    (!s.is_empty()).then(|| s.into_owned())
}

fn route(method: &Method, path: &str) -> Route {
    let Some(rest) = path.strip_prefix("/accounts/") else {
        return Route::NotFound;
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let (key, id) = match segments.as_slice() {
        [key, "secrets"] => (*key, None),
        [key, "secrets", id] => (*key, Some(*id)),
        _ => return Route::NotFound,
    };
    let Some(key) = decode(key) else {
        return Route::NotFound;
    };
    let id = match id.map(decode) {
        None => None,
        Some(Some(id)) => Some(id),
        Some(None) => return Route::NotFound,
    };
    let op = match (id.is_some(), method) {
        (false, &Method::GET) => Operation::List,
        (false, &Method::POST) => Operation::Create,
        (true, &Method::GET) => Operation::Get,
        (true, &Method::DELETE) => Operation::Revoke,
        (false, _) => {
            return Route::WrongMethod {
                allow: "GET, POST",
                key,
                id,
            };
        }
        (true, _) => {
            return Route::WrongMethod {
                allow: "GET, DELETE",
                key,
                id,
            };
        }
    };
    Route::Op { op, key, id }
}

/// A response before faults spoil it.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    /// The body and its content type.
    body: Option<(Vec<u8>, &'static str)>,
    pub(crate) allow: Option<&'static str>,
    retry_after: Option<u64>,
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
        let body = match (self.body, spoil) {
            (None, _) => Body::Whole(None),
            (Some(_), Some(FaultKind::InvalidJson)) => {
                builder = builder.header(CONTENT_TYPE, JSON);
                Body::Whole(Some(Bytes::from_static(NOT_JSON)))
            }
            (Some((bytes, ctype)), Some(FaultKind::TruncatedBody)) => {
                builder = builder
                    .header(CONTENT_TYPE, ctype)
                    .header(CONTENT_LENGTH, bytes.len());
                let mut bytes = Bytes::from(bytes);
                let _rest = bytes.split_off(bytes.len() / 2);
                Body::Truncated {
                    part: Some(bytes),
                    pause: None,
                }
            }
            (Some((bytes, ctype)), _) => {
                builder = builder.header(CONTENT_TYPE, ctype);
                Body::Whole(Some(Bytes::from(bytes)))
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

/// A create's request body, as read.
pub(crate) enum BodyRead {
    Read(Bytes),
    TooLarge,
}

pub(crate) async fn read_body(req: Request<Incoming>) -> Result<BodyRead, Abort> {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Ok(BodyRead::TooLarge);
    }
    match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(collected) => Ok(BodyRead::Read(collected.to_bytes())),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Ok(BodyRead::TooLarge),
        Err(e) => {
            log::debug!("reading a request body failed: {e}");
            Err(Abort)
        }
    }
}

/// The api key whose current secret is in the `Authorization` header, if any.
fn authenticate(store: &Store, header: Option<&HeaderValue>) -> Option<String> {
    let value = header?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let colon = decoded.iter().position(|&b| b == b':')?;
    let (key, secret) = (&decoded[..colon], &decoded[colon + 1..]);
    let key = std::str::from_utf8(key).ok()?;
    store.authenticate(key, secret).then(|| key.to_owned())
}

/// The server's rules that `secret` breaks (the policy crate's rules, less portability): the
/// sandbox accepts what the real server accepts. Empty when the secret passes.
pub(crate) fn server_rule_violations(secret: &str) -> Vec<vonage_secrets_policy::Violation> {
    match vonage_secrets_policy::validate(secret) {
        Ok(()) => Vec::new(),
        Err(violations) => violations
            .into_iter()
            .filter(vonage_secrets_policy::Violation::is_server_rule)
            .collect(),
    }
}

/// Whether a `secret` passes the server's rules.
pub(crate) fn meets_server_rules(secret: &str) -> bool {
    server_rule_violations(secret).is_empty()
}

pub(crate) fn secret_body(key: &str, s: &crate::state::StoredSecret) -> SecretBody {
    SecretBody {
        _links: Links::to(wire::secret_href(key, &s.id)),
        id: s.id.clone(),
        created_at: wire::timestamp(&s.created_at),
    }
}

/// The secret in a create's body, or the problem to answer with.
pub(crate) fn parse_create(
    content_type: Option<&HeaderValue>,
    body: BodyRead,
) -> Result<SecretString, Reply> {
    let bad = |detail: &str| {
        Reply::problem(
            StatusCode::BAD_REQUEST,
            Problem::blank(StatusCode::BAD_REQUEST, detail.to_owned()),
        )
    };
    let bytes = match body {
        BodyRead::TooLarge => {
            return Err(Reply::problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                Problem::blank(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("The request body is larger than {MAX_BODY} bytes"),
                ),
            ));
        }
        BodyRead::Read(bytes) => bytes,
    };
    let is_json = content_type
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(JSON));
    if !is_json {
        return Err(bad(
            "The request body must be JSON, sent with Content-Type: application/json",
        ));
    }
    // Parse into a `Value` first: its errors only say where the syntax broke, and never
    // quote the input (which would hold the secret).
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            return Err(bad(&format!(
                "The request body is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            )));
        }
    };
    let serde_json::Value::Object(mut object) = value else {
        return Err(bad(
            "The request body must be a JSON object such as {\"secret\": \"...\"}",
        ));
    };
    match object.remove("secret") {
        Some(serde_json::Value::String(s)) => Ok(SecretString::from(s)),
        None | Some(serde_json::Value::Null) => Err(Reply::problem(
            StatusCode::BAD_REQUEST,
            Problem::validation("Is required"),
        )),
        Some(_) => Err(Reply::problem(
            StatusCode::BAD_REQUEST,
            Problem::validation("Must be a string"),
        )),
    }
}

/// Creates a secret for account `key` as the API does: the rules, then the limit of two.
/// Returns the problem the API answers with when it refuses.
pub(crate) fn create_checked<'a>(
    store: &'a mut Store,
    excess_status: StatusCode,
    key: &str,
    secret: SecretString,
) -> Result<&'a crate::state::StoredSecret, Reply> {
    if !meets_server_rules(secrecy::ExposeSecret::expose_secret(&secret)) {
        return Err(Reply::problem(
            StatusCode::BAD_REQUEST,
            Problem::validation("Does not meet complexity requirements"),
        ));
    }
    match store.create(key, secret) {
        Some(Ok(s)) => Ok(s),
        Some(Err(CreateRefused::TooMany)) => {
            Err(Reply::problem(excess_status, Problem::add_excess_secret()))
        }
        None => Err(Reply::problem(
            StatusCode::NOT_FOUND,
            Problem::invalid_api_key(key),
        )),
    }
}

/// Revokes secret `id` of account `key` as the API does (never the last one).
pub(crate) fn revoke_checked(store: &mut Store, key: &str, id: &str) -> Result<(), Reply> {
    match store.revoke(key, id) {
        Some(Ok(())) => Ok(()),
        Some(Err(RevokeRefused::LastSecret)) => Err(Reply::problem(
            StatusCode::FORBIDDEN,
            Problem::delete_last_secret(),
        )),
        Some(Err(RevokeRefused::UnknownId)) => Err(Reply::problem(
            StatusCode::NOT_FOUND,
            Problem::invalid_id(id),
        )),
        None => Err(Reply::problem(
            StatusCode::NOT_FOUND,
            Problem::invalid_api_key(key),
        )),
    }
}

/// Answers a routed request against the store. Runs under the lock: every operation is atomic.
/// Returns the reply and, for a successful create, the new secret's id.
fn respond(
    store: &mut Store,
    excess_status: StatusCode,
    route: &Route,
    method: &Method,
    authorization: Option<&HeaderValue>,
    content_type: Option<&HeaderValue>,
    body: Option<BodyRead>,
) -> (Reply, Option<String>) {
    let (op, key, id) = match route {
        Route::NotFound => {
            return (
                Reply::problem(
                    StatusCode::NOT_FOUND,
                    Problem::blank(
                        StatusCode::NOT_FOUND,
                        "No such resource: the API's paths are /accounts/{api_key}/secrets and \
                         /accounts/{api_key}/secrets/{secret_id}"
                            .into(),
                    ),
                ),
                None,
            );
        }
        Route::WrongMethod { allow, .. } => {
            let mut r = Reply::problem(
                StatusCode::METHOD_NOT_ALLOWED,
                Problem::blank(
                    StatusCode::METHOD_NOT_ALLOWED,
                    format!("Method {method} is not allowed here; allowed: {allow}"),
                ),
            );
            r.allow = Some(allow);
            return (r, None);
        }
        Route::Op { op, key, id } => (*op, key.as_str(), id.as_deref()),
    };
    let Some(caller) = authenticate(store, authorization) else {
        return (
            Reply::problem(StatusCode::UNAUTHORIZED, Problem::unauthorized()),
            None,
        );
    };
    if !store.may_manage(&caller, key) {
        return (
            Reply::problem(StatusCode::NOT_FOUND, Problem::invalid_api_key(key)),
            None,
        );
    }
    let invalid_id = |id: &str| Reply::problem(StatusCode::NOT_FOUND, Problem::invalid_id(id));
    match (op, id) {
        (Operation::List, _) => {
            let secrets = store
                .account(key)
                .map(|a| a.secrets.iter().map(|s| secret_body(key, s)).collect())
                .unwrap_or_default();
            let list = ListBody {
                _links: Links::to(wire::secrets_href(key)),
                _embedded: Embedded { secrets },
            };
            (Reply::json(StatusCode::OK, &list), None)
        }
        (Operation::Get, Some(id)) => {
            let found = store
                .account(key)
                .and_then(|a| a.secrets.iter().find(|s| s.id == id));
            match found {
                Some(s) => (Reply::json(StatusCode::OK, &secret_body(key, s)), None),
                None => (invalid_id(id), None),
            }
        }
        (Operation::Revoke, Some(id)) => match revoke_checked(store, key, id) {
            Ok(()) => (Reply::empty(StatusCode::NO_CONTENT), None),
            Err(reply) => (reply, None),
        },
        (Operation::Create, _) => {
            let Some(body) = body else {
                return (Reply::empty(StatusCode::INTERNAL_SERVER_ERROR), None);
            };
            let secret = match parse_create(content_type, body) {
                Ok(s) => s,
                Err(reply) => return (reply, None),
            };
            match create_checked(store, excess_status, key, secret) {
                Ok(s) => (
                    Reply::json(StatusCode::CREATED, &secret_body(key, s)),
                    Some(s.id.clone()),
                ),
                Err(reply) => (reply, None),
            }
        }
        // Get and revoke always carry an id (see `route`).
        (Operation::Get | Operation::Revoke, None) => {
            (Reply::empty(StatusCode::INTERNAL_SERVER_ERROR), None)
        }
    }
}

/// One request in words, for the `log` facade: `GET /accounts/abcd1234/secrets -> 200 (list
/// secrets of account abcd1234)`. Never any secret material (the record holds none).
pub(crate) fn describe(record: &RequestRecord) -> String {
    use std::fmt::Write;
    let mut line = format!("{} {} -> ", record.method, record.path);
    match record.status {
        Some(status) => {
            let _ = write!(line, "{status}");
        }
        None => line.push_str("no response"),
    }
    line.push_str(" (");
    match (&record.operation, &record.api_key) {
        (Some(op), Some(key)) => {
            let _ = write!(line, "{op} of account {key}");
        }
        (Some(op), None) => {
            let _ = write!(line, "{op}");
        }
        (None, Some(key)) => {
            let _ = write!(line, "a method this path does not take, account {key}");
        }
        (None, None) => line.push_str("not an API path"),
    }
    if let Some(fault) = &record.fault {
        let _ = write!(line, "; injected fault: {fault}");
    }
    line.push(')');
    line
}

fn log_record(record: &RequestRecord) {
    log::info!("{}", describe(record));
}

async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Response<Body>, Abort> {
    // The dashboard and the control API: not the API, so neither faults nor the request log.
    let path = req.uri().path();
    if path == crate::dashboard::PATH || path.starts_with("/dashboard/") {
        return crate::dashboard::handle(&shared, req).await;
    }
    if path.starts_with(crate::control::PREFIX) {
        return crate::control::handle(&shared, req).await;
    }
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let route = route(&method, &path);
    let (operation, api_key, secret_id) = match &route {
        Route::Op { op, key, id } => (Some(*op), Some(key.clone()), id.clone()),
        Route::WrongMethod { key, id, .. } => (None, Some(key.clone()), id.clone()),
        Route::NotFound => (None, None, None),
    };
    let fault = shared.lock().faults.take(operation);
    let mut record = RequestRecord {
        at: Utc::now(),
        method: method.to_string(),
        path,
        api_key,
        operation,
        secret_id,
        status: None,
        fault: fault.clone(),
    };
    let push = |record: RequestRecord| {
        log_record(&record);
        shared.lock().log.push(record);
    };

    match &fault {
        Some(FaultKind::Status {
            status,
            retry_after,
        }) => {
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
            record.status = Some(status.as_u16());
            push(record);
            return Ok(reply.into_response(None));
        }
        Some(FaultKind::CloseConnection) => {
            push(record);
            return Err(Abort);
        }
        Some(FaultKind::Hang) => {
            push(record);
            // Pending until the client goes away or the runtime is dropped with the sandbox.
            std::future::pending::<Infallible>().await;
            return Err(Abort);
        }
        Some(FaultKind::Delay(d)) => tokio::time::sleep(*d).await,
        Some(FaultKind::TruncatedBody | FaultKind::InvalidJson) | None => {}
    }

    let authorization = req.headers().get(AUTHORIZATION).cloned();
    let content_type = req.headers().get(CONTENT_TYPE).cloned();
    let body = match operation {
        Some(Operation::Create) => match read_body(req).await {
            Ok(b) => Some(b),
            Err(abort) => {
                push(record);
                return Err(abort);
            }
        },
        _ => None,
    };

    let (reply, logged) = {
        let mut inner = shared.lock();
        let (reply, created) = respond(
            &mut inner.store,
            shared.excess_status,
            &route,
            &method,
            authorization.as_ref(),
            content_type.as_ref(),
            body,
        );
        record.status = Some(reply.status.as_u16());
        if created.is_some() {
            record.secret_id = created;
        }
        // Written to the `log` facade after the lock is released.
        let logged = log::log_enabled!(log::Level::Info).then(|| record.clone());
        // Pushed under the same lock as the operation: the log's order is the order in which
        // the operations were applied.
        inner.log.push(record);
        (reply, logged)
    };
    if let Some(record) = logged {
        log_record(&record);
    }
    Ok(reply.into_response(fault.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_1000_connections_waits_in_the_backlog() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        let listener = {
            let _entered = runtime.enter();
            listen(0).unwrap()
        };
        let addr = listener.local_addr().unwrap();
        // Nobody accepts: every connection must fit in the backlog. One that does not gets
        // its SYN dropped and waits for retransmissions (1 s, then 3 s): it times out here.
        let started = std::time::Instant::now();
        let mut connections = Vec::new();
        for i in 0..1000 {
            let c = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(5))
                .unwrap_or_else(|e| panic!("connection {i} did not fit in the backlog: {e}"));
            connections.push(c);
        }
        println!("1000 connections in {:?}", started.elapsed());
    }

    #[test]
    fn log_lines_are_in_words() {
        let mut record = RequestRecord {
            at: Utc::now(),
            method: "GET".into(),
            path: "/accounts/abcd1234/secrets".into(),
            api_key: Some("abcd1234".into()),
            operation: Some(Operation::List),
            secret_id: None,
            status: Some(503),
            fault: Some(FaultKind::Status {
                status: 503,
                retry_after: Some(1),
            }),
        };
        assert_eq!(
            describe(&record),
            "GET /accounts/abcd1234/secrets -> 503 (list secrets of account abcd1234; \
             injected fault: status 503 with Retry-After 1 s)"
        );
        record.operation = None;
        record.api_key = None;
        record.status = None;
        record.fault = Some(FaultKind::CloseConnection);
        assert_eq!(
            describe(&record),
            "GET /accounts/abcd1234/secrets -> no response (not an API path; injected fault: \
             connection closed)"
        );
    }

    #[test]
    fn routes() {
        let r = |m: Method, p: &str| match route(&m, p) {
            Route::Op { op, key, id } => format!("{op:?} {key} {id:?}"),
            Route::WrongMethod { allow, .. } => format!("405 {allow}"),
            Route::NotFound => "404".into(),
        };
        assert_eq!(r(Method::GET, "/accounts/abc/secrets"), "List abc None");
        assert_eq!(r(Method::POST, "/accounts/abc/secrets"), "Create abc None");
        assert_eq!(
            r(Method::GET, "/accounts/abc/secrets/x%2Fy"),
            "Get abc Some(\"x/y\")"
        );
        assert_eq!(
            r(Method::DELETE, "/accounts/a%20c/secrets/1"),
            "Revoke a c Some(\"1\")"
        );
        assert_eq!(r(Method::PUT, "/accounts/abc/secrets"), "405 GET, POST");
        assert_eq!(
            r(Method::POST, "/accounts/abc/secrets/1"),
            "405 GET, DELETE"
        );
        for p in [
            "/",
            "/accounts",
            "/accounts/",
            "/accounts/abc",
            "/accounts//secrets",
            "/accounts/abc/secrets/",
            "/accounts/abc/secrets/1/x",
            "/accounts/abc/other",
            "/accounts/%FF/secrets",
        ] {
            assert_eq!(r(Method::GET, p), "404", "{p}");
        }
    }

    #[test]
    fn authorization_header_parsing() {
        let mut store = Store::default();
        store.seed("key1", None, &[SecretString::from("Pass:w0rd".to_owned())]);
        let h = |v: &str| HeaderValue::from_str(v).unwrap();
        let basic = |s: &str| {
            h(&format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(s)
            ))
        };
        assert_eq!(
            authenticate(&store, Some(&basic("key1:Pass:w0rd"))).as_deref(),
            Some("key1")
        );
        let lower = h(&format!(
            "basic {}",
            base64::engine::general_purpose::STANDARD.encode("key1:Pass:w0rd")
        ));
        assert_eq!(authenticate(&store, Some(&lower)).as_deref(), Some("key1"));
        assert_eq!(authenticate(&store, None), None);
        assert_eq!(authenticate(&store, Some(&basic("key1Pass"))), None);
        assert_eq!(authenticate(&store, Some(&basic("key1:Pass"))), None);
        assert_eq!(authenticate(&store, Some(&h("Basic !!!notbase64"))), None);
        assert_eq!(authenticate(&store, Some(&h("Bearer abc"))), None);
        assert_eq!(authenticate(&store, Some(&h("Basic"))), None);
    }
}
