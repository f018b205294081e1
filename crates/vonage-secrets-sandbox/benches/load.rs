//! Load numbers for the sandbox: requests per second and p50/p99 latency of `list` from one
//! keep-alive client and from 8 clients, over http and https, and the handle's start-up time.
//!
//! Run with `cargo bench -p vonage-secrets-sandbox --bench load`. `LOAD_SECONDS` sets the
//! duration of each load run (default 3). The load generator (blocking ureq clients on
//! threads) runs on the same machine as the server and competes with it for the CPU.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use vonage_secrets_sandbox::Sandbox;

const KEY: &str = "abcd1234";
const SECRET: &str = "Bench-Secret-1";

fn sandbox(tls: bool) -> Sandbox {
    Sandbox::builder()
        .account(KEY, SECRET)
        .account(KEY, "Bench-Secret-2")
        .tls(tls)
        .start()
        .expect("sandbox starts")
}

fn agent(ca: Option<&str>) -> ureq::Agent {
    let mut config = ureq::Agent::config_builder().http_status_as_error(false);
    if let Some(pem) = ca {
        let cert = ureq::tls::Certificate::from_pem(pem.as_bytes()).expect("CA PEM");
        config = config.tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![cert])))
                .build(),
        );
    }
    config.build().into()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn load(tls: bool, clients: usize, duration: Duration) {
    let sb = Arc::new(sandbox(tls));
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"))
    );
    let url = format!("{}/accounts/{KEY}/secrets", sb.base_url());
    let start = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let (sb, auth, url) = (Arc::clone(&sb), auth.clone(), url.clone());
            std::thread::spawn(move || {
                let agent = agent(sb.ca_certificate_pem());
                let mut latencies = Vec::new();
                while start.elapsed() < duration {
                    let t = Instant::now();
                    let mut response = agent
                        .get(&url)
                        .header("Authorization", &auth)
                        .call()
                        .expect("list");
                    let body = response.body_mut().read_to_string().expect("body");
                    latencies.push(t.elapsed());
                    assert!(response.status() == 200 && body.contains("_embedded"));
                }
                latencies
            })
        })
        .collect();
    let mut all: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().expect("client thread"))
        .collect();
    let elapsed = start.elapsed();
    all.sort();
    println!(
        "{:<5} {:>2} client(s): {:>8.0} req/s  p50 {:>7.1} µs  p99 {:>7.1} µs  \
         mean {:>7.1} µs  max {:>8.1} µs  ({} requests)",
        if tls { "https" } else { "http" },
        clients,
        all.len() as f64 / elapsed.as_secs_f64(),
        percentile(&all, 0.50).as_secs_f64() * 1e6,
        percentile(&all, 0.99).as_secs_f64() * 1e6,
        all.iter().sum::<Duration>().as_secs_f64() * 1e6 / all.len() as f64,
        all[all.len() - 1].as_secs_f64() * 1e6,
        all.len(),
    );
}

fn startup(tls: bool, runs: usize) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let sb = sandbox(tls);
            let elapsed = t.elapsed();
            drop(sb);
            elapsed
        })
        .collect();
    times.sort();
    println!(
        "start-up ({:<5}): median {:>6.2} ms  max {:>6.2} ms  over {runs} starts",
        if tls { "https" } else { "http" },
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
}

fn main() {
    // `cargo test --benches` runs bench targets with `--bench`-less arguments; keep it quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let seconds: u64 = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if quick { 0 } else { 3 });
    let duration = Duration::from_millis((seconds * 1000).max(200));
    println!(
        "machine: {} CPU(s) available",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    startup(false, if quick { 3 } else { 50 });
    startup(true, if quick { 3 } else { 50 });
    for tls in [false, true] {
        for clients in [1, 8] {
            load(tls, clients, duration);
        }
    }
}
