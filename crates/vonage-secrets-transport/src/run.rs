//! [`Transport`]: runs one generated operation, attempt by attempt, within its budget.

use std::io;
use std::time::{Duration, Instant};

use http::StatusCode;
use http::header::{AUTHORIZATION, HeaderValue, USER_AGENT};
use vonage_secrets_runtime::{BaseUrl, Operation};

use crate::config::{TransportBuilder, connect_limit};
use crate::error::{CallError, Error, NetworkError, TransportErrorKind};
use crate::scrub::{EXCERPT_LEN, Scrubber};
use crate::{Auth, retry};

/// The largest response body the transport reads.
pub const BODY_LIMIT: u64 = 1024 * 1024;

/// Runs generated operations over ureq: the `Authorization` of an [`Auth`], the budget, the
/// body cap, retries of idempotent operations, logging. Cheap to share behind an `Arc`; `Send`
/// and `Sync`.
pub struct Transport {
    /// For idempotent requests: keeps idle connections for reuse.
    pub(crate) agent: ureq::Agent,
    /// For requests that must not be sent twice: the same configuration without idle
    /// connections, so that every such request goes on a connection opened for it. A pooled
    /// connection may have been closed by the server while idle; a request written to it fails
    /// without an answer, and the transport could not tell whether the server read it.
    pub(crate) fresh_agent: ureq::Agent,
    pub(crate) base_url: BaseUrl,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    /// Whether a 429 is retried here (see [`Transport::rate_limits_to_caller`]).
    pub(crate) retry_rate_limited: bool,
    pub(crate) user_agent: HeaderValue,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.base_url.as_str())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_rate_limited", &self.retry_rate_limited)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

/// An answer of the server: the operation's typed outcome and the response it was parsed
/// from (its body **not scrubbed**).
#[derive(Debug)]
pub struct Answer<T> {
    /// The operation's typed outcome.
    pub outcome: T,
    /// The response, its body whole.
    pub response: http::Response<Vec<u8>>,
    /// Whether an earlier attempt of the call failed ambiguously (it may have reached the
    /// server, so that "not found" on a retry of a delete may mean the first attempt did it).
    pub earlier_attempt_ambiguous: bool,
}

/// The outcome of one attempt, with what the retry policy and the log need.
struct Attempt<T, E> {
    result: Result<T, Error<E>>,
    /// The response's status, if a response arrived.
    status: Option<StatusCode>,
    /// The server's `Retry-After`, if any.
    retry_after: Option<Duration>,
}

impl Transport {
    /// Starts configuring a transport for requests to `base_url`.
    pub fn builder(base_url: BaseUrl) -> TransportBuilder {
        TransportBuilder::new(base_url)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// The budget of a whole call.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The budget for opening a connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// How often an idempotent request is retried.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The same transport, sharing its connection pools, except that it gives a 429 back at
    /// once instead of retrying it after the `Retry-After`: for a caller whose workers share
    /// one rate budget and wait on it together (each worker sleeping out its own 429 would
    /// bring them all back at once). Other failures are retried as before.
    pub fn rate_limits_to_caller(&self) -> Transport {
        Transport {
            agent: self.agent.clone(),
            fresh_agent: self.fresh_agent.clone(),
            base_url: self.base_url.clone(),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            max_retries: self.max_retries,
            retry_rate_limited: false,
            user_agent: self.user_agent.clone(),
        }
    }

    /// Whether a 429 is retried here (`false` after
    /// [`rate_limits_to_caller`](Self::rate_limits_to_caller)).
    pub fn retries_rate_limited(&self) -> bool {
        self.retry_rate_limited
    }

    /// The `User-Agent` header every request carries.
    pub fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
    }

    /// The ureq agent of idempotent requests (pooled) or of the others (a fresh connection
    /// each), for inspecting their configuration.
    pub fn agent(&self, idempotent: bool) -> &ureq::Agent {
        if idempotent {
            &self.agent
        } else {
            &self.fresh_agent
        }
    }

    /// Runs one operation with the credentials of `auth`, retrying an idempotent one as the
    /// policy allows ([`retry`]), and splits its outcome with the operation's `into_result`.
    /// `call_secrets` are the secrets the request carries besides the credentials (a new
    /// secret in the body): they are scrubbed, with the credentials, from every network error
    /// text.
    ///
    /// # Errors
    /// The last attempt's [`Error`], with whether an earlier attempt failed ambiguously.
    pub fn execute<O, A>(
        &self,
        operation: &O,
        auth: &A,
        call_secrets: &[&str],
    ) -> Result<O::Output, CallError<O::ErrorBody>>
    where
        O: Operation,
        A: Auth + ?Sized,
    {
        self.run(
            operation,
            auth,
            call_secrets,
            |response, _| match O::into_result(O::parse_response(&response)) {
                Ok(output) => Ok(output),
                Err(failure) => Err(Error::Failure {
                    failure,
                    body: response.into_body(),
                }),
            },
        )
    }

    /// Like [`execute`](Self::execute), but gives back the operation's whole typed outcome
    /// (one variant per documented response), with the response it was parsed from, so that
    /// a client can classify failures by the variants the spec documents. Retries happen as
    /// for `execute`; when they are spent, the last answer is returned here as it is.
    ///
    /// # Errors
    /// Only failures without an answer (timeout, network, body cap, build, credentials).
    pub fn execute_outcome<O, A>(
        &self,
        operation: &O,
        auth: &A,
        call_secrets: &[&str],
    ) -> Result<Answer<O::Outcome>, CallError<O::ErrorBody>>
    where
        O: Operation,
        A: Auth + ?Sized,
    {
        self.run(
            operation,
            auth,
            call_secrets,
            |response, earlier_attempt_ambiguous| {
                Ok(Answer {
                    outcome: O::parse_response(&response),
                    response,
                    earlier_attempt_ambiguous,
                })
            },
        )
    }

    fn run<O, A, T, E>(
        &self,
        operation: &O,
        auth: &A,
        call_secrets: &[&str],
        finish: impl FnOnce(http::Response<Vec<u8>>, bool) -> Result<T, Error<E>>,
    ) -> Result<T, CallError<E>>
    where
        O: Operation,
        A: Auth + ?Sized,
    {
        let fail = |error| CallError {
            error,
            earlier_attempt_ambiguous: false,
        };
        let first = operation
            .to_request(&self.base_url)
            .map_err(|e| fail(Error::Build(e)))?;
        // For the log (the path only when it is wanted: copying it costs an allocation).
        let method = &O::METHOD;
        let path = log::log_enabled!(log::Level::Debug).then(|| first.uri().path().to_owned());
        let path = path.as_deref().unwrap_or_default();
        let mut next = Some(first);
        let mut authorization = auth.authorization().map_err(|e| fail(Error::Auth(e)))?;
        let mut refreshed = false;

        let start = Instant::now();
        let deadline = start + self.timeout;
        let mut earlier_attempt_ambiguous = false;
        let mut attempt: u32 = 0;
        let mut retries: u32 = 0;
        loop {
            attempt += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(CallError {
                    error: Error::Timeout {
                        after: start.elapsed(),
                        request_sent: earlier_attempt_ambiguous,
                    },
                    earlier_attempt_ambiguous,
                });
            }
            let request = match next.take() {
                Some(request) => request,
                // A retry: the operations build the same request every time.
                None => operation
                    .to_request(&self.base_url)
                    .map_err(|e| fail(Error::Build(e)))?,
            };
            let attempt_start = Instant::now();
            let scrubber = || {
                let mut scrubber = Scrubber::new().with(call_secrets.iter().copied());
                auth.add_secrets(&mut scrubber);
                scrubber
            };
            let Attempt {
                result,
                status,
                retry_after,
            } = self.attempt::<O, E>(
                request,
                &authorization,
                (attempt, remaining, start),
                &scrubber,
            );
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
            let (retryable, ambiguous, error) = match result {
                Ok(response) => {
                    if !refreshed && auth.refresh_after(&response) {
                        // The server refused the credentials, not the request: once more, at
                        // once, whatever the operation.
                        refreshed = true;
                        authorization = auth.authorization().map_err(|e| CallError {
                            error: Error::Auth(e),
                            earlier_attempt_ambiguous,
                        })?;
                        log::debug!("{} {}: retrying with fresh credentials", method, path);
                        continue;
                    }
                    let status = response.status();
                    if !retry::is_retryable_status(status) {
                        return finish(response, earlier_attempt_ambiguous).map_err(|error| {
                            CallError {
                                error,
                                earlier_attempt_ambiguous,
                            }
                        });
                    }
                    let retryable = self.retry_rate_limited || !retry::is_rate_limited(status);
                    (retryable, status.is_server_error(), Err(response))
                }
                Err(error) => (error.is_retryable(), error.is_ambiguous(), Ok(error)),
            };
            let budget_left = deadline.saturating_duration_since(Instant::now());
            let delay = if O::IDEMPOTENT && retries < self.max_retries && retryable {
                retry::retry_delay(retries + 1, retry_after, budget_left)
            } else {
                None
            };
            let Some(delay) = delay else {
                return match error {
                    Ok(error) => Err(CallError {
                        error,
                        earlier_attempt_ambiguous,
                    }),
                    // The last answer, as it is.
                    Err(response) => {
                        finish(response, earlier_attempt_ambiguous).map_err(|error| CallError {
                            error,
                            earlier_attempt_ambiguous,
                        })
                    }
                };
            };
            retries += 1;
            earlier_attempt_ambiguous |= ambiguous;
            log::debug!("{} {}: retrying in {} ms", method, path, delay.as_millis());
            std::thread::sleep(delay);
        }
    }

    /// One attempt: send, read the body with the cap.
    fn attempt<O: Operation, E>(
        &self,
        mut request: http::Request<Vec<u8>>,
        authorization: &HeaderValue,
        (attempt, remaining, start): (u32, Duration, Instant),
        scrubber: &dyn Fn() -> Scrubber,
    ) -> Attempt<http::Response<Vec<u8>>, E> {
        let failed = |error, status, retry_after| Attempt {
            result: Err(error),
            status,
            retry_after,
        };
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, authorization.clone());
        headers.insert(USER_AGENT, self.user_agent.clone());
        let deadline = Instant::now() + remaining;
        let agent = self.agent(O::IDEMPOTENT);
        // A request without a body goes without one (no `Content-Length: 0` on a GET).
        let response = if request.body().is_empty() && !has_content(request.method()) {
            self.send(agent, request.map(|_| ()), attempt, remaining)
        } else {
            self.send(agent, request, attempt, remaining)
        };
        let response = match response {
            Ok(r) => r,
            // Built only on failure: text from the network goes through it before it is kept.
            Err(e) => return failed(self.transport_error(e, start, &scrubber()), None, None),
        };
        let (parts, mut body) = response.into_parts();
        let status = parts.status;
        let retry_after = retry::retry_after(&parts.headers);
        let bytes = match read_body(&mut body, deadline) {
            Ok(b) => b,
            Err(ureq::Error::Timeout(_)) => {
                let error = Error::Timeout {
                    after: start.elapsed(),
                    request_sent: true,
                };
                return failed(error, Some(parts.status), retry_after);
            }
            Err(ureq::Error::BodyExceedsLimit(limit)) => {
                let error = Error::BodyTooLarge {
                    status: parts.status,
                    limit,
                };
                return failed(error, Some(parts.status), retry_after);
            }
            Err(e) => {
                let error = self.transport_error(e, start, &scrubber());
                return failed(error, Some(parts.status), retry_after);
            }
        };
        Attempt {
            result: Ok(http::Response::from_parts(parts, bytes)),
            status: Some(status),
            retry_after,
        }
    }

    /// Sends a request within the budget left.
    ///
    /// ureq's global timeout bounds the whole attempt: resolving, connecting (also by its own,
    /// shorter limit), TLS, writing, the response head and the body, however slowly a server
    /// trickles them (a per-read limit would not: each byte would re-arm it). The body loop in
    /// [`read_body`] checks the deadline too.
    ///
    /// The first attempt starts with the whole budget, which the agent's own configuration
    /// holds (see [`TransportBuilder::build`]), so it runs as configured: a request-level
    /// configuration would copy the agent's whole configuration. A retry has less left and
    /// sets its own limits.
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
            .timeout_resolve(Some(connect_limit(remaining, remaining)))
            .timeout_connect(Some(connect_limit(self.connect_timeout, remaining)))
            .timeout_global(Some(remaining))
            .build();
        agent.run(request)
    }

    fn transport_error<E>(&self, e: ureq::Error, start: Instant, scrubber: &Scrubber) -> Error<E> {
        use ureq::Timeout as T;
        let kind = match &e {
            ureq::Error::Timeout(t) => {
                return Error::Timeout {
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
        Error::Network {
            kind,
            // The text only, scrubbed: some errors quote what the server sent.
            source: NetworkError(match kind {
                TransportErrorKind::Dns => {
                    let host = self.base_url.as_str().parse::<http::Uri>().ok();
                    let host = host.as_ref().and_then(|u| u.host()).unwrap_or_default();
                    format!("no address found for {host}")
                }
                _ => scrubber.scrub_field(&e.to_string(), EXCERPT_LEN),
            }),
        }
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

fn short_outcome<E>(e: &Error<E>) -> String {
    match e {
        Error::Timeout { .. } => "timeout".to_owned(),
        Error::Network { kind, .. } => kind.to_string(),
        other => match other.status() {
            Some(status) => status.to_string(),
            None => "error".to_owned(),
        },
    }
}

/// Whether an I/O error is a TLS failure (ureq reports handshake failures as I/O errors
/// wrapping the rustls error).
fn is_tls(e: &io::Error) -> bool {
    e.get_ref()
        .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
}
