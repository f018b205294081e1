//! Measures the cost of building a request: from a base URL string (checked on every call, as
//! `to_request("https://...")` does) and from a [`BaseUrl`] parsed once.
//!
//! `cargo run --release -p vonage-secrets-api --example build_requests [ITERATIONS] [str|parsed]`
//!
//! With `str` or `parsed` it runs only that one (for an instruction count under
//! `valgrind --tool=callgrind`, with and without iterations).

use std::hint::black_box;
use std::time::Instant;

use vonage_secrets_api::operations::RetrieveApiSecret;
use vonage_secrets_api::{BaseUrl, Operation};

fn main() {
    let iterations: u32 = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1_000_000);
    let operation = RetrieveApiSecret {
        api_key: "abcd1234".into(),
        secret_id: "ad6dc56f-07b5-46e1-a527-85530e625800".into(),
    };
    let text = "https://api.nexmo.com";
    let parsed = BaseUrl::parse(text).expect("a valid base URL");
    let only = std::env::args().nth(2);
    let measure = |name: &str, build: &dyn Fn() -> http::Request<Vec<u8>>| {
        if only.as_deref().is_some_and(|only| !name.contains(only)) {
            return;
        }
        for _ in 0..iterations.min(10_000) {
            black_box(build());
        }
        let start = Instant::now();
        for _ in 0..iterations {
            black_box(build());
        }
        let per_call = start.elapsed().as_nanos() as f64 / f64::from(iterations);
        println!("{name:<32} {per_call:>8.1} ns per request ({iterations} requests)");
    };
    measure("to_request(&str)", &|| {
        operation.to_request(black_box(text)).expect("builds")
    });
    measure("to_request(&parsed BaseUrl)", &|| {
        operation.to_request(black_box(&parsed)).expect("builds")
    });
}
