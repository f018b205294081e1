//! Runs the generated operations over ureq: credentials, timeouts, retries, the body cap,
//! logging, and the classification of failures into [`Error`].
//!
//! Nothing here knows a path, a method or a status code of the API: the generated operations
//! build the requests and parse the responses.

use std::io;
use std::time::{Duration, Instant};

use base64::Engine as _;
use http::StatusCode;
use http::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER, USER_AGENT};
use secrecy::{ExposeSecret, SecretString};
use vonage_secrets_api::{BuildError, Failure, Operation, UnexpectedReason};

use crate::error::{Error, TransportErrorKind};
use crate::model::{Problem, SecretId};
use crate::scrub::{EXCERPT_LEN, Scrubber};

/// The largest response body the client reads.
pub(crate) const BODY_LIMIT: u64 = 1024 * 1024;
/// The longest text of a problem document kept in an error, in bytes (a server may send
/// anything there).
const PROBLEM_TEXT_LEN: usize = 2048;
/// The longest `Retry-After` the client honours.
pub(crate) const RETRY_AFTER_CAP: Duration = Duration::from_secs(30);
/// The first backoff step (before jitter); doubled on each retry.
const BACKOFF_BASE: Duration = Duration::from_millis(250);
/// The largest backoff step (before jitter).
const BACKOFF_CAP: Duration = Duration::from_secs(8);

/// What the client needs to run requests; shared by all clones of a `Client`.
pub(crate) struct Transport {
    /// For idempotent requests: keeps idle connections for reuse.
    pub(crate) agent: ureq::Agent,
    /// For requests that must not be sent twice (`create`): the same configuration without
    /// idle connections, so that every such request goes on a connection opened for it. A
    /// pooled connection may have been closed by the server while idle; a request written to
    /// it fails without an answer, and the client could not tell whether the server read it.
    pub(crate) fresh_agent: ureq::Agent,
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) user_agent: HeaderValue,
}

/// An api key with its secret, held as the `Authorization` value `Basic base64(key:secret)`,
/// computed once and zeroized on drop.
///
/// The header value is made from it on each call (a copy of some 40 bytes): keeping a
/// ready-made `HeaderValue` would save a few hundred instructions a call, but would hold the
/// credentials for the client's whole life in memory that is not zeroized.
pub(crate) struct Credentials {
    pub(crate) api_key: String,
    api_secret: SecretString,
    basic: SecretString,
}

impl Credentials {
    pub(crate) fn new(api_key: String, api_secret: SecretString) -> Self {
        let pair = SecretString::from(format!("{api_key}:{}", api_secret.expose_secret()));
        let token = SecretString::from(
            base64::engine::general_purpose::STANDARD.encode(pair.expose_secret()),
        );
        let basic = SecretString::from(format!("Basic {}", token.expose_secret()));
        Credentials {
            api_key,
            api_secret,
            basic,
        }
    }

    /// A scrubber for a call with these credentials and, if any, a new secret: the api secret,
    /// the `key:secret` pair (whose base64 is the `Basic` token), the `Authorization` value and
    /// the new secret, each with its encodings.
    pub(crate) fn scrubber(&self, sent_secret: Option<&str>) -> Scrubber {
        let pair = SecretString::from(format!(
            "{}:{}",
            self.api_key,
            self.api_secret.expose_secret()
        ));
        Scrubber::new().with(
            [
                Some(pair.expose_secret()),
                Some(self.api_secret.expose_secret()),
                // The header itself, for its base64 forms (its raw form holds the token).
                Some(self.basic.expose_secret()),
                sent_secret,
            ]
            .into_iter()
            .flatten(),
        )
    }

    /// The `Authorization` header, marked sensitive so that `http` and ureq never print it.
    fn authorization(&self) -> Result<HeaderValue, Error> {
        let mut value =
            HeaderValue::from_str(self.basic.expose_secret()).map_err(|_| Error::InvalidInput {
                message: "the credentials cannot be sent in an HTTP header".to_owned(),
            })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl Credentials {
    /// Whether these are `api_key` with `api_secret` (the rotation's lockout guard).
    pub(crate) fn is(&self, api_key: &str, api_secret: &SecretString) -> bool {
        let other = Credentials::new(api_key.to_owned(), api_secret.clone());
        self.api_key == other.api_key && self.basic.expose_secret() == other.basic.expose_secret()
    }
}

/// What a call is about, for classifying its failures and scrubbing its errors.
pub(crate) struct CallContext<'a> {
    /// The account in the path.
    pub(crate) account: &'a str,
    /// The secret id in the path, if any.
    pub(crate) secret_id: Option<&'a str>,
    /// A secret sent in the body, scrubbed from any body excerpt kept in an error.
    pub(crate) sent_secret: Option<&'a str>,
}

/// A failed call, with whether an earlier attempt failed ambiguously (it may have reached the
/// server).
pub(crate) struct CallError {
    pub(crate) error: Error,
    pub(crate) earlier_attempt_ambiguous: bool,
}

impl From<CallError> for Error {
    fn from(e: CallError) -> Self {
        e.error
    }
}

impl Transport {
    /// Runs one operation, retrying idempotent ones as the policy allows.
    pub(crate) fn execute<O: Operation<ErrorBody = vonage_secrets_api::types::Problem>>(
        &self,
        operation: &O,
        credentials: &Credentials,
        ctx: &CallContext<'_>,
    ) -> Result<O::Output, CallError> {
        let fail = |error| CallError {
            error,
            earlier_attempt_ambiguous: false,
        };
        let first = operation
            .to_request(&self.base_url)
            .map_err(|e| fail(build_error(e)))?;
        // For the log (the path only when it is wanted: copying it costs an allocation).
        let method = &O::METHOD;
        let path = log::log_enabled!(log::Level::Debug).then(|| first.uri().path().to_owned());
        let path = path.as_deref().unwrap_or_default();
        let mut next = Some(first);
        let authorization = credentials.authorization().map_err(fail)?;

        let start = Instant::now();
        let deadline = start + self.timeout;
        let mut earlier_attempt_ambiguous = false;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(CallError {
                    error: Error::Timeout {
                        operation: O::OPERATION_ID,
                        after: start.elapsed(),
                        request_sent: earlier_attempt_ambiguous,
                    },
                    earlier_attempt_ambiguous,
                });
            }
            let attempt_start = Instant::now();
            let Attempt {
                result,
                status,
                retry_after,
            } = match next.take() {
                Some(request) => self.attempt::<O>(
                    request,
                    (credentials, &authorization),
                    attempt,
                    remaining,
                    start,
                    ctx,
                ),
                // A retry: the operations build the same request every time.
                None => match operation.to_request(&self.base_url) {
                    Ok(request) => self.attempt::<O>(
                        request,
                        (credentials, &authorization),
                        attempt,
                        remaining,
                        start,
                        ctx,
                    ),
                    Err(e) => return Err(fail(build_error(e))),
                },
            };
            let elapsed = attempt_start.elapsed();
            match (&result, status) {
                (_, Some(status)) => log::debug!(
                    "{} {} -> {status} (attempt {attempt}, {} ms)",
                    method,
                    path,
                    elapsed.as_millis()
                ),
                (Ok(_), None) => {}
                (Err(e), None) => log::debug!(
                    "{} {} -> {} (attempt {attempt}, {} ms)",
                    method,
                    path,
                    short_outcome(e),
                    elapsed.as_millis()
                ),
            }
            let error = match result {
                Ok(output) => return Ok(output),
                Err(error) => error,
            };
            let budget_left = deadline.saturating_duration_since(Instant::now());
            let delay = if O::IDEMPOTENT && attempt <= self.max_retries && error.is_retryable() {
                retry_delay(attempt, retry_after, budget_left)
            } else {
                None
            };
            let Some(delay) = delay else {
                return Err(CallError {
                    error,
                    earlier_attempt_ambiguous,
                });
            };
            earlier_attempt_ambiguous |= error.is_ambiguous();
            log::debug!("{} {}: retrying in {} ms", method, path, delay.as_millis());
            std::thread::sleep(delay);
        }
    }

    /// One attempt: send, read the body with the cap, parse.
    fn attempt<O: Operation<ErrorBody = vonage_secrets_api::types::Problem>>(
        &self,
        mut request: http::Request<Vec<u8>>,
        (credentials, authorization): (&Credentials, &HeaderValue),
        attempt: u32,
        remaining: Duration,
        start: Instant,
        ctx: &CallContext<'_>,
    ) -> Attempt<O::Output> {
        let failed = |error, status, retry_after| Attempt {
            result: Err(error),
            status,
            retry_after,
        };
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, authorization.clone());
        headers.insert(USER_AGENT, self.user_agent.clone());
        let deadline = Instant::now() + remaining;
        // A request without a body goes without one (no `Content-Length: 0` on a GET).
        let agent = if O::IDEMPOTENT {
            &self.agent
        } else {
            &self.fresh_agent
        };
        let response = if request.body().is_empty() && !has_content(request.method()) {
            self.send(agent, request.map(|_| ()), attempt, remaining)
        } else {
            self.send(agent, request, attempt, remaining)
        };
        // Built only on failure: text from the network goes through it before it is kept.
        let scrubber = || credentials.scrubber(ctx.sent_secret);
        let response = match response {
            Ok(r) => r,
            Err(e) => {
                let error = self.transport_error(O::OPERATION_ID, e, start, &scrubber());
                return failed(error, None, None);
            }
        };
        let (parts, mut body) = response.into_parts();
        let retry_after = parts
            .headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = match read_body(&mut body, deadline) {
            Ok(b) => b,
            Err(ureq::Error::Timeout(_)) => {
                let error = Error::Timeout {
                    operation: O::OPERATION_ID,
                    after: start.elapsed(),
                    request_sent: true,
                };
                return failed(error, Some(parts.status), retry_after);
            }
            Err(ureq::Error::BodyExceedsLimit(limit)) => {
                let error = Error::Decode {
                    operation: O::OPERATION_ID,
                    status: parts.status,
                    reason: format!("the body is larger than the cap of {limit} bytes"),
                    body_excerpt: String::new(),
                };
                return failed(error, Some(parts.status), retry_after);
            }
            Err(e) => {
                let error = self.transport_error(O::OPERATION_ID, e, start, &scrubber());
                return failed(error, Some(parts.status), retry_after);
            }
        };
        let response = http::Response::from_parts(parts, bytes);
        let result = O::into_result(O::parse_response(&response)).map_err(|failure| {
            let who = Who {
                operation: O::OPERATION_ID,
                ctx,
                credential_key: &credentials.api_key,
                scrubber: &scrubber(),
            };
            classify(&who, failure, response.body())
        });
        Attempt {
            result,
            status: Some(response.status()),
            retry_after,
        }
    }
}

impl Transport {
    /// Sends a request within the budget left.
    ///
    /// ureq's global timeout bounds the whole attempt: resolving, connecting (also by its own,
    /// shorter limit), TLS, writing, the response head and the body, however slowly a server
    /// trickles them (a per-read limit would not: each byte would re-arm it). The body loop in
    /// [`read_body`] checks the deadline too.
    ///
    /// The first attempt starts with the whole budget, which the agent's own configuration
    /// holds (see `ClientBuilder::build`), so it runs as configured: a request-level
    /// configuration would copy the agent's whole configuration (see `benches/list.rs`). A
    /// retry has less left and sets its own limits.
    fn send<S: ureq::AsSendBody>(
        &self,
        agent: &ureq::Agent,
        request: http::Request<S>,
        attempt: u32,
        remaining: Duration,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        if attempt <= 1 {
            return agent.run(request);
        }
        let request = agent
            .configure_request(request)
            .timeout_connect(Some(connect_limit(self.connect_timeout, remaining)))
            .timeout_global(Some(remaining))
            .build();
        agent.run(request)
    }
}

/// The limit for connecting within `budget`: the connect timeout, and a little less than the
/// budget, so that a connection that cannot be opened in time fails as a connect timeout (the
/// request was not sent) rather than as the budget's end, which cannot tell whether it was.
pub(crate) fn connect_limit(connect_timeout: Duration, budget: Duration) -> Duration {
    connect_timeout.min(budget - budget / 50)
}

/// ureq's resolver, with two changes: an IP address is used as it is, without a lookup, and
/// every failure to resolve is reported as [`ureq::Error::HostNotFound`].
///
/// ureq resolves the host before each request, pooled connection or not, and with a budget
/// (the global timeout) its resolver runs every lookup on a thread of its own so that a slow
/// resolver cannot outlive the budget: a thread started for every call, which took the
/// facade from 1.03 to 1.25 times a plain ureq call in `benches/list.rs`, for nothing on an
/// address. Host names still go through that bounded lookup.
/// The system resolver reports its failures as I/O errors, which would otherwise read like a
/// broken connection.
#[derive(Debug, Default)]
pub(crate) struct Resolver(ureq::unversioned::resolver::DefaultResolver);

impl ureq::unversioned::resolver::Resolver for Resolver {
    fn resolve(
        &self,
        uri: &http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let literal = uri.host().and_then(|host| {
            let ip = host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .ok()?;
            let port = uri.port_u16().or(match uri.scheme_str() {
                Some("https") => Some(443),
                Some("http") => Some(80),
                _ => None,
            })?;
            Some(std::net::SocketAddr::new(ip, port))
        });
        if let Some(addr) = literal {
            let mut addrs = self.empty();
            addrs.push(addr);
            return Ok(addrs);
        }
        self.0.resolve(uri, config, timeout).map_err(|e| match e {
            ureq::Error::Io(_) => ureq::Error::HostNotFound,
            other => other,
        })
    }
}

/// Whether requests with this method carry content even when it is empty (`Content-Length: 0`).
fn has_content(method: &http::Method) -> bool {
    matches!(
        *method,
        http::Method::POST | http::Method::PUT | http::Method::PATCH
    )
}

/// Reads a body up to [`BODY_LIMIT`], giving up when the deadline passes (a server that
/// trickles its body stays within the budget too).
fn read_body(body: &mut ureq::Body, deadline: Instant) -> Result<Vec<u8>, ureq::Error> {
    use std::io::Read as _;
    let mut reader = body.with_config().limit(BODY_LIMIT).reader();
    let mut bytes = Vec::new();
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            // Grow geometrically, starting small: most bodies are a few hundred bytes.
            bytes.resize((filled * 2).max(2048), 0);
        }
        match reader.read(&mut bytes[filled..]) {
            Ok(0) => {
                bytes.truncate(filled);
                return Ok(bytes);
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ureq::Error::from(e)),
        }
        if Instant::now() >= deadline {
            return Err(ureq::Error::Timeout(ureq::Timeout::Global));
        }
    }
}

/// The outcome of one attempt, with what the retry policy and the log need.
struct Attempt<T> {
    result: Result<T, Error>,
    /// The response's status, if a response arrived.
    status: Option<StatusCode>,
    /// The server's `Retry-After`, if any.
    retry_after: Option<Duration>,
}

/// How long to wait before the next attempt, or `None` when the budget does not allow one.
///
/// Full jitter: a uniform random delay between zero and `base * 2^(attempt-1)` (capped). A
/// `Retry-After` from the server replaces it (capped at [`RETRY_AFTER_CAP`]); when that is
/// longer than the remaining budget, the client gives up at once instead of sleeping into a
/// timeout.
pub(crate) fn retry_delay(
    attempt: u32,
    retry_after: Option<Duration>,
    budget_left: Duration,
) -> Option<Duration> {
    let delay = match retry_after {
        Some(after) => after.min(RETRY_AFTER_CAP),
        None => {
            let ceiling = BACKOFF_BASE
                .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
                .min(BACKOFF_CAP);
            let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
            Duration::from_millis(fastrand::u64(0..=millis))
        }
    };
    // Keep some of the budget for the attempt itself.
    if delay >= budget_left {
        None
    } else {
        Some(delay)
    }
}

fn short_outcome(e: &Error) -> String {
    match e {
        Error::Api { status, .. } | Error::Decode { status, .. } => status.to_string(),
        Error::Unauthorized { .. } => StatusCode::UNAUTHORIZED.to_string(),
        Error::Timeout { .. } => "timeout".to_owned(),
        Error::Transport { kind, .. } => kind.to_string(),
        other => match other.problem() {
            Some(p) => format!("{} ({})", p.kind(), p.title),
            None => "error".to_owned(),
        },
    }
}

fn build_error(e: BuildError) -> Error {
    match e {
        BuildError::EmptyPathParameter { name } => Error::InvalidInput {
            message: format!("{name} is empty"),
        },
        other => Error::InvalidInput {
            message: format!("the request could not be built: {other}"),
        },
    }
}

impl Transport {
    fn transport_error(
        &self,
        operation: &'static str,
        e: ureq::Error,
        start: Instant,
        scrubber: &Scrubber,
    ) -> Error {
        use ureq::Timeout as T;
        let kind = match &e {
            ureq::Error::Timeout(t) => {
                return Error::Timeout {
                    operation,
                    after: start.elapsed(),
                    request_sent: !matches!(t, T::Resolve | T::Connect),
                };
            }
            ureq::Error::HostNotFound => TransportErrorKind::Dns,
            ureq::Error::ConnectionFailed => TransportErrorKind::Connect,
            ureq::Error::Io(io) => match io.kind() {
                io::ErrorKind::ConnectionRefused
                | io::ErrorKind::AddrNotAvailable
                | io::ErrorKind::NetworkUnreachable
                | io::ErrorKind::HostUnreachable => TransportErrorKind::Connect,
                _ if is_tls(io) => TransportErrorKind::Tls,
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                    return Error::Timeout {
                        operation,
                        after: start.elapsed(),
                        request_sent: true,
                    };
                }
                _ => TransportErrorKind::Io,
            },
            ureq::Error::Tls(_) | ureq::Error::Pem(_) | ureq::Error::Rustls(_) => {
                TransportErrorKind::Tls
            }
            ureq::Error::Protocol(_) | ureq::Error::LargeResponseHeader(..) => {
                TransportErrorKind::Protocol
            }
            ureq::Error::BodyStalled | ureq::Error::Decompress(..) => TransportErrorKind::Io,
            _ => TransportErrorKind::Other,
        };
        Error::Transport {
            operation,
            kind,
            // The text only, scrubbed: some errors quote what the server sent.
            source: Box::new(NetworkError(match kind {
                TransportErrorKind::Dns => {
                    let host = self.base_url.parse::<http::Uri>().ok();
                    let host = host.as_ref().and_then(|u| u.host()).unwrap_or_default();
                    format!("no address found for {host}")
                }
                _ => scrubber.scrub_field(&e.to_string(), EXCERPT_LEN),
            })),
        }
    }
}

/// The scrubbed text of a transport error.
struct NetworkError(String);

impl std::fmt::Display for NetworkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for NetworkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

impl std::error::Error for NetworkError {}

/// Whether an I/O error is a TLS failure (ureq reports handshake failures as I/O errors
/// wrapping the rustls error).
fn is_tls(e: &io::Error) -> bool {
    e.get_ref()
        .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
}

/// What a failed call was about, for classifying and scrubbing its error.
pub(crate) struct Who<'a> {
    /// The operation's id.
    pub(crate) operation: &'static str,
    /// The call's account and ids.
    pub(crate) ctx: &'a CallContext<'a>,
    /// The api key whose credentials the call carried.
    pub(crate) credential_key: &'a str,
    /// Removes the call's credentials from text the server sent.
    pub(crate) scrubber: &'a Scrubber,
}

/// Turns the generated operation's [`Failure`] into an [`Error`]: by the problem `type`
/// fragment first, by the status second. Every text from the server is scrubbed.
///
/// `body` is the whole response body: for a status the spec does not document, a problem
/// document in it is still kept.
pub(crate) fn classify(who: &Who<'_>, failure: Failure, body: &[u8]) -> Error {
    let operation = who.operation;
    match failure {
        Failure::Problem { status, problem } => {
            let problem = crate::convert::problem(problem);
            classify_problem(who, status, problem)
        }
        Failure::Unexpected(unexpected) => {
            // From the whole body: scrubbed before it is cut, so no credential is cut in two.
            let body_excerpt = who.scrubber.body_excerpt(body);
            match unexpected.reason {
                UnexpectedReason::UndecodableBody(reason) if unexpected.status.is_success() => {
                    Error::Decode {
                        operation,
                        status: unexpected.status,
                        // A decoder quotes the values it refused.
                        reason: who.scrubber.scrub_field(&reason, EXCERPT_LEN),
                        body_excerpt,
                    }
                }
                _ => match serde_json::from_slice::<Problem>(body) {
                    // A problem document on a status the spec does not list: classify it all
                    // the same (by type, then status).
                    Ok(problem) if !unexpected.status.is_success() => {
                        match classify_problem(who, unexpected.status, problem) {
                            Error::Api {
                                operation,
                                status,
                                problem,
                                ..
                            } => Error::Api {
                                operation,
                                status,
                                problem,
                                body_excerpt,
                            },
                            other => other,
                        }
                    }
                    _ if unexpected.status == StatusCode::UNAUTHORIZED => Error::Unauthorized {
                        api_key: who.credential_key.to_owned(),
                        problem: None,
                    },
                    _ => Error::Api {
                        operation,
                        status: unexpected.status,
                        problem: None,
                        body_excerpt,
                    },
                },
            }
        }
    }
}

fn classify_problem(who: &Who<'_>, status: StatusCode, mut problem: Problem) -> Error {
    // Every text of the document: `Debug` of the error shows them all.
    let scrub = |text: &mut String| *text = who.scrubber.scrub_field(text, PROBLEM_TEXT_LEN);
    scrub(&mut problem.type_url);
    scrub(&mut problem.title);
    for text in [&mut problem.detail, &mut problem.instance]
        .into_iter()
        .flatten()
    {
        scrub(text);
    }
    for p in &mut problem.invalid_parameters {
        scrub(&mut p.name);
        scrub(&mut p.reason);
    }
    let ctx = who.ctx;
    let api_key = ctx.account.to_owned();
    let secret_id = || SecretId::from(ctx.secret_id.unwrap_or_default());
    match problem.kind() {
        "unauthorized" => Error::Unauthorized {
            api_key: who.credential_key.to_owned(),
            problem: Some(Box::new(problem)),
        },
        "invalid-api-key" => Error::AccountNotFound {
            api_key,
            problem: Some(Box::new(problem)),
        },
        "invalid-id" => Error::SecretNotFound {
            api_key,
            secret_id: secret_id(),
            problem: Some(Box::new(problem)),
        },
        "add-excess-secret" => Error::LimitReached {
            api_key,
            problem: Some(Box::new(problem)),
        },
        "delete-last-secret" => Error::LastSecret {
            api_key,
            secret_id: secret_id(),
            problem: Some(Box::new(problem)),
        },
        "validation" => Error::Rejected {
            api_key,
            invalid_parameters: problem.invalid_parameters.clone(),
            problem: Some(Box::new(problem)),
        },
        _ => match status {
            StatusCode::UNAUTHORIZED => Error::Unauthorized {
                api_key: who.credential_key.to_owned(),
                problem: Some(Box::new(problem)),
            },
            StatusCode::NOT_FOUND if ctx.secret_id.is_some() => Error::SecretNotFound {
                api_key,
                secret_id: secret_id(),
                problem: Some(Box::new(problem)),
            },
            StatusCode::NOT_FOUND => Error::AccountNotFound {
                api_key,
                problem: Some(Box::new(problem)),
            },
            StatusCode::BAD_REQUEST if !problem.invalid_parameters.is_empty() => Error::Rejected {
                api_key,
                invalid_parameters: problem.invalid_parameters.clone(),
                problem: Some(Box::new(problem)),
            },
            _ => Error::Api {
                operation: who.operation,
                status,
                problem: Some(Box::new(problem)),
                body_excerpt: String::new(),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delay_is_full_jitter_within_the_exponential_ceiling() {
        for attempt in 1..=6 {
            let ceiling = BACKOFF_BASE
                .saturating_mul(1 << (attempt - 1))
                .min(BACKOFF_CAP);
            for _ in 0..200 {
                let d = retry_delay(attempt, None, Duration::from_secs(60)).unwrap();
                assert!(d <= ceiling, "attempt {attempt}: {d:?} > {ceiling:?}");
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_capped_and_never_beyond_the_budget() {
        let budget = Duration::from_secs(60);
        assert_eq!(
            retry_delay(1, Some(Duration::from_secs(2)), budget),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            retry_delay(1, Some(Duration::from_secs(3600)), budget),
            Some(RETRY_AFTER_CAP)
        );
        assert_eq!(
            retry_delay(1, Some(Duration::from_secs(5)), Duration::from_secs(4)),
            None
        );
    }

    #[test]
    fn the_authorization_header_is_basic_and_sensitive() {
        let credentials = Credentials::new("abcd1234".into(), SecretString::from("Secret-123"));
        let value = credentials.authorization().unwrap();
        assert!(value.is_sensitive());
        // base64("abcd1234:Secret-123")
        assert_eq!(value, "Basic YWJjZDEyMzQ6U2VjcmV0LTEyMw==");
        assert!(!format!("{value:?}").contains("YWJj"));
    }

    /// Answers one request per reply (status line, body), in order, on as many keep-alive
    /// connections as the client opens, and returns each request's head, lower-cased.
    fn raw_server(
        replies: Vec<(&'static str, String)>,
    ) -> (String, std::thread::JoinHandle<Vec<String>>) {
        use std::io::{BufRead as _, BufReader, Read as _, Write as _};
        use std::sync::{Arc, Mutex, mpsc};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let count = replies.len();
        let replies = Arc::new(Mutex::new(std::collections::VecDeque::from(replies)));
        let (heads_tx, heads_rx) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let replies = Arc::clone(&replies);
                let heads_tx = heads_tx.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut writer = stream;
                    loop {
                        let mut head = String::new();
                        let mut length = 0;
                        loop {
                            let mut line = String::new();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                                return; // the client closed the connection
                            }
                            let lower = line.to_ascii_lowercase();
                            if let Some(v) = lower.strip_prefix("content-length:") {
                                length = v.trim().parse().unwrap();
                            }
                            head.push_str(&lower);
                            if line == "\r\n" {
                                break;
                            }
                        }
                        reader.read_exact(&mut vec![0; length]).unwrap();
                        let (status, body) = replies.lock().unwrap().pop_front().unwrap();
                        heads_tx.send(head).unwrap();
                        let response = format!(
                            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n\
                             content-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        writer.write_all(response.as_bytes()).unwrap();
                    }
                });
            }
        });
        let handle = std::thread::spawn(move || heads_rx.iter().take(count).collect());
        (base_url, handle)
    }

    #[test]
    fn requests_without_a_body_send_no_content_length_and_a_post_sends_one() {
        let secret = r#"{"id":"ad6dc56f","created_at":"2017-03-02T16:34:49Z"}"#;
        let list = format!(r#"{{"_embedded":{{"secrets":[{secret}]}}}}"#);
        let (base_url, server) = raw_server(vec![
            ("200 OK", list),
            ("201 Created", secret.to_owned()),
            ("204 No Content", String::new()),
        ]);
        let client = crate::Client::builder("abcd1234", "Secret-123")
            .base_url(base_url)
            .build()
            .unwrap();
        let secrets = client.secrets();
        assert_eq!(secrets.list().unwrap().len(), 1);
        secrets.create("N3w-Secret-Value").unwrap();
        secrets.revoke("ad6dc56f").unwrap();
        let heads = server.join().unwrap();
        assert!(heads[0].starts_with("get "), "{}", heads[0]);
        assert!(!heads[0].contains("content-length"), "{}", heads[0]);
        assert!(heads[0].contains("authorization: basic "), "{}", heads[0]);
        assert!(heads[1].starts_with("post "), "{}", heads[1]);
        assert!(heads[1].contains("content-length: 29"), "{}", heads[1]);
        assert!(heads[2].starts_with("delete "), "{}", heads[2]);
        assert!(!heads[2].contains("content-length"), "{}", heads[2]);
    }

    #[test]
    fn the_agent_holds_the_first_attempts_limits() {
        let client = crate::Client::builder("abcd1234", "Secret-123")
            .timeout(Duration::from_secs(3))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        for agent in [&client.transport.agent, &client.transport.fresh_agent] {
            let config = agent.config();
            // The whole attempt, head and body included, within the budget.
            assert_eq!(config.timeouts().global, Some(Duration::from_secs(3)));
            // Connecting is bounded by the whole budget too, when that is shorter, and ends a
            // little before it (a connect timeout says the request was not sent).
            let connect = config.timeouts().connect.unwrap();
            assert!(connect < Duration::from_secs(3), "{connect:?}");
            assert!(connect >= Duration::from_millis(2900), "{connect:?}");
        }
        assert_eq!(
            client.transport.fresh_agent.config().max_idle_connections(),
            0
        );
    }

    #[test]
    fn every_text_of_a_problem_is_scrubbed_of_the_sent_secret() {
        let secret = "N3w-secret!";
        let problem = Problem {
            type_url: format!("https://example.com/errors#{secret}"),
            title: format!("title {secret}"),
            detail: Some(format!("detail {secret}")),
            instance: Some(format!("instance {secret}")),
            invalid_parameters: vec![crate::model::InvalidParameter::new(
                format!("name {secret}"),
                format!("reason {secret}"),
            )],
        };
        let ctx = CallContext {
            account: "abcd1234",
            secret_id: None,
            sent_secret: Some(secret),
        };
        let who = Who {
            operation: "op",
            ctx: &ctx,
            credential_key: "abcd1234",
            scrubber: &Scrubber::new().with([secret]),
        };
        let error = classify_problem(&who, StatusCode::BAD_REQUEST, problem);
        let shown = format!("{error:?} {error}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("[REDACTED]"), "{shown}");
    }
}
