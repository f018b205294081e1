//! Each fault mode does what it says, deterministically, and shows in the request log.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use vonage_secrets_sandbox::{Fault, FaultKind, Operation};

fn raw_list_request() -> Vec<u8> {
    format!(
        "GET /accounts/{KEY}/secrets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
         Authorization: {}\r\n\r\n",
        basic(KEY, SECRET)
    )
    .into_bytes()
}

#[test]
fn status_with_retry_after_for_the_next_n_of_one_operation() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    sb.inject(
        Fault::status(503)
            .times(2)
            .retry_after(1)
            .on(Operation::List),
    );
    let id = sb.secrets_of(KEY).unwrap()[0].id.clone();
    // Another operation is not affected.
    assert_eq!(c.get(KEY, &id).status, 200);
    for _ in 0..2 {
        let r = c.list(KEY);
        assert_eq!(r.status, 503);
        assert_eq!(r.header("retry-after"), Some("1"));
        assert_eq!(r.json()["type"], "about:blank");
        assert_eq!(r.json()["title"], "Service Unavailable");
    }
    let r = c.list(KEY);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("retry-after"), None);

    let applied: Vec<_> = sb.requests().iter().map(|r| r.fault.clone()).collect();
    let s = Some(FaultKind::Status {
        status: 503,
        retry_after: Some(1),
    });
    assert_eq!(applied, [None, s.clone(), s, None]);
}

#[test]
fn a_status_fault_leaves_the_state_alone_and_checks_nothing() {
    let sb = sandbox();
    sb.inject(Fault::status(500).on(Operation::Create));
    let c = Client::new(sb.base_url(), KEY, SECRET);
    assert_eq!(c.create(KEY, "Valid-Secret-9").status, 500);
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 1);
    // Faults come before authentication (like a failing proxy in front of the API).
    sb.inject(Fault::status(429).retry_after(30));
    assert_eq!(
        Client::new(sb.base_url(), KEY, "wrong").list(KEY).status,
        429
    );
    // Without `on`, a fault applies to any request, even one matching no operation.
    sb.inject(Fault::status(502));
    let url = format!("{}/nowhere", sb.base_url());
    assert_eq!(call(&agent(), "GET", &url, None, None).unwrap().status, 502);
    assert_eq!(c.create(KEY, "Valid-Secret-9").status, 201);
}

#[test]
fn delay_then_normal_handling() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    sb.inject(Fault::delay(Duration::from_millis(300)).on(Operation::Create));
    let t = Instant::now();
    assert_eq!(c.create(KEY, "Delayed-Secret-1").status, 201);
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 2);
    // Used up: the next request is not delayed.
    assert_eq!(c.list(KEY).status, 200);
    let log = sb.requests();
    assert_eq!(
        log[0].fault,
        Some(FaultKind::Delay(Duration::from_millis(300)))
    );
    assert_eq!(log[0].status, Some(201));
    assert_eq!(log[1].fault, None);
}

#[test]
fn close_connection_before_responding() {
    let sb = sandbox();
    sb.inject(Fault::close_connection().on(Operation::List));
    let out = raw(sb.local_addr(), &raw_list_request());
    assert_eq!(out, "", "no response at all");
    // A real client sees an error, and the next request goes through.
    sb.inject(Fault::close_connection().on(Operation::Create));
    let c = Client::new(sb.base_url(), KEY, SECRET);
    let url = format!("{}/accounts/{KEY}/secrets", sb.base_url());
    let body = serde_json::json!({"secret": "Valid-Secret-9"});
    assert!(call(&c.agent, "POST", &url, Some(&c.auth), Some(&body)).is_err());
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 1, "not applied");
    assert_eq!(c.list(KEY).status, 200);
    let log = sb.requests();
    assert_eq!(log[0].status, None);
    assert_eq!(log[0].fault, Some(FaultKind::CloseConnection));
    assert_eq!(log[1].fault, Some(FaultKind::CloseConnection));
    assert_eq!(log[2].fault, None);
}

#[test]
fn truncated_body() {
    let sb = sandbox();
    sb.inject(Fault::truncated_body().on(Operation::List));
    let out = raw(sb.local_addr(), &raw_list_request());
    let (head, body) = out.split_once("\r\n\r\n").expect("headers were sent");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let declared: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .expect("a content-length")
        .parse()
        .unwrap();
    assert!(body.len() < declared, "{} of {declared}", body.len());
    assert_eq!(body.len(), declared / 2);
    assert!(serde_json::from_str::<serde_json::Value>(body).is_err());

    // The operation itself was applied: a create's secret exists, its response is cut.
    sb.inject(Fault::truncated_body().on(Operation::Create));
    let c = Client::new(sb.base_url(), KEY, SECRET);
    let url = format!("{}/accounts/{KEY}/secrets", sb.base_url());
    let body = serde_json::json!({"secret": "Valid-Secret-9"});
    assert!(call(&c.agent, "POST", &url, Some(&c.auth), Some(&body)).is_err());
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 2);
    let log = sb.requests();
    assert_eq!(log[1].status, Some(201));
    assert_eq!(log[1].fault, Some(FaultKind::TruncatedBody));
}

#[test]
fn invalid_json() {
    let sb = sandbox();
    sb.inject(Fault::invalid_json().times(2));
    let c = Client::new(sb.base_url(), KEY, SECRET);
    for _ in 0..2 {
        let r = c.list(KEY);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert!(!r.body.is_empty());
        assert!(
            serde_json::from_str::<serde_json::Value>(&r.body).is_err(),
            "{}",
            r.body
        );
    }
    assert!(serde_json::from_str::<serde_json::Value>(&c.list(KEY).body).is_ok());
}

#[test]
fn hang_never_answers_and_does_not_block_shutdown() {
    let sb = sandbox();
    sb.inject(Fault::hang().always().on(Operation::List));
    let mut stream = TcpStream::connect(sb.local_addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(400)))
        .unwrap();
    stream.write_all(&raw_list_request()).unwrap();
    let mut buf = [0u8; 64];
    let err = stream.read(&mut buf).expect_err("no answer");
    assert!(
        matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{err:?}"
    );
    // Other operations still work meanwhile.
    let c = Client::new(sb.base_url(), KEY, SECRET);
    let id = sb.secrets_of(KEY).unwrap()[0].id.clone();
    assert_eq!(c.get(KEY, &id).status, 200);
    assert_eq!(sb.requests()[0].fault, Some(FaultKind::Hang));
    assert_eq!(sb.requests()[0].status, None);

    let t = Instant::now();
    drop(sb);
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    // The hanging connection was closed by the shutdown.
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    assert_eq!(stream.read(&mut buf).unwrap_or(0), 0);
}

#[test]
fn always_until_cleared_and_faults_apply_in_order() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    sb.inject(Fault::status(500).always().on(Operation::List));
    sb.inject(Fault::status(418));
    for _ in 0..5 {
        assert_eq!(c.list(KEY).status, 500);
    }
    let id = sb.secrets_of(KEY).unwrap()[0].id.clone();
    assert_eq!(c.get(KEY, &id).status, 418);
    assert_eq!(c.get(KEY, &id).status, 200);
    sb.clear_faults();
    assert_eq!(c.list(KEY).status, 200);
    // A status outside 200..=599 is served as 500.
    sb.inject(Fault::status(42));
    assert_eq!(c.list(KEY).status, 500);
}
