//! `rotate --accounts all|due|KEY,... --deploy TARGET`: the facade's fleet rotation, with a
//! progress bar on a terminal (plain lines otherwise), Ctrl-C finishing the accounts in
//! flight, and a JSON report per account.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde::Serialize;
use vonage_secrets::{AccountOutcome, FleetStatus, Journal};

use super::accounts::{Selection, audit_targets};
use super::{Context, Outcome};
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

pub fn run(ctx: &Context<'_>, args: &Args<'_>) -> Outcome {
    let selection = Selection::parse(args.accounts, true)?;
    let target = args.deploy.map(Target::parse).transpose()?;
    let Some(target) = target else {
        return Err(Failure::usage(
            "a fleet rotation needs --deploy TARGET (exec:CMD or dir:PATH): without one, nobody \
             would hold the new secrets. To rotate one account and print its new secret, use \
             `vonage-secrets --account KEY rotate`",
        ));
    };
    if args.concurrency == 0 {
        return Err(Failure::usage("--concurrency must be at least 1"));
    }
    let journal = args.journal.map(Journal::open).transpose()?;
    let session = ctx.connect()?;
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
    let progress = Progress::new(keys.len());
    let mut fleet = client
        .fleet()
        .revoke_old(args.revoke_old)
        .concurrency(args.concurrency)
        .on_account(|o| progress.account(o));
    if let Some(journal) = journal {
        fleet = fleet.journal(journal);
    }
    let stop = fleet.stop_flag();
    // The first Ctrl-C finishes the accounts in flight and stops; a second one exits at once.
    let _ = ctrlc::set_handler(move || {
        if stop.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        note("stopping: finishing the accounts in flight (Ctrl-C again to quit at once)");
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

/// The progress on stderr: one redrawn line on a terminal (counts, rate, ETA), else one plain
/// line per account.
struct Progress {
    total: usize,
    started: Instant,
    terminal: bool,
    counts: Mutex<(usize, usize, usize)>,
}

impl Progress {
    fn new(total: usize) -> Self {
        Progress {
            total,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            counts: Mutex::new((0, 0, 0)),
        }
    }

    fn account(&self, o: &AccountOutcome) {
        let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        match o.status {
            FleetStatus::Done => c.0 += 1,
            FleetStatus::Skipped => c.1 += 1,
            _ => c.2 += 1,
        }
        let finished = c.0 + c.1 + c.2;
        if self.terminal {
            let secs = self.started.elapsed().as_secs_f64().max(0.001);
            let rate = finished as f64 / secs;
            let eta = if rate > 0.0 {
                format!("{:.0}s", (self.total - finished) as f64 / rate)
            } else {
                "?".to_owned()
            };
            let width = 30;
            let filled = width * finished / self.total.max(1);
            eprint!(
                "\r[{}{}] {finished}/{} rotated {} skipped {} failed {}  {rate:.1}/s  ETA {eta}   ",
                "#".repeat(filled),
                "-".repeat(width - filled),
                self.total,
                c.0,
                c.1,
                c.2
            );
        } else {
            let word = status_word(o.status);
            match o.failed_at {
                Some(step) => note(&format!("{}: {word} at {step}: {}", o.api_key, o.state)),
                None => note(&format!("{}: {word}", o.api_key)),
            }
        }
    }

    fn finish(&self) {
        if self.terminal {
            eprintln!();
        }
    }
}
