//! The blocking HTTP transport of the workspace's clients, written once: it runs any generated
//! [`Operation`](vonage_secrets_runtime::Operation) against a
//! [`BaseUrl`](vonage_secrets_runtime::BaseUrl) over ureq, and knows no API.
//!
//! - **Two agents** with one configuration: a pooled one for idempotent operations and one
//!   that opens a fresh connection for every other request, so that a request that must not be
//!   sent twice never goes on a pooled connection the server closed while it was idle.
//! - **A budget per call** ([`TransportBuilder::timeout`]) bounding resolving, connecting, TLS,
//!   sending, the response's head and body (however slowly they trickle) and the retries.
//! - **Retries** of idempotent operations ([`Metadata::idempotent`]) after connection failures
//!   and 429, 502, 503, 504, with exponential backoff and full jitter, honouring `Retry-After`
//!   ([`retry`]).
//! - **The body cap** ([`BODY_LIMIT`]), **TLS roots** (webpki plus [`CaBundle`]s), **proxies**
//!   ([`ProxySetting`]; never for loopback; `NO_PROXY` honoured), a resolver that skips the
//!   lookup thread for IP addresses and names DNS failures.
//! - **An auth hook** ([`Auth`]): asked for the `Authorization` value of each attempt (Basic,
//!   a Bearer token that may be refreshed once on a token-expired answer).
//! - **A [`Scrubber`]** that removes the call's secrets from every text from the network;
//!   network error texts go through it before they reach an [`Error`].
//! - **Logging** through the `log` facade at debug level: method, path, status, attempt and
//!   duration, never a header value.
//!
//! Failures are this crate's own small [`Error`] (timeout, network kind, body too large, the
//! operation's [`Failure`](vonage_secrets_runtime::Failure) with the raw body, ...), which each
//! client maps into its own error type. No async runtime.
//!
//! ```
//! # let sandbox = vonage_secrets_sandbox::Sandbox::builder()
//! #     .account("abcd1234", "Sandbox-Secret-1").start().unwrap();
//! # let base_url = sandbox.base_url().to_string();
//! use base64::Engine as _;
//! use http::HeaderValue;
//! use vonage_secrets_api::operations::RetrieveApiSecrets;
//! use vonage_secrets_runtime::BaseUrl;
//! use vonage_secrets_transport::{Auth, AuthError, Scrubber, Transport};
//!
//! /// HTTP Basic credentials.
//! struct Basic { user: String, password: String }
//!
//! impl Auth for Basic {
//!     fn authorization(&self) -> Result<HeaderValue, AuthError> {
//!         let token = base64::engine::general_purpose::STANDARD
//!             .encode(format!("{}:{}", self.user, self.password));
//!         let mut value = HeaderValue::try_from(format!("Basic {token}"))?;
//!         value.set_sensitive(true);
//!         Ok(value)
//!     }
//!     fn add_secrets(&self, scrubber: &mut Scrubber) {
//!         scrubber.add(&self.password);
//!         scrubber.add(&format!("{}:{}", self.user, self.password));
//!     }
//! }
//!
//! let transport = Transport::builder(BaseUrl::parse(&base_url)?).build()?;
//! let auth = Basic { user: "abcd1234".into(), password: "Sandbox-Secret-1".into() };
//! let list = transport
//!     .execute(&RetrieveApiSecrets { api_key: "abcd1234".into() }, &auth, &[])
//!     .map_err(|e| e.error)?;
//! assert_eq!(list.embedded.secrets.len(), 1);
//!
//! // A wrong password: the operation's failure, for the client to classify.
//! let wrong = Basic { user: "abcd1234".into(), password: "Wrong-Secret-1".into() };
//! let error = transport
//!     .execute(&RetrieveApiSecrets { api_key: "abcd1234".into() }, &wrong, &[])
//!     .unwrap_err()
//!     .error;
//! assert!(matches!(error, vonage_secrets_transport::Error::Failure { .. }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Metadata::idempotent`]: vonage_secrets_runtime::Metadata::idempotent
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod config;
mod error;
mod resolver;
pub mod retry;
mod run;
pub mod scrub;

pub use auth::{Auth, AuthError, refuses_credentials};
pub use config::{
    CaBundle, ConfigError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
    MAX_TIMEOUT, ProxySetting, TransportBuilder, check_scheme, is_loopback,
};
pub use error::{CallError, Error, NetworkError, TransportErrorKind};
pub use run::{Answer, BODY_LIMIT, Transport};
pub use scrub::Scrubber;
