//! [`Rotation`]: replacing an account's secret without downtime, safely and re-runnably.

use std::cell::RefCell;
use std::fmt;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use vonage_secrets_api::Operation;
use vonage_secrets_api::operations::RetrieveApiSecrets;

use crate::client::{Client, Secrets};
use crate::error::{Error, Result};
use crate::model::{Secret, SecretId};

/// The default time the new secret gets to start working (see [`Rotation::verify_for`]).
pub const DEFAULT_VERIFY_BUDGET: Duration = Duration::from_secs(5);

/// What to do when the account already has two secrets, the maximum.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum MakeRoom {
    /// Stop with an error and change nothing (the default). The client cannot know which of the
    /// two secrets its own credentials are, nor which one running programs use.
    #[default]
    Refuse,
    /// Revoke the older secret (by `created_at`). Only safe when the client does not
    /// authenticate with that secret and no running program still uses it.
    RevokeOldest,
    /// Revoke this secret; it must be one of the account's secrets.
    Revoke(SecretId),
}

/// Rotates an account's API secret: seed 001's procedure, made safe.
///
/// Made by [`Client::rotation`] (the client's own account) or [`Secrets::rotation`] (for example
/// a secondary account's, through [`Client::secrets_of`]). The steps:
///
/// 1. list the account's secrets;
/// 2. if it has two, make room as [`make_room`](Self::make_room) says (by default: refuse);
/// 3. create the new secret;
/// 4. verify it by listing with it (the account's own api key and the new secret), retrying
///    briefly while it propagates;
/// 5. if [`revoke_old`](Self::revoke_old) is set, revoke every other secret using the new
///    credentials, never the new one.
///
/// A failure at any step leaves the account with a working secret the caller knows, and the
/// [`RotationError`] says which step failed and what state the account is in. Running the
/// rotation again with the same [`new_secret`](Self::new_secret) finishes the job without
/// creating a duplicate: it first tries the new secret, and if that works, skips to the end.
///
/// ```
/// # let sandbox = vonage_secrets_sandbox::Sandbox::builder()
/// #     .account("abcd1234", "Old-Secret-123").start().unwrap();
/// # let base_url = sandbox.base_url().to_string();
/// use secrecy::ExposeSecret;
/// use vonage_secrets::Client;
///
/// let client = Client::builder("abcd1234", "Old-Secret-123").base_url(&base_url).build()?;
/// let report = client.rotation().run()?;
/// assert!(report.verified);
/// // Deploy report.new_secret.expose_secret() to the application, then revoke the old one,
/// // with the new credentials:
/// let new_client = Client::builder("abcd1234", report.new_secret.expose_secret())
///     .base_url(&base_url)
///     .build()?;
/// let report = new_client
///     .rotation()
///     .new_secret(report.new_secret.expose_secret())
///     .revoke_old(true)
///     .run()?;
/// assert_eq!(report.revoked.len(), 1);
/// assert_eq!(new_client.secrets().list()?.len(), 1);
/// # Ok::<(), vonage_secrets::Error>(())
/// ```
#[must_use = "a rotation does nothing until .run() is called"]
pub struct Rotation<'a> {
    client: &'a Client,
    account: String,
    new_secret: Option<SecretString>,
    revoke_old: bool,
    make_room: MakeRoom,
    verify_budget: Duration,
    observer: Option<Observer<'a>>,
}

/// A callback that sees each [`RotationEvent`] as it happens.
type Observer<'a> = Box<dyn FnMut(&RotationEvent) + 'a>;

/// One completed step of a [`Rotation`], reported as it happens to the callback given to
/// [`Rotation::on_event`] (for progress output; the outcome is in the [`RotationReport`] or the
/// [`RotationError`]). Never carries secret material.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RotationEvent {
    /// A rerun found the given new secret already working (an earlier run created it): nothing
    /// is created; the newest secret is taken as the new one.
    Resumed {
        /// The id taken as the new secret's.
        new_secret_id: SecretId,
    },
    /// The account's secrets were listed.
    Listed {
        /// Their ids, oldest first.
        secrets: Vec<SecretId>,
    },
    /// A secret was revoked to make room for the new one ([`MakeRoom`]).
    MadeRoom {
        /// The revoked secret.
        revoked: SecretId,
    },
    /// The new secret was created (or, after an ambiguous failure, found to exist).
    Created {
        /// The new secret's id.
        id: SecretId,
    },
    /// The new secret was tried: it works (`verified`), or it did not within the verify budget.
    Verified {
        /// Whether listing with the new secret worked.
        verified: bool,
    },
    /// An old secret was revoked with the new credentials ([`Rotation::revoke_old`]).
    Revoked {
        /// The revoked secret.
        id: SecretId,
    },
}

impl fmt::Debug for Rotation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rotation")
            .field("account", &self.account)
            .field(
                "new_secret",
                &self
                    .new_secret
                    .as_ref()
                    .map_or("generated", |_| "[REDACTED]"),
            )
            .field("revoke_old", &self.revoke_old)
            .field("make_room", &self.make_room)
            .field("verify_budget", &self.verify_budget)
            .field("observer", &self.observer.as_ref().map(|_| "callback"))
            .finish()
    }
}

impl<'a> Rotation<'a> {
    pub(crate) fn new(client: &'a Client, account: String) -> Self {
        Rotation {
            client,
            account,
            new_secret: None,
            revoke_old: false,
            make_room: MakeRoom::Refuse,
            verify_budget: DEFAULT_VERIFY_BUDGET,
            observer: None,
        }
    }

    /// The new secret. By default one is generated (`vonage_secrets_policy::generate`). Pass the
    /// same value again to finish a rotation that failed half-way.
    ///
    /// When the given secret already works, the run resumes: it creates nothing and takes the
    /// account's newest secret for the new one, because the API cannot tell which secret
    /// authenticated a request. So only pass a secret this rotation created (or one you are
    /// sure is the newest): passing an older secret together with
    /// [`revoke_old`](Self::revoke_old) would revoke the newer one.
    pub fn new_secret(mut self, secret: &str) -> Self {
        self.new_secret = Some(SecretString::from(secret.to_owned()));
        self
    }

    /// Whether to revoke every other secret once the new one is verified (default `false`:
    /// keep the old secret until the caller has deployed the new one).
    pub fn revoke_old(mut self, revoke: bool) -> Self {
        self.revoke_old = revoke;
        self
    }

    /// What to do when the account already has two secrets (default [`MakeRoom::Refuse`]).
    pub fn make_room(mut self, make_room: MakeRoom) -> Self {
        self.make_room = make_room;
        self
    }

    /// How long the new secret gets to start working before verification gives up (default
    /// 5 s).
    pub fn verify_for(mut self, budget: Duration) -> Self {
        self.verify_budget = budget;
        self
    }

    /// Calls `observer` with each step as it completes, for progress output (the CLI prints
    /// them as they happen). Events carry ids, never secrets.
    ///
    /// ```
    /// # let sandbox = vonage_secrets_sandbox::Sandbox::builder()
    /// #     .account("abcd1234", "Old-Secret-123").start().unwrap();
    /// # let client = vonage_secrets::Client::builder("abcd1234", "Old-Secret-123")
    /// #     .base_url(sandbox.base_url()).build()?;
    /// use vonage_secrets::RotationEvent;
    ///
    /// let mut steps = Vec::new();
    /// client.rotation().on_event(|event| steps.push(event.clone())).run()?;
    /// assert!(matches!(steps[0], RotationEvent::Listed { .. }));
    /// assert!(matches!(steps[1], RotationEvent::Created { .. }));
    /// assert_eq!(steps[2], RotationEvent::Verified { verified: true });
    /// # Ok::<(), vonage_secrets::Error>(())
    /// ```
    pub fn on_event(mut self, observer: impl FnMut(&RotationEvent) + 'a) -> Self {
        self.observer = Some(Box::new(observer));
        self
    }

    /// Runs the rotation.
    ///
    /// # Errors
    /// [`Error::Policy`] for a new secret that breaks the rules (before any I/O), and
    /// [`Error::Rotation`] for a failure at any later step.
    pub fn run(mut self) -> Result<RotationReport> {
        let supplied = self.new_secret.is_some();
        let new_secret = self
            .new_secret
            .clone()
            .unwrap_or_else(vonage_secrets_policy::generate);
        vonage_secrets_policy::validate(new_secret.expose_secret()).map_err(Error::Policy)?;

        let run = Run {
            account: &self.account,
            old: self.client.secrets_of(self.account.as_str()),
            new_client: self
                .client
                .with_credentials(&self.account, new_secret.clone()),
            new_secret,
            revoke_old: self.revoke_old,
            verify_budget: self.verify_budget,
            observer: RefCell::new(self.observer.take()),
        };

        // 0. A rerun: does the new secret already work?
        if supplied {
            match run.with_new().list() {
                Ok(list) => {
                    let Some(newest) = list.last() else {
                        return Err(run.fail(
                            RotationStep::Check,
                            AccountState::unchanged(),
                            empty_list(&self.account),
                        ));
                    };
                    log::debug!("rotation of {}: the new secret already works", self.account);
                    run.emit(RotationEvent::Resumed {
                        new_secret_id: newest.id.clone(),
                    });
                    return run.finish(newest.id.clone(), true, None, true);
                }
                Err(Error::Unauthorized { .. }) => {}
                Err(e) => {
                    return Err(run.fail(RotationStep::Check, AccountState::unchanged(), e));
                }
            }
        }

        // 1. List.
        let existing = run
            .old
            .list()
            .map_err(|e| run.fail(RotationStep::List, AccountState::unchanged(), e))?;
        run.emit(RotationEvent::Listed {
            secrets: existing.iter().map(|s| s.id.clone()).collect(),
        });

        // 2. Make room.
        let mut made_room = None;
        if existing.len() >= 2 {
            let victim = match &self.make_room {
                MakeRoom::Refuse => {
                    return Err(run.fail(
                        RotationStep::MakeRoom,
                        AccountState::unchanged(),
                        Error::LimitReached {
                            api_key: self.account.clone(),
                            problem: None,
                        },
                    ));
                }
                MakeRoom::RevokeOldest => existing[0].id.clone(),
                MakeRoom::Revoke(id) => {
                    if !existing.iter().any(|s| &s.id == id) {
                        return Err(run.fail(
                            RotationStep::MakeRoom,
                            AccountState::unchanged(),
                            Error::SecretNotFound {
                                api_key: self.account.clone(),
                                secret_id: id.clone(),
                                problem: None,
                            },
                        ));
                    }
                    id.clone()
                }
            };
            if let Err(e) = run.old.revoke(&victim) {
                let mut state = AccountState::unchanged();
                if e.is_ambiguous() {
                    state.maybe_revoked.push(victim);
                }
                return Err(run.fail(RotationStep::MakeRoom, state, e));
            }
            run.emit(RotationEvent::MadeRoom {
                revoked: victim.clone(),
            });
            made_room = Some(victim);
        }
        let revoked_so_far: Vec<SecretId> = made_room.iter().cloned().collect();

        // 3. Create.
        let new_id = match run.old.create(run.new_secret.expose_secret()) {
            Ok(secret) => secret.id,
            Err(e) if e.is_ambiguous() => {
                // The request may have reached the server: find out.
                match run.find_created(&existing) {
                    Ok(Some(id)) => id,
                    Ok(None) => {
                        let state = AccountState {
                            new_secret: NewSecretState::NotCreated,
                            revoked: revoked_so_far,
                            maybe_revoked: Vec::new(),
                        };
                        return Err(run.fail(RotationStep::Create, state, e));
                    }
                    Err(_) => {
                        let state = AccountState {
                            new_secret: NewSecretState::Unknown,
                            revoked: revoked_so_far,
                            maybe_revoked: Vec::new(),
                        };
                        return Err(run.fail(RotationStep::Create, state, e));
                    }
                }
            }
            Err(e) => {
                let state = AccountState {
                    new_secret: NewSecretState::NotCreated,
                    revoked: revoked_so_far,
                    maybe_revoked: Vec::new(),
                };
                return Err(run.fail(RotationStep::Create, state, e));
            }
        };

        run.emit(RotationEvent::Created { id: new_id.clone() });

        // 4. Verify.
        let verified = run.verify();
        run.emit(RotationEvent::Verified {
            verified: verified.is_ok(),
        });
        match verified {
            Ok(()) => run.finish(new_id, true, made_room, false),
            Err(e) if self.revoke_old => {
                let state = AccountState {
                    new_secret: NewSecretState::Created {
                        id: new_id,
                        verified: false,
                    },
                    revoked: revoked_so_far,
                    maybe_revoked: Vec::new(),
                };
                Err(run.fail(RotationStep::Verify, state, e))
            }
            Err(e) => {
                log::debug!(
                    "rotation of {}: the new secret is not verified: {e}",
                    self.account
                );
                Ok(run.report(new_id, false, made_room.into_iter().collect(), false))
            }
        }
    }
}

/// The state of one run of a rotation.
struct Run<'r> {
    account: &'r str,
    /// The account's secrets, with the client's own credentials.
    old: Secrets<'r>,
    /// A client with the account's own key and the new secret.
    new_client: Client,
    new_secret: SecretString,
    revoke_old: bool,
    verify_budget: Duration,
    observer: RefCell<Option<Observer<'r>>>,
}

impl Run<'_> {
    fn emit(&self, event: RotationEvent) {
        if let Some(observer) = self.observer.borrow_mut().as_mut() {
            observer(&event);
        }
    }

    fn with_new(&self) -> Secrets<'_> {
        self.new_client.secrets_of(self.account)
    }

    fn fail(&self, step: RotationStep, state: AccountState, error: Error) -> Error {
        Error::Rotation(Box::new(RotationError {
            account: self.account.to_owned(),
            step,
            state,
            new_secret: self.new_secret.clone(),
            error,
        }))
    }

    fn report(
        &self,
        new_secret_id: SecretId,
        verified: bool,
        revoked: Vec<SecretId>,
        resumed: bool,
    ) -> RotationReport {
        RotationReport {
            account: self.account.to_owned(),
            new_secret_id,
            new_secret: self.new_secret.clone(),
            verified,
            revoked,
            resumed,
        }
    }

    /// After an ambiguous `create`: lists again and tries the new secret. `Ok(Some(id))` when it
    /// exists, `Ok(None)` when it certainly does not, `Err` when that cannot be learnt.
    fn find_created(&self, before: &[Secret]) -> Result<Option<SecretId>> {
        let now = self.old.list()?;
        let fresh: Vec<&Secret> = now
            .iter()
            .filter(|s| !before.iter().any(|b| b.id == s.id))
            .collect();
        match self.with_new().list() {
            Ok(list) => {
                // It exists. The fresh id is it; failing that, the newest.
                let id = match fresh.as_slice() {
                    [only] => only.id.clone(),
                    _ => match list.last() {
                        Some(s) => s.id.clone(),
                        None => return Err(empty_list(self.account)),
                    },
                };
                Ok(Some(id))
            }
            Err(Error::Unauthorized { .. }) if fresh.is_empty() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Lists with the new secret until that works or the verify budget is spent.
    fn verify(&self) -> Result<()> {
        let start = Instant::now();
        let mut pause = Duration::from_millis(100);
        loop {
            match self.with_new().list() {
                Ok(_) => return Ok(()),
                Err(e) => {
                    let left = self.verify_budget.saturating_sub(start.elapsed());
                    if left <= pause {
                        return Err(e);
                    }
                    log::debug!(
                        "rotation of {}: verify failed ({e}), retrying",
                        self.account
                    );
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_secs(1));
                }
            }
        }
    }

    /// Step 5 (if asked), then the report.
    fn finish(
        &self,
        new_id: SecretId,
        verified: bool,
        made_room: Option<SecretId>,
        resumed: bool,
    ) -> Result<RotationReport> {
        let mut revoked: Vec<SecretId> = made_room.into_iter().collect();
        if self.revoke_old {
            let created = |revoked: &Vec<SecretId>| AccountState {
                new_secret: NewSecretState::Created {
                    id: new_id.clone(),
                    verified,
                },
                revoked: revoked.clone(),
                maybe_revoked: Vec::new(),
            };
            let list = self
                .with_new()
                .list()
                .map_err(|e| self.fail(RotationStep::RevokeOld, created(&revoked), e))?;
            for old in list.iter().filter(|s| s.id != new_id) {
                match self.with_new().revoke(&old.id) {
                    Ok(()) => {
                        self.emit(RotationEvent::Revoked { id: old.id.clone() });
                        revoked.push(old.id.clone());
                    }
                    Err(Error::SecretNotFound { .. }) => {}
                    Err(e) => {
                        let mut state = created(&revoked);
                        if e.is_ambiguous() {
                            state.maybe_revoked.push(old.id.clone());
                        }
                        return Err(self.fail(RotationStep::RevokeOld, state, e));
                    }
                }
            }
            if !revoked.is_empty() {
                // The new credentials must still work after the revocations.
                self.with_new()
                    .list()
                    .map_err(|e| self.fail(RotationStep::RevokeOld, created(&revoked), e))?;
            }
        }
        Ok(self.report(new_id, verified, revoked, resumed))
    }
}

fn empty_list(account: &str) -> Error {
    Error::Api {
        operation: <RetrieveApiSecrets as Operation>::OPERATION_ID,
        status: http::StatusCode::OK,
        problem: None,
        body_excerpt: format!("account {account} listed no secrets"),
    }
}

/// What a successful rotation did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RotationReport {
    /// The account whose secret was rotated.
    pub account: String,
    /// The new secret's id. When a rerun found the new secret already working, this is the
    /// account's newest secret.
    pub new_secret_id: SecretId,
    /// The new secret; shown only through [`ExposeSecret`]. Deploy it to the application.
    pub new_secret: SecretString,
    /// Whether listing with the new secret worked.
    pub verified: bool,
    /// The secrets this run revoked (to make room, and with `revoke_old`).
    pub revoked: Vec<SecretId>,
    /// Whether this run found the new secret already created by an earlier run.
    pub resumed: bool,
}

/// The step at which a rotation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RotationStep {
    /// Trying the given new secret, to learn whether an earlier run created it.
    Check,
    /// Listing the account's secrets.
    List,
    /// Making room for the new secret.
    MakeRoom,
    /// Creating the new secret.
    Create,
    /// Verifying the new secret.
    Verify,
    /// Revoking the old secrets.
    RevokeOld,
}

impl fmt::Display for RotationStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RotationStep::Check => "checking whether the new secret already works",
            RotationStep::List => "listing the secrets",
            RotationStep::MakeRoom => "making room for the new secret",
            RotationStep::Create => "creating the new secret",
            RotationStep::Verify => "verifying the new secret",
            RotationStep::RevokeOld => "revoking the old secrets",
        })
    }
}

/// Whether the new secret exists, after a failed rotation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NewSecretState {
    /// It was not created.
    NotCreated,
    /// The create request may have reached the server, and it could not be learnt whether it
    /// did.
    Unknown,
    /// It exists.
    Created {
        /// Its id.
        id: SecretId,
        /// Whether listing with it worked.
        verified: bool,
    },
}

/// The state a failed rotation left the account in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccountState {
    /// Whether the new secret exists.
    pub new_secret: NewSecretState,
    /// The secrets this run revoked. Every other secret the account had still works.
    pub revoked: Vec<SecretId>,
    /// Secrets whose revocation was sent without an answer: they may be gone.
    pub maybe_revoked: Vec<SecretId>,
}

impl AccountState {
    fn unchanged() -> Self {
        AccountState {
            new_secret: NewSecretState::NotCreated,
            revoked: Vec::new(),
            maybe_revoked: Vec::new(),
        }
    }

    /// Whether the run changed nothing.
    pub fn is_unchanged(&self) -> bool {
        self.new_secret == NewSecretState::NotCreated
            && self.revoked.is_empty()
            && self.maybe_revoked.is_empty()
    }
}

impl fmt::Display for AccountState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_unchanged() {
            return f.write_str("the account is unchanged; its secrets still work");
        }
        match &self.new_secret {
            NewSecretState::NotCreated => f.write_str("the new secret was not created")?,
            NewSecretState::Unknown => {
                f.write_str("it is unknown whether the new secret was created")?
            }
            NewSecretState::Created { id, verified: true } => {
                write!(f, "the new secret {id} exists and works")?
            }
            NewSecretState::Created {
                id,
                verified: false,
            } => write!(f, "the new secret {id} exists but did not work yet")?,
        }
        if !self.revoked.is_empty() {
            write!(f, "; revoked: {}", join(&self.revoked))?;
        }
        if !self.maybe_revoked.is_empty() {
            write!(f, "; possibly revoked: {}", join(&self.maybe_revoked))?;
        }
        f.write_str("; every other secret the account had still works")
    }
}

fn join(ids: &[SecretId]) -> String {
    ids.iter()
        .map(SecretId::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A rotation that failed: at which step, the error, and what state the account is in.
///
/// To finish, run the rotation again with the same new secret
/// ([`new_secret`](Self::new_secret)): it will not create a duplicate.
#[derive(Debug)]
pub struct RotationError {
    account: String,
    step: RotationStep,
    state: AccountState,
    new_secret: SecretString,
    error: Error,
}

impl RotationError {
    /// The account being rotated.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The step that failed.
    pub fn step(&self) -> RotationStep {
        self.step
    }

    /// What state the account is in now.
    pub fn state(&self) -> &AccountState {
        &self.state
    }

    /// The new secret of this run (given or generated). Pass it to
    /// [`Rotation::new_secret`] to finish the rotation.
    pub fn new_secret(&self) -> &SecretString {
        &self.new_secret
    }

    /// The error that stopped the rotation.
    pub fn error(&self) -> &Error {
        &self.error
    }
}

impl fmt::Display for RotationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "rotating the secret of account {} failed while {}: {}. State: {}.",
            self.account, self.step, self.error, self.state
        )?;
        if !self.state.is_unchanged() || self.step == RotationStep::Create {
            f.write_str(
                " To finish, run the rotation again with the same new secret \
                 (RotationError::new_secret); it will not create a duplicate.",
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for RotationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}
