//! The blocking transport: ureq agents, the call's budget, the body cap and the mapping of
//! connection failures. It knows no API; the client decides what to send and what to retry.

use std::time::{Duration, Instant};

use crate::error::TransportKind;

/// The most bytes of a response body the client reads.
pub(crate) const BODY_LIMIT: u64 = 1024 * 1024;

/// Why one attempt got no response.
#[derive(Debug)]
pub(crate) enum SendError {
    /// The budget ran out.
    Timeout {
        /// Whether the request may have reached the server.
        request_sent: bool,
    },
    /// The connection failed.
    Transport {
        kind: TransportKind,
        message: String,
    },
}

/// Two agents with one configuration: a pooled one for requests that may be sent twice, and one
/// without idle connections for those that must not be, so that such a request never goes on a
/// pooled connection the server may have closed while it was idle.
pub(crate) struct Transport {
    pooled: ureq::Agent,
    fresh: ureq::Agent,
    timeout: Duration,
}

impl Transport {
    pub(crate) fn new(timeout: Duration, loopback: bool) -> Self {
        let agent = |pooled: bool| {
            let mut config = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(timeout))
                .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
                .max_redirects(0)
                .max_redirects_will_error(false)
                .user_agent(concat!("voximplant-secrets/", env!("CARGO_PKG_VERSION")));
            if loopback {
                // Loopback is never reached through a proxy.
                config = config.proxy(None);
            }
            if !pooled {
                config = config
                    .max_idle_connections(0)
                    .max_idle_connections_per_host(0);
            }
            ureq::Agent::with_parts(
                config.build(),
                ureq::unversioned::transport::DefaultConnector::default(),
                Resolver::default(),
            )
        };
        Self {
            pooled: agent(true),
            fresh: agent(false),
            timeout,
        }
    }

    /// The whole call's budget.
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends one attempt within what is left until `deadline` and reads the body (at most
    /// [`BODY_LIMIT`] bytes). `first` says whether the whole budget is left (then the agent's
    /// own configuration applies as it is).
    pub(crate) fn send(
        &self,
        request: http::Request<Vec<u8>>,
        idempotent: bool,
        first: bool,
        deadline: Instant,
    ) -> Result<http::Response<Vec<u8>>, SendError> {
        let agent = if idempotent {
            &self.pooled
        } else {
            &self.fresh
        };
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(SendError::Timeout {
                request_sent: false,
            });
        }
        let response = if first {
            agent.run(request)
        } else {
            let request = agent
                .configure_request(request)
                .timeout_global(Some(remaining))
                .build();
            agent.run(request)
        };
        let response = response.map_err(|e| map_error(e, false))?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(BODY_LIMIT)
            .read_to_vec()
            .map_err(|e| map_error(e, true))?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}

fn map_error(error: ureq::Error, after_head: bool) -> SendError {
    let transport = |kind, _request_sent: bool| SendError::Transport {
        kind,
        message: error.to_string(),
    };
    match &error {
        ureq::Error::Timeout(timeout) => SendError::Timeout {
            request_sent: after_head
                || !matches!(timeout, ureq::Timeout::Resolve | ureq::Timeout::Connect),
        },
        ureq::Error::HostNotFound => transport(TransportKind::Dns, false),
        ureq::Error::ConnectionFailed => transport(TransportKind::Connect, false),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            transport(TransportKind::Connect, false)
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            SendError::Timeout { request_sent: true }
        }
        ureq::Error::BodyExceedsLimit(_) => transport(TransportKind::BodyTooLarge, true),
        ureq::Error::Tls(_) | ureq::Error::Pem(_) | ureq::Error::Rustls(_) => {
            transport(TransportKind::Tls, false)
        }
        _ => transport(TransportKind::Io, true),
    }
}

/// How long to wait before retry number `retry` (1 for the first), or `None` when the budget
/// left does not allow it: full jitter up to `100 ms * 2^(retry-1)` (at most 2 s), or the
/// server's `Retry-After` (at most 10 s).
pub(crate) fn retry_delay(
    retry: u32,
    retry_after: Option<Duration>,
    left: Duration,
) -> Option<Duration> {
    let delay = match retry_after {
        Some(after) => after.min(Duration::from_secs(10)),
        None => {
            let cap = Duration::from_millis(100)
                .saturating_mul(1 << retry.saturating_sub(1).min(5))
                .min(Duration::from_secs(2));
            cap.mul_f64(fastrand::f64())
        }
    };
    // Leave the next attempt at least a tenth of what is left.
    (delay + left / 10 < left).then_some(delay)
}

/// ureq's resolver, except that an IP address is used as it is: with a global timeout ureq
/// runs every lookup on a thread of its own, a thread per call for nothing on an address.
/// Lookup failures are reported as [`ureq::Error::HostNotFound`] rather than as I/O errors,
/// which would read like a broken connection.
#[derive(Debug, Default)]
struct Resolver(ureq::unversioned::resolver::DefaultResolver);

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
