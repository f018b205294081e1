//! A stateful, in-memory emulation of the Vonage Secret Management API over real HTTP(S).
//!
//! Vonage's own API sandbox only checks that an `Authorization` header is present and answers
//! with fake data; this one keeps state and enforces every rule of the real server: HTTP Basic
//! authentication against the account's current secrets, primary accounts managing their
//! secondary accounts, 1 to 2 secrets per account, the complexity rules for new secrets, and
//! the exact statuses and problem documents of the real API.
//!
//! The server runs on its own tokio runtime on a background thread; [`Sandbox`] is a blocking
//! handle, usable from ordinary (non-async) tests, and shuts the server down when dropped.
//!
//! # What it answers
//! - The four operations with the statuses, HAL bodies and problem documents of the real
//!   API: fresh UUID v4 ids, `created_at` in whole seconds (UTC), lists in creation order, a
//!   fresh `instance` in every problem.
//! - Authentication comes first (401), then ownership: an api key in the path that is not the
//!   caller's own nor one of its secondary accounts gets 404 "Invalid API Key", exactly like
//!   an unknown key.
//! - A new secret is checked with [`vonage_secrets_policy::validate`], on the server's rules
//!   only (not the project's portability rule): the sandbox accepts what the real server does.
//! - Cases the real API does not document get problem documents of type `about:blank` whose
//!   title is the status's reason phrase: a body that is not JSON, not an object, or not sent
//!   as `application/json` (400); a body over [`MAX_BODY_BYTES`] (413); an unknown path (404);
//!   a wrong method (405, with `Allow`). A missing or non-string `secret` gets the validation
//!   problem, with reasons `Is required` and `Must be a string`.
//! - Every body, success or problem, is `application/json` (as the OpenAPI description says).
//! - Every request is recorded in the [request log](Sandbox::requests) and logged through the
//!   `log` facade, without secret material.
//! - [Faults](Fault) can be scripted for reliability tests.
//! - A [dashboard](Sandbox::dashboard_url) for people (sign in with an account's key and secret;
//!   see and change its secrets, watch the request log, inject faults), and the JSON control API
//!   under `/_sandbox/` it works through, for tests in any language
//!   ([token](Sandbox::control_token)). Neither ever shows a secret's value.
//! - The Voximplant application secrets API under `/platform_api` (`AddSecret`, `GetSecrets`,
//!   `GetSecretValue`, `SetSecretInfo`, `DelSecret`; per-method paths with query or form
//!   parameters, or one path with a multipart body and `cmd`), with RS256 Bearer tokens
//!   checked as the real API checks them, for a demo account (id
//!   [`VOXIMPLANT_DEMO_ACCOUNT_ID`]) whose application is `demo-app` and whose
//!   [`credentials.json`](Sandbox::voximplant_credentials_json) any client can sign with.
//!   Errors are status 200 with `{"error": {"code", "msg"}}`; the crate's README lists the codes.
//!
//! ```
//! use vonage_secrets_sandbox::{Operation, Sandbox};
//!
//! let sandbox = Sandbox::builder()
//!     .account("abcd1234", "Initial-Secret-1")
//!     .secondary("abcd1234", "sub00001", "Sub-Secret-1")
//!     .start()?;
//!
//! // Any HTTP client will do; here ureq.
//! let agent: ureq::Agent = ureq::Agent::config_builder()
//!     .http_status_as_error(false)
//!     .build()
//!     .into();
//! let url = format!("{}/accounts/sub00001/secrets", sandbox.base_url());
//! let response = agent
//!     .get(&url)
//!     // base64("abcd1234:Initial-Secret-1"): the primary manages its secondary.
//!     .header("Authorization", "Basic YWJjZDEyMzQ6SW5pdGlhbC1TZWNyZXQtMQ==")
//!     .call()?;
//! assert_eq!(response.status(), 200);
//!
//! assert_eq!(sandbox.secrets_of("sub00001").unwrap().len(), 1);
//! let log = sandbox.requests();
//! assert_eq!(log[0].operation, Some(Operation::List));
//! assert_eq!(log[0].status, Some(200));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod control;
mod dashboard;
mod fault;
mod jwt;
mod limits;
mod listener;
mod reply;
mod request_log;
mod routes;
mod shared;
mod state;
mod subaccounts;
mod tls;
mod vonage;
mod voximplant;
mod voximplant_state;
mod wire;

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use chrono::{DateTime, Utc};
use http::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::oneshot;

pub use fault::{Fault, FaultKind};

/// The largest request body the sandbox accepts, in bytes (64 KiB); a larger one gets 413.
pub const MAX_BODY_BYTES: usize = reply::MAX_BODY;

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The seeded accounts or an option are inconsistent (the message says which; it never
    /// holds a secret).
    #[error("invalid sandbox configuration: {0}")]
    Config(String),
    /// The listening socket could not be bound: the port is taken, or needs privileges. The
    /// message says what to do; the operating system's reason is the [source](std::error::Error::source).
    #[error("{}", bind_message(*port, source))]
    Bind {
        /// The port asked for (0: any free port).
        port: u16,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The TLS certificate or configuration could not be made.
    #[error("could not set up TLS: {0}")]
    Tls(String),
    /// The server's runtime or thread could not be started (the reason is the
    /// [source](std::error::Error::source)).
    #[error("could not start the server's runtime")]
    Runtime(#[source] std::io::Error),
}

/// What [`Error::Bind`] says: the address, what went wrong in words (not the operating
/// system's message, which is the error's source), and what to do.
fn bind_message(port: u16, source: &std::io::Error) -> String {
    let what = match source.kind() {
        std::io::ErrorKind::AddrInUse => "the port is already in use",
        std::io::ErrorKind::PermissionDenied => "listening on this port needs privileges",
        _ => "the system refused it",
    };
    format!(
        "could not listen on 127.0.0.1:{port} ({what}); choose another port, or port 0 for any \
         free one"
    )
}

/// An operation of an API the sandbox serves: the four of the Secret Management API and the
/// five of the Voximplant application secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `GET /accounts/{api_key}/secrets`
    List,
    /// `GET /accounts/{api_key}/secrets/{secret_id}`
    Get,
    /// `POST /accounts/{api_key}/secrets`
    Create,
    /// `DELETE /accounts/{api_key}/secrets/{secret_id}`
    Revoke,
    /// Voximplant `AddSecret`: add a secret to an application.
    AddSecret,
    /// Voximplant `GetSecrets`: list an application's secrets, without values.
    GetSecrets,
    /// Voximplant `GetSecretValue`: read one secret's value.
    GetSecretValue,
    /// Voximplant `SetSecretInfo`: change a secret's name, value or description.
    SetSecretInfo,
    /// Voximplant `DelSecret`: delete secrets.
    DelSecret,
}

impl Operation {
    /// The Voximplant method of this operation (`AddSecret`, ...), or `None` for the
    /// Secret Management API's.
    pub fn voximplant_method(self) -> Option<&'static str> {
        Some(match self {
            Operation::AddSecret => "AddSecret",
            Operation::GetSecrets => "GetSecrets",
            Operation::GetSecretValue => "GetSecretValue",
            Operation::SetSecretInfo => "SetSecretInfo",
            Operation::DelSecret => "DelSecret",
            Operation::List | Operation::Get | Operation::Create | Operation::Revoke => {
                return None;
            }
        })
    }

    /// The Voximplant operation named `method` (`AddSecret`, ...), if any.
    pub fn from_voximplant_method(method: &str) -> Option<Self> {
        [
            Operation::AddSecret,
            Operation::GetSecrets,
            Operation::GetSecretValue,
            Operation::SetSecretInfo,
            Operation::DelSecret,
        ]
        .into_iter()
        .find(|op| op.voximplant_method() == Some(method))
    }
}

/// In words: `list secrets`, `get a secret`, `create a secret`, `revoke a secret`.
impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Operation::List => "list secrets",
            Operation::Get => "get a secret",
            Operation::Create => "create a secret",
            Operation::Revoke => "revoke a secret",
            Operation::AddSecret => "add a Voximplant secret",
            Operation::GetSecrets => "list Voximplant secrets",
            Operation::GetSecretValue => "read a Voximplant secret's value",
            Operation::SetSecretInfo => "change a Voximplant secret",
            Operation::DelSecret => "delete Voximplant secrets",
        })
    }
}

/// A secret as the sandbox holds it, without its value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecretInfo {
    /// The secret's id (a UUID v4).
    pub id: String,
    /// When it was created, in whole seconds (as `created_at` on the wire).
    pub created_at: DateTime<Utc>,
}

/// One entry of the request log. It never holds secret material: no `Authorization` value,
/// no request body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestRecord {
    /// When the request arrived.
    pub at: DateTime<Utc>,
    /// The HTTP method.
    pub method: String,
    /// The path, as sent (without the query).
    pub path: String,
    /// The api key in the path, if the path has the shape of the API's paths.
    pub api_key: Option<String>,
    /// The operation the request was for, if it matched one.
    pub operation: Option<Operation>,
    /// The secret id in the path, or for a successful create the new secret's id.
    pub secret_id: Option<String>,
    /// The status sent, or `None` when no response was sent (a fault closed the connection or
    /// hung, or the request body could not be read).
    pub status: Option<u16>,
    /// The injected fault applied to this request, if any.
    pub fault: Option<FaultKind>,
}

/// The demo Voximplant account every sandbox has: its id.
pub const VOXIMPLANT_DEMO_ACCOUNT_ID: u64 = 1;
/// The demo Voximplant account's e-mail address.
pub const VOXIMPLANT_DEMO_ACCOUNT_EMAIL: &str = "demo@voximplant.sandbox.invalid";
/// The demo account's application: its id.
pub const VOXIMPLANT_DEMO_APPLICATION_ID: u64 = 1;
/// The demo account's application: its name.
pub const VOXIMPLANT_DEMO_APPLICATION_NAME: &str = "demo-app";

#[derive(Debug)]
struct VoxSeed {
    id: u64,
    email: String,
    applications: Vec<(u64, String)>,
    /// The parent account, for a child account.
    parent: Option<u64>,
}

#[derive(Debug)]
struct Seed {
    key: String,
    owner: Option<String>,
    secrets: Vec<SecretString>,
}

/// Configures and starts a [`Sandbox`]. Made by [`Sandbox::builder`].
#[derive(Debug)]
#[must_use = "a builder does nothing until start() is called"]
pub struct SandboxBuilder {
    seeds: Vec<Seed>,
    tls: bool,
    port: u16,
    excess_status: u16,
    log_limit: usize,
    vox: Vec<VoxSeed>,
    vox_array_results: bool,
    latency: std::time::Duration,
    rate_limit: Option<u32>,
    suspended: Vec<String>,
}

/// The api key and secret of the `n`th (from 1) secondary account that
/// [`SandboxBuilder::secondaries`] seeds: `sub00001` with `Sub-Secret-00001`, and so on.
///
/// ```
/// assert_eq!(
///     vonage_secrets_sandbox::generated_secondary(7),
///     ("sub00007".to_owned(), "Sub-Secret-00007".to_owned())
/// );
/// ```
pub fn generated_secondary(n: usize) -> (String, String) {
    (format!("sub{n:05}"), format!("Sub-Secret-{n:05}"))
}

impl SandboxBuilder {
    fn add(&mut self, key: &str, owner: Option<&str>, secret: &str) {
        let secret = SecretString::from(secret.to_owned());
        match self.seeds.iter_mut().find(|s| s.key == key) {
            Some(seed) if seed.owner.as_deref() == owner => seed.secrets.push(secret),
            _ => self.seeds.push(Seed {
                key: key.to_owned(),
                owner: owner.map(str::to_owned),
                secrets: vec![secret],
            }),
        }
    }

    /// Seeds a primary account with api key `key` and the secret `secret`. Calling it again
    /// with the same key gives the account a second initial secret (at most two). Seeded
    /// secrets must meet the server's rules, as a secret made through the API must: `start`
    /// refuses one that does not, with an error naming the account (never the secret).
    pub fn account(mut self, key: &str, secret: &str) -> Self {
        self.add(key, None, secret);
        self
    }

    /// Seeds a secondary account `key`, owned by the primary account `primary_key`, with the
    /// secret `secret` (again: a second call with the same keys adds a second secret).
    pub fn secondary(mut self, primary_key: &str, key: &str, secret: &str) -> Self {
        self.add(key, Some(primary_key), secret);
        self
    }

    /// Seeds `count` generated secondary accounts of the primary account `primary_key`, with
    /// the keys and secrets of [`generated_secondary`] (1 to `count`).
    pub fn secondaries(mut self, primary_key: &str, count: usize) -> Self {
        for n in 1..=count {
            let (key, secret) = generated_secondary(n);
            self.add(&key, Some(primary_key), &secret);
        }
        self
    }

    /// Marks an account as suspended in the Subaccounts API's answers.
    pub fn suspended(mut self, key: &str) -> Self {
        self.suspended.push(key.to_owned());
        self
    }

    /// Adds this much time to every API response, to model a real round trip (default none).
    pub fn latency(mut self, latency: std::time::Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Answers more than `per_second` API requests in one second of a primary account (its
    /// secondary accounts' included) with 429 and `Retry-After: 1` (default: no limit; 0 is
    /// refused by `start`).
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = Some(per_second);
        self
    }

    /// Serve https with a certificate made at start (default: plain http).
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }

    /// Listen on this port of 127.0.0.1 (default 0: a free port chosen by the system).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The status of the "a third secret" error: 403 (the default, as an official SDK's tests
    /// record it) or 400 (as the public spec says). Any other value makes `start` fail.
    pub fn excess_secret_status(mut self, status: u16) -> Self {
        self.excess_status = status;
        self
    }

    /// Keep at most `limit` entries in the [request log](Sandbox::requests), dropping the
    /// oldest (default: no limit; `0` keeps none). For long-running servers.
    pub fn request_log_limit(mut self, limit: usize) -> Self {
        self.log_limit = limit;
        self
    }

    /// Adds a Voximplant account `account_id` (with `email`) and its service account, whose
    /// key is made at start ([`Sandbox::voximplant_credentials_json_of`] gives its
    /// `credentials.json`). Every sandbox also has the demo account
    /// ([`VOXIMPLANT_DEMO_ACCOUNT_ID`]) with the application `demo-app`.
    pub fn voximplant_account(mut self, account_id: u64, email: &str) -> Self {
        self.vox.push(VoxSeed {
            id: account_id,
            email: email.to_owned(),
            applications: Vec::new(),
            parent: None,
        });
        self
    }

    /// Adds a Voximplant account `account_id` (with `email`) as a child of `parent_id` (the
    /// demo account or one added with [`voximplant_account`](Self::voximplant_account)). The
    /// child has its own service account; the parent's service account may act for it too,
    /// with tokens whose `iss` is the child's id. `start` refuses an unknown parent.
    pub fn voximplant_child_account(
        mut self,
        parent_id: u64,
        account_id: u64,
        email: &str,
    ) -> Self {
        self.vox.push(VoxSeed {
            id: account_id,
            email: email.to_owned(),
            applications: Vec::new(),
            parent: Some(parent_id),
        });
        self
    }

    /// Adds the application `name` with id `application_id` to the Voximplant account
    /// `account_id` (the demo account or one added with
    /// [`voximplant_account`](Self::voximplant_account)); `start` refuses an unknown account
    /// or a taken id or name.
    pub fn voximplant_application(
        mut self,
        account_id: u64,
        application_id: u64,
        name: &str,
    ) -> Self {
        match self.vox.iter_mut().find(|a| a.id == account_id) {
            Some(a) => a.applications.push((application_id, name.to_owned())),
            // Kept as an account without an e-mail, refused by `check`.
            None => self.vox.push(VoxSeed {
                id: account_id,
                email: String::new(),
                applications: vec![(application_id, name.to_owned())],
                parent: None,
            }),
        }
        self
    }

    /// Answer `AddSecret` and `GetSecretValue` with `result` as a list of one object, as the
    /// official Node client expects, instead of the object the published description gives
    /// (default: the object).
    pub fn voximplant_array_results(mut self, array: bool) -> Self {
        self.vox_array_results = array;
        self
    }

    fn check_voximplant(&self) -> Result<(), Error> {
        let bad = |m: String| Err(Error::Config(m));
        for (i, a) in self.vox.iter().enumerate() {
            if a.email.is_empty() {
                return bad(format!(
                    "Voximplant account {} has applications but was not added with voximplant_account (or --voximplant-account)",
                    a.id
                ));
            }
            if self.vox[..i].iter().any(|b| b.id == a.id) {
                return bad(format!("Voximplant account {} is added twice", a.id));
            }
            if let Some(parent) = a.parent {
                match self.vox.iter().find(|b| b.id == parent) {
                    None => {
                        return bad(format!(
                            "Voximplant account {} is a child of account {parent}, which was \
                             not added; add the parent with voximplant_account first",
                            a.id
                        ));
                    }
                    Some(p) if p.parent.is_some() || parent == a.id => {
                        return bad(format!(
                            "Voximplant account {} cannot be a child of account {parent}, \
                             which is a child account itself",
                            a.id
                        ));
                    }
                    Some(_) => {}
                }
            }
            for (j, (id, name)) in a.applications.iter().enumerate() {
                if name.is_empty() {
                    return bad(format!(
                        "an application of Voximplant account {} has no name",
                        a.id
                    ));
                }
                if a.applications[..j]
                    .iter()
                    .any(|(i, n)| i == id || n == name)
                {
                    return bad(format!(
                        "Voximplant account {} has two applications with the id {id} or the name '{name}'",
                        a.id
                    ));
                }
            }
        }
        Ok(())
    }

    fn check(&self) -> Result<(), Error> {
        self.check_voximplant()?;
        let bad = |m: String| Err(Error::Config(m));
        if self.rate_limit == Some(0) {
            return bad("the rate limit must be at least 1 request per second".to_owned());
        }
        if self.excess_status != 400 && self.excess_status != 403 {
            return bad(format!(
                "the excess-secret status must be 400 or 403, not {}",
                self.excess_status
            ));
        }
        for seed in &self.seeds {
            let key = &seed.key;
            if key.is_empty() || key.contains(':') || key.chars().any(char::is_control) {
                return bad(format!(
                    "api key {key:?} must be non-empty, without ':' or control characters"
                ));
            }
            if self.seeds.iter().filter(|s| &s.key == key).count() > 1 {
                return bad(format!(
                    "api key {key:?} is seeded both as a primary and as a secondary account, \
                     or under two primaries"
                ));
            }
            if seed.secrets.len() > state::MAX_SECRETS {
                return bad(format!(
                    "account {key:?} is seeded with {} secrets; at most {} are allowed",
                    seed.secrets.len(),
                    state::MAX_SECRETS
                ));
            }
            if seed
                .secrets
                .iter()
                .any(|s| secrecy::ExposeSecret::expose_secret(s).is_empty())
            {
                return bad(format!("account {key:?} is seeded with an empty secret"));
            }
            for secret in &seed.secrets {
                let broken =
                    vonage::server_rule_violations(secrecy::ExposeSecret::expose_secret(secret));
                if !broken.is_empty() {
                    let reasons: Vec<String> = broken.iter().map(ToString::to_string).collect();
                    return bad(format!(
                        "account {key:?} is seeded with a secret that the server's rules refuse: \
                         {}. A secret has 8 to 25 characters, with at least one lower-case \
                         letter, one upper-case letter and one digit",
                        reasons.join("; ")
                    ));
                }
            }
            if let Some(owner) = &seed.owner {
                if !self
                    .seeds
                    .iter()
                    .any(|s| &s.key == owner && s.owner.is_none())
                {
                    return bad(format!(
                        "secondary account {key:?} names {owner:?} as its primary, which is not \
                         a seeded primary account"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Starts the server and returns once it is listening.
    ///
    /// # Errors
    /// [`Error::Config`] for inconsistent seeds or options, [`Error::Bind`] when the port is
    /// taken, [`Error::Tls`] or [`Error::Runtime`] when the machinery cannot start.
    pub fn start(self) -> Result<Sandbox, Error> {
        self.check()?;
        let mut store = state::Store::default();
        for seed in &self.seeds {
            store.seed(&seed.key, seed.owner.as_deref(), &seed.secrets);
        }
        let excess_status =
            StatusCode::from_u16(self.excess_status).map_err(|e| Error::Config(e.to_string()))?;
        let tls = if self.tls { Some(tls::make()?) } else { None };

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("vonage-secrets-sandbox")
            .enable_all()
            .build()
            .map_err(Error::Runtime)?;
        let port = self.port;
        let listener = {
            let _entered = runtime.enter();
            listener::listen(port).map_err(|source| Error::Bind { port, source })?
        };
        let addr = listener.local_addr().map_err(Error::Runtime)?;

        let mut vox = voximplant_state::VoxStore::default();
        let mut credentials = Vec::new();
        for (n, seed) in self.vox.iter().enumerate() {
            let key = jwt::key(n).map_err(Error::Config)?;
            let account = voximplant_state::VoxAccount {
                id: seed.id,
                email: seed.email.clone(),
                parent: seed.parent,
                key_id: uuid::Uuid::new_v4().to_string(),
                public_key: key.to_public_key(),
                applications: seed
                    .applications
                    .iter()
                    .map(|(id, name)| voximplant_state::VoxApplication {
                        id: *id,
                        name: name.clone(),
                        secrets: Vec::new(),
                    })
                    .collect(),
            };
            credentials.push((
                seed.id,
                jwt::credentials_json(&account, &key).map_err(Error::Config)?,
            ));
            vox.accounts.push(account);
        }

        let token = SecretString::from(control::random_token());
        let mut shared = shared::Shared::new(
            store,
            excess_status,
            self.log_limit,
            token,
            tls.is_some(),
            shared::VoxSettings {
                store: vox,
                array_results: self.vox_array_results,
                credentials,
            },
        );
        shared.limits = limits::Limits::new(self.latency, self.rate_limit);
        shared.suspended = self.suspended.iter().cloned().collect();
        let shared = Arc::new(shared);
        let (shutdown, shutdown_rx) = oneshot::channel();
        let acceptor = tls
            .as_ref()
            .map(|t| tokio_rustls::TlsAcceptor::from(Arc::clone(&t.config)));
        let serve = listener::serve(listener, acceptor, Arc::clone(&shared), shutdown_rx);
        let thread = std::thread::Builder::new()
            .name("vonage-secrets-sandbox".into())
            .spawn(move || {
                runtime.block_on(serve);
                // Dropping the runtime here cancels every connection, hanging ones included.
                drop(runtime);
            })
            .map_err(Error::Runtime)?;

        let scheme = if tls.is_some() { "https" } else { "http" };
        Ok(Sandbox {
            shared,
            addr,
            base_url: format!("{scheme}://{addr}"),
            ca_pem: tls.map(|t| t.ca_pem),
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }
}

/// A running sandbox server; shuts down when dropped.
///
/// See the [crate documentation](crate) for an example.
pub struct Sandbox {
    shared: Arc<shared::Shared>,
    addr: SocketAddr,
    base_url: String,
    ca_pem: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .field("tls", &self.ca_pem.is_some())
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// A builder with no accounts, plain http, a free port of 127.0.0.1, and 403 for a third
    /// secret.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder {
            seeds: Vec::new(),
            tls: false,
            port: 0,
            excess_status: 403,
            log_limit: usize::MAX,
            vox: vec![VoxSeed {
                id: VOXIMPLANT_DEMO_ACCOUNT_ID,
                email: VOXIMPLANT_DEMO_ACCOUNT_EMAIL.to_owned(),
                applications: vec![(
                    VOXIMPLANT_DEMO_APPLICATION_ID,
                    VOXIMPLANT_DEMO_APPLICATION_NAME.to_owned(),
                )],
                parent: None,
            }],
            vox_array_results: false,
            latency: std::time::Duration::ZERO,
            rate_limit: None,
            suspended: Vec::new(),
        }
    }

    /// The base URL to give clients, such as `http://127.0.0.1:41235` (no trailing slash;
    /// `https://` with TLS).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The dashboard's URL, such as `http://127.0.0.1:41235/dashboard`: a web page to sign in
    /// with an account's credentials, see and change its secrets, and watch the request log
    /// and the faults. See the crate's README.
    pub fn dashboard_url(&self) -> String {
        format!("{}{}", self.base_url, dashboard::PATH)
    }

    /// The control API's token: send it as `Authorization: Bearer <token>` to the JSON API
    /// under `/_sandbox/` (accounts and their secrets' metadata, reset, seeding, faults, the
    /// request log; the crate's README lists its routes). A fresh random token for each
    /// sandbox; it is not one of the accounts' secrets and never appears in `Debug`.
    ///
    /// ```
    /// use vonage_secrets_sandbox::Sandbox;
    ///
    /// let sandbox = Sandbox::builder().account("abcd1234", "Initial-Secret-1").start()?;
    /// let agent: ureq::Agent = ureq::Agent::config_builder()
    ///     .http_status_as_error(false)
    ///     .build()
    ///     .into();
    /// let url = format!("{}/_sandbox/faults", sandbox.base_url());
    /// let bearer = format!("Bearer {}", sandbox.control_token());
    /// // Inject a fault from any language: the next list answers 503.
    /// let injected = agent
    ///     .post(&url)
    ///     .header("Authorization", &bearer)
    ///     .header("Content-Type", "application/json")
    ///     .send(r#"{"kind": "status", "status": 503, "operation": "list"}"#)?;
    /// assert_eq!(injected.status(), 201);
    /// // Without the token the control API refuses.
    /// assert_eq!(agent.get(&url).call()?.status(), 401);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn control_token(&self) -> &str {
        self.shared.token.expose_secret()
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// With TLS, the PEM of the certificate authority that signed the server's certificate
    /// (for `127.0.0.1` and `localhost`): what a client must trust. `None` without TLS.
    pub fn ca_certificate_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The current secrets of account `key` (ids and creation times, in creation order), or
    /// `None` if there is no such account.
    pub fn secrets_of(&self, key: &str) -> Option<Vec<SecretInfo>> {
        let inner = self.shared.lock();
        let account = inner.store.account(key)?;
        Some(
            account
                .secrets
                .iter()
                .map(|s| SecretInfo {
                    id: s.id.clone(),
                    created_at: s.created_at,
                })
                .collect(),
        )
    }

    /// The request log so far (see [`SandboxBuilder::request_log_limit`]), in the order the
    /// requests were answered: for the API's operations, the order in which they were applied
    /// to the state.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.lock().log.snapshot()
    }

    /// The demo Voximplant account's `credentials.json` (`account_email`, `account_id`,
    /// `key_id`, `private_key` as PEM): what a client needs to sign its tokens for the
    /// Voximplant routes under `/platform_api`.
    ///
    /// ```
    /// use secrecy::ExposeSecret;
    /// use vonage_secrets_sandbox::Sandbox;
    ///
    /// let sandbox = Sandbox::builder().start()?;
    /// let credentials = sandbox.voximplant_credentials_json();
    /// let json: serde_json::Value = serde_json::from_str(credentials.expose_secret())?;
    /// assert_eq!(json["account_id"], 1);
    /// assert!(json["private_key"].as_str().unwrap().starts_with("-----BEGIN PRIVATE KEY-----"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn voximplant_credentials_json(&self) -> SecretString {
        self.voximplant_credentials_json_of(VOXIMPLANT_DEMO_ACCOUNT_ID)
            .unwrap_or_else(|| SecretString::from(String::new()))
    }

    /// The `credentials.json` of Voximplant account `account_id`'s service account, or
    /// `None` if there is no such account.
    pub fn voximplant_credentials_json_of(&self, account_id: u64) -> Option<SecretString> {
        self.shared
            .vox_credentials
            .iter()
            .find(|(id, _)| *id == account_id)
            .map(|(_, c)| c.clone())
    }

    /// The names of the secrets of Voximplant application `application_id` of account
    /// `account_id`, in the order they were added, or `None` if there is no such application.
    pub fn voximplant_secret_names(
        &self,
        account_id: u64,
        application_id: u64,
    ) -> Option<Vec<String>> {
        let inner = self.shared.lock();
        let app = inner
            .vox
            .account(account_id)?
            .applications
            .iter()
            .find(|a| a.id == application_id)?;
        Some(app.secrets.iter().map(|s| s.name.clone()).collect())
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.shared.lock().log.clear();
    }

    /// Adds a fault to the script. See [`Fault`].
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.push(fault);
    }

    /// Removes every fault not yet used up.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
