//! Per-call cost of `list` (one page) against the loopback test server, next to a plain ureq
//! POST of the same form body with a ready token to the same server, measured in one run
//! (interleaved, so that both see the same machine); and the cost of signing one token.
//!
//! ```text
//! cargo bench -p voximplant-secrets --bench list     # BENCH_ITERATIONS=N to change the count
//! ```

use std::time::{Duration, Instant};

#[path = "../tests/common/mod.rs"]
mod common;

use common::{ACCOUNT_ID, Server, Shape};
use voximplant_secrets::{ExposeSecret, sign_token};

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    // `cargo test --benches` runs this without `--bench`: a quick smoke run then.
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let iterations: usize = std::env::var("BENCH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if bench_mode { 3000 } else { 30 });

    let (server, store) = Server::emulator(Shape::Object);
    store.lock().unwrap().seed(2);
    let client = server.client();

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}/GetSecrets", server.base_url);
    let token = sign_token(
        &common::credentials(),
        ACCOUNT_ID,
        Duration::from_secs(3600),
    )
    .unwrap();
    let authorization = format!("Bearer {}", token.expose_secret());
    let plain = || {
        let mut response = agent
            .post(&url)
            .header("Authorization", &authorization)
            .header("Accept", "application/json")
            .content_type("application/x-www-form-urlencoded")
            .send("application_id=1&count=100&offset=0")
            .expect("plain POST");
        assert_eq!(response.status(), 200);
        let body = response.body_mut().read_to_vec().expect("body");
        let (parts, _) = response.into_parts();
        http::Response::from_parts(parts, body)
    };
    // The plain POST and the generated operation's decoding: the work the client cannot skip.
    let decoded = || {
        use voximplant_secrets_api::Operation as _;
        let response = plain();
        let outcome = voximplant_secrets_api::operations::GetSecrets::parse_response(&response);
        std::hint::black_box(outcome);
    };
    let plain = || {
        std::hint::black_box(plain());
    };
    let secrets = client.application(1);
    let facade = || {
        let list: Vec<_> = secrets.list().collect::<Result<_, _>>().expect("list");
        assert_eq!(list.len(), 2);
        std::hint::black_box(list);
    };

    // Warm up: connections, the token cache.
    for _ in 0..iterations.min(200) {
        plain();
        decoded();
        facade();
    }
    let mut plain_times = Vec::with_capacity(iterations);
    let mut client_times = Vec::with_capacity(iterations);
    let mut decoded_times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        plain();
        plain_times.push(t.elapsed());
        let t = Instant::now();
        facade();
        client_times.push(t.elapsed());
        let t = Instant::now();
        decoded();
        decoded_times.push(t.elapsed());
    }
    let plain_median = median(&mut plain_times);
    let client_median = median(&mut client_times);
    let decoded_median = median(&mut decoded_times);
    println!("list, {iterations} calls each, interleaved:");
    println!("  plain ureq POST:          {plain_median:>10.1?} per call (median)");
    println!("  voximplant-secrets list:  {client_median:>10.1?} per call (median)");
    println!("  plain POST + decoding:    {decoded_median:>10.1?} per call (median)");
    println!(
        "  ratio client / plain:     {:.3}",
        client_median.as_secs_f64() / plain_median.as_secs_f64()
    );

    let credentials = common::credentials();
    let signs = (iterations / 3).max(10);
    let mut sign_times = Vec::with_capacity(signs);
    for _ in 0..signs {
        let t = Instant::now();
        let token = sign_token(&credentials, ACCOUNT_ID, Duration::from_secs(60)).unwrap();
        sign_times.push(t.elapsed());
        std::hint::black_box(token);
    }
    println!(
        "token signing (RS256, 2048-bit key), {signs} tokens: {:.1?} per token (median)",
        median(&mut sign_times)
    );
}
