//! What errors say: the api key whose credentials were refused, DNS failures named as such,
//! and actions in words rather than operation ids.

mod common;

use std::time::{Duration, Instant};

use common::{PRIMARY, SECONDARY, client, json, sandbox};
use vonage_secrets::{Client, Error, TransportErrorKind};
use vonage_secrets_sandbox::Fault;

const OPERATION_IDS: [&str; 4] = [
    "retrieveAPISecrets",
    "retrieveAPISecret",
    "createAPISecret",
    "revokeAPISecret",
];

fn assert_no_operation_id(message: &str) {
    for id in OPERATION_IDS {
        assert!(!message.contains(id), "{message}");
    }
}

#[test]
fn a_refused_secondary_account_call_names_the_key_whose_credentials_were_refused() {
    let sandbox = sandbox();
    let client = client(&sandbox, PRIMARY, "Wrong-Secret-1");
    let err = client.secrets_of(SECONDARY).list().unwrap_err();
    match &err {
        Error::Unauthorized { api_key, .. } => assert_eq!(api_key, PRIMARY),
        other => panic!("unexpected {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains(&format!("api key {PRIMARY}")), "{message}");
    assert!(!message.contains(SECONDARY), "{message}");
}

#[test]
fn an_undocumented_401_without_a_problem_names_the_credentials_key_too() {
    let server = common::RawServer::start(vec![common::Reply::Raw(
        b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n".to_vec(),
    )]);
    let client = Client::builder(PRIMARY, "Primary-Secret-1")
        .base_url(&server.base_url)
        .build()
        .unwrap();
    match client.secrets_of(SECONDARY).list().unwrap_err() {
        Error::Unauthorized { api_key, .. } => assert_eq!(api_key, PRIMARY),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_host_that_does_not_resolve_is_a_dns_error_that_says_so() {
    let client = Client::builder(PRIMARY, "Primary-Secret-1")
        .base_url("https://no-such-host.vonage-secrets.invalid")
        // A slow resolver cannot hold the test: the budget bounds the lookup too.
        .timeout(Duration::from_secs(20))
        .max_retries(0)
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.secrets().list().unwrap_err();
    println!("resolving took {:?}: {err}", start.elapsed());
    match &err {
        Error::Transport { kind, .. } => assert_eq!(*kind, TransportErrorKind::Dns, "{err}"),
        other => panic!("unexpected {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("could not be resolved"), "{message}");
    assert!(
        message.contains("no-such-host.vonage-secrets.invalid"),
        "{message}"
    );
    assert!(!message.contains("connection broke"), "{message}");
    assert!(!err.is_ambiguous());
}

#[test]
fn messages_say_what_was_being_done_in_words() {
    let sandbox = sandbox();
    let client = common::primary(&sandbox);
    let secrets = client.secrets();
    let id = secrets.list().unwrap()[0].id.clone();
    type Call<'a> = Box<dyn Fn() -> Error + 'a>;
    let cases: Vec<(&str, Call<'_>)> = vec![
        (
            "listing the secrets",
            Box::new(|| secrets.list().unwrap_err()),
        ),
        (
            "getting a secret",
            Box::new(|| secrets.get(&id).unwrap_err()),
        ),
        (
            "creating a secret",
            Box::new(|| secrets.create("N3w-Secret-Value").unwrap_err()),
        ),
        (
            "revoking a secret",
            Box::new(|| secrets.revoke(&id).unwrap_err()),
        ),
    ];
    for (words, call) in cases {
        sandbox.inject(Fault::status(500).always());
        let err = call();
        sandbox.clear_faults();
        assert!(matches!(err, Error::Api { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.starts_with(words), "{message}");
        assert_no_operation_id(&message);
        assert!(
            err.operation()
                .is_some_and(|id| OPERATION_IDS.contains(&id))
        );
    }
}

#[test]
fn timeouts_transport_and_decode_errors_use_words_too() {
    let server = common::RawServer::start(vec![json(200, "not json")]);
    let client = Client::builder(PRIMARY, "Primary-Secret-1")
        .base_url(&server.base_url)
        .build()
        .unwrap();
    let err = client.secrets().list().unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("listing the secrets failed"),
        "{err}"
    );
    assert_no_operation_id(&err.to_string());

    let server = common::RawServer::start(vec![common::Reply::Hang(5)]);
    let client = Client::builder(PRIMARY, "Primary-Secret-1")
        .base_url(&server.base_url)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client.secrets().create("N3w-Secret-Value").unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("creating a secret failed"),
        "{err}"
    );
    assert_no_operation_id(&err.to_string());

    let server = common::RawServer::start(vec![common::Reply::Close]);
    let client = Client::builder(PRIMARY, "Primary-Secret-1")
        .base_url(&server.base_url)
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.secrets().revoke("x").unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("revoking a secret failed"),
        "{err}"
    );
    assert_no_operation_id(&err.to_string());
}
