//! [`Rotation`]: replacing an account's secret without downtime, safely and re-runnably.

use std::cell::RefCell;
use std::fmt;
use std::time::{Duration, Instant};

use crate::client::{Client, Secrets};
use crate::error::{Error, Refusal, Result};
use crate::model::{Secret, SecretId, join};
use secrecy::{ExposeSecret, SecretString};

impl Client {
    /// Rotates the secret of this client's own account; see [`Rotation`].
    pub fn rotation(&self) -> Rotation<'_> {
        self.secrets().into_rotation()
    }
}

impl<'a> Secrets<'a> {
    /// Rotates this account's secret; see [`Rotation`].
    pub fn rotation(&self) -> Rotation<'a> {
        self.clone().into_rotation()
    }

    fn into_rotation(self) -> Rotation<'a> {
        Rotation::new(self.client, self.account)
    }
}

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
    /// Revoke the older secret (by `created_at`). Only safe when no running program still uses
    /// it. Refused ([`Refusal::OldestOnOwnAccount`]) on the client's own account when it is full,
    /// before anything changes: the API never says which secret the client authenticates with,
    /// and it may be the oldest. Safe on a secondary account, where the client authenticates as
    /// the primary account.
    RevokeOldest,
    /// Revoke this secret; it must be one of the account's secrets. On the client's own account
    /// it must not be the secret the client authenticates with: the rotation checks afterwards
    /// that the client's credentials still work, and if they do not, stops and says so
    /// ([`AccountState::login_works`]).
    Revoke(SecretId),
}

/// Rotates an account's API secret: the manual procedure (list, revoke the older secret if there
/// are two, create, check, deploy, revoke the old one), made safe.
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
/// [`dry_run`](Self::dry_run) says what a run would do, changing nothing.
///
/// # The client's own account
///
/// The API never says which secret id belongs to the secret a client authenticates with. So on
/// the client's own account (the rotated api key is the client's), the rotation never revokes
/// the client's own secret unless it has first proven that another secret works and switched to
/// it:
/// - a full account with [`MakeRoom::RevokeOldest`] is refused before anything changes
///   ([`Refusal::OldestOnOwnAccount`]); name the secret to revoke with [`MakeRoom::Revoke`];
/// - after [`MakeRoom::Revoke`] it checks that the client's credentials still work, and if they
///   do not, stops and says which secrets remain ([`AccountState::login_works`]);
/// - a [`new_secret`](Self::new_secret) equal to the client's own secret is refused before any
///   request ([`Refusal::NewSecretIsLogin`]);
/// - [`revoke_old`](Self::revoke_old) revokes with the new credentials, once they work.
///
/// ```
/// # let sandbox = vonage_secrets_sandbox::Sandbox::builder()
/// #     .account("abcd1234", "Old-Secret-123").start().unwrap();
/// # let base_url = sandbox.base_url().to_string();
/// use vonage_secrets::{Client, ExposeSecret};
///
/// let client = Client::builder("abcd1234", "Old-Secret-123").base_url(&base_url).build()?;
/// // Phase 1: create and verify the new secret; the old one keeps working.
/// let report = client.rotation().run()?;
/// assert!(report.verified);
/// let new_secret = report.new_secret.expose_secret();
/// // Deploy new_secret to the application. Phase 2: the same rotation with the same new
/// // secret resumes (it creates nothing), and revokes the old secret with the new one.
/// let done = client.rotation().new_secret(new_secret).revoke_old(true).run()?;
/// assert!(done.resumed);
/// assert_eq!(done.revoked.len(), 1);
/// assert_eq!(done.login_works, Some(false)); // the old secret is gone: switch to the new one
/// let new_client = Client::builder("abcd1234", new_secret).base_url(&base_url).build()?;
/// assert_eq!(new_client.secrets().list()?.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
    /// A rerun found the given new secret already working, and it is not the secret the client
    /// authenticates with: it was created before, so nothing is created, and the newest secret
    /// is taken as the new one.
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
    /// same value again to finish a rotation that failed half-way, or to revoke the old secret
    /// once the new one is deployed (phase 2), with the client that still authenticates with
    /// the old secret.
    ///
    /// On the client's own account, the secret the client authenticates with is refused
    /// ([`Refusal::NewSecretIsLogin`], before any request): it is not new.
    ///
    /// When the given secret already works (and is not the client's own), the run resumes: it
    /// creates nothing and takes the account's newest secret for the new one, because the API
    /// cannot tell which secret authenticated a request. So only pass a secret this rotation
    /// created (or one you are sure is the newest). If it was the older one after all,
    /// [`revoke_old`](Self::revoke_old) revokes it, notices, and says so
    /// ([`NewSecretState::Revoked`]); the newer secret is left.
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
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on_event(mut self, observer: impl FnMut(&RotationEvent) + 'a) -> Self {
        self.observer = Some(Box::new(observer));
        self
    }

    /// Runs the rotation.
    ///
    /// # Errors
    /// A [`RotationError`] with the step, the account's state and the cause: at
    /// [`RotationStep::Check`] with [`Error::Policy`] for a new secret that breaks the rules
    /// and [`Error::Refused`] for a new secret equal to the client's own (both before any
    /// I/O), and with what went wrong at any later step.
    pub fn run(mut self) -> std::result::Result<RotationReport, RotationError> {
        let (run, supplied) = match self.start() {
            Ok(started) => started,
            Err(error) => {
                return Err(RotationError {
                    account: self.account.clone(),
                    step: RotationStep::Check,
                    state: Box::new(AccountState::unchanged()),
                    new_secret: self.new_secret.clone().unwrap_or_default(),
                    error: Box::new(error),
                });
            }
        };
        if let Some(refusal) = run.refusal.clone() {
            return Err(run.fail(
                RotationStep::Check,
                AccountState::unchanged(),
                Error::Refused(refusal),
            ));
        }

        // 0. A rerun: does the new secret already work? (It is not the client's own secret:
        // `start` refused that.)
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
        let victim = self
            .room_to_make(&existing, run.own)
            .map_err(|e| run.fail(RotationStep::MakeRoom, AccountState::unchanged(), e))?;
        if let Some(victim) = victim {
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
            if run.own {
                // The caller named the secret; it must not have been the client's own. Check.
                let mut state = AccountState {
                    revoked: vec![victim.clone()],
                    ..AccountState::unchanged()
                };
                match run.old.list() {
                    Ok(_) => {}
                    Err(e) => {
                        if matches!(e, Error::Unauthorized { .. }) {
                            state.login_works = Some(false);
                            state.remaining = Some(
                                existing
                                    .iter()
                                    .map(|s| s.id.clone())
                                    .filter(|id| *id != victim)
                                    .collect(),
                            );
                        }
                        return Err(run.fail(RotationStep::MakeRoom, state, e));
                    }
                }
            }
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
                            revoked: revoked_so_far,
                            ..AccountState::unchanged()
                        };
                        return Err(run.fail(RotationStep::Create, state, e));
                    }
                    Err(_) => {
                        let state = AccountState {
                            new_secret: NewSecretState::Unknown,
                            revoked: revoked_so_far,
                            ..AccountState::unchanged()
                        };
                        return Err(run.fail(RotationStep::Create, state, e));
                    }
                }
            }
            Err(e) => {
                let state = AccountState {
                    revoked: revoked_so_far,
                    ..AccountState::unchanged()
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
                    ..AccountState::unchanged()
                };
                Err(run.fail(RotationStep::Verify, state, e))
            }
            Err(e) => {
                log::debug!(
                    "rotation of {}: the new secret is not verified: {e}",
                    self.account
                );
                let login_works = (run.own && made_room.is_some()).then_some(true);
                let mut report = run.report(new_id, false, made_room.into_iter().collect(), false);
                report.login_works = login_works;
                Ok(report)
            }
        }
    }

    /// Says what [`run`](Self::run) would do, changing nothing: it lists the secrets (and, with a
    /// [`new_secret`](Self::new_secret), lists with it to learn whether a run would resume), and
    /// sends nothing else.
    ///
    /// ```
    /// # let sandbox = vonage_secrets_sandbox::Sandbox::builder()
    /// #     .account("abcd1234", "Old-Secret-123").start().unwrap();
    /// # let client = vonage_secrets::Client::builder("abcd1234", "Old-Secret-123")
    /// #     .base_url(sandbox.base_url()).build()?;
    /// use vonage_secrets::{Error, MakeRoom, Refusal};
    ///
    /// client.secrets().create("Second-Secret-2")?; // the account is full now
    /// let plan = client.rotation().make_room(MakeRoom::RevokeOldest).dry_run()?;
    /// assert!(matches!(
    ///     plan.refused,
    ///     Some(Error::Refused(Refusal::OldestOnOwnAccount { .. }))
    /// ));
    /// assert_eq!(client.secrets().list()?.len(), 2); // nothing changed
    /// # Ok::<(), vonage_secrets::Error>(())
    /// ```
    ///
    /// # Errors
    /// The error of a list that failed; a rotation that would be refused is an `Ok` plan with
    /// [`RotationPlan::refused`] set.
    pub fn dry_run(mut self) -> Result<RotationPlan> {
        let (run, supplied) = match self.start() {
            Ok(started) => started,
            Err(e) => {
                let mut plan = RotationPlan::refused_early(&self.account, e);
                plan.own_account = self.account == self.client.api_key();
                return Ok(plan);
            }
        };
        let mut plan = RotationPlan {
            account: self.account.clone(),
            own_account: run.own,
            secrets: Vec::new(),
            resumes: false,
            make_room: None,
            creates: false,
            revokes: Vec::new(),
            refused: run.refusal.clone().map(Error::Refused),
        };
        if supplied && plan.refused.is_none() {
            match run.with_new().list() {
                Ok(list) => {
                    let Some(newest) = list.last() else {
                        return Err(empty_list(&self.account));
                    };
                    plan.resumes = true;
                    plan.secrets = list.iter().map(|s| s.id.clone()).collect();
                    if self.revoke_old {
                        plan.revokes = others(&list, &newest.id);
                    }
                    return Ok(plan);
                }
                Err(Error::Unauthorized { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        let existing = run.old.list()?;
        plan.secrets = existing.iter().map(|s| s.id.clone()).collect();
        if plan.refused.is_some() {
            return Ok(plan);
        }
        match self.room_to_make(&existing, run.own) {
            Ok(victim) => {
                plan.creates = true;
                if self.revoke_old {
                    plan.revokes = existing
                        .iter()
                        .map(|s| s.id.clone())
                        .filter(|id| Some(id) != victim.as_ref())
                        .collect();
                }
                plan.make_room = victim;
            }
            Err(e) => plan.refused = Some(e),
        }
        Ok(plan)
    }

    /// The new secret (given or generated), checked against the rules and against the client's
    /// own secret; the state of one run.
    fn start(&mut self) -> Result<(Run<'a>, bool)> {
        let supplied = self.new_secret.is_some();
        let new_secret = self
            .new_secret
            .clone()
            .unwrap_or_else(vonage_secrets_policy::generate);
        vonage_secrets_policy::validate(new_secret.expose_secret()).map_err(Error::Policy)?;
        let own = self.account == self.client.api_key();
        let refusal = (own && self.client.authenticates_with(&new_secret)).then(|| {
            Refusal::NewSecretIsLogin {
                account: self.account.clone(),
            }
        });
        let run = Run {
            account: self.account.clone(),
            own,
            refusal,
            old: self.client.secrets_of(self.account.as_str()),
            new_client: self
                .client
                .with_credentials(&self.account, new_secret.clone()),
            new_secret,
            revoke_old: self.revoke_old,
            verify_budget: self.verify_budget,
            observer: RefCell::new(self.observer.take()),
        };
        Ok((run, supplied))
    }

    /// The secret to revoke to make room, `None` when there is room; an error when the rotation
    /// must stop without changing anything.
    fn room_to_make(&self, existing: &[Secret], own: bool) -> Result<Option<SecretId>> {
        if existing.len() < 2 {
            return Ok(None);
        }
        match &self.make_room {
            MakeRoom::Refuse => Err(Error::LimitReached {
                api_key: self.account.clone(),
                problem: None,
            }),
            MakeRoom::RevokeOldest if own => Err(Error::Refused(Refusal::OldestOnOwnAccount {
                account: self.account.clone(),
                secrets: existing.iter().map(|s| s.id.clone()).collect(),
            })),
            MakeRoom::RevokeOldest => Ok(Some(existing[0].id.clone())),
            MakeRoom::Revoke(id) if existing.iter().any(|s| &s.id == id) => Ok(Some(id.clone())),
            MakeRoom::Revoke(id) => Err(Error::SecretNotFound {
                api_key: self.account.clone(),
                secret_id: id.clone(),
                problem: None,
            }),
        }
    }
}

fn others(list: &[Secret], keep: &SecretId) -> Vec<SecretId> {
    list.iter()
        .map(|s| s.id.clone())
        .filter(|id| id != keep)
        .collect()
}

/// What [`Rotation::dry_run`] found a run would do. Nothing was changed to learn it.
#[derive(Debug)]
#[non_exhaustive]
pub struct RotationPlan {
    /// The account.
    pub account: String,
    /// Whether it is the client's own account (see [`Rotation`]).
    pub own_account: bool,
    /// The account's secrets, oldest first (empty when the plan was refused before listing).
    pub secrets: Vec<SecretId>,
    /// Whether the given new secret already works, so that a run would resume: create nothing
    /// and take the newest secret for the new one.
    pub resumes: bool,
    /// The secret a run would revoke to make room.
    pub make_room: Option<SecretId>,
    /// Whether a run would create the new secret.
    pub creates: bool,
    /// The secrets a run would revoke with the new credentials ([`Rotation::revoke_old`]).
    pub revokes: Vec<SecretId>,
    /// The error a run would stop with before changing anything: [`Error::Policy`],
    /// [`Error::Refused`], [`Error::LimitReached`] ([`MakeRoom::Refuse`]) or
    /// [`Error::SecretNotFound`] ([`MakeRoom::Revoke`] with an id the account does not have).
    pub refused: Option<Error>,
}

impl RotationPlan {
    fn refused_early(account: &str, error: Error) -> Self {
        RotationPlan {
            account: account.to_owned(),
            own_account: false,
            secrets: Vec::new(),
            resumes: false,
            make_room: None,
            creates: false,
            revokes: Vec::new(),
            refused: Some(error),
        }
    }
}

/// The state of one run of a rotation.
struct Run<'r> {
    account: String,
    /// Whether the account is the client's own.
    own: bool,
    /// Set when the new secret is the client's own.
    refusal: Option<Refusal>,
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
        self.new_client.secrets_of(self.account.as_str())
    }

    fn fail(&self, step: RotationStep, state: AccountState, error: Error) -> RotationError {
        RotationError {
            account: self.account.clone(),
            step,
            state: Box::new(state),
            new_secret: self.new_secret.clone(),
            error: Box::new(error),
        }
    }

    fn report(
        &self,
        new_secret_id: SecretId,
        verified: bool,
        revoked: Vec<SecretId>,
        resumed: bool,
    ) -> RotationReport {
        RotationReport {
            account: self.account.clone(),
            new_secret_id,
            new_secret: self.new_secret.clone(),
            verified,
            revoked,
            resumed,
            login_works: None,
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
                        None => return Err(empty_list(&self.account)),
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

    /// Whether the client's own credentials work on the account: `None` when that could not be
    /// learnt.
    fn login_works(&self) -> Option<bool> {
        match self.old.list() {
            Ok(_) => Some(true),
            Err(Error::Unauthorized { .. }) => Some(false),
            Err(_) => None,
        }
    }

    /// Revoking the old secrets made the new credentials fail: the secret taken for the new
    /// one's (the newest, on a rerun) was not it, and the last revoked one was.
    fn new_secret_revoked(
        &self,
        listed: &[Secret],
        revoked: &[SecretId],
        error: Error,
    ) -> RotationError {
        let state = AccountState {
            new_secret: match revoked.last() {
                Some(id) => NewSecretState::Revoked { id: id.clone() },
                None => NewSecretState::Unknown,
            },
            revoked: revoked.to_vec(),
            maybe_revoked: Vec::new(),
            login_works: self.login_works(),
            remaining: Some(
                listed
                    .iter()
                    .map(|s| s.id.clone())
                    .filter(|id| !revoked.contains(id))
                    .collect(),
            ),
        };
        self.fail(RotationStep::RevokeOld, state, error)
    }

    /// Step 5 (if asked), then the report.
    fn finish(
        &self,
        new_id: SecretId,
        verified: bool,
        made_room: Option<SecretId>,
        resumed: bool,
    ) -> std::result::Result<RotationReport, RotationError> {
        let mut revoked: Vec<SecretId> = made_room.into_iter().collect();
        let mut login_works = (self.own && !revoked.is_empty()).then_some(true);
        if self.revoke_old {
            let created = |revoked: &Vec<SecretId>| AccountState {
                new_secret: NewSecretState::Created {
                    id: new_id.clone(),
                    verified,
                },
                revoked: revoked.clone(),
                ..AccountState::unchanged()
            };
            let list = self
                .with_new()
                .list()
                .map_err(|e| self.fail(RotationStep::RevokeOld, created(&revoked), e))?;
            let before = revoked.len();
            for old in list.iter().filter(|s| s.id != new_id) {
                match self.with_new().revoke(&old.id) {
                    Ok(()) => {
                        self.emit(RotationEvent::Revoked { id: old.id.clone() });
                        revoked.push(old.id.clone());
                    }
                    Err(Error::SecretNotFound { .. }) => {}
                    Err(e @ Error::Unauthorized { .. }) if revoked.len() > before => {
                        return Err(self.new_secret_revoked(&list, &revoked, e));
                    }
                    Err(e) => {
                        let mut state = created(&revoked);
                        if e.is_ambiguous() {
                            state.maybe_revoked.push(old.id.clone());
                        }
                        return Err(self.fail(RotationStep::RevokeOld, state, e));
                    }
                }
            }
            if revoked.len() > before {
                // The new credentials must still work after the revocations.
                match self.with_new().list() {
                    Ok(_) => {}
                    Err(e @ Error::Unauthorized { .. }) => {
                        return Err(self.new_secret_revoked(&list, &revoked, e));
                    }
                    Err(e) => {
                        return Err(self.fail(RotationStep::RevokeOld, created(&revoked), e));
                    }
                }
                if self.own {
                    login_works = self.login_works();
                }
            }
        }
        let mut report = self.report(new_id, verified, revoked, resumed);
        report.login_works = login_works;
        Ok(report)
    }
}

fn empty_list(account: &str) -> Error {
    Error::NoSecrets {
        api_key: account.to_owned(),
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
    /// On the client's own account, after this run revoked a secret: whether the client's own
    /// credentials still work (`Some(true)` after making room with [`MakeRoom::Revoke`];
    /// `Some(false)` once [`revoke_old`](Rotation::revoke_old) revoked the client's own secret:
    /// switch to the new one). `None` when nothing was revoked there, or it could not be learnt.
    pub login_works: Option<bool>,
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

impl RotationStep {
    /// The step's stable name, in `snake_case`, for programs (the CLI's JSON `failed_step`):
    /// `check`, `list`, `make_room`, `create`, `verify` or `revoke_old`. `Display` says it in
    /// words instead ("creating the new secret").
    ///
    /// ```
    /// use vonage_secrets::RotationStep;
    ///
    /// assert_eq!(RotationStep::MakeRoom.as_str(), "make_room");
    /// assert_eq!(RotationStep::MakeRoom.to_string(), "making room for the new secret");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            RotationStep::Check => "check",
            RotationStep::List => "list",
            RotationStep::MakeRoom => "make_room",
            RotationStep::Create => "create",
            RotationStep::Verify => "verify",
            RotationStep::RevokeOld => "revoke_old",
        }
    }
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
    /// The given new secret was not the newest secret a rerun took it for: revoking the old
    /// secrets revoked it, and it no longer works.
    Revoked {
        /// Its id: the secret whose revocation made it stop working.
        id: SecretId,
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
    /// Whether the client's own credentials still work on the account, when the run had to
    /// check: `Some(false)` means the run revoked the client's own secret (for example the id
    /// given to [`MakeRoom::Revoke`] was it) and the client can no longer act on the account.
    /// `None` when it was not checked or could not be learnt.
    pub login_works: Option<bool>,
    /// The account's secrets now, when the run had to find them out to say who can still act
    /// on the account (with `login_works` or [`NewSecretState::Revoked`]).
    pub remaining: Option<Vec<SecretId>>,
}

impl AccountState {
    fn unchanged() -> Self {
        AccountState {
            new_secret: NewSecretState::NotCreated,
            revoked: Vec::new(),
            maybe_revoked: Vec::new(),
            login_works: None,
            remaining: None,
        }
    }

    /// Whether the run revoked the secret the client authenticates with, before a new secret the
    /// caller holds was proven to work: the client cannot act on the account any more.
    pub fn login_lost(&self) -> bool {
        self.login_works == Some(false)
            && !matches!(
                self.new_secret,
                NewSecretState::Created { verified: true, .. }
            )
    }

    /// Whether running the rotation again with the same new secret can finish it.
    pub fn can_resume(&self) -> bool {
        !self.is_unchanged()
            && !self.login_lost()
            && !matches!(self.new_secret, NewSecretState::Revoked { .. })
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
            NewSecretState::Revoked { id } => write!(
                f,
                "the given new secret was {id}, not the newest secret, and revoking the old \
                 secrets revoked it"
            )?,
        }
        if !self.revoked.is_empty() {
            write!(f, "; revoked: {}", join(&self.revoked))?;
        }
        if !self.maybe_revoked.is_empty() {
            write!(f, "; possibly revoked: {}", join(&self.maybe_revoked))?;
        }
        match self.login_works {
            Some(false) => f.write_str(
                "; the client's own secret was among the revoked ones: its credentials no \
                 longer work on the account",
            )?,
            Some(true) => f.write_str("; the client's own credentials still work")?,
            None => {}
        }
        match &self.remaining {
            Some(ids) if ids.is_empty() => f.write_str("; no secret is known to remain"),
            Some(ids) => write!(f, "; the account's secrets now: {}", join(ids)),
            None => f.write_str("; every other secret the account had still works"),
        }
    }
}

/// A rotation that failed: at which step, the error, and what state the account is in.
///
/// When [`AccountState::can_resume`], run the rotation again with the same new secret
/// ([`new_secret`](Self::new_secret)) to finish: it will not create a duplicate.
#[derive(Debug)]
pub struct RotationError {
    account: String,
    step: RotationStep,
    // Boxed: a `Result` carrying the error stays small.
    state: Box<AccountState>,
    new_secret: SecretString,
    error: Box<Error>,
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

    /// What the caller can do now, decided from the state and the error; `Display` words it as
    /// its last sentence, and a program (such as the CLI) can word it in its own terms.
    ///
    /// ```
    /// # let sandbox = vonage_secrets_sandbox::Sandbox::builder()
    /// #     .account("abcd1234", "Old-Secret-123").start().unwrap();
    /// # let client = vonage_secrets::Client::builder("abcd1234", "Old-Secret-123")
    /// #     .base_url(sandbox.base_url()).build()?;
    /// use vonage_secrets::Recovery;
    ///
    /// client.secrets().create("Second-Secret-2")?; // full: the default refuses to make room
    /// match client.rotation().run() {
    ///     Err(failed) => {
    ///         assert_eq!(failed.recovery(), Recovery::RunAgain);
    ///         assert!(failed.to_string().ends_with("fix the cause and run the rotation again."));
    ///     }
    ///     other => panic!("unexpected {other:?}"),
    /// }
    /// # Ok::<(), vonage_secrets::Error>(())
    /// ```
    pub fn recovery(&self) -> Recovery {
        if self.state.login_lost() {
            Recovery::LoginLost
        } else if matches!(self.state.new_secret, NewSecretState::Revoked { .. }) {
            Recovery::NewSecretRevoked
        } else if matches!(*self.error, Error::Refused(_)) {
            Recovery::FollowRefusal
        } else if self.state.can_resume() {
            Recovery::Resume
        } else {
            Recovery::RunAgain
        }
    }

    /// The first words of `Display`: which account, and the step that failed
    /// ("rotating the secret of account abcd1234 failed while creating the new secret").
    pub fn headline(&self) -> String {
        format!(
            "rotating the secret of account {} failed while {}",
            self.account, self.step
        )
    }
}

/// What a caller can do after a failed rotation ([`RotationError::recovery`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Recovery {
    /// Run the rotation again with the same new secret ([`RotationError::new_secret`]): it
    /// finishes the job and creates no duplicate (or, when no new secret was created yet, creates
    /// it in the room this run made).
    Resume,
    /// Nothing changed: fix the cause and run the rotation again.
    RunAgain,
    /// The rotation refused before changing anything ([`Error::Refused`]); the refusal says what
    /// to do instead, and running it again unchanged would be refused again.
    FollowRefusal,
    /// The run revoked the secret the client authenticates with before a new one was proven: a
    /// rerun with these credentials cannot work; only a holder of a remaining secret (or, for a
    /// secondary account, its primary account) can act.
    LoginLost,
    /// The given new secret was the older one and is revoked: rotate again with a new secret,
    /// authenticating with one that still works.
    NewSecretRevoked,
}

impl fmt::Display for RotationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}. State: {}.",
            self.headline(),
            self.error,
            self.state
        )?;
        f.write_str(match self.recovery() {
            Recovery::LoginLost => {
                " Running the rotation again with these credentials cannot work: only a holder \
                 of a remaining secret (or, for a secondary account, its primary account) can \
                 act on the account now."
            }
            Recovery::NewSecretRevoked => {
                " The given new secret is gone: rotate again with a new one, authenticating \
                 with a secret that still works."
            }
            // The refusal says what to do instead; running it again would be refused again.
            Recovery::FollowRefusal => "",
            Recovery::Resume => {
                " To finish, run the rotation again with the same new secret \
                 (RotationError::new_secret); it will not create a duplicate."
            }
            Recovery::RunAgain => " Nothing changed: fix the cause and run the rotation again.",
        })
    }
}

impl std::error::Error for RotationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}
