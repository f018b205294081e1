//! [`TransportBuilder`]: the whole configuration of a [`Transport`], checked without I/O.
//!
//! It makes two ureq agents with one configuration: a pooled one for idempotent requests and one
//! without idle connections for the others, so that a request that must not be sent twice
//! never goes on a pooled connection the server may have closed while it was idle (such a
//! failure could not be told from a request the server read). It chooses the proxy (never for
//! loopback; `HTTPS_PROXY`/`ALL_PROXY` honouring `NO_PROXY`, or an explicit one) and reads CA
//! bundles, added to the webpki roots.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use http::header::HeaderValue;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
use vonage_secrets_runtime::BaseUrl;

use crate::resolver::Resolver;
use crate::run::Transport;

/// The default budget of a whole call, retries included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default budget for opening a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default number of retries of an idempotent request.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The longest budget a transport uses: longer timeouts are clamped to it (one day).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// The environment variables of an https proxy, in order of precedence.
const PROXY_VARIABLES: [&str; 4] = ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"];

/// Certificate authorities to trust on top of the built-in roots.
#[derive(Clone)]
pub enum CaBundle {
    /// PEM given as bytes.
    Pem(Vec<u8>),
    /// A PEM file, read at [`TransportBuilder::build`]; `origin` names where the path came from
    /// (an environment variable), for the error message.
    File {
        /// The file's path.
        path: PathBuf,
        /// The environment variable the path came from, if any.
        origin: Option<&'static str>,
    },
}

impl std::fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaBundle::Pem(pem) => write!(f, "Pem({} bytes)", pem.len()),
            CaBundle::File { path, origin } => f
                .debug_struct("File")
                .field("path", path)
                .field("origin", origin)
                .finish(),
        }
    }
}

/// Which proxy https requests go through. Loopback hosts are always reached directly.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum ProxySetting {
    /// `HTTPS_PROXY`, `https_proxy`, `ALL_PROXY` or `all_proxy` (the first one set), unless
    /// `NO_PROXY` (or `no_proxy`) names the host. `HTTP_PROXY` is never used.
    #[default]
    FromEnv,
    /// Never a proxy.
    Off,
    /// This proxy URL (`http://host:port`, optionally with `user:password@`).
    Url(String),
}

impl std::fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A proxy URL may hold a password.
        f.write_str(match self {
            ProxySetting::FromEnv => "from the environment",
            ProxySetting::Off => "none",
            ProxySetting::Url(_) => "explicit",
        })
    }
}

/// A configuration that cannot work; the message says what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// Configures a [`Transport`]; made by [`Transport::builder`].
#[derive(Debug)]
#[must_use = "a builder does nothing until .build() is called"]
pub struct TransportBuilder {
    base_url: BaseUrl,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    user_agent: String,
    ca_bundles: Vec<CaBundle>,
    proxy: ProxySetting,
}

impl TransportBuilder {
    pub(crate) fn new(base_url: BaseUrl) -> Self {
        TransportBuilder {
            base_url,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            user_agent: concat!("vonage-secrets-transport/", env!("CARGO_PKG_VERSION")).to_owned(),
            ca_bundles: Vec::new(),
            proxy: ProxySetting::FromEnv,
        }
    }

    /// The budget of a whole call, retries and their waits included (default 30 s; clamped to
    /// [`MAX_TIMEOUT`]; zero is refused).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The budget for opening a connection, TLS handshake included (default 10 s; never more
    /// than what is left of the call's budget).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How often an idempotent request is retried after a connection failure or a 429, 502,
    /// 503 or 504 (default 2).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The whole `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Extra certificate authorities to trust, on top of the webpki roots.
    pub fn ca_bundle(mut self, bundle: CaBundle) -> Self {
        self.ca_bundles.push(bundle);
        self
    }

    /// Which proxy to use (default: from the environment).
    pub fn proxy(mut self, proxy: ProxySetting) -> Self {
        self.proxy = proxy;
        self
    }

    /// Checks the configuration and builds the transport. No I/O happens here but reading the
    /// CA bundle files.
    ///
    /// # Errors
    /// A zero timeout, a base URL that is plain `http` on a host that is not loopback, a user
    /// agent that is no header value, an unreadable CA bundle or a bad proxy URL.
    pub fn build(self) -> Result<Transport, ConfigError> {
        self.build_with_env(&|name: &str| std::env::var(name).ok())
    }

    pub(crate) fn build_with_env(
        self,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Transport, ConfigError> {
        let config = |message: String| ConfigError(message);
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(config("timeouts must be longer than zero".to_owned()));
        }
        // Clamped: a deadline far in the future would overflow the clock.
        let timeout = self.timeout.min(MAX_TIMEOUT);
        let connect_timeout = self.connect_timeout.min(MAX_TIMEOUT);
        check_scheme(&self.base_url).map_err(config)?;
        let user_agent = HeaderValue::try_from(self.user_agent)
            .map_err(|_| config("the user agent is not a valid header value".to_owned()))?;

        let mut tls = TlsConfig::builder();
        if !self.ca_bundles.is_empty() {
            let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
                .iter()
                .map(|der| Certificate::from_der(der.as_ref()))
                .collect();
            for bundle in &self.ca_bundles {
                roots.extend(read_ca_bundle(bundle).map_err(config)?);
            }
            tls = tls.root_certs(RootCerts::new_with_certs(&roots));
        }
        let tls = tls.build();
        let proxy = choose_proxy(&self.proxy, self.base_url.as_str(), lookup).map_err(config)?;

        // The limits of a first attempt, which has the whole budget: set here once rather than
        // per request (see `Transport::send`; retries set their own).
        let agent = |pooled: bool| {
            let mut config = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_resolve(Some(connect_limit(timeout, timeout)))
                .timeout_connect(Some(connect_limit(connect_timeout, timeout)))
                .timeout_global(Some(timeout))
                .max_redirects(0)
                .max_redirects_will_error(false)
                .proxy(proxy.clone())
                .tls_config(tls.clone());
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
        Ok(Transport {
            agent: agent(true),
            fresh_agent: agent(false),
            base_url: self.base_url,
            timeout,
            connect_timeout,
            max_retries: self.max_retries,
            retry_rate_limited: true,
            user_agent,
        })
    }
}

/// The limit for resolving the host or connecting within `budget`: the connect timeout, and a
/// little less than the budget, so that a connection that cannot be opened in time fails as a
/// resolve or connect timeout (the request was not sent) rather than as the budget's end,
/// which cannot tell whether it was.
pub(crate) fn connect_limit(connect_timeout: Duration, budget: Duration) -> Duration {
    connect_timeout.min(budget - budget / 50)
}

/// `https`, or plain `http` on a loopback host (a sandbox): credentials never cross a network
/// in the clear.
pub fn check_scheme(base_url: &BaseUrl) -> Result<(), String> {
    let uri: http::Uri = base_url
        .as_str()
        .parse()
        .map_err(|_| "the base url does not parse as a URL".to_owned())?;
    let host = uri.host().unwrap_or_default();
    match uri.scheme_str() {
        Some("https") => Ok(()),
        Some("http") if is_loopback(host) => Ok(()),
        _ => Err(format!(
            "the base url {base_url} uses plain http; use https (http is allowed only on \
             loopback hosts, for sandboxes)"
        )),
    }
}

/// The certificates of a CA bundle, or what is wrong with it.
fn read_ca_bundle(bundle: &CaBundle) -> Result<Vec<Certificate<'static>>, String> {
    let (pem, what) = match bundle {
        CaBundle::Pem(pem) => (pem.clone(), "the root certificate".to_owned()),
        CaBundle::File { path, origin } => {
            let what = match origin {
                Some(variable) => format!("the CA bundle {} (from {variable})", path.display()),
                None => format!("the CA bundle {}", path.display()),
            };
            let pem = std::fs::read(path).map_err(|e| {
                format!("{what} could not be read: {e}; check the path and its permissions")
            })?;
            (pem, what)
        }
    };
    let mut certificates = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(cert)) => certificates.push(cert.to_owned()),
            Ok(_) => {}
            Err(e) => return Err(format!("{what} is not readable PEM: {e}")),
        }
    }
    if certificates.is_empty() {
        return Err(format!(
            "{what} holds no PEM certificate (a block starting with \
             -----BEGIN CERTIFICATE-----)"
        ));
    }
    Ok(certificates)
}

/// The proxy for requests to `base_url`: never for a loopback host; otherwise the explicit one,
/// or the environment's (`lookup`) unless `NO_PROXY` names the host.
pub(crate) fn choose_proxy(
    setting: &ProxySetting,
    base_url: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<ureq::Proxy>, String> {
    let host = base_url
        .parse::<http::Uri>()
        .ok()
        .and_then(|u| u.host().map(str::to_owned))
        .unwrap_or_default();
    if is_loopback(&host) {
        return Ok(None);
    }
    let (url, origin) = match setting {
        ProxySetting::Off => return Ok(None),
        ProxySetting::Url(url) => (url.clone(), "given to the client's builder"),
        ProxySetting::FromEnv => {
            let Some((name, url)) = PROXY_VARIABLES.iter().find_map(|&name| {
                lookup(name)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (name, v))
            }) else {
                return Ok(None);
            };
            let no_proxy = lookup("NO_PROXY")
                .filter(|v| !v.is_empty())
                .or_else(|| lookup("no_proxy"));
            if no_proxy.is_some_and(|list| no_proxy_matches(&list, &host)) {
                return Ok(None);
            }
            (url, name)
        }
    };
    // The URL is not repeated: it may hold a password.
    ureq::Proxy::new(url.trim()).map(Some).map_err(|_| {
        format!(
            "the proxy {origin} is not a proxy URL; use http://host:port (optionally with \
             user:password@)"
        )
    })
}

/// Whether a `NO_PROXY` list names the host: entries match the host and its subdomains
/// (`example.com`, `.example.com`, `*.example.com`), `*` matches all; ports are ignored.
fn no_proxy_matches(list: &str, host: &str) -> bool {
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase();
    list.split(',').map(str::trim).any(|entry| {
        if entry == "*" {
            return true;
        }
        let entry = match entry.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None if entry.matches(':').count() == 1 => entry.split(':').next().unwrap_or_default(),
            None => entry,
        };
        let entry = entry
            .trim_start_matches("*.")
            .trim_start_matches('.')
            .trim_end_matches('.')
            .to_ascii_lowercase();
        !entry.is_empty()
            && (host == entry
                || host
                    .strip_suffix(entry.as_str())
                    .is_some_and(|rest| rest.ends_with('.')))
    })
}

/// `localhost`, `127.0.0.0/8` and `[::1]`.
pub fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(IpAddr::V6(v6)) => v6.is_loopback(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        let vars = vars.to_vec();
        move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn proxy_host(
        setting: &ProxySetting,
        base_url: &str,
        vars: &[(&'static str, &'static str)],
    ) -> Option<String> {
        choose_proxy(setting, base_url, &env(vars))
            .unwrap()
            .map(|p| format!("{}:{}", p.host(), p.port()))
    }

    #[test]
    fn loopback_hosts_never_go_through_a_proxy() {
        let every = [
            ("HTTP_PROXY", "http://proxy.example:3128"),
            ("HTTPS_PROXY", "http://proxy.example:3128"),
            ("ALL_PROXY", "http://proxy.example:3128"),
            ("http_proxy", "http://proxy.example:3128"),
        ];
        let explicit = ProxySetting::Url("http://proxy.example:3128".into());
        for base in [
            "http://127.0.0.1:8080",
            "https://127.0.0.1:8443",
            "http://localhost:1",
            "https://[::1]:2",
        ] {
            assert_eq!(
                proxy_host(&ProxySetting::FromEnv, base, &every),
                None,
                "{base}"
            );
            assert_eq!(proxy_host(&explicit, base, &[]), None, "{base}");
        }
    }

    #[test]
    fn https_uses_the_https_or_all_proxy_of_the_environment_but_never_http_proxy() {
        let base = "https://api.nexmo.com";
        let from_env = &ProxySetting::FromEnv;
        assert_eq!(
            proxy_host(from_env, base, &[("HTTP_PROXY", "http://p:1")]),
            None
        );
        assert_eq!(
            proxy_host(from_env, base, &[("http_proxy", "http://p:1")]),
            None
        );
        assert_eq!(
            proxy_host(from_env, base, &[("HTTPS_PROXY", "http://p:1")]).as_deref(),
            Some("p:1")
        );
        assert_eq!(
            proxy_host(from_env, base, &[("https_proxy", "http://q:2")]).as_deref(),
            Some("q:2")
        );
        assert_eq!(
            proxy_host(from_env, base, &[("all_proxy", "http://r:3")]).as_deref(),
            Some("r:3")
        );
        assert_eq!(
            proxy_host(
                from_env,
                base,
                &[("ALL_PROXY", "http://r:3"), ("HTTPS_PROXY", "http://p:1")]
            )
            .as_deref(),
            Some("p:1")
        );
        // The explicit setting wins over the environment, and "off" ignores it.
        let explicit = ProxySetting::Url("http://mine:4".into());
        assert_eq!(
            proxy_host(&explicit, base, &[("HTTPS_PROXY", "http://p:1")]).as_deref(),
            Some("mine:4")
        );
        assert_eq!(
            proxy_host(&ProxySetting::Off, base, &[("HTTPS_PROXY", "http://p:1")]),
            None
        );
    }

    #[test]
    fn no_proxy_names_hosts_that_are_reached_directly() {
        let base = "https://api.nexmo.com";
        for list in [
            "api.nexmo.com",
            "nexmo.com",
            ".nexmo.com",
            "*.nexmo.com",
            "example.com, API.NEXMO.COM:443",
            "*",
        ] {
            let vars = [("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", list)];
            assert_eq!(
                proxy_host(&ProxySetting::FromEnv, base, &vars),
                None,
                "{list}"
            );
            let vars = [("HTTPS_PROXY", "http://p:1"), ("no_proxy", list)];
            assert_eq!(
                proxy_host(&ProxySetting::FromEnv, base, &vars),
                None,
                "{list}"
            );
        }
        for list in ["xnexmo.com", "example.com", "api.nexmo.com.evil", ""] {
            let vars = [("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", list)];
            assert!(
                proxy_host(&ProxySetting::FromEnv, base, &vars).is_some(),
                "{list}"
            );
        }
    }

    #[test]
    fn a_bad_proxy_url_is_a_config_error_that_does_not_repeat_it() {
        let err = choose_proxy(
            &ProxySetting::FromEnv,
            "https://api.nexmo.com",
            &env(&[("HTTPS_PROXY", "ftp://user:Pr0xy-Pass@[bad")]),
        )
        .unwrap_err();
        assert!(err.contains("HTTPS_PROXY"), "{err}");
        assert!(!err.contains("Pr0xy-Pass"), "{err}");
    }
}
