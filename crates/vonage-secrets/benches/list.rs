//! Per-call cost of `secrets().list()` against the sandbox over keep-alive http, next to a
//! plain ureq GET with the same headers to the same sandbox, measured in one run (interleaved,
//! so that both see the same machine). Prints both medians and their ratio, and for reference a
//! third: the plain GET followed by the generated operation's JSON decoding, the work the facade
//! cannot skip.
//!
//! ```text
//! cargo bench -p vonage-secrets --bench list            # BENCH_ITERATIONS=N to change the count
//! ```
//!
//! For instruction counts (repeatable on a busy machine), `BENCH_PROFILE=plain|facade|decoded`
//! runs one side alone, untimed, without warm-up. The cost of one call is the difference of the
//! totals of two runs that differ only in `BENCH_ITERATIONS`, divided by that difference (it
//! includes the in-process sandbox's share, the same for every side):
//!
//! ```text
//! cargo bench -p vonage-secrets --bench list --no-run   # prints the path of the binary
//! BENCH_PROFILE=facade BENCH_ITERATIONS=1000 valgrind --tool=callgrind <binary> --bench
//! BENCH_PROFILE=facade BENCH_ITERATIONS=2000 valgrind --tool=callgrind <binary> --bench
//! callgrind_annotate --inclusive=yes callgrind.out.<pid>  # the split, per function
//! ```

use std::time::{Duration, Instant};

use base64::Engine as _;
use vonage_secrets::Client;
use vonage_secrets_sandbox::Sandbox;

const KEY: &str = "abcd1234";
const SECRET: &str = "Bench-Secret-1";

fn main() {
    // `cargo test --benches` runs this with `--bench` absent: do a quick smoke run then.
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let iterations: usize = std::env::var("BENCH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if bench_mode { 5000 } else { 50 });

    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .start()
        .expect("sandbox starts");
    let client = Client::builder(KEY, SECRET)
        .base_url(sandbox.base_url())
        .build()
        .expect("client builds");
    // A second secret, so that the list has two entries to decode.
    client.secrets().create("Second-Secret-2").expect("create");

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}/accounts/{KEY}/secrets", sandbox.base_url());
    let authorization = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"))
    );
    let user_agent = concat!("vonage-secrets/", env!("CARGO_PKG_VERSION"));
    let get = || {
        let mut response = agent
            .get(&url)
            .header("Authorization", &authorization)
            .header("Accept", "application/json")
            .header("User-Agent", user_agent)
            .call()
            .expect("plain GET");
        assert_eq!(response.status(), 200);
        let body = response
            .body_mut()
            .with_config()
            .limit(1024 * 1024)
            .read_to_vec()
            .expect("body");
        let (parts, _) = response.into_parts();
        http::Response::from_parts(parts, body)
    };
    let plain = || {
        std::hint::black_box(get());
    };
    let decoded = || {
        use vonage_secrets_api::{Operation, operations::RetrieveApiSecrets as List};
        let list = List::into_result(List::parse_response(&get())).expect("decodes");
        std::hint::black_box(list);
    };
    let facade = || {
        let list = client.secrets().list().expect("list");
        assert_eq!(list.len(), 2);
        std::hint::black_box(list);
    };

    // `BENCH_PROFILE=plain|facade|decoded`: run only that one, untimed, for a profiler (see the
    // top of this file).
    if let Ok(which) = std::env::var("BENCH_PROFILE") {
        let f: &dyn Fn() = match which.as_str() {
            "plain" => &plain,
            "facade" => &facade,
            "decoded" => &decoded,
            other => panic!("BENCH_PROFILE={other}: expected plain, facade or decoded"),
        };
        for _ in 0..iterations {
            f();
        }
        println!("profiled {which}: {iterations} calls");
        return;
    }

    // Warm up both connections and caches.
    for _ in 0..iterations.min(200) {
        plain();
        facade();
        decoded();
    }
    sandbox.clear_requests();

    let mut plain_times = Vec::with_capacity(iterations);
    let mut facade_times = Vec::with_capacity(iterations);
    let mut decoded_times = Vec::with_capacity(iterations);
    for i in 0..iterations {
        // Alternate which goes first, so neither always follows the other.
        if i % 2 == 0 {
            plain_times.push(time(plain));
            facade_times.push(time(facade));
        } else {
            facade_times.push(time(facade));
            plain_times.push(time(plain));
        }
        decoded_times.push(time(decoded));
        if i % 1000 == 999 {
            sandbox.clear_requests(); // keep the sandbox's log small
        }
    }
    let plain = median(&mut plain_times);
    let facade = median(&mut facade_times);
    let decoded = median(&mut decoded_times);
    let ratio = facade.as_secs_f64() / plain.as_secs_f64();
    println!("list: {iterations} calls each, keep-alive http to the sandbox");
    println!("  plain ureq GET      median {:>8.1} µs", micros(plain));
    println!("  secrets().list()    median {:>8.1} µs", micros(facade));
    println!("  ratio facade/plain  {ratio:.3} (target <= 1.05)");
    println!(
        "  for reference: plain GET + generated JSON decoding, median {:>8.1} µs",
        micros(decoded)
    );
}

fn time(f: impl Fn()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
