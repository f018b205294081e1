//! [`Fleet`]: operations on many secondary accounts at once: an [audit](Fleet::audit) of their
//! secrets, and a [rotation](Fleet::rotate) of each through a [`Deploy`] target, with bounded
//! concurrency, one shared back-off after 429, and an optional [`Journal`] to resume from.
//!
//! Each account goes create → deploy → verify → (revoke old). The old secrets are revoked only
//! after the deploy target confirmed and the new secret was proven to work. When the deploy
//! fails, the new secret is revoked again, so the account keeps its old, working secret and no
//! secret is left that nobody holds. When the check fails after the target took the new secret,
//! the target is first given back what it held before ([`Deploy::restore`]); a target that
//! cannot do that keeps the new secret, and so does the account, so that the target's programs
//! are never left holding a revoked secret.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{Secret, SecretId};

mod gate;

use gate::Gate;

/// The default number of accounts worked on at once.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// How often a create is tried again once the account's list proved the failed one made
/// nothing.
const CREATE_TRIES: u32 = 3;

/// How often one step is tried again after a 429 before the account fails.
const RATE_LIMIT_TRIES: u32 = 30;

/// Where a fleet rotation puts each account's new secret.
///
/// `deploy` returns `Ok` only once the target holds the secret; its error text must never
/// hold the secret.
pub trait Deploy: Sync {
    /// Hands `secret`, the new secret of account `api_key`, to the target.
    fn deploy(&self, api_key: &str, secret: &SecretString) -> std::result::Result<(), String>;

    /// Gives the target back what it held for account `api_key` before the last
    /// [`deploy`](Deploy::deploy), because the new secret failed its check and is about to be
    /// revoked. `Ok(true)`: the target holds its previous state again; `Ok(false)` (the
    /// default): this target cannot do that. Unless it is `Ok(true)`, the new secret is kept
    /// (the target holds it) and the account is reported with both secrets.
    fn restore(&self, api_key: &str) -> std::result::Result<bool, String> {
        let _ = api_key;
        Ok(false)
    }

    /// The secret the target holds for account `api_key`, when it can be read back (default:
    /// `None`). A rerun from a [`Journal`] uses it for an account whose new secret an
    /// interrupted run had deployed: when the value is exactly that secret (by the journal's
    /// fingerprint) and works, the account is finished from there
    /// (no second create, and the target's programs never hold a revoked secret); otherwise
    /// that secret is revoked and the account starts over.
    fn recall(&self, api_key: &str) -> Option<SecretString> {
        let _ = api_key;
        None
    }
}

impl<F> Deploy for F
where
    F: Fn(&str, &SecretString) -> std::result::Result<(), String> + Sync,
{
    fn deploy(&self, api_key: &str, secret: &SecretString) -> std::result::Result<(), String> {
        self(api_key, secret)
    }
}

/// The callback of [`Fleet::on_account`].
type Observer<'a> = Box<dyn Fn(&AccountOutcome) + Sync + 'a>;

/// Fleet operations over this client's secondary accounts; made by [`Client::fleet`].
///
/// ```
/// # let sandbox = vonage_secrets_sandbox::Sandbox::builder()
/// #     .account("abcd1234", "Sandbox-Secret-1")
/// #     .secondary("abcd1234", "sub00001", "Sub-Secret-1")
/// #     .start().unwrap();
/// # let client = vonage_secrets::Client::builder("abcd1234", "Sandbox-Secret-1")
/// #     .base_url(sandbox.base_url().to_string()).build()?;
/// use std::sync::Mutex;
/// use vonage_secrets::{ExposeSecret, FleetStatus};
///
/// let deployed = Mutex::new(Vec::new());
/// let deploy = |key: &str, secret: &vonage_secrets::SecretString| {
///     // A real target stores the secret where the account's programs read it.
///     deployed.lock().unwrap().push((key.to_owned(), secret.expose_secret().len()));
///     Ok(())
/// };
/// let report = client.fleet().revoke_old(true).rotate(&["sub00001".to_owned()], &deploy)?;
/// assert_eq!(report.accounts[0].status, FleetStatus::Done);
/// assert_eq!(deployed.lock().unwrap().len(), 1);
/// # Ok::<(), vonage_secrets::Error>(())
/// ```
pub struct Fleet<'a> {
    /// The client's configuration and credentials, its requests giving 429s back to the gate.
    client: Client,
    revoke_old: bool,
    concurrency: usize,
    journal: Option<Journal>,
    stop: Arc<AtomicBool>,
    observer: Option<Observer<'a>>,
}

impl Client {
    /// Fleet operations (audit, rotation) over secondary accounts of this client's account.
    pub fn fleet(&self) -> Fleet<'_> {
        Fleet {
            client: self.rate_limits_to_caller(),
            revoke_old: false,
            concurrency: DEFAULT_CONCURRENCY,
            journal: None,
            stop: Arc::new(AtomicBool::new(false)),
            observer: None,
        }
    }
}

/// One account's audit.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AuditEntry {
    /// The account's api key.
    pub api_key: String,
    /// Whether it is the primary account.
    pub primary: bool,
    /// How many secrets it holds (`None` when it could not be read).
    pub secrets: Option<usize>,
    /// When its newest secret was made.
    pub newest: Option<DateTime<Utc>>,
    /// When its oldest secret was made.
    pub oldest: Option<DateTime<Utc>>,
    /// Whether a rotation is due: the newest secret is older than the maximum age.
    pub due: bool,
    /// Whether it holds two secrets: a rotation that was not finished (or is under way).
    pub two_secrets: bool,
    /// Whether the account is suspended (as the Subaccounts API says).
    pub suspended: bool,
    /// Why its secrets could not be read, if they could not.
    pub unreachable: Option<String>,
}

/// Where an account's rotation stands, as the journal records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FleetStep {
    /// A create is about to be sent (the secrets the account held before are recorded, so a
    /// rerun after a crash can tell a secret this run created).
    Creating,
    /// The new secret was created.
    Created,
    /// The deploy target holds the new secret.
    Deployed,
    /// The new secret was proven to work.
    Verified,
    /// The account is finished (old secrets revoked when asked).
    Done,
    /// The new secret was revoked again; the account is as it was.
    Undone,
    /// The account failed: before creating anything, after undoing, or with a new secret that
    /// failed its check and was kept because the deploy target holds it (a rerun then finds
    /// two secrets and leaves the choice to a person).
    Failed,
}

impl FleetStep {
    /// The step's name as the journal and the JSON report write it.
    pub fn as_str(self) -> &'static str {
        match self {
            FleetStep::Creating => "creating",
            FleetStep::Created => "created",
            FleetStep::Deployed => "deployed",
            FleetStep::Verified => "verified",
            FleetStep::Done => "done",
            FleetStep::Undone => "undone",
            FleetStep::Failed => "failed",
        }
    }
}

/// How an account's rotation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FleetStatus {
    /// Rotated: the target holds the new secret, which works.
    Done,
    /// Not touched in this run (finished in an earlier run, or stopped before it started).
    Skipped,
    /// Failed; [`AccountOutcome::failed_at`] and [`AccountOutcome::state`] say where and how
    /// the account was left.
    Failed,
}

/// What happened to one account in a fleet rotation. Never holds a secret.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AccountOutcome {
    /// The account's api key.
    pub api_key: String,
    /// How it ended.
    pub status: FleetStatus,
    /// The step that failed: `list`, `create`, `deploy`, `verify` or `revoke`.
    pub failed_at: Option<&'static str>,
    /// The state the account was left in, in words.
    pub state: String,
    /// The error, in words (scrubbed, without secrets).
    pub error: Option<String>,
    /// The id of the new secret, when the account holds one from this run.
    pub new_secret_id: Option<SecretId>,
}

/// The result of a fleet rotation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FleetReport {
    /// One entry per account, in the order given.
    pub accounts: Vec<AccountOutcome>,
    /// Whether the run was stopped ([`Fleet::stop_flag`]) before every account was started.
    pub stopped: bool,
}

impl FleetReport {
    /// How many accounts ended with this status.
    pub fn count(&self, status: FleetStatus) -> usize {
        self.accounts.iter().filter(|a| a.status == status).count()
    }
}

/// One line of the journal: where an account got to. Never a secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct JournalLine {
    api_key: String,
    step: FleetStep,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new_secret_id: Option<String>,
    /// For `creating`: the ids the account held before the create.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    old_ids: Vec<String>,
    /// For `deployed` and `verified`: a fingerprint of the deployed secret (see
    /// [`fingerprint`]), by which a rerun recognises the value a target gives back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deployed: Option<String>,
}

/// A SHA-256 digest of a deployed secret, bound to its account and id. The secrets the fleet
/// deploys are generated (far too many possibilities to search), so the digest gives nothing
/// away; it only lets a rerun tell whether a target still holds exactly that secret.
fn fingerprint(api_key: &str, id: &SecretId, secret: &SecretString) -> String {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    for part in [
        "vonage-secrets fleet journal v1",
        api_key,
        id.as_str(),
        secret.expose_secret(),
    ] {
        context.update(&(part.len() as u64).to_be_bytes());
        context.update(part.as_bytes());
    }
    context
        .finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An append-only file of JSON lines that records what each account has reached, so that a
/// rerun skips finished accounts and resumes the others without a second create. It never
/// holds a secret (only a SHA-256 fingerprint of each deployed one): a rerun that finds an
/// account deployed but not finished asks the target for the value ([`Deploy::recall`]) and
/// finishes from there when it is exactly the deployed secret and works; otherwise (and for an
/// account created but not deployed) it revokes that new secret, whose value it no longer has,
/// and starts the account over.
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
    last: HashMap<String, JournalLine>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish()
    }
}

impl Journal {
    /// Opens (or creates) the journal at `path` and reads what earlier runs recorded.
    ///
    /// # Errors
    /// [`Error::Config`] when the file cannot be read or written, or a line is not a journal
    /// line (the message names the file and the line).
    pub fn open(path: impl AsRef<Path>) -> Result<Journal> {
        let path = path.as_ref().to_path_buf();
        let config = |message: String| Error::Config { message };
        let mut last = HashMap::new();
        if path.exists() {
            let file = File::open(&path).map_err(|e| {
                config(format!(
                    "the journal {} cannot be read: {e}",
                    path.display()
                ))
            })?;
            for (n, line) in BufReader::new(file).lines().enumerate() {
                let line = line.map_err(|e| {
                    config(format!(
                        "the journal {} cannot be read: {e}",
                        path.display()
                    ))
                })?;
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<JournalLine>(&line) {
                    Ok(entry) => {
                        last.insert(entry.api_key.clone(), entry);
                    }
                    // A crash can cut the last line short: everything before it still counts.
                    Err(_) if !line.ends_with('}') => continue,
                    Err(e) => {
                        return Err(config(format!(
                            "line {} of the journal {} is not a journal entry ({e}); give \
                             another --journal file, or remove that line",
                            n + 1,
                            path.display()
                        )));
                    }
                }
            }
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| {
                config(format!(
                    "the journal {} cannot be written: {e}",
                    path.display()
                ))
            })?;
        Ok(Journal {
            path,
            file: Mutex::new(file),
            last,
        })
    }

    /// The last step recorded for `api_key`, and the new secret's id with it.
    pub fn last_step(&self, api_key: &str) -> Option<(FleetStep, Option<&str>)> {
        self.last
            .get(api_key)
            .map(|l| (l.step, l.new_secret_id.as_deref()))
    }

    /// The ids recorded before an interrupted create.
    fn old_ids(&self, api_key: &str) -> &[String] {
        self.last.get(api_key).map_or(&[], |l| &l.old_ids)
    }

    /// The fingerprint of the secret recorded as deployed.
    fn deployed(&self, api_key: &str) -> Option<&str> {
        self.last.get(api_key)?.deployed.as_deref()
    }

    fn record(
        &self,
        api_key: &str,
        step: FleetStep,
        id: Option<&SecretId>,
        old_ids: &[String],
    ) -> Result<()> {
        self.write(JournalLine {
            api_key: api_key.to_owned(),
            step,
            new_secret_id: id.map(|i| i.as_str().to_owned()),
            old_ids: old_ids.to_vec(),
            deployed: None,
        })
    }

    /// Records `step` (`deployed` or `verified`) of the secret `id` whose value is `secret`.
    fn record_deployed(
        &self,
        api_key: &str,
        step: FleetStep,
        id: &SecretId,
        secret: &SecretString,
    ) -> Result<()> {
        self.write(JournalLine {
            api_key: api_key.to_owned(),
            step,
            new_secret_id: Some(id.as_str().to_owned()),
            old_ids: Vec::new(),
            deployed: Some(fingerprint(api_key, id, secret)),
        })
    }

    fn write(&self, line: JournalLine) -> Result<()> {
        let mut text = serde_json::to_string(&line).unwrap_or_default();
        text.push('\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| Error::Config {
                message: format!("the journal {} cannot be written: {e}", self.path.display()),
            })
    }
}

/// Says what the rate limit cost (with `--verbose` in the command).
fn log_gate(what: &str, gate: &Gate) {
    let stats = gate.stats();
    log::info!(
        "fleet {what}: {} answers 429 ({} set the pace), {:.1} s paused, {}",
        stats.limited,
        stats.repaced,
        stats.paused.as_secs_f64(),
        stats.rate.map_or("not paced".to_owned(), |r| format!(
            "paced at {r:.1} requests/s"
        ))
    );
}

fn is_rate_limited(e: &Error) -> bool {
    matches!(e, Error::Api { status, .. } if vonage_secrets_transport::retry::is_rate_limited(*status))
}

impl<'a> Fleet<'a> {
    /// Revoke the old secrets once the new one is deployed and works (default: keep them, so
    /// the account holds two until a later run or a person revokes the old one).
    pub fn revoke_old(mut self, revoke: bool) -> Self {
        self.revoke_old = revoke;
        self
    }

    /// How many accounts are worked on at once (default [`DEFAULT_CONCURRENCY`]; at least 1).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Record progress in this journal, and resume from it.
    pub fn journal(mut self, journal: Journal) -> Self {
        self.journal = Some(journal);
        self
    }

    /// Called with each account's outcome as it ends (from the worker's thread).
    pub fn on_account(mut self, observer: impl Fn(&AccountOutcome) + Sync + 'a) -> Self {
        self.observer = Some(Box::new(observer));
        self
    }

    /// A flag that, once set, stops the run from starting more accounts: those in flight are
    /// finished, the others are reported as skipped (for Ctrl-C).
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// Audits these accounts (`primary` marks the client's own): the number and ages of their
    /// secrets, whether a rotation is due (the newest secret older than `max_age`), whether
    /// they hold two secrets, whether they are `suspended` (as given). Failures to read an
    /// account are entries, not errors.
    pub fn audit(&self, accounts: &[(String, bool)], max_age: Duration) -> Vec<AuditEntry> {
        let now = Utc::now();
        let max_age = chrono::Duration::from_std(max_age).unwrap_or(chrono::Duration::MAX);
        let gate = Gate::default();
        let entries = self.for_each(accounts.len(), |i| {
            let (key, suspended) = &accounts[i];
            let primary = key == self.client.api_key();
            let secrets = self.with_gate(&gate, || self.client.secrets_of(key.clone()).list());
            match secrets {
                Ok(list) => {
                    let newest = list.iter().map(|s| s.created_at).max();
                    AuditEntry {
                        api_key: key.clone(),
                        primary,
                        secrets: Some(list.len()),
                        newest,
                        oldest: list.iter().map(|s| s.created_at).min(),
                        due: newest.is_none_or(|n| now - n > max_age),
                        two_secrets: list.len() >= 2,
                        suspended: *suspended,
                        unreachable: None,
                    }
                }
                Err(e) => AuditEntry {
                    api_key: key.clone(),
                    primary,
                    secrets: None,
                    newest: None,
                    oldest: None,
                    due: false,
                    two_secrets: false,
                    suspended: *suspended,
                    unreachable: Some(e.to_string()),
                },
            }
        });
        log_gate("audit", &gate);
        entries
    }

    /// Rotates each account through `deploy`; see the [module](self) for the steps and the
    /// guarantees. Fails only when the journal cannot be written; each account's failure is
    /// in its [`AccountOutcome`].
    pub fn rotate(&self, accounts: &[String], deploy: &dyn Deploy) -> Result<FleetReport> {
        let gate = Gate::default();
        let journal_failed = Mutex::new(None);
        let outcomes = self.for_each(accounts.len(), |i| {
            let key = &accounts[i];
            let outcome = if self.stop.load(Ordering::SeqCst) {
                AccountOutcome {
                    api_key: key.clone(),
                    status: FleetStatus::Skipped,
                    failed_at: None,
                    state: "not started: the run was stopped".to_owned(),
                    error: None,
                    new_secret_id: None,
                }
            } else {
                match self.rotate_one(key, deploy, &gate) {
                    Ok(o) => o,
                    Err(e) => {
                        *journal_failed.lock().unwrap_or_else(|p| p.into_inner()) =
                            Some(e.to_string());
                        self.stop.store(true, Ordering::SeqCst);
                        failed(
                            key,
                            "journal",
                            "unknown: the journal could not be written",
                            &e,
                        )
                    }
                }
            };
            if let Some(observer) = &self.observer {
                observer(&outcome);
            }
            outcome
        });
        log_gate("rotation", &gate);
        if let Some(message) = journal_failed
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
        {
            return Err(Error::Config { message });
        }
        Ok(FleetReport {
            stopped: self.stop.load(Ordering::SeqCst),
            accounts: outcomes,
        })
    }

    /// Runs `work` on indexes `0..n` with the configured concurrency, results in index order.
    fn for_each<T: Send>(&self, n: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
        std::thread::scope(|scope| {
            for _ in 0..self.concurrency.min(n.max(1)) {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        if i >= n {
                            return;
                        }
                        let r = work(i);
                        results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(r);
                    }
                });
            }
        });
        results
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .into_iter()
            .flatten()
            .collect()
    }

    /// One request, after the shared back-off, tried again (after it) when the server says 429.
    fn with_gate<T>(&self, gate: &Gate, call: impl Fn() -> Result<T>) -> Result<T> {
        let mut tries = 0;
        loop {
            let ticket = gate.wait();
            match call() {
                Err(e) if is_rate_limited(&e) && tries < RATE_LIMIT_TRIES => {
                    tries += 1;
                    gate.limited(ticket, e.retry_after());
                }
                Err(e) if is_rate_limited(&e) => {
                    gate.limited(ticket, e.retry_after());
                    return Err(e);
                }
                other => {
                    gate.answered();
                    return other;
                }
            }
        }
    }

    fn record(&self, key: &str, step: FleetStep, id: Option<&SecretId>) -> Result<()> {
        match &self.journal {
            Some(j) => j.record(key, step, id, &[]),
            None => Ok(()),
        }
    }

    fn record_deployed(
        &self,
        key: &str,
        step: FleetStep,
        id: &SecretId,
        secret: &SecretString,
    ) -> Result<()> {
        match &self.journal {
            Some(j) => j.record_deployed(key, step, id, secret),
            None => Ok(()),
        }
    }

    fn rotate_one(&self, key: &str, deploy: &dyn Deploy, gate: &Gate) -> Result<AccountOutcome> {
        let secrets = self.client.secrets_of(key.to_owned());
        // What an earlier run left.
        if let Some((step, id)) = self.journal.as_ref().and_then(|j| j.last_step(key)) {
            let mut id = id.map(SecretId::from);
            if step == FleetStep::Creating {
                // The run stopped during a create: a secret that was not there before is the
                // one it made.
                let old = self.journal.as_ref().map(|j| j.old_ids(key)).unwrap_or(&[]);
                match self.transient_retried(gate, || secrets.list()) {
                    Ok(now) => {
                        id = now
                            .into_iter()
                            .find(|s| !old.iter().any(|o| o == s.id.as_str()))
                            .map(|s| s.id);
                    }
                    Err(e) => return Ok(failed(key, "list", "unknown", &e)),
                }
            }
            let old_ids: Vec<String> = self
                .journal
                .as_ref()
                .map(|j| j.old_ids(key).to_vec())
                .unwrap_or_default();
            if step == FleetStep::Verified && !old_ids.is_empty() {
                if let Some(new_id) = id.clone() {
                    return self.finish(key, &new_id, &old_ids, true, gate);
                }
            }
            if matches!(step, FleetStep::Deployed | FleetStep::Verified) {
                if let Some(new_id) = id.clone() {
                    if let Some(outcome) = self.resume_deployed(key, &new_id, deploy, gate)? {
                        return Ok(outcome);
                    }
                }
            }
            match step {
                FleetStep::Done => {
                    return Ok(AccountOutcome {
                        api_key: key.to_owned(),
                        status: FleetStatus::Skipped,
                        failed_at: None,
                        state: "finished in an earlier run".to_owned(),
                        error: None,
                        new_secret_id: id,
                    });
                }
                FleetStep::Creating
                | FleetStep::Created
                | FleetStep::Deployed
                | FleetStep::Verified => {
                    if let Some(id) = id {
                        // Its value is gone with the earlier run: nobody can be given it, so it
                        // is revoked and the account starts over.
                        match self.transient_retried(gate, || secrets.revoke(&id)) {
                            Ok(()) | Err(Error::SecretNotFound { .. }) => {
                                self.record(key, FleetStep::Undone, Some(&id))?;
                            }
                            Err(e) => {
                                return Ok(failed(
                                    key,
                                    "revoke",
                                    &format!(
                                        "holds the secret {id} an interrupted run created, which \
                                         could not be revoked; run again"
                                    ),
                                    &e,
                                ));
                            }
                        }
                    }
                }
                FleetStep::Undone | FleetStep::Failed => {}
            }
        }

        let before = match self.transient_retried(gate, || secrets.list()) {
            Ok(list) => list,
            Err(e) => return Ok(failed(key, "list", "unchanged", &e)),
        };
        if before.len() >= 2 {
            return Ok(AccountOutcome {
                api_key: key.to_owned(),
                status: FleetStatus::Failed,
                failed_at: Some("list"),
                state: format!(
                    "unchanged: it already holds two secrets ({}), a rotation not finished; \
                     revoke the one no program uses, then run again",
                    join_ids(&before)
                ),
                error: None,
                new_secret_id: None,
            });
        }

        // Create.
        if let Some(j) = &self.journal {
            j.record(key, FleetStep::Creating, None, &ids(&before))?;
        }
        let new = vonage_secrets_policy::generate();
        let mut create_tries = 0;
        let mut limited_tries = 0;
        let created = loop {
            let ticket = gate.wait();
            let result = secrets.create(new.expose_secret());
            if !result.as_ref().is_err_and(is_rate_limited) {
                gate.answered();
            }
            match result {
                Ok(s) => break s,
                // Refused unread: nothing was created, so another try is safe.
                Err(e) if is_rate_limited(&e) && limited_tries < RATE_LIMIT_TRIES => {
                    limited_tries += 1;
                    gate.limited(ticket, e.retry_after());
                }
                Err(e) if is_rate_limited(&e) => {
                    gate.limited(ticket, e.retry_after());
                    return Ok(failed(key, "create", "unchanged", &e));
                }
                // Not sent (a connection that could not be made): another try is safe.
                Err(e) if e.is_retryable() && !e.is_ambiguous() && create_tries < CREATE_TRIES => {
                    create_tries += 1;
                }
                Err(e) if e.is_ambiguous() => {
                    // It may have been created: a new id in the list is ours (we hold its value).
                    match self.transient_retried(gate, || secrets.list()) {
                        Ok(now) => match now.into_iter().find(|s| !before.contains(s)) {
                            Some(s) => break s,
                            // Proven not created: another try is safe.
                            None if create_tries < CREATE_TRIES => create_tries += 1,
                            None => return Ok(failed(key, "create", "unchanged", &e)),
                        },
                        Err(_) => {
                            return Ok(failed(
                                key,
                                "create",
                                "unknown: the create may have succeeded; run again (a new \
                                 secret found then is revoked first)",
                                &e,
                            ));
                        }
                    }
                }
                Err(e) => return Ok(failed(key, "create", "unchanged", &e)),
            }
        };
        self.record(key, FleetStep::Created, Some(&created.id))?;

        // Deploy.
        if let Err(reason) = deploy.deploy(key, &new) {
            let e = Error::InvalidInput {
                message: format!("the deploy target refused: {reason}"),
            };
            return self.undo(key, &created, gate, "deploy", &e);
        }
        self.record_deployed(key, FleetStep::Deployed, &created.id, &new)?;

        // Verify: the new secret lets the account list its own secrets.
        let own = self.client.with_credentials(key, new.clone());
        let deadline = Instant::now() + crate::rotation::DEFAULT_VERIFY_BUDGET;
        let verified = loop {
            match self.transient_retried(gate, || own.secrets().list()) {
                Ok(list) if list.iter().any(|s| s.id == created.id) => break Ok(()),
                Ok(_) if Instant::now() < deadline => {}
                Ok(_) => {
                    break Err(Error::InvalidInput {
                        message: "the new secret is not in the account's list".to_owned(),
                    });
                }
                Err(Error::Unauthorized { .. }) if Instant::now() < deadline => {}
                Err(e) => break Err(e),
            }
            std::thread::sleep(Duration::from_millis(200));
        };
        if let Err(e) = verified {
            let restored = deploy.restore(key);
            if !matches!(restored, Ok(true)) {
                // A rerun must not revoke what the target holds: it finds two secrets and
                // leaves the choice to a person.
                self.record(key, FleetStep::Failed, Some(&created.id))?;
            }
            return match restored {
                Ok(true) => self.undo(key, &created, gate, "verify", &e),
                // The target holds the new secret: revoking it would leave the target's
                // programs with a secret that no longer works.
                Ok(false) => Ok(kept(key, &created, &before, &e, "")),
                Err(reason) => Ok(kept(
                    key,
                    &created,
                    &before,
                    &e,
                    &format!(" (giving the target back its previous secret failed: {reason})"),
                )),
            };
        }
        self.record_deployed(key, FleetStep::Verified, &created.id, &new)?;

        // Revoke the old ones.
        self.finish(key, &created.id, &ids(&before), self.revoke_old, gate)
    }

    /// One request, tried up to three times more after a failure that may pass (a timeout, a
    /// broken connection, a server error), each after the shared back-off.
    fn transient_retried<T>(&self, gate: &Gate, call: impl Fn() -> Result<T>) -> Result<T> {
        let mut left = 3;
        loop {
            match self.with_gate(gate, &call) {
                Err(e) if left > 0 && (e.is_retryable() || e.is_ambiguous()) => {
                    left -= 1;
                    std::thread::sleep(Duration::from_millis(200 + fastrand_ms(300)));
                }
                other => return other,
            }
        }
    }

    /// The end of an account whose new secret is deployed and verified: revokes `old_ids` when
    /// `revoke` is set (those already gone count as revoked), then records it done. When a
    /// revoke fails, the journal keeps the ids left, so that a rerun only revokes them.
    fn finish(
        &self,
        key: &str,
        new_id: &SecretId,
        old_ids: &[String],
        revoke: bool,
        gate: &Gate,
    ) -> Result<AccountOutcome> {
        let secrets = self.client.secrets_of(key.to_owned());
        let revoke = revoke && !old_ids.is_empty();
        if revoke {
            for old in old_ids {
                match self.transient_retried(gate, || secrets.revoke(old)) {
                    Ok(()) | Err(Error::SecretNotFound { .. }) => {}
                    Err(e) => {
                        if let Some(j) = &self.journal {
                            j.record(key, FleetStep::Verified, Some(new_id), old_ids)?;
                        }
                        return Ok(AccountOutcome {
                            new_secret_id: Some(new_id.clone()),
                            ..failed(
                                key,
                                "revoke",
                                &format!(
                                    "rotated: the target holds the new secret, which works, but \
                                     the old secret {old} is still valid; run again with the same \
                                     journal to revoke it"
                                ),
                                &e,
                            )
                        });
                    }
                }
            }
        }
        self.record(key, FleetStep::Done, Some(new_id))?;
        Ok(AccountOutcome {
            api_key: key.to_owned(),
            status: FleetStatus::Done,
            failed_at: None,
            state: if revoke {
                "rotated: the target holds the new secret, the old one is revoked".to_owned()
            } else {
                "rotated: the target holds the new secret; the old one still works".to_owned()
            },
            error: None,
            new_secret_id: Some(new_id.clone()),
        })
    }

    /// An interrupted run deployed `new_id`: when the target gives back exactly that secret (by
    /// the journal's fingerprint) and it works, finishes the account from there (revoking the
    /// others with `revoke_old`).
    /// `None`: it cannot be finished that way.
    fn resume_deployed(
        &self,
        key: &str,
        new_id: &SecretId,
        deploy: &dyn Deploy,
        gate: &Gate,
    ) -> Result<Option<AccountOutcome>> {
        let Some(deployed) = self.journal.as_ref().and_then(|j| j.deployed(key)) else {
            return Ok(None);
        };
        // Only exactly the secret that run deployed: a target that holds anything else (say,
        // the old secret put back by hand) must not see the others revoked.
        let Some(value) = deploy
            .recall(key)
            .filter(|v| fingerprint(key, new_id, v) == deployed)
        else {
            return Ok(None);
        };
        let own = self.client.with_credentials(key, value.clone());
        match self.transient_retried(gate, || own.secrets().list()) {
            Ok(mut list) if list.iter().any(|s| &s.id == new_id) => {
                self.record_deployed(key, FleetStep::Verified, new_id, &value)?;
                list.retain(|s| &s.id != new_id);
                self.finish(key, new_id, &ids(&list), self.revoke_old, gate)
                    .map(Some)
            }
            // The target holds something else, or the account cannot be read: start over.
            _ => Ok(None),
        }
    }

    /// Revokes the new secret after a failed deploy or check: the account keeps its old one.
    fn undo(
        &self,
        key: &str,
        created: &Secret,
        gate: &Gate,
        step: &'static str,
        cause: &Error,
    ) -> Result<AccountOutcome> {
        let secrets = self.client.secrets_of(key.to_owned());
        match self.transient_retried(gate, || secrets.revoke(&created.id)) {
            Ok(()) | Err(Error::SecretNotFound { .. }) => {
                self.record(key, FleetStep::Undone, Some(&created.id))?;
                Ok(failed(
                    key,
                    step,
                    "unchanged: the new secret was revoked again; the old secret still works",
                    cause,
                ))
            }
            Err(e) => Ok(AccountOutcome {
                new_secret_id: Some(created.id.clone()),
                ..failed(
                    key,
                    step,
                    &format!(
                        "the old secret still works, but the new secret {} could not be \
                         revoked ({e}); run again with the same journal to revoke it",
                        created.id
                    ),
                    cause,
                )
            }),
        }
    }
}

/// The outcome of an account whose new secret failed its check while the deploy target holds
/// it: both secrets are kept.
fn kept(
    key: &str,
    created: &Secret,
    before: &[Secret],
    cause: &Error,
    restore_note: &str,
) -> AccountOutcome {
    AccountOutcome {
        new_secret_id: Some(created.id.clone()),
        ..failed(
            key,
            "verify",
            &format!(
                "holds two secrets: the old one ({}), which still works, and the new one {},                  which the deploy target holds{restore_note} but which failed its check; the                  new one was kept so that the target's programs are not left with a revoked                  secret. Check the target; then revoke the secret no program uses",
                join_ids(before),
                created.id
            ),
            cause,
        )
    }
}

fn failed(key: &str, step: &'static str, state: &str, e: &Error) -> AccountOutcome {
    AccountOutcome {
        api_key: key.to_owned(),
        status: FleetStatus::Failed,
        failed_at: Some(step),
        state: state.to_owned(),
        error: Some(e.to_string()),
        new_secret_id: None,
    }
}

/// The ids of `secrets`, as the journal keeps them.
fn ids(secrets: &[Secret]) -> Vec<String> {
    secrets.iter().map(|s| s.id.as_str().to_owned()).collect()
}

fn join_ids(secrets: &[Secret]) -> String {
    secrets
        .iter()
        .map(|s| s.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A pseudo-random number of milliseconds below `max`, for spreading retries (not secret).
fn fastrand_ms(max: u64) -> u64 {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        Instant::now()
            .elapsed()
            .as_nanos()
            .wrapping_add(u128::from(std::process::id())),
    );
    h.finish() % max.max(1)
}
