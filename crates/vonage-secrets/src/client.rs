//! [`Client`], its [`ClientBuilder`], and [`Secrets`], the operations on one account.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use vonage_secrets_api::operations::{
    CreateApiSecret, RetrieveApiSecret, RetrieveApiSecrets, RevokeApiSecret,
};
use vonage_secrets_api::types::CreateSecretRequest;
use vonage_secrets_api::{BaseUrl, BuildError};

use crate::auth::Credentials;
use crate::classify::CallContext;
use crate::error::{Error, Result};
use crate::model::Secret;
use vonage_secrets_transport::{CaBundle, ProxySetting, Transport};

/// The production base URL of the Vonage API.
pub const DEFAULT_BASE_URL: &str = "https://api.nexmo.com";
pub use vonage_secrets_transport::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, MAX_TIMEOUT,
};

const OUR_USER_AGENT: &str = concat!("vonage-secrets/", env!("CARGO_PKG_VERSION"));

/// A blocking client for the Vonage Secret Management API.
///
/// Cheap to clone: clones share one connection pool and one configuration. `Client` is `Send` and
/// `Sync`, so one client can serve a whole program.
///
/// ```
/// # let sandbox = vonage_secrets_sandbox::Sandbox::builder()
/// #     .account("abcd1234", "Sandbox-Secret-1").start().unwrap();
/// # let base_url = sandbox.base_url().to_string();
/// use vonage_secrets::Client;
///
/// let client = Client::builder("abcd1234", "Sandbox-Secret-1")
///     .base_url(&base_url) // omit to talk to https://api.nexmo.com
///     .build()?;
/// for secret in client.secrets().list()? {
///     println!("{} created {}", secret.id, secret.created_at);
/// }
/// # Ok::<(), vonage_secrets::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) transport: Arc<Transport>,
    pub(crate) credentials: Arc<Credentials>,
}

impl Client {
    /// Starts configuring a client with an api key and its secret.
    ///
    /// ```
    /// use std::time::Duration;
    /// use vonage_secrets::Client;
    ///
    /// let client = Client::builder("abcd1234", "An-Api-Secret-1")
    ///     .timeout(Duration::from_secs(10))
    ///     .max_retries(3)
    ///     .user_agent("my-app/1.0")
    ///     .build()?;
    /// assert_eq!(client.api_key(), "abcd1234");
    /// // The secret never shows.
    /// assert!(!format!("{client:?}").contains("An-Api-Secret-1"));
    /// # Ok::<(), vonage_secrets::Error>(())
    /// ```
    pub fn builder(api_key: impl Into<String>, api_secret: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            api_key: api_key.into(),
            api_secret: SecretString::from(api_secret.into()),
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            user_agent: None,
            ca_bundles: Vec::new(),
            proxy: ProxySetting::FromEnv,
        }
    }

    /// A client configured from the environment: `VONAGE_API_KEY`, `VONAGE_API_SECRET` and,
    /// optionally, `VONAGE_API_BASE_URL` and a CA bundle (`VONAGE_CA_BUNDLE`, or else
    /// `SSL_CERT_FILE`; see [`ClientBuilder::ca_bundle_from_env`]). Everything else has its
    /// default (an https proxy comes from the environment too; see [`ClientBuilder::proxy`]).
    ///
    /// A missing (or empty) credential is an [`Error::Config`] that names every missing
    /// variable (`VONAGE_API_KEY`, `VONAGE_API_SECRET` or both) at once.
    ///
    /// ```no_run
    /// let client = vonage_secrets::Client::from_env()?;
    /// println!("{} secrets", client.secrets().list()?.len());
    /// # Ok::<(), vonage_secrets::Error>(())
    /// ```
    pub fn from_env() -> Result<Client> {
        Self::builder_from_env()?.build()
    }

    /// Like [`from_env`](Self::from_env), but returns the builder for further settings.
    pub fn builder_from_env() -> Result<ClientBuilder> {
        Self::builder_from_lookup(|name| std::env::var(name).ok())
    }

    pub(crate) fn builder_from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<ClientBuilder> {
        let required = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let (api_key, api_secret) =
            match (required("VONAGE_API_KEY"), required("VONAGE_API_SECRET")) {
                (Some(key), Some(secret)) => (key, secret),
                (key, secret) => {
                    let missing = match (key.is_none(), secret.is_none()) {
                        (true, true) => {
                            "the environment variables VONAGE_API_KEY and VONAGE_API_SECRET \
                             are not set"
                        }
                        (true, false) => "the environment variable VONAGE_API_KEY is not set",
                        _ => "the environment variable VONAGE_API_SECRET is not set",
                    };
                    return Err(Error::Config {
                        message: missing.to_owned(),
                    });
                }
            };
        let mut builder = Client::builder(api_key, api_secret);
        if let Some(url) = lookup("VONAGE_API_BASE_URL").filter(|v| !v.is_empty()) {
            builder = builder.base_url(url);
        }
        if let Some(bundle) = ca_bundle_from_lookup(&lookup) {
            builder.ca_bundles.push(bundle);
        }
        Ok(builder)
    }

    /// The api key this client authenticates with.
    pub fn api_key(&self) -> &str {
        &self.credentials.api_key
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.transport.base_url().as_str()
    }

    /// The secrets of this client's own account.
    pub fn secrets(&self) -> Secrets<'_> {
        Secrets {
            client: self,
            account: self.credentials.api_key.clone(),
        }
    }

    /// The secrets of a secondary account of this (primary) account, managed with this client's
    /// credentials.
    pub fn secrets_of(&self, api_key: impl Into<String>) -> Secrets<'_> {
        Secrets {
            client: self,
            account: api_key.into(),
        }
    }

    /// Whether this client authenticates with `secret` on its own api key.
    pub(crate) fn authenticates_with(&self, secret: &SecretString) -> bool {
        self.credentials.is(&self.credentials.api_key, secret)
    }

    /// The same client, sharing its connection pool, whose requests give a 429 back at once
    /// (with the server's `Retry-After`, [`Error::retry_after`](crate::Error::retry_after))
    /// instead of retrying it: for workers that share one rate budget.
    pub(crate) fn rate_limits_to_caller(&self) -> Client {
        Client {
            transport: Arc::new(self.transport.rate_limits_to_caller()),
            credentials: Arc::clone(&self.credentials),
        }
    }

    /// A client with the same configuration and connection pool, other credentials.
    pub(crate) fn with_credentials(&self, api_key: &str, api_secret: SecretString) -> Client {
        Client {
            transport: Arc::clone(&self.transport),
            credentials: Arc::new(Credentials::new(api_key.to_owned(), api_secret)),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_key", &self.credentials.api_key)
            .field("api_secret", &"[REDACTED]")
            .field("base_url", &self.transport.base_url().as_str())
            .field("timeout", &self.transport.timeout())
            .field("connect_timeout", &self.transport.connect_timeout())
            .field("max_retries", &self.transport.max_retries())
            .field("user_agent", self.transport.user_agent())
            .finish()
    }
}

/// Configures a [`Client`]; made by [`Client::builder`].
#[must_use = "a builder does nothing until .build() is called"]
pub struct ClientBuilder {
    api_key: String,
    api_secret: SecretString,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    user_agent: Option<String>,
    ca_bundles: Vec<CaBundle>,
    proxy: ProxySetting,
}

/// The environment variables of a CA bundle, in order of precedence.
const CA_BUNDLE_VARIABLES: [&str; 2] = ["VONAGE_CA_BUNDLE", "SSL_CERT_FILE"];

fn ca_bundle_from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Option<CaBundle> {
    CA_BUNDLE_VARIABLES.iter().find_map(|&name| {
        lookup(name)
            .filter(|v| !v.is_empty())
            .map(|path| CaBundle::File {
                path: PathBuf::from(path),
                origin: Some(name),
            })
    })
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("api_secret", &"[REDACTED]")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("user_agent", &self.user_agent)
            .field("ca_bundles", &self.ca_bundles.len())
            // A proxy URL may hold a password.
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl ClientBuilder {
    /// Where to send requests (default `https://api.nexmo.com`). A base path is kept. Must be
    /// `https`, except on loopback hosts (`127.0.0.0/8`, `localhost`, `[::1]`) where `http` is
    /// allowed for sandboxes; anything else fails at [`build`](Self::build).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The budget of a whole request, retries and their waits included (default 30 s). Every
    /// call returns within about this long, whatever the server does: resolving the host,
    /// connecting, the TLS handshake, sending, the response's head and its body (however slowly
    /// a server trickles them) and the waits between retries all count against it; when it is
    /// spent the call fails with [`Error::Timeout`]. A budget longer than [`MAX_TIMEOUT`] (one
    /// day) is clamped to it; a zero budget is refused by [`build`](Self::build).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The budget for opening a connection, TLS handshake included (default 10 s; never more
    /// than what is left of [`timeout`](Self::timeout); clamped to [`MAX_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How often an idempotent request (list, get, revoke) is retried after a connection
    /// failure or a 429, 502, 503 or 504 (default 2; 0 disables retries). `create` is never
    /// retried.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// A product token appended to the client's own `User-Agent` (`vonage-secrets/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Extra certificate authorities to trust (PEM, one or more certificates), on top of the
    /// built-in webpki roots. Verification is always on.
    ///
    /// ```
    /// let sandbox = vonage_secrets_sandbox::Sandbox::builder()
    ///     .account("abcd1234", "Sandbox-Secret-1")
    ///     .tls(true)
    ///     .start()
    ///     .unwrap();
    /// let client = vonage_secrets::Client::builder("abcd1234", "Sandbox-Secret-1")
    ///     .base_url(sandbox.base_url().to_string())
    ///     .root_certificate(sandbox.ca_certificate_pem().unwrap())
    ///     .build()?;
    /// assert_eq!(client.secrets().list()?.len(), 1);
    /// # Ok::<(), vonage_secrets::Error>(())
    /// ```
    pub fn root_certificate(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.ca_bundles.push(CaBundle::Pem(pem.as_ref().to_vec()));
        self
    }

    /// Trusts the certificate authorities of a PEM file (a CA bundle: one or more
    /// certificates), on top of the built-in webpki roots: for a corporate TLS proxy, or a
    /// sandbox with its own certificate. The file is read by [`build`](Self::build), which
    /// fails with [`Error::Config`] when it cannot be read or holds no certificate.
    ///
    /// A bundle given here replaces one named by the environment
    /// ([`Client::builder_from_env`], [`ca_bundle_from_env`](Self::ca_bundle_from_env)), as a
    /// command-line flag wins over an environment variable: `SSL_CERT_FILE` is then not read.
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_bundles.retain(|bundle| {
            !matches!(
                bundle,
                CaBundle::File {
                    origin: Some(_),
                    ..
                }
            )
        });
        self.ca_bundles.push(CaBundle::File {
            path: path.into(),
            origin: None,
        });
        self
    }

    /// Trusts the CA bundle named by the environment, if any: `VONAGE_CA_BUNDLE`, or else
    /// `SSL_CERT_FILE` (the variable OpenSSL-based tools read). Like [`ca_bundle`](Self::ca_bundle),
    /// its certificates are added to the built-in roots rather than replacing them, so that
    /// pointing `SSL_CERT_FILE` at a bundle of a proxy's certificate alone still lets the
    /// client reach servers with public certificates. [`Client::from_env`] does this itself.
    pub fn ca_bundle_from_env(mut self) -> Self {
        if let Some(bundle) = ca_bundle_from_lookup(&|name: &str| std::env::var(name).ok()) {
            self.ca_bundles.push(bundle);
        }
        self
    }

    /// Sends https requests through this proxy (`http://host:port`, optionally with
    /// `user:password@`), whatever the environment says.
    ///
    /// By default the proxy comes from the environment: `HTTPS_PROXY`, `https_proxy`,
    /// `ALL_PROXY` or `all_proxy` (the first one set), unless `NO_PROXY` (or `no_proxy`) names
    /// the base URL's host (a comma-separated list of host names, each matching itself and its
    /// subdomains; `.example.com` and `*.example.com` match the subdomains; `*` matches every
    /// host). `HTTP_PROXY` is never used: requests go over https only. Loopback hosts
    /// (sandboxes) are always reached directly, whatever the setting.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxySetting::Url(url.into());
        self
    }

    /// Never uses a proxy, whatever the environment says.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxySetting::Off;
        self
    }

    /// Checks the configuration and builds the client. No I/O happens here.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty api key or secret, a base URL that is not `https` (or
    /// `http` on a loopback host), an unreadable root certificate, or a zero timeout.
    pub fn build(self) -> Result<Client> {
        let config = |message: String| Error::Config { message };
        if self.api_key.is_empty() {
            return Err(config("the api key is empty".to_owned()));
        }
        if self.api_key.contains(':') {
            return Err(config("the api key contains ':'".to_owned()));
        }
        if self.api_secret.expose_secret().is_empty() {
            return Err(config("the api secret is empty".to_owned()));
        }
        let base_url = BaseUrl::parse(&self.base_url).map_err(|e| {
            config(format!(
                "the base url is not usable: {}; use https://host, optionally with a base path",
                match e {
                    BuildError::InvalidBaseUrl { reason } => reason,
                    _ => "it is not a URL",
                }
            ))
        })?;
        let user_agent = match &self.user_agent {
            Some(extra) if !extra.trim().is_empty() => format!("{OUR_USER_AGENT} {}", extra.trim()),
            _ => OUR_USER_AGENT.to_owned(),
        };
        let mut transport = Transport::builder(base_url)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .max_retries(self.max_retries)
            .user_agent(user_agent)
            .proxy(self.proxy);
        for bundle in self.ca_bundles {
            transport = transport.ca_bundle(bundle);
        }
        let transport = transport.build().map_err(|e| config(e.0))?;
        Ok(Client {
            transport: Arc::new(transport),
            credentials: Arc::new(Credentials::new(self.api_key, self.api_secret)),
        })
    }
}

/// The secrets of one account: the client's own ([`Client::secrets`]) or a secondary account's
/// ([`Client::secrets_of`]).
///
/// ```
/// # let sandbox = vonage_secrets_sandbox::Sandbox::builder()
/// #     .account("abcd1234", "Sandbox-Secret-1").start().unwrap();
/// # let client = vonage_secrets::Client::builder("abcd1234", "Sandbox-Secret-1")
/// #     .base_url(sandbox.base_url().to_string()).build()?;
/// let secrets = client.secrets();
/// let created = secrets.create("N3w-Secret-Value")?;
/// assert_eq!(secrets.get(&created.id)?, created);
/// assert_eq!(secrets.list()?.len(), 2);
/// secrets.revoke(&created.id)?;
/// assert_eq!(secrets.list()?.len(), 1);
/// # Ok::<(), vonage_secrets::Error>(())
/// ```
#[derive(Clone)]
pub struct Secrets<'a> {
    pub(crate) client: &'a Client,
    pub(crate) account: String,
}

impl fmt::Debug for Secrets<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets")
            .field("account", &self.account)
            .field("client", self.client)
            .finish()
    }
}

impl<'a> Secrets<'a> {
    /// The api key of the account these secrets belong to.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The account's secrets (one or two), oldest first.
    pub fn list(&self) -> Result<Vec<Secret>> {
        let op = RetrieveApiSecrets {
            api_key: self.account.clone(),
        };
        let list = crate::transport::execute(
            &self.client.transport,
            &op,
            &self.client.credentials,
            &self.context(None, None),
        )?;
        let credentials = &self.client.credentials;
        let mut secrets: Vec<Secret> = crate::convert::secret_list(list)
            .into_iter()
            .map(|s| credentials.clean(s, None))
            .collect();
        secrets.sort_by_key(|s| s.created_at);
        Ok(secrets)
    }

    /// One secret, by id.
    pub fn get(&self, id: impl AsRef<str>) -> Result<Secret> {
        let id = id.as_ref();
        let op = RetrieveApiSecret {
            api_key: self.account.clone(),
            secret_id: id.to_owned(),
        };
        let secret = crate::transport::execute(
            &self.client.transport,
            &op,
            &self.client.credentials,
            &self.context(Some(id), None),
        )?;
        Ok(self
            .client
            .credentials
            .clean(crate::convert::secret(secret), None))
    }

    /// Creates a secret with this value. The value is checked against the rules first
    /// ([`Error::Policy`]; nothing is sent then). Never retried automatically: after an
    /// ambiguous failure ([`Error::is_ambiguous`]) list the secrets to learn whether it exists.
    pub fn create(&self, secret: &str) -> Result<Secret> {
        vonage_secrets_policy::validate(secret).map_err(Error::Policy)?;
        let op = CreateApiSecret {
            api_key: self.account.clone(),
            body: CreateSecretRequest::try_new(secret).map_err(|e| Error::InvalidInput {
                message: format!("the new secret cannot be sent: {e}"),
            })?,
        };
        let created = crate::transport::execute(
            &self.client.transport,
            &op,
            &self.client.credentials,
            &self.context(None, Some(secret)),
        )?;
        Ok(self
            .client
            .credentials
            .clean(crate::convert::secret(created), Some(secret)))
    }

    /// Revokes a secret. An account keeps at least one secret: revoking the last one is
    /// [`Error::LastSecret`]. When a retry after an ambiguous failure finds the secret gone, the
    /// first attempt revoked it, and this returns `Ok`.
    pub fn revoke(&self, id: impl AsRef<str>) -> Result<()> {
        let id = id.as_ref();
        let op = RevokeApiSecret {
            api_key: self.account.clone(),
            secret_id: id.to_owned(),
        };
        match crate::transport::execute(
            &self.client.transport,
            &op,
            &self.client.credentials,
            &self.context(Some(id), None),
        ) {
            Ok(()) => Ok(()),
            Err(e)
                if e.earlier_attempt_ambiguous
                    && matches!(e.error, Error::SecretNotFound { .. }) =>
            {
                log::debug!("revoke {id}: gone after an ambiguous attempt; counted as revoked");
                Ok(())
            }
            Err(e) => Err(e.error),
        }
    }

    fn context<'s>(
        &'s self,
        secret_id: Option<&'s str>,
        sent_secret: Option<&'s str>,
    ) -> CallContext<'s> {
        CallContext {
            account: &self.account,
            secret_id,
            sent_secret,
        }
    }
}

#[cfg(test)]
mod tests {
    use ureq::tls::RootCerts;

    use super::*;

    fn build_with(base_url: &str) -> Result<Client> {
        Client::builder("abcd1234", "Secret-123")
            .base_url(base_url)
            .no_proxy()
            .build()
    }

    #[test]
    fn base_urls_must_be_https_except_on_loopback() {
        for ok in [
            "https://api.nexmo.com",
            "https://api.nexmo.com/",
            "https://example.com:8443/base/path/",
            "http://127.0.0.1:8080",
            "http://127.9.8.7",
            "http://localhost:1234/x",
            "http://LOCALHOST",
            "http://[::1]:9000",
        ] {
            assert!(build_with(ok).is_ok(), "{ok} refused");
        }
        for bad in [
            "http://api.nexmo.com",
            "http://128.0.0.1",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "http://[::2]",
            "ftp://localhost",
            "api.nexmo.com",
            "https://user:pass@api.nexmo.com",
            "https://api.nexmo.com/?x=1",
            "",
        ] {
            let err = build_with(bad).unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{bad}: {err:?}");
            assert!(!err.to_string().contains("pass@"), "{err}");
        }
        assert_eq!(
            build_with("https://example.com/base/").unwrap().base_url(),
            "https://example.com/base"
        );
    }

    #[test]
    fn build_refuses_bad_configuration_without_io() {
        let err = Client::builder("", "Secret-123").build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        let err = Client::builder("key", "").build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        let err = Client::builder("key", "Secret-123")
            .base_url("http://api.nexmo.com")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("https"), "{err}");
        let err = Client::builder("key", "Secret-123")
            .root_certificate("not a pem")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
    }

    #[test]
    fn from_env_names_the_missing_variable() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let cases: [(&'static [(&'static str, &'static str)], &str); 3] = [
            (&[], "VONAGE_API_KEY and VONAGE_API_SECRET are not set"),
            (
                &[("VONAGE_API_KEY", "k")],
                "the environment variable VONAGE_API_SECRET is not set",
            ),
            // An empty variable counts as missing.
            (
                &[("VONAGE_API_KEY", ""), ("VONAGE_API_SECRET", "Secret-123")],
                "the environment variable VONAGE_API_KEY is not set",
            ),
        ];
        for (vars, said) in cases {
            let err = Client::builder_from_lookup(env(vars)).unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{err:?}");
            assert!(err.to_string().contains(said), "{vars:?}: {err}");
        }
        let client = Client::builder_from_lookup(env(&[
            ("VONAGE_API_KEY", "k"),
            ("VONAGE_API_SECRET", "Secret-123"),
            ("VONAGE_API_BASE_URL", "http://127.0.0.1:9/"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:9");
        assert_eq!(client.api_key(), "k");
    }

    #[test]
    fn client_is_clone_send_sync_and_errors_are_std_errors() {
        fn assert_traits<T: Clone + Send + Sync + 'static>() {}
        fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
        assert_traits::<Client>();
        assert_error::<Error>();
        assert_error::<crate::RotationError>();
    }

    #[test]
    fn extra_root_certificates_are_added_to_the_webpki_roots() {
        // Any certificate will do to check the store's size; webpki's own first root is one.
        let der = webpki_root_certs::TLS_SERVER_ROOT_CERTS[0].as_ref();
        let pem = pem_of(der);
        let client = Client::builder("key", "Secret-123")
            .root_certificate(&pem)
            .build()
            .unwrap();
        match client
            .transport
            .agent(true)
            .config()
            .tls_config()
            .root_certs()
        {
            RootCerts::Specific(certs) => {
                assert_eq!(
                    certs.len(),
                    webpki_root_certs::TLS_SERVER_ROOT_CERTS.len() + 1
                )
            }
            other => panic!("unexpected roots {other:?}"),
        }
    }

    #[test]
    fn a_bad_proxy_url_is_a_config_error() {
        let err = Client::builder("key", "Secret-123")
            .proxy("::not a url::")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
    }

    #[test]
    fn ca_bundles_are_read_from_files_with_clear_errors() {
        let dir = std::env::temp_dir().join(format!("vonage-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let der = webpki_root_certs::TLS_SERVER_ROOT_CERTS[0].as_ref();
        let der2 = webpki_root_certs::TLS_SERVER_ROOT_CERTS[1].as_ref();
        let bundle = dir.join("bundle.pem");
        std::fs::write(&bundle, format!("{}{}", pem_of(der), pem_of(der2))).unwrap();
        let client = Client::builder("key", "Secret-123")
            .ca_bundle(&bundle)
            .build()
            .unwrap();
        match client
            .transport
            .agent(true)
            .config()
            .tls_config()
            .root_certs()
        {
            RootCerts::Specific(certs) => assert_eq!(
                certs.len(),
                webpki_root_certs::TLS_SERVER_ROOT_CERTS.len() + 2
            ),
            other => panic!("unexpected roots {other:?}"),
        }

        let missing = dir.join("missing.pem");
        let err = Client::builder("key", "Secret-123")
            .ca_bundle(&missing)
            .build()
            .unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(message.contains("missing.pem"), "{message}");
        assert!(message.contains("could not be read"), "{message}");

        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        let err = Client::builder("key", "Secret-123")
            .ca_bundle(&empty)
            .build()
            .unwrap_err();
        assert!(
            err.to_string().contains("holds no PEM certificate"),
            "{err}"
        );

        // From the environment: VONAGE_CA_BUNDLE first, then SSL_CERT_FILE; the message names
        // the variable.
        let builder = Client::builder_from_lookup(|name: &str| match name {
            "VONAGE_API_KEY" => Some("key".into()),
            "VONAGE_API_SECRET" => Some("Secret-123".into()),
            "VONAGE_CA_BUNDLE" => Some(empty.display().to_string()),
            "SSL_CERT_FILE" => Some(bundle.display().to_string()),
            _ => None,
        })
        .unwrap();
        let err = builder.build().unwrap_err();
        assert!(err.to_string().contains("VONAGE_CA_BUNDLE"), "{err}");
        let builder = Client::builder_from_lookup(|name: &str| match name {
            "VONAGE_API_KEY" => Some("key".into()),
            "VONAGE_API_SECRET" => Some("Secret-123".into()),
            "SSL_CERT_FILE" => Some(missing.display().to_string()),
            _ => None,
        })
        .unwrap();
        let err = builder.build().unwrap_err();
        assert!(err.to_string().contains("SSL_CERT_FILE"), "{err}");
        // A bundle given explicitly replaces the environment's: the missing one is not read.
        let err = Client::builder_from_lookup(|name: &str| match name {
            "VONAGE_API_KEY" => Some("key".into()),
            "VONAGE_API_SECRET" => Some("Secret-123".into()),
            "SSL_CERT_FILE" => Some(missing.display().to_string()),
            _ => None,
        })
        .unwrap()
        .ca_bundle(&empty)
        .build()
        .unwrap_err();
        let message = err.to_string();
        assert!(message.contains("holds no PEM certificate"), "{message}");
        assert!(!message.contains("SSL_CERT_FILE"), "{message}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn pem_of(der: &[u8]) -> String {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
        for chunk in b64.as_bytes().chunks(64) {
            pem.push_str(std::str::from_utf8(chunk).unwrap());
            pem.push('\n');
        }
        pem.push_str("-----END CERTIFICATE-----\n");
        pem
    }
}
