//! Debug logging says method, path, status, attempt and duration, and never a header value or a
//! secret: neither in this crate's records nor in those of ureq and rustls below it.

mod common;

use std::sync::Mutex;

use common::{PRIMARY, PRIMARY_SECRET, SECONDARY, primary, sandbox};
use vonage_secrets_sandbox::{Fault, Operation};

struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        self.0.lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

static LOGGER: Capture = Capture(Mutex::new(Vec::new()));

#[test]
fn logs_describe_calls_without_header_values_or_secrets() {
    log::set_logger(&LOGGER).unwrap();
    log::set_max_level(log::LevelFilter::Trace);

    let sandbox = sandbox();
    let client = primary(&sandbox);
    sandbox.inject(Fault::status(503).on(Operation::List));
    client.secrets().list().unwrap();
    let new_secret = "Logged-Never-7";
    client.secrets_of(SECONDARY).create(new_secret).unwrap();
    let report = client.secrets_of(SECONDARY).rotation().run();
    assert!(report.is_err(), "two secrets: refused");

    let lines = LOGGER.0.lock().unwrap().clone();
    let ours: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains(" vonage_secrets"))
        .collect();
    assert!(
        ours.iter()
            .any(|l| l.contains("GET /accounts/abcd1234/secrets -> 503")
                && l.contains("attempt 1")
                && l.contains(" ms")),
        "{ours:#?}"
    );
    assert!(
        ours.iter()
            .any(|l| l.contains("GET /accounts/abcd1234/secrets -> 200") && l.contains("attempt 2")),
        "{ours:#?}"
    );
    assert!(
        ours.iter()
            .any(|l| l.contains("POST /accounts/sub00001/secrets -> 201")),
        "{ours:#?}"
    );
    let token = "YWJjZDEyMzQ6UHJpbWFyeS1TZWNyZXQtMQ"; // base64 of the credentials
    for line in &lines {
        for forbidden in [PRIMARY_SECRET, new_secret, token] {
            assert!(!line.contains(forbidden), "{forbidden} logged: {line}");
        }
        assert!(
            !line.to_ascii_lowercase().contains("authorization: basic"),
            "header value logged: {line}"
        );
    }
    assert!(lines.iter().any(|l| l.contains(PRIMARY)));
}
