//! A blocking client for the [Vonage Secret Management API]: list, get, create and revoke the
//! API secrets of your account and of its secondary accounts, and rotate a secret safely.
//!
//! ```
//! # let sandbox = vonage_secrets_sandbox::Sandbox::builder()
//! #     .account("abcd1234", "Old-Secret-123").start().unwrap();
//! # let base_url = sandbox.base_url().to_string();
//! use vonage_secrets::{Client, Error};
//!
//! // Client::from_env() reads VONAGE_API_KEY and VONAGE_API_SECRET.
//! let client = Client::builder("abcd1234", "Old-Secret-123").base_url(&base_url).build()?;
//! let secrets = client.secrets();
//! let new = secrets.create("N3w-Secret-Value")?;
//! match secrets.create("An0ther-Secret-Value") {
//!     Err(Error::LimitReached { .. }) => println!("two secrets is the maximum"),
//!     other => panic!("unexpected {other:?}"),
//! }
//! secrets.revoke(&new.id)?;
//! # Ok::<(), Error>(())
//! ```
//!
//! # What the client does for you
//! - **Errors you can act on.** [`Error`] classifies the server's problem documents
//!   ([`Error::LimitReached`], [`Error::LastSecret`], [`Error::Rejected`], ...) and says what to do.
//! - **No bad secret leaves the machine.** [`Secrets::create`] checks the rules first
//!   ([`Error::Policy`]).
//! - **Retries** for idempotent requests (list, get, revoke) after connection failures and 429,
//!   502, 503, 504, with exponential backoff and full jitter, honouring `Retry-After`, within the
//!   request's time budget. `create` is never retried.
//! - **A budget per call** by default: 10 s to connect, 30 s for the whole call, which bounds
//!   connecting, TLS, sending, the response's head and body (however slowly they trickle) and
//!   the retries: every call returns within it ([`ClientBuilder::timeout`]).
//! - **Safety.** `https` only (plain `http` only on loopback hosts, for sandboxes), TLS
//!   verification always on, response bodies capped at 1 MiB, ids percent-encoded as one path
//!   segment, secrets never in `Debug`, `Display`, errors or logs. Whatever the server sends
//!   back is scrubbed of every credential of the call (raw, base64, percent-encoded or escaped)
//!   before an error keeps it. `create` always goes on a fresh connection, so it is never lost
//!   to a pooled connection the server had closed.
//! - **Proxies and CA bundles** as configured: `HTTPS_PROXY`/`ALL_PROXY` honouring `NO_PROXY`
//!   or [`ClientBuilder::proxy`], never for loopback; extra roots from
//!   [`ClientBuilder::ca_bundle`], `VONAGE_CA_BUNDLE` or `SSL_CERT_FILE`.
//! - **Rotation** without downtime that can be re-run after any failure: [`Rotation`].
//!
//! Logging goes through the [`log`](https://docs.rs/log) facade at debug level: method, path,
//! status, attempt and duration, never a header value.
//!
//! [Vonage Secret Management API]: https://developer.vonage.com/en/api/account/secret-management
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod classify;
mod client;
mod convert;
mod error;
mod fleet;
mod model;
mod rotation;
mod subaccounts;
mod transport;

pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT, MAX_TIMEOUT, Secrets,
};
pub use error::{Error, Refusal, Result};
pub use fleet::{
    AccountOutcome, AuditEntry, DEFAULT_CONCURRENCY, Deploy, Fleet, FleetReport, FleetStatus,
    FleetStep, Journal,
};
pub use model::{InvalidParameter, Problem, Secret, SecretId};
pub use rotation::{
    AccountState, DEFAULT_VERIFY_BUDGET, MakeRoom, NewSecretState, Recovery, Rotation,
    RotationError, RotationEvent, RotationPlan, RotationReport, RotationStep,
};
pub use secrecy::{ExposeSecret, SecretString};
pub use subaccounts::{Account, AccountList, Subaccounts};
pub use vonage_secrets_policy::Violations;
pub use vonage_secrets_transport::TransportErrorKind;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
