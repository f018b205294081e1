//! No secret value, private key or token in `Debug`, `Display`, errors or logs, whatever a
//! server echoes back: a property test against a server that quotes the request it got.

mod common;

use std::sync::{Mutex, OnceLock};

use common::{Reply, Server, TEST_ONLY_PRIVATE_KEY};
use proptest::prelude::*;
use serde_json::json;
use voximplant_secrets::{Client, NewSecret, SecretString, SecretUpdate};

/// Every log line of this test binary at debug level and above (ureq's included). Trace is
/// left out: there ureq prints the bytes on the wire as a hex dump, request bodies and
/// headers included, cut into rows that no scrubbing can recognise (the README says so).
static LOG: Mutex<String> = Mutex::new(String::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Debug
    }
    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let mut log = LOG.lock().unwrap();
        log.push_str(&format!("{} {}\n", record.target(), record.args()));
    }
    fn flush(&self) {}
}

fn install_logger() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        log::set_logger(&Capture).unwrap();
        log::set_max_level(log::LevelFilter::Debug);
    });
}

/// A server that quotes the request's body and `Authorization` header: in an error document
/// (even indexes) or in a body that is not JSON (odd ones).
fn echoing_server() -> Server {
    Server::start(|request, index| {
        let echo = format!(
            "you sent {} with {}",
            request.body,
            request.header("authorization").unwrap_or("")
        );
        if index % 2 == 0 {
            Reply::error(200, 999, &echo)
        } else {
            Reply::Raw(500, vec![], echo)
        }
    })
}

fn key_lines() -> Vec<&'static str> {
    TEST_ONLY_PRIVATE_KEY
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()
}

fn assert_clean(text: &str, value: &str, tokens: &[String]) {
    assert!(!text.contains(value), "the value leaked: {text}");
    let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    assert!(
        !text.contains(&encoded),
        "the form-encoded value leaked: {text}"
    );
    for token in tokens {
        assert!(!text.contains(token.as_str()), "the token leaked: {text}");
        // Not even its signature.
        let signature = token.rsplit('.').next().unwrap();
        assert!(!text.contains(signature), "the signature leaked: {text}");
    }
    for line in key_lines() {
        assert!(!text.contains(line), "the private key leaked: {text}");
    }
}

fn value_strategy() -> impl Strategy<Value = String> {
    // A marker that no message of the client holds, then any printable text, non-ASCII and
    // characters that URLs and JSON escape included.
    "[a-zA-Z0-9 !\"#$%&'()*+,./:;<=>?@\\[\\\\\\]^_{|}~\u{e9}\u{20ac}\u{1F600}-]{6,60}"
        .prop_map(|tail| format!("Zq{tail}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24)
    ))]

    #[test]
    fn nothing_secret_reaches_errors_debug_or_logs(value in value_strategy()) {
        install_logger();
        let server = echoing_server();
        let client: Client = server.client();
        let secrets = client.application(1);
        let new = NewSecret::new("name", SecretString::from(value.clone()));
        let add = secrets.add(&new).unwrap_err();
        let update = secrets
            .update("name", &SecretUpdate::new().value(SecretString::from(value.clone())))
            .unwrap_err();
        let tokens: Vec<String> = server.requests().iter().filter_map(|r| r.token.clone()).collect();
        prop_assert_eq!(tokens.len(), 2);
        // The server did get the value: the echo holds it.
        let first = server.requests()[0].clone();
        prop_assert_eq!(first.field("secret_value"), Some(value.as_str()));
        for error in [&add, &update] {
            assert_clean(&error.to_string(), &value, &tokens);
            assert_clean(&format!("{error:?}"), &value, &tokens);
        }
        assert!(add.to_string().contains("999"), "{add}");
        assert_clean(&format!("{new:?} {client:?} {secrets:?}"), &value, &tokens);
        let log = LOG.lock().unwrap().clone();
        assert!(log.contains("AddSecret"), "the client logged its calls: {log}");
        assert_clean(&log, &value, &tokens);
    }
}

#[test]
fn a_read_value_is_not_shown_by_debug() {
    let server = Server::start(|_, _| {
        Reply::ok(
            json!({"result": [{"secret_id": 1, "secret_name": "n", "secret_value": "Zq-read-value"}]}),
        )
    });
    let secret = server.client().application(1).value(1).unwrap();
    let debug = format!("{secret:?}");
    assert!(!debug.contains("Zq-read-value"), "{debug}");
}
