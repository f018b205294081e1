//! The client: configuration, the call loop (token, retries, classification), and the
//! application handle with the five methods.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret as _, SecretString};
use vonage_secrets_transport::{
    CaBundle, ProxySetting, Scrubber, Transport, TransportBuilder, TransportErrorKind,
};
use voximplant_secrets_api::operations::{
    AddSecret, DelSecret, GetSecretValue, GetSecrets, SetSecretInfo,
};
use voximplant_secrets_api::types::{
    AddSecretRequest, AddSecretResponseResult, ApiError, DelSecretRequest, GetSecretValueRequest,
    GetSecretValueResponseResult, GetSecretsRequest, SetSecretInfoRequest,
};
use voximplant_secrets_api::{BaseUrl, Failure, Operation, UnexpectedReason};

use crate::auth::CallAuth;
use crate::credentials::{BASE_URL_ENV, Credentials, DEFAULT_BASE_URL};
use crate::error::{Action, Error, TransportKind};
use crate::rules::{self, Report, Violation, Violations, Warning};
use crate::token::{DEFAULT_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME, Tokens};

/// The budget of a call unless another is given: every attempt and every wait within it.
pub const DEFAULT_TIMEOUT: Duration = vonage_secrets_transport::DEFAULT_TIMEOUT;
/// How many times a failed read is retried unless told otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = vonage_secrets_transport::DEFAULT_MAX_RETRIES;
/// How many secrets a page of [`Secrets::list`] asks for unless told otherwise.
pub const DEFAULT_PAGE_SIZE: u64 = 100;

/// A blocking client of the application secrets of the Voximplant Management API.
///
/// Cheap to clone (the clones share connections and the token).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    tokens: Tokens,
    transport: Transport,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("credentials", self.inner.tokens.credentials())
            .field("transport", &self.inner.transport)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]; nothing is checked against the network.
#[derive(Debug)]
#[must_use = "a builder does nothing until .build() is called"]
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: String,
    timeout: Duration,
    max_retries: u32,
    token_lifetime: Duration,
    issuer: Option<i64>,
    ca_bundles: Vec<CaBundle>,
    proxy: ProxySetting,
}

impl Client {
    /// A builder for a client with these credentials.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            issuer: None,
            ca_bundles: Vec::new(),
            proxy: ProxySetting::default(),
        }
    }

    /// A client with the credentials of a `credentials.json` and the default configuration.
    ///
    /// # Errors
    /// [`Error::Credentials`] when the file is not usable.
    pub fn from_credentials_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        Self::builder(Credentials::from_credentials_file(path)?).build()
    }

    /// A client from the environment: the credentials file named by `VOXIMPLANT_CREDENTIALS`
    /// and, when set, the base URL in `VOXIMPLANT_API_BASE_URL`.
    ///
    /// # Errors
    /// [`Error::Credentials`] when the variable is missing or the file is not usable,
    /// [`Error::Config`] when the base URL is not usable.
    pub fn from_env() -> Result<Self, Error> {
        let mut builder = Self::builder(Credentials::from_env()?);
        if let Some(url) = std::env::var(BASE_URL_ENV).ok().filter(|u| !u.is_empty()) {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// The secrets of one application, chosen by id (`42`) or by name (`"my_app"`).
    pub fn application(&self, application: impl Into<ApplicationRef>) -> Secrets<'_> {
        Secrets {
            client: self,
            application: application.into(),
        }
    }
}

impl ClientBuilder {
    /// The API's base URL (default `https://api.voximplant.com/platform_api`). Plain `http`
    /// is accepted for loopback addresses only.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The budget of each call, retries and waits included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a read (listing, reading a value) is retried after a connection failure
    /// or a busy server (default 2). Methods that change something are never retried.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The lifetime of each token (default 60 s, at most one hour).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Acts for a child account: tokens name it as their issuer (`iss`) instead of the
    /// account the key belongs to.
    pub fn child_account(mut self, account_id: i64) -> Self {
        self.issuer = Some(account_id);
        self
    }

    /// Extra certificate authorities to trust, on top of the webpki roots.
    pub fn ca_bundle(mut self, bundle: CaBundle) -> Self {
        self.ca_bundles.push(bundle);
        self
    }

    /// Which proxy https requests go through (default: `HTTPS_PROXY` or `ALL_PROXY`, honouring
    /// `NO_PROXY`). Loopback is always reached directly.
    pub fn proxy(mut self, proxy: ProxySetting) -> Self {
        self.proxy = proxy;
        self
    }

    /// The client.
    ///
    /// # Errors
    /// [`Error::Config`] when the base URL, the timeout or the token lifetime is not usable.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = BaseUrl::parse(&self.base_url)
            .map_err(|e| Error::Config(format!("the base URL is not usable: {e}")))?;
        if self.token_lifetime < Duration::from_secs(1) || self.token_lifetime > MAX_TOKEN_LIFETIME
        {
            return Err(Error::Config(format!(
                "the token lifetime must be between 1 and {} seconds",
                MAX_TOKEN_LIFETIME.as_secs()
            )));
        }
        let mut transport: TransportBuilder = Transport::builder(base_url)
            .timeout(self.timeout)
            .max_retries(self.max_retries)
            .user_agent(concat!("voximplant-secrets/", env!("CARGO_PKG_VERSION")))
            .proxy(self.proxy);
        for bundle in self.ca_bundles {
            transport = transport.ca_bundle(bundle);
        }
        let transport = transport.build().map_err(|e| Error::Config(e.0))?;
        let issuer = self.issuer.unwrap_or(self.credentials.account_id());
        Ok(Client {
            inner: Arc::new(Inner {
                tokens: Tokens::new(self.credentials, issuer, self.token_lifetime),
                transport,
            }),
        })
    }
}

/// An application, by id or by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ApplicationRef {
    /// The application's id.
    Id(i64),
    /// The application's name.
    Name(String),
}

impl From<i64> for ApplicationRef {
    fn from(id: i64) -> Self {
        ApplicationRef::Id(id)
    }
}
impl From<&str> for ApplicationRef {
    fn from(name: &str) -> Self {
        ApplicationRef::Name(name.to_owned())
    }
}
impl From<String> for ApplicationRef {
    fn from(name: String) -> Self {
        ApplicationRef::Name(name)
    }
}

impl ApplicationRef {
    fn fields(&self) -> (Option<i64>, Option<String>) {
        match self {
            ApplicationRef::Id(id) => (Some(*id), None),
            ApplicationRef::Name(name) => (None, Some(name.clone())),
        }
    }

    fn check(&self, report: &mut Report) {
        if matches!(self, ApplicationRef::Name(n) if n.is_empty()) {
            report.violations.push(Violation::EmptyReference {
                what: "application",
            });
        }
    }
}

/// A secret, by id or by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SecretRef {
    /// The secret's id.
    Id(i64),
    /// The secret's name.
    Name(String),
}

impl From<i64> for SecretRef {
    fn from(id: i64) -> Self {
        SecretRef::Id(id)
    }
}
impl From<&str> for SecretRef {
    fn from(name: &str) -> Self {
        SecretRef::Name(name.to_owned())
    }
}
impl From<String> for SecretRef {
    fn from(name: String) -> Self {
        SecretRef::Name(name)
    }
}

impl SecretRef {
    fn fields(&self) -> (Option<i64>, Option<String>) {
        match self {
            SecretRef::Id(id) => (Some(*id), None),
            SecretRef::Name(name) => (None, Some(name.clone())),
        }
    }

    fn describe(&self) -> String {
        match self {
            SecretRef::Id(id) => format!("the secret with id {id}"),
            SecretRef::Name(name) => format!("the secret named {name:?}"),
        }
    }
}

/// A secret to add: its name, value and optional description.
#[derive(Debug, Clone)]
pub struct NewSecret {
    name: String,
    value: SecretString,
    description: Option<String>,
}

impl NewSecret {
    /// A secret with this name and value.
    pub fn new(name: impl Into<String>, value: SecretString) -> Self {
        Self {
            name: name.into(),
            value,
            description: None,
        }
    }

    /// With a description (the server keeps its first 200 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Checks the rules: all violations, and the warnings.
    pub fn check(&self) -> Report {
        let mut report = Report::default();
        report.name(&self.name).value(self.value.expose_secret());
        if let Some(d) = &self.description {
            report.description(d);
        }
        report
    }
}

/// What to change in a secret; at least one field.
#[derive(Debug, Clone, Default)]
pub struct SecretUpdate {
    name: Option<String>,
    value: Option<SecretString>,
    description: Option<String>,
}

impl SecretUpdate {
    /// Changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// A new value.
    pub fn value(mut self, value: SecretString) -> Self {
        self.value = Some(value);
        self
    }

    /// A new description (the server keeps its first 200 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Checks the rules: all violations, and the warnings.
    pub fn check(&self) -> Report {
        let mut report = Report::default();
        if let Some(n) = &self.name {
            report.name(n);
        }
        if let Some(v) = &self.value {
            report.value(v.expose_secret());
        }
        if let Some(d) = &self.description {
            report.description(d);
        }
        if self.name.is_none() && self.value.is_none() && self.description.is_none() {
            report.violations.push(Violation::NothingToUpdate);
        }
        report
    }
}

/// A secret as listed: without its value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecretInfo {
    /// The secret's id.
    pub id: i64,
    /// The secret's name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// When it was created, as the server writes it (such as `2024-05-10 14:22:35`, UTC).
    pub created: Option<String>,
    /// When it was last changed, as the server writes it.
    pub modified: Option<String>,
}

/// A secret with its value. `Debug` does not show the value.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Secret {
    /// The secret's id, when the server says it.
    pub id: Option<i64>,
    /// The secret's name, when the server says it.
    pub name: Option<String>,
    /// The value.
    pub value: SecretString,
    /// Its description.
    pub description: Option<String>,
    /// When it was created.
    pub created: Option<String>,
    /// When it was last changed.
    pub modified: Option<String>,
}

/// The result of [`Secrets::add`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Added {
    /// The new secret's id.
    pub id: i64,
    /// What the server changed (such as a description cut to 200 characters).
    pub warnings: Vec<Warning>,
}

/// The secrets of one application: the five methods.
#[derive(Debug, Clone)]
pub struct Secrets<'a> {
    client: &'a Client,
    application: ApplicationRef,
}

impl<'a> Secrets<'a> {
    fn preflight(&self, mut report: Report) -> Result<Vec<Warning>, Error> {
        self.application.check(&mut report);
        if report.violations.is_empty() {
            Ok(report.warnings)
        } else {
            Err(Error::Rules(Violations(report.violations)))
        }
    }

    /// Adds a secret. The rules are checked first: nothing is sent when one is broken.
    ///
    /// Not retried: a request that may have reached the server is not sent again.
    ///
    /// # Errors
    /// [`Error::Rules`] with every violation, or the API's error.
    pub fn add(&self, secret: &NewSecret) -> Result<Added, Error> {
        let warnings = self.preflight(secret.check())?;
        let (application_id, application_name) = self.application.fields();
        let value = secret.value.expose_secret().try_into().map_err(|_| {
            Error::Rules(Violations(rules::check_value(secret.value.expose_secret())))
        })?;
        let operation = AddSecret {
            body: AddSecretRequest {
                application_id,
                application_name,
                description: secret.description.clone(),
                secret_name: secret.name.clone(),
                secret_value: value,
            },
        };
        let output = self.client.call(
            Action::Add,
            &operation,
            &[secret.value.expose_secret()],
            false,
        )?;
        let id = match output.result {
            AddSecretResponseResult::AddSecretResult(r) => Some(r.secret_id),
            AddSecretResponseResult::Array(list) => list.first().map(|r| r.secret_id),
        };
        let id = id.ok_or_else(|| Error::NotConfirmed {
            action: Action::Add,
            reason: "the answer holds no secret id".to_owned(),
        })?;
        Ok(Added { id, warnings })
    }

    /// Every secret of the application, without values: an iterator that asks for one page
    /// after another until the server's total is reached.
    pub fn list(&self) -> SecretList<'a> {
        SecretList::new(self.clone(), None)
    }

    /// The secrets whose name contains `name_part`, without values, page by page.
    pub fn filter(&self, name_part: impl Into<String>) -> SecretList<'a> {
        SecretList::new(self.clone(), Some(name_part.into()))
    }

    /// Reads one secret's value.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the server returns no such secret, or refuses the call and
    /// the application's list does not hold it; otherwise the API's error.
    pub fn value(&self, secret: impl Into<SecretRef>) -> Result<Secret, Error> {
        let secret = secret.into();
        let mut report = Report::default();
        if let SecretRef::Name(name) = &secret {
            report.name(name);
        }
        self.preflight(report)?;
        let (application_id, application_name) = self.application.fields();
        let (secret_id, secret_name) = secret.fields();
        let operation = GetSecretValue {
            body: GetSecretValueRequest {
                application_id,
                application_name,
                secret_id,
                secret_name,
            },
        };
        // The answer holds a value the client does not know: an answer it cannot read is
        // reported without its body.
        let output = self
            .client
            .call(Action::ReadValue, &operation, &[], true)
            .map_err(|e| self.missing_or(e, Action::ReadValue, std::slice::from_ref(&secret)))?;
        let found = match output.result {
            GetSecretValueResponseResult::SecretValue(v) => Some(v),
            GetSecretValueResponseResult::Array(list) => list.into_iter().next(),
        };
        let found = found.ok_or_else(|| Error::NotFound {
            action: Action::ReadValue,
            what: secret.describe(),
        })?;
        Ok(Secret {
            id: found.secret_id,
            name: found.secret_name,
            value: SecretString::from(String::from(found.secret_value)),
            description: found.description,
            created: found.created,
            modified: found.modified,
        })
    }

    /// Changes a secret's name, value or description. The rules are checked first.
    ///
    /// Not retried.
    ///
    /// # Errors
    /// [`Error::Rules`] with every violation; [`Error::NotFound`] when the server refuses the
    /// call and the application's list does not hold the secret; otherwise the API's error.
    pub fn update(
        &self,
        secret: impl Into<SecretRef>,
        update: &SecretUpdate,
    ) -> Result<Vec<Warning>, Error> {
        let secret = secret.into();
        let mut report = update.check();
        if let SecretRef::Name(name) = &secret {
            report.name(name);
        }
        let warnings = self.preflight(report)?;
        let (application_id, application_name) = self.application.fields();
        let (secret_id, secret_name) = secret.fields();
        let secret_value =
            match &update.value {
                Some(v) => Some(v.expose_secret().try_into().map_err(|_| {
                    Error::Rules(Violations(rules::check_value(v.expose_secret())))
                })?),
                None => None,
            };
        let operation = SetSecretInfo {
            body: SetSecretInfoRequest {
                application_id,
                application_name,
                description: update.description.clone(),
                new_secret_name: update.name.clone(),
                secret_id,
                secret_name,
                secret_value,
            },
        };
        let needles: Vec<&str> = update.value.iter().map(|v| v.expose_secret()).collect();
        let output = self
            .client
            .call(Action::Update, &operation, &needles, false)
            .map_err(|e| self.missing_or(e, Action::Update, std::slice::from_ref(&secret)))?;
        check_result(Action::Update, output.result)?;
        Ok(warnings)
    }

    /// Deletes the secrets with these ids.
    ///
    /// # Errors
    /// [`Error::Rules`] when `ids` is empty; [`Error::NotFound`] for the first id the
    /// application's list does not hold, when the server refuses the call; otherwise the
    /// API's error.
    pub fn delete_by_ids(&self, ids: &[i64]) -> Result<(), Error> {
        if ids.is_empty() {
            return Err(Error::Rules(Violations(vec![Violation::NothingToDelete])));
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let wanted: Vec<SecretRef> = ids.iter().copied().map(SecretRef::Id).collect();
        self.delete(Some(list.join(";")), None, &wanted)
    }

    /// Deletes the secrets with these names.
    ///
    /// # Errors
    /// [`Error::Rules`] when `names` is empty or a name breaks the rules; [`Error::NotFound`]
    /// for the first name the application's list does not hold, when the server refuses the
    /// call; otherwise the API's error.
    pub fn delete_by_names<S: AsRef<str>>(&self, names: &[S]) -> Result<(), Error> {
        let mut report = Report::default();
        if names.is_empty() {
            report.violations.push(Violation::NothingToDelete);
        }
        for name in names {
            report.name(name.as_ref());
        }
        self.preflight(report)?;
        let list: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
        let wanted: Vec<SecretRef> = list.iter().map(|n| SecretRef::from(*n)).collect();
        self.delete(None, Some(list.join(";")), &wanted)
    }

    /// Deletes every secret of the application.
    ///
    /// # Errors
    /// The API's error.
    pub fn delete_all(&self) -> Result<(), Error> {
        self.delete(Some("all".to_owned()), None, &[])
    }

    fn delete(
        &self,
        secret_id: Option<String>,
        secret_name: Option<String>,
        wanted: &[SecretRef],
    ) -> Result<(), Error> {
        self.preflight(Report::default())?;
        let (application_id, application_name) = self.application.fields();
        let operation = DelSecret {
            body: DelSecretRequest {
                application_id,
                application_name,
                secret_id,
                secret_name,
            },
        };
        let output = self
            .client
            .call(Action::Delete, &operation, &[], false)
            .map_err(|e| self.missing_or(e, Action::Delete, wanted))?;
        check_result(Action::Delete, output.result)
    }

    /// After the API reported an error whose code it documents no meaning for (the
    /// [`Error::Api`] catch-all) for a call naming these secrets: the application's list of
    /// secrets, a documented read, says whether each exists. The first one missing from it
    /// is [`Error::NotFound`]; when all exist, or the list fails too (an application the
    /// account does not have, say), the API's error stands, with its code and message.
    fn missing_or(&self, error: Error, action: Action, wanted: &[SecretRef]) -> Error {
        if !matches!(error, Error::Api { .. }) || wanted.is_empty() {
            return error;
        }
        // One name: only the secrets whose name contains it. Otherwise every page.
        let listing = match wanted {
            [SecretRef::Name(name)] => self.filter(name.clone()),
            _ => self.list(),
        };
        let mut held = Vec::new();
        for info in listing {
            match info {
                Ok(info) => held.push(info),
                Err(_) => return error,
            }
        }
        let exists = |wanted: &SecretRef| {
            held.iter().any(|info| match wanted {
                SecretRef::Id(id) => info.id == *id,
                SecretRef::Name(name) => info.name == *name,
            })
        };
        match wanted.iter().find(|w| !exists(w)) {
            Some(missing) => Error::NotFound {
                action,
                what: missing.describe(),
            },
            None => error,
        }
    }

    fn page(
        &self,
        name_part: Option<&str>,
        count: u64,
        offset: i64,
    ) -> Result<(Vec<SecretInfo>, Option<i64>), Error> {
        self.preflight(Report::default())?;
        let (application_id, application_name) = self.application.fields();
        let operation = GetSecrets {
            body: GetSecretsRequest {
                application_id,
                application_name,
                count: std::num::NonZeroU64::new(count),
                offset: Some(offset),
                secret_name_part: name_part.map(str::to_owned),
            },
        };
        let output = self.client.call(Action::List, &operation, &[], false)?;
        let secrets = output
            .result
            .into_iter()
            .map(|s| SecretInfo {
                id: s.secret_id,
                name: s.secret_name,
                description: s.description,
                created: s.created,
                modified: s.modified,
            })
            .collect();
        Ok((secrets, output.total_count))
    }
}

fn check_result(action: Action, result: i64) -> Result<(), Error> {
    if result == 1 {
        Ok(())
    } else {
        Err(Error::NotConfirmed {
            action,
            reason: format!("it answered result {result} instead of 1"),
        })
    }
}

/// The secrets of an application, one page after another: an iterator of results that stops
/// after the first error.
#[derive(Debug)]
#[must_use = "an iterator does nothing until it is read"]
pub struct SecretList<'a> {
    secrets: Secrets<'a>,
    name_part: Option<String>,
    page_size: u64,
    offset: i64,
    buffer: VecDeque<SecretInfo>,
    total: Option<i64>,
    done: bool,
}

impl<'a> SecretList<'a> {
    fn new(secrets: Secrets<'a>, name_part: Option<String>) -> Self {
        Self {
            secrets,
            name_part,
            page_size: DEFAULT_PAGE_SIZE,
            offset: 0,
            buffer: VecDeque::new(),
            total: None,
            done: false,
        }
    }

    /// How many secrets each page asks for (default 100; at least 1).
    pub fn page_size(mut self, count: u64) -> Self {
        self.page_size = count.max(1);
        self
    }

    /// The server's total count, once the first page has been read.
    pub fn total_count(&self) -> Option<i64> {
        self.total
    }

    fn fetch(&mut self) -> Result<(), Error> {
        let (page, total) =
            self.secrets
                .page(self.name_part.as_deref(), self.page_size, self.offset)?;
        let len = i64::try_from(page.len()).unwrap_or(i64::MAX);
        self.offset = self.offset.saturating_add(len);
        self.total = total.or(self.total);
        // The end: an empty page, the total reached, or (without a total) a short page.
        self.done = page.is_empty()
            || match total {
                Some(total) => self.offset >= total,
                None => (page.len() as u64) < self.page_size,
            };
        self.buffer.extend(page);
        Ok(())
    }
}

impl Iterator for SecretList<'_> {
    type Item = Result<SecretInfo, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.buffer.is_empty() && !self.done {
            if let Err(e) = self.fetch() {
                self.done = true;
                return Some(Err(e));
            }
        }
        self.buffer.pop_front().map(Ok)
    }
}

impl Client {
    /// Runs one operation on the shared transport (a token per attempt, retries of reads
    /// within the budget, one resend with a new token after a token-expired answer) and
    /// classifies what went wrong, scrubbed of the call's secrets.
    ///
    /// `needles` are the secret values the request carries; `opaque` says the answer carries a
    /// value the client does not know, so that an unreadable answer is reported without its
    /// body.
    fn call<O>(
        &self,
        action: Action,
        operation: &O,
        needles: &[&str],
        opaque: bool,
    ) -> Result<O::Output, Error>
    where
        O: Operation<ErrorBody = ApiError>,
    {
        // A value of a few characters would match ordinary words of every message.
        let needles: Vec<&str> = needles
            .iter()
            .copied()
            .filter(|n| n.chars().count() >= MIN_SCRUBBED_CHARS)
            .collect();
        let auth = CallAuth::new(&self.inner.tokens);
        let error = match self.inner.transport.execute(operation, &auth, &needles) {
            Ok(output) => return Ok(output),
            Err(e) => e.error,
        };
        let scrubber = || {
            let mut scrubber = Scrubber::new().with(needles.iter().copied());
            vonage_secrets_transport::Auth::add_secrets(&auth, &mut scrubber);
            scrubber
        };
        use vonage_secrets_transport::Error as T;
        Err(match error {
            T::Timeout {
                after,
                request_sent,
            } => Error::Timeout {
                action,
                after,
                request_sent,
            },
            T::Network { kind, source } => Error::Transport {
                action,
                kind: match kind {
                    TransportErrorKind::Dns => TransportKind::Dns,
                    TransportErrorKind::Connect => TransportKind::Connect,
                    TransportErrorKind::Tls => TransportKind::Tls,
                    _ => TransportKind::Io,
                },
                message: source.to_string(),
            },
            T::BodyTooLarge { limit, .. } => Error::Transport {
                action,
                kind: TransportKind::BodyTooLarge,
                message: format!("the body is larger than the cap of {limit} bytes"),
            },
            T::Failure {
                failure: Failure::Problem { problem, .. },
                ..
            } => Error::from_api(
                action,
                problem.error.code,
                scrubber().scrub_field(&problem.error.msg, MESSAGE_LIMIT),
            ),
            T::Failure {
                failure: Failure::Unexpected(unexpected),
                body,
            } => {
                let reason = if opaque {
                    match unexpected.reason {
                        UnexpectedReason::UndocumentedStatus => {
                            "the status is not documented for this method".to_owned()
                        }
                        _ => "the body does not have the expected shape (not shown: it may hold \
                              the secret's value)"
                            .to_owned(),
                    }
                } else {
                    let scrubber = scrubber();
                    format!(
                        "{}; the body starts with {:?}",
                        scrubber.scrub_field(&unexpected.reason.to_string(), MESSAGE_LIMIT),
                        scrubber.body_excerpt(&body)
                    )
                };
                Error::Unexpected {
                    action,
                    status: unexpected.status,
                    reason,
                }
            }
            T::Build(e) => Error::Config(format!("the request could not be built: {e}")),
            T::Auth(e) => match e.downcast::<Error>() {
                Ok(error) => *error,
                Err(other) => Error::Signing {
                    reason: other.to_string(),
                },
            },
            other => Error::Transport {
                action,
                kind: TransportKind::Io,
                message: scrubber().scrub(&other.to_string()),
            },
        })
    }
}

/// Secret values shorter than this are not scrubbed from messages.
const MIN_SCRUBBED_CHARS: usize = 4;

/// The most bytes of a server's message kept in an error.
const MESSAGE_LIMIT: usize = 1024;
