//! `rotate --accounts all|due|KEY,... --deploy TARGET`: the facade's fleet rotation, with a
//! progress bar on a terminal (plain lines otherwise), Ctrl-C finishing the accounts in
//! flight, and a JSON report per account. `rotate --accounts KEY` without `--deploy` is
//! `--account KEY rotate`.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use vonage_secrets::{AccountOutcome, FleetStatus, Journal};

use super::accounts::{Selection, audit_targets};
use super::{Context, Outcome, rotate};
use crate::cli::NewSecretSource;
use crate::deploy::Target;
use crate::failure::{Exit, Failure};
use crate::output::{self, note, table};

/// The command line of a fleet rotation.
pub struct Args<'a> {
    pub accounts: &'a str,
    pub deploy: Option<&'a str>,
    pub revoke_old: bool,
    pub concurrency: usize,
    pub journal: Option<&'a PathBuf>,
    pub max_age: Duration,
    /// For one account without `--deploy`: plain `rotate`'s flags.
    pub source: &'a NewSecretSource,
    pub make_room: &'a str,
    pub dry_run: bool,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    accounts: &'a [AccountOutcome],
    summary: SummaryJson,
}

#[derive(Serialize)]
struct SummaryJson {
    done: usize,
    skipped: usize,
    failed: usize,
    stopped: bool,
}

/// The deploy targets, for messages.
const TARGETS: &str = "exec:CMD, dir:PATH or voximplant:APPLICATION/NAME";

pub fn run(ctx: &Context<'_>, args: &Args<'_>) -> Outcome {
    let selection = Selection::parse(args.accounts, true)?;
    let Some(deploy) = args.deploy else {
        return without_deploy(ctx, args, &selection);
    };
    let target = Target::parse(deploy)?;
    target.check_selection(&selection)?;
    if args.concurrency == 0 {
        return Err(Failure::usage("--concurrency must be at least 1"));
    }
    let journal = args.journal.map(Journal::open).transpose()?;
    let session = ctx.connect()?;
    // The target's credentials and application before any account is touched.
    let target = target.connect(ctx.global, session.sandbox())?;
    let client = session.client();
    let primary = client.api_key().to_owned();
    let keys: Vec<String> = match &selection {
        Selection::Keys(keys) => keys.clone(),
        Selection::All => client
            .subaccounts()
            .list()?
            .secondaries
            .into_iter()
            .map(|a| a.api_key)
            .collect(),
        Selection::Due => {
            let targets: Vec<(String, bool)> = audit_targets(&session, &Selection::All)?
                .into_iter()
                .filter(|(k, _)| *k != primary)
                .collect();
            client
                .fleet()
                .audit(&targets, args.max_age)
                .into_iter()
                .filter(|e| e.due && !e.two_secrets && e.unreachable.is_none())
                .map(|e| e.api_key)
                .collect()
        }
    };
    if keys.contains(&primary) {
        return Err(Failure::usage(format!(
            "{primary} is the account whose credentials the command holds; a fleet rotation \
             rotates secondary accounts only. Rotate it with plain `vonage-secrets rotate`"
        )));
    }
    if matches!(selection, Selection::All | Selection::Due) {
        target.check_keys(&keys)?;
    }
    let progress = Progress::new(
        keys.len(),
        ProgressMode::choose(std::io::stderr().is_terminal(), ctx.global.verbose),
    );
    let mut fleet = client
        .fleet()
        .revoke_old(args.revoke_old)
        .concurrency(args.concurrency)
        .on_account(|o| progress.account(o));
    if let Some(journal) = journal {
        fleet = fleet.journal(journal);
    }
    let stop = fleet.stop_flag();
    let tell = progress.notifier();
    // The first Ctrl-C finishes the accounts in flight and stops; a second one exits at once.
    let _ = ctrlc::set_handler(move || {
        if stop.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        tell("stopping: finishing the accounts in flight (Ctrl-C again to quit at once)");
    });
    let report = fleet.rotate(&keys, &target)?;
    progress.finish();
    let (done, skipped, failed) = (
        report.count(FleetStatus::Done),
        report.count(FleetStatus::Skipped),
        report.count(FleetStatus::Failed),
    );
    if ctx.json() {
        output::print_json(&ReportJson {
            accounts: &report.accounts,
            summary: SummaryJson {
                done,
                skipped,
                failed,
                stopped: report.stopped,
            },
        })?;
    } else {
        let rows: Vec<Vec<String>> = report
            .accounts
            .iter()
            .filter(|a| a.status != FleetStatus::Done)
            .map(|a| {
                vec![
                    a.api_key.clone(),
                    status_word(a.status).to_owned(),
                    a.failed_at.unwrap_or("-").to_owned(),
                    match &a.error {
                        Some(e) => format!("{}: {e}", a.state),
                        None => a.state.clone(),
                    },
                ]
            })
            .collect();
        if !rows.is_empty() {
            output::print(&table(&["ACCOUNT", "STATUS", "STEP", "STATE"], &rows))?;
        }
        output::print(&format!(
            "{} accounts: {done} rotated, {skipped} skipped, {failed} failed{}\n",
            report.accounts.len(),
            if report.stopped { " (stopped)" } else { "" }
        ))?;
    }
    if failed > 0 || report.stopped {
        return Err(Failure {
            quiet: ctx.json(),
            ..Failure::new(
                Exit::Attention,
                format!(
                    "{failed} accounts failed{}; each keeps a secret that works (see the report). \
                     Run the same command again{} to finish the others",
                    if report.stopped {
                        " and the run was stopped"
                    } else {
                        ""
                    },
                    if args.journal.is_some() {
                        " with the same --journal"
                    } else {
                        ""
                    }
                ),
            )
        });
    }
    Ok(())
}

fn status_word(s: FleetStatus) -> &'static str {
    match s {
        FleetStatus::Done => "done",
        FleetStatus::Skipped => "skipped",
        FleetStatus::Failed => "failed",
        _ => "other",
    }
}

/// `rotate --accounts ...` without `--deploy`: one account named by its key is
/// `--account KEY rotate` (its flags, its output, the new secret printed once); anything else
/// is refused, since nobody would hold the new secrets.
fn without_deploy(ctx: &Context<'_>, args: &Args<'_>, selection: &Selection) -> Outcome {
    let key = match selection {
        Selection::Keys(keys) if keys.len() == 1 => &keys[0],
        Selection::Keys(keys) => {
            return Err(Failure::usage(format!(
                "--accounts names {} accounts: a rotation of several accounts prints none of \
                 their new secrets, so it needs --deploy TARGET ({TARGETS}) to store them. Give \
                 --deploy, or rotate one account at a time with `vonage-secrets rotate \
                 --accounts KEY`, which prints its new secret",
                keys.len()
            )));
        }
        Selection::All | Selection::Due => {
            return Err(Failure::usage(format!(
                "--accounts {} names no account by its key (the server's list decides which): \
                 such a rotation prints none of the new secrets, so it needs --deploy TARGET \
                 ({TARGETS}) to store them. Give --deploy, or name one account with \
                 `vonage-secrets rotate --accounts KEY`, which prints its new secret",
                args.accounts.trim()
            )));
        }
    };
    if args.journal.is_some() {
        return Err(Failure::usage(
            "--journal records a rotation of accounts with --deploy; `rotate --accounts KEY` \
             without --deploy rotates that one account as `--account KEY rotate` does and \
             keeps no journal. Drop --journal, or give --deploy TARGET",
        ));
    }
    if let Some(account) = ctx.global.account.as_deref().filter(|a| *a != key) {
        return Err(Failure::usage(format!(
            "--account {account} and --accounts {key} name different accounts; give the one to \
             rotate once"
        )));
    }
    let global = crate::cli::Global {
        account: Some(key.clone()),
        ..ctx.global.clone()
    };
    rotate::run(
        &Context { global: &global },
        &rotate::Args {
            source: args.source,
            revoke_old: args.revoke_old,
            make_room: args.make_room,
            dry_run: args.dry_run,
        },
    )
}

/// How the progress of a fleet rotation is shown on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    /// A bar redrawn in place (counts, rate, ETA), with the lines of accounts that did not
    /// finish printed above it.
    Bar,
    /// One plain line per account.
    Lines,
}

impl ProgressMode {
    /// A bar on a terminal; plain lines when stderr is not one (a log, a pipe) or when `-v`
    /// writes log lines to it, which would break the bar.
    pub fn choose(stderr_is_terminal: bool, verbose: bool) -> ProgressMode {
        if stderr_is_terminal && !verbose {
            ProgressMode::Bar
        } else {
            ProgressMode::Lines
        }
    }
}

/// The line of one finished account: `sub00001: done`, `sub00002: failed at deploy: STATE`.
fn plain_line(api_key: &str, status: FleetStatus, failed_at: Option<&str>, state: &str) -> String {
    let word = status_word(status);
    match failed_at {
        Some(step) => format!("{api_key}: {word} at {step}: {state}"),
        None => format!("{api_key}: {word}"),
    }
}

/// The counts the bar shows.
fn counts_text((done, skipped, failed): (usize, usize, usize)) -> String {
    format!("{done} rotated, {skipped} skipped, {failed} failed")
}

/// The progress on stderr, in a [`ProgressMode`].
struct Progress {
    bar: Option<ProgressBar>,
    /// Done, skipped, failed.
    counts: Mutex<(usize, usize, usize)>,
}

impl Progress {
    fn new(total: usize, mode: ProgressMode) -> Self {
        Self::drawn_on(total, mode, ProgressDrawTarget::stderr())
    }

    fn drawn_on(total: usize, mode: ProgressMode, target: ProgressDrawTarget) -> Self {
        let bar = (mode == ProgressMode::Bar).then(|| {
            let style =
                ProgressStyle::with_template("[{wide_bar}] {pos}/{len}  {msg}  {rate}  ETA {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .with_key(
                        "rate",
                        |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                            let _ = write!(w, "{:.1}/s", state.per_sec());
                        },
                    )
                    .progress_chars("#>-");
            let bar = ProgressBar::with_draw_target(Some(total as u64), target).with_style(style);
            bar.set_message(counts_text((0, 0, 0)));
            // Rate and ETA move while accounts are in flight.
            bar.enable_steady_tick(Duration::from_millis(500));
            bar
        });
        Progress {
            bar,
            counts: Mutex::new((0, 0, 0)),
        }
    }

    fn account(&self, o: &AccountOutcome) {
        self.record(&o.api_key, o.status, o.failed_at, &o.state);
    }

    fn record(&self, api_key: &str, status: FleetStatus, failed_at: Option<&str>, state: &str) {
        let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        match status {
            FleetStatus::Done => c.0 += 1,
            FleetStatus::Skipped => c.1 += 1,
            _ => c.2 += 1,
        }
        let line = plain_line(api_key, status, failed_at, state);
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                bar.set_message(counts_text(*c));
                if status != FleetStatus::Done {
                    // Above the bar, which is drawn again below it.
                    bar.println(line);
                }
            }
            None => note(&line),
        }
    }

    /// Writes a line on stderr without breaking the bar, from any thread (the Ctrl-C handler).
    fn notifier(&self) -> impl Fn(&str) + Send + 'static {
        let bar = self.bar.clone();
        move |line| match &bar {
            Some(bar) => bar.println(line),
            None => note(line),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
            // The bar stays, and what follows starts on a line of its own.
            if !bar.is_hidden() {
                note("");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_only_on_a_terminal_without_log_lines() {
        assert_eq!(ProgressMode::choose(true, false), ProgressMode::Bar);
        assert_eq!(ProgressMode::choose(false, false), ProgressMode::Lines);
        assert_eq!(ProgressMode::choose(true, true), ProgressMode::Lines);
        assert_eq!(ProgressMode::choose(false, true), ProgressMode::Lines);
    }

    #[test]
    fn plain_lines_keep_their_format() {
        assert_eq!(
            plain_line("sub00001", FleetStatus::Done, None, "rotated"),
            "sub00001: done"
        );
        assert_eq!(
            plain_line(
                "sub00002",
                FleetStatus::Failed,
                Some("deploy"),
                "the new secret was revoked again"
            ),
            "sub00002: failed at deploy: the new secret was revoked again"
        );
        assert_eq!(
            plain_line("sub00003", FleetStatus::Skipped, None, "done before"),
            "sub00003: skipped"
        );
    }

    #[test]
    fn the_bar_counts_done_skipped_and_failed() {
        let progress = Progress::drawn_on(4, ProgressMode::Bar, ProgressDrawTarget::hidden());
        progress.record("a", FleetStatus::Done, None, "");
        progress.record("b", FleetStatus::Skipped, None, "");
        progress.record("c", FleetStatus::Failed, Some("deploy"), "x");
        let bar = progress.bar.as_ref().expect("a bar in bar mode");
        assert_eq!(bar.position(), 3);
        assert_eq!(bar.length(), Some(4));
        assert_eq!(bar.message(), "1 rotated, 1 skipped, 1 failed");
        progress.finish();
        assert!(bar.is_finished());
        let lines = Progress::drawn_on(4, ProgressMode::Lines, ProgressDrawTarget::hidden());
        assert!(lines.bar.is_none());
    }
}
