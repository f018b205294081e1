//! The fleet benchmark, run by hand (it takes minutes at the API's rate limit):
//!
//! ```text
//! cargo build -p vonage-secrets-cli && cargo run -p vonage-secrets-cli --example fleet_bench -- [ACCOUNTS] [PARTS]
//! ```
//!
//! PARTS is a comma-separated choice of `audit`, `rotate` and `faulted` (default all three).
//!
//! Against an in-process sandbox with ACCOUNTS secondary accounts (default 1000), 20 ms of
//! latency and a limit of 50 requests per second, it runs the `vonage-secrets` binary for
//! `audit`, for `rotate --accounts all --deploy dir:... --revoke-old`, and for the same
//! rotation with about 1% of requests failing (500, reset, hang), interrupted once with
//! SIGINT and resumed from the journal. It prints the wall time, the requests made, the
//! ratio to the bound the rate limit sets (requests / 50 per second), the 429s, the peak
//! memory of the command (GNU time's maximum resident set size), and checks that every account
//! ends with one working secret that the deploy target holds, with one create each.
//!
//! From the sandbox's request log it also says where the time beyond the bound went: the
//! answered requests by kind (beyond one per account for the audit), how long the run went
//! before the first 429, and the pauses (gaps of more than 200 ms between two requests, which
//! the pace after a 429 never leaves) with their total; and the machine's load average.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use vonage_secrets_sandbox::{Fault, Operation, RequestRecord, Sandbox, generated_secondary};

const KEY: &str = "abcd1234";
const SECRET: &str = "Bench-Secret-1";
const RATE: u32 = 50;

fn binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/debug/examples/fleet_bench -> target/debug/vonage-secrets
    let dir = exe.parent().unwrap().parent().unwrap();
    dir.join("vonage-secrets")
}

/// The command, under GNU time for its peak memory when `timed` (GNU time ignores SIGINT, so
/// the run to interrupt is not timed).
fn command(sandbox: &Sandbox, args: &[&str], timed: bool) -> Command {
    let mut cmd = if timed {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "PEAK_RSS_KB=%M"]).arg(binary());
        c
    } else {
        Command::new(binary())
    };
    cmd.env("VONAGE_API_KEY", KEY)
        .env("VONAGE_API_SECRET", SECRET)
        .args(["--base-url", sandbox.base_url(), "--timeout", "5"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

struct Measured {
    code: Option<i32>,
    requests: usize,
    limited: usize,
    peak_kb: String,
    stdout: String,
}

fn measure(
    sandbox: &Sandbox,
    label: &str,
    child: std::process::Child,
    start: Instant,
    before: usize,
) -> Measured {
    let out = child.wait_with_output().unwrap();
    let wall = start.elapsed();
    let all = sandbox.requests();
    let log = &all[before.min(all.len())..];
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak_kb = stderr
        .lines()
        .find_map(|l| l.strip_prefix("PEAK_RSS_KB="))
        .unwrap_or("?")
        .to_owned();
    let m = Measured {
        code: out.status.code(),
        requests: log.len(),
        limited: log.iter().filter(|r| r.status == Some(429)).count(),
        peak_kb,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    };
    if let Ok(report) = serde_json::from_str::<serde_json::Value>(&m.stdout) {
        for a in report["accounts"].as_array().into_iter().flatten() {
            if a["status"] == "failed" {
                println!("  failed: {a}");
            }
        }
    }
    let answered = m.requests - m.limited;
    let bound = answered as f64 / f64::from(RATE);
    where_the_time_went(log);
    println!(
        "{label}: exit {:?}, wall {:.1} s, requests {} ({} answered, {} answered 429), bound \
         {:.1} s, ratio {:.3}, peak RSS {} KiB",
        m.code,
        wall.as_secs_f64(),
        m.requests,
        answered,
        m.limited,
        bound,
        wall.as_secs_f64() / bound.max(0.001),
        m.peak_kb
    );
    m
}

/// The answered requests by kind, the time before the first 429, and the pauses.
fn where_the_time_went(log: &[RequestRecord]) {
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for r in log.iter().filter(|r| r.status != Some(429)) {
        let kind = match r.operation {
            Some(op) => format!("{op:?}").to_lowercase(),
            None if r.path.ends_with("/subaccounts") => "subaccounts list".to_owned(),
            None => r.path.clone(),
        };
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((kind, 1)),
        }
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    if std::env::var_os("FLEET_BENCH_TRACE").is_some() {
        trace(log);
    }
    let mut times: Vec<_> = log.iter().map(|r| r.at).collect();
    times.sort();
    let seconds = |d: chrono::TimeDelta| d.num_microseconds().unwrap_or(0) as f64 / 1e6;
    let first_429 = log
        .iter()
        .filter(|r| r.status == Some(429))
        .map(|r| r.at)
        .min()
        .zip(times.first())
        .map_or("none".to_owned(), |(l, f)| {
            format!("{:.2} s", seconds(l - *f))
        });
    let gaps: Vec<f64> = times
        .windows(2)
        .map(|w| seconds(w[1] - w[0]))
        .filter(|g| *g > 0.2)
        .collect();
    println!(
        "  answered: {}; first 429 after {first_429}; {} pauses over 200 ms, {:.1} s in all; \
         load average {}",
        kinds.join(", "),
        gaps.len(),
        gaps.iter().sum::<f64>(),
        load()
    );
}

/// Each 429 that follows an answer: when (from the first request), how many were answered in
/// the second before it and in its calendar second (FLEET_BENCH_TRACE set).
fn trace(log: &[RequestRecord]) {
    let Some(first) = log.iter().map(|r| r.at).min() else {
        return;
    };
    let mut sorted: Vec<&RequestRecord> = log.iter().collect();
    sorted.sort_by_key(|r| r.at);
    for (i, r) in sorted.iter().enumerate() {
        if r.status != Some(429) || i == 0 || sorted[i - 1].status == Some(429) {
            continue;
        }
        let answered = |from: chrono::DateTime<chrono::Utc>| {
            sorted[..i]
                .iter()
                .filter(|q| q.status != Some(429) && q.at > from)
                .count()
        };
        let second = r.at.timestamp();
        let calendar = sorted
            .iter()
            .filter(|q| q.status != Some(429) && q.at.timestamp() == second)
            .count();
        println!(
            "  429 at {:.3} s (.{:03} in its second): {} answered in the second before, {} in \
             its calendar second",
            (r.at - first).num_milliseconds() as f64 / 1000.0,
            r.at.timestamp_subsec_millis(),
            answered(r.at - chrono::TimeDelta::seconds(1)),
            calendar
        );
    }
}

/// The 1-minute load average, for the figures' context.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn start_sandbox(n: usize) -> Sandbox {
    Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, n)
        .latency(Duration::from_millis(20))
        .rate_limit(RATE)
        .start()
        .unwrap()
}

/// Every account has exactly one secret, the deploy target holds it and it works; and each
/// account was created in exactly once.
fn check(sandbox: &Sandbox, n: usize, dir: &Path) {
    let creates: HashMap<String, usize> = sandbox
        .requests()
        .iter()
        .filter(|r| r.operation == Some(Operation::Create) && r.status == Some(201))
        .fold(HashMap::new(), |mut m, r| {
            *m.entry(r.api_key.clone().unwrap_or_default()).or_default() += 1;
            m
        });
    let (mut nobody_holds, mut duplicates, mut not_one) = (0, 0, 0);
    for i in 1..=n {
        let (key, _) = generated_secondary(i);
        if creates.get(&key).copied().unwrap_or(0) != 1 {
            duplicates += 1;
        }
        if sandbox.secrets_of(&key).map(|s| s.len()) != Some(1) {
            not_one += 1;
        }
        let held = std::fs::read_to_string(dir.join(&key)).unwrap_or_default();
        let ok = vonage_secrets::Client::builder(&key, held.trim_end())
            .base_url(sandbox.base_url())
            .max_retries(10)
            .build()
            .is_ok_and(|c| c.secrets().list().is_ok());
        if !ok {
            nobody_holds += 1;
        }
    }
    println!(
        "check: {n} accounts, {not_one} without exactly one secret, {duplicates} not created \
         exactly once, {nobody_holds} whose secret the deploy target does not hold"
    );
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("ACCOUNTS is a number"))
        .unwrap_or(1000);
    let parts = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "audit,rotate,faulted".to_owned());
    let part = |name: &str| parts.split(',').any(|p| p.trim() == name);
    assert!(
        binary().exists(),
        "build the binary first: cargo build -p vonage-secrets-cli"
    );
    println!(
        "{n} secondary accounts, latency 20 ms, rate limit {RATE}/s, load average {}",
        load()
    );

    // 1. audit
    let sandbox = start_sandbox(n);
    if part("audit") {
        let t = Instant::now();
        let before = sandbox.requests().len();
        let child = command(&sandbox, &["--json", "audit", "--accounts", "all"], true)
            .spawn()
            .unwrap();
        measure(&sandbox, "audit", child, t, before);
    }
    if part("rotate") {
        rotate(&sandbox, n);
    }
    drop(sandbox);
    if part("faulted") {
        faulted(n);
    }
}

/// 2. The rotation.
fn rotate(sandbox: &Sandbox, n: usize) {
    let dir = tempfile::tempdir().unwrap();
    sandbox.clear_requests();
    let deploy = format!("dir:{}", dir.path().display());
    let args = [
        "--json",
        "rotate",
        "--accounts",
        "all",
        "--deploy",
        &deploy,
        "--revoke-old",
    ];
    let t = Instant::now();
    let before = sandbox.requests().len();
    let child = command(sandbox, &args, true).spawn().unwrap();
    measure(sandbox, "rotate", child, t, before);
    check(sandbox, n, dir.path());
}

/// 3. The rotation with faults, interrupted once, resumed from the journal.
fn faulted(n: usize) {
    let sandbox = Arc::new(start_sandbox(n));
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let deploy = format!("dir:{}", out.display());
    let journal_arg = journal.display().to_string();
    let args = [
        "--json",
        "rotate",
        "--accounts",
        "all",
        "--deploy",
        &deploy,
        "--revoke-old",
        "--journal",
        &journal_arg,
    ];
    let done = Arc::new(AtomicBool::new(false));
    let injector = {
        let (sandbox, done) = (Arc::clone(&sandbox), Arc::clone(&done));
        std::thread::spawn(move || {
            // One fault per 100 requests: 1%.
            let mut next = 100;
            let mut k = 0;
            while !done.load(Ordering::SeqCst) {
                if sandbox.requests().len() >= next {
                    next += 100;
                    k += 1;
                    sandbox.inject(match k % 3 {
                        0 => Fault::status(500),
                        1 => Fault::close_connection(),
                        _ => Fault::hang(),
                    });
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let t = Instant::now();
    let before = sandbox.requests().len();
    let child = command(&sandbox, &args, false).spawn().unwrap();
    // Interrupt once half the accounts are deployed.
    while std::fs::read_dir(&out).unwrap().count() < n / 2 {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let first = measure(&sandbox, "faulted, interrupted", child, t, before);
    let stopped = first.stdout.contains("\"stopped\":true");
    let t = Instant::now();
    let before = sandbox.requests().len();
    let child = command(&sandbox, &args, true).spawn().unwrap();
    let second = measure(&sandbox, "faulted, resumed", child, t, before);
    done.store(true, Ordering::SeqCst);
    injector.join().unwrap();
    println!(
        "interrupted run stopped: {stopped}; resumed run exit {:?} ({} bytes of report)",
        second.code,
        second.stdout.len()
    );
    let faults = sandbox
        .requests()
        .iter()
        .filter(|r| r.fault.is_some())
        .count();
    println!("faults applied: {faults}");
    check(&sandbox, n, &out);
}
