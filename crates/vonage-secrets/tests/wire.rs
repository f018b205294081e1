//! The exact wire shape, timeouts and caps, against a raw TCP server that records the bytes.

mod common;

use std::time::{Duration, Instant};

use common::{RawServer, Reply, header, json, json_with, list_body};
use vonage_secrets::{Client, Error, TransportErrorKind};

fn client(server: &RawServer) -> Client {
    Client::builder("abcd1234", "Primary-Secret-1")
        .base_url(&server.base_url)
        .user_agent("my-app/1.2")
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[test]
fn list_sends_get_with_basic_auth_accept_and_user_agent() {
    let server = RawServer::start(vec![json(
        200,
        &list_body(&[
            ("newer", "2020-01-02T00:00:00Z"),
            ("older", "2020-01-01T00:00:00Z"),
        ]),
    )]);
    let secrets = client(&server).secrets().list().unwrap();
    // Oldest first, whatever the server's order.
    let ids: Vec<&str> = secrets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["older", "newer"]);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert!(
        request.starts_with("GET /accounts/abcd1234/secrets HTTP/1.1\r\n"),
        "{request}"
    );
    // base64("abcd1234:Primary-Secret-1")
    assert_eq!(
        header(request, "authorization"),
        Some("Basic YWJjZDEyMzQ6UHJpbWFyeS1TZWNyZXQtMQ==")
    );
    assert_eq!(header(request, "accept"), Some("application/json"));
    let ua = header(request, "user-agent").unwrap();
    assert!(ua.starts_with("vonage-secrets/"), "{ua}");
    assert!(ua.ends_with(" my-app/1.2"), "{ua}");
}

#[test]
fn create_posts_the_json_body_and_get_and_revoke_encode_the_id_as_one_segment() {
    let server = RawServer::start(vec![
        json(201, common::ONE_SECRET),
        json(200, common::ONE_SECRET),
        Reply::Raw(b"HTTP/1.1 204 No Content\r\n\r\n".to_vec()),
    ]);
    let client = client(&server);
    let secrets = client.secrets_of("sub 0/1");
    let created = secrets.create("N3w-Secret-Value").unwrap();
    assert_eq!(created.id.as_str(), "ad6dc56f-07b5-46e1-a527-85530e625800");
    assert_eq!(created.created_at.to_rfc3339(), "2017-03-02T16:34:49+00:00");
    secrets.get("a/b?c#d").unwrap();
    secrets.revoke("../x").unwrap();

    let requests = server.requests();
    assert!(
        requests[0].starts_with("POST /accounts/sub%200%2F1/secrets HTTP/1.1\r\n"),
        "{}",
        requests[0]
    );
    assert_eq!(
        header(&requests[0], "content-type"),
        Some("application/json")
    );
    assert!(
        requests[0].ends_with(r#"{"secret":"N3w-Secret-Value"}"#),
        "{}",
        requests[0]
    );
    assert!(
        requests[1].starts_with("GET /accounts/sub%200%2F1/secrets/a%2Fb%3Fc%23d HTTP/1.1\r\n"),
        "{}",
        requests[1]
    );
    assert!(
        requests[2].starts_with("DELETE /accounts/sub%200%2F1/secrets/%2E%2E%2Fx HTTP/1.1\r\n")
            || requests[2].starts_with("DELETE /accounts/sub%200%2F1/secrets/..%2Fx HTTP/1.1\r\n"),
        "{}",
        requests[2]
    );
}

#[test]
fn empty_ids_and_bad_secrets_are_refused_before_any_io() {
    let server = RawServer::start(vec![json(200, common::ONE_SECRET)]);
    let client = client(&server);
    assert!(matches!(
        client.secrets().get(""),
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        client.secrets().revoke(""),
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        client.secrets_of("").list(),
        Err(Error::InvalidInput { .. })
    ));
    match client.secrets().create("qqqqq") {
        Err(Error::Policy(v)) => assert!(!v.to_string().contains("qqq")),
        other => panic!("unexpected {other:?}"),
    }
    assert!(server.requests().is_empty());
}

#[test]
fn a_hanging_server_times_out_within_the_budget() {
    let server = RawServer::start(vec![Reply::Hang(30)]);
    let client = Client::builder("abcd1234", "Primary-Secret-1")
        .base_url(&server.base_url)
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.secrets().list().unwrap_err();
    let took = start.elapsed();
    assert!(
        matches!(
            err,
            Error::Timeout {
                request_sent: true,
                ..
            }
        ),
        "{err:?}"
    );
    // The budget was waited for, and the call did not wait for the server: it would have
    // hung for 30 s. The upper bound is generous (a loaded machine) and far from both.
    println!("a hanging server: the call returned after {took:?} (budget 800 ms)");
    assert!(took >= Duration::from_millis(750), "{took:?}");
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert!(!err.is_retryable());
}

#[test]
fn a_trickling_body_cannot_stretch_the_budget() {
    // The whole body would take 30 s, each byte well within any per-read timeout.
    let server = RawServer::start(vec![Reply::Trickle {
        len: 300,
        every_ms: 100,
    }]);
    let client = Client::builder("abcd1234", "Primary-Secret-1")
        .base_url(&server.base_url)
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.secrets().list().unwrap_err();
    let took = start.elapsed();
    // A timeout, not the body (which a per-read limit would have waited for, 30 s long): the
    // upper bound is generous (a loaded machine) and far from that.
    println!("a trickling body: the call returned after {took:?} (budget 800 ms)");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn bodies_over_the_cap_are_a_decode_error() {
    let big = format!(r#"{{"x":"{}"}}"#, "a".repeat(2 * 1024 * 1024));
    let server = RawServer::start(vec![json(200, &big)]);
    let err = client(&server).secrets().list().unwrap_err();
    match err {
        Error::Decode { reason, .. } => assert!(reason.contains("cap"), "{reason}"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn undecodable_success_is_decode_and_undocumented_status_is_api() {
    let server = RawServer::start(vec![
        json(200, "<html>not json</html>"),
        json(418, "<html>teapot</html>"),
    ]);
    let client = client(&server);
    let err = client.secrets().list().unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let err = client.secrets().list().unwrap_err();
    match &err {
        Error::Api {
            status,
            problem: None,
            body_excerpt,
            ..
        } => {
            assert_eq!(status.as_u16(), 418);
            assert!(body_excerpt.contains("teapot"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!err.is_retryable());
}

#[test]
fn redirects_are_not_followed() {
    let server = RawServer::start(vec![json_with(
        302,
        &[("location", "http://127.0.0.1:1/elsewhere")],
        "",
    )]);
    let err = client(&server).secrets().list().unwrap_err();
    assert!(
        matches!(&err, Error::Api { status, .. } if status.as_u16() == 302),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn retry_after_is_honoured_and_503_is_retried() {
    let server = RawServer::start(vec![
        json_with(503, &[("retry-after", "1")], "{}"),
        json(200, &list_body(&[("only", "2020-01-01T00:00:00Z")])),
    ]);
    let start = Instant::now();
    let secrets = client(&server).secrets().list().unwrap();
    assert_eq!(secrets.len(), 1);
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_retry_after_beyond_the_budget_gives_up_at_once() {
    let server = RawServer::start(vec![json_with(503, &[("retry-after", "20")], "{}")]);
    let start = Instant::now();
    let err = client(&server).secrets().list().unwrap_err();
    assert!(matches!(&err, Error::Api { status, .. } if status.as_u16() == 503));
    assert!(err.is_retryable());
    // One request, and no sleep of the 20 s asked for (generous: a loaded machine).
    let took = start.elapsed();
    println!("a Retry-After beyond the budget: gave up after {took:?}");
    assert!(took < Duration::from_secs(15), "{took:?}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn connection_refused_is_a_retryable_connect_error() {
    // Bind and drop to find a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder("abcd1234", "Primary-Secret-1")
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(1)
        .build()
        .unwrap();
    let err = client.secrets().list().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[test]
fn a_revoke_retried_after_a_dropped_connection_that_finds_the_id_gone_succeeds() {
    let not_found = r#"{"type":"https://developer.nexmo.com/api-errors#invalid-id","title":"Invalid ID","detail":"ID 'x' could not be found","instance":"t-1"}"#;
    let server = RawServer::start(vec![Reply::Close, json(404, not_found)]);
    client(&server).secrets().revoke("x").unwrap();
    assert_eq!(server.requests().len(), 2);

    // Without the ambiguous first attempt, a 404 is an error.
    let server = RawServer::start(vec![json(404, not_found)]);
    let err = client(&server).secrets().revoke("x").unwrap_err();
    match &err {
        Error::SecretNotFound {
            secret_id, problem, ..
        } => {
            assert_eq!(secret_id.as_str(), "x");
            assert_eq!(problem.as_ref().unwrap().instance.as_deref(), Some("t-1"));
        }
        other => panic!("unexpected {other:?}"),
    }
}
