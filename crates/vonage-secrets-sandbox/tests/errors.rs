//! Every row of the facts page's error table, and the malformed requests, over real HTTP.

mod common;

use common::*;
use serde_json::json;
use vonage_secrets_sandbox::Sandbox;

const UNAUTHORIZED: &str = "https://developer.nexmo.com/api-errors#unauthorized";
const INVALID_KEY: &str = "https://developer.nexmo.com/api-errors#invalid-api-key";
const INVALID_ID: &str = "https://developer.nexmo.com/api-errors#invalid-id";
const VALIDATION: &str =
    "https://developer.nexmo.com/api-errors/account/secret-management#validation";
const EXCESS: &str =
    "https://developer.nexmo.com/api-errors/account/secret-management#add-excess-secret";
const LAST: &str =
    "https://developer.nexmo.com/api-errors/account/secret-management#delete-last-secret";

#[test]
fn unauthorized_401() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, "Wrong-Secret-1");
    for reply in [
        c.list(KEY),
        c.get(KEY, "x"),
        c.create(KEY, "Valid-Secret-9"),
        c.revoke(KEY, "x"),
    ] {
        assert_problem(
            &reply,
            401,
            UNAUTHORIZED,
            "Unauthorized",
            "You did not provide correct credentials.",
        );
        assert!(reply.json().get("invalid_parameters").is_none());
        assert_eq!(reply.header("content-type"), Some("application/json"));
    }
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 1);
}

#[test]
fn unknown_api_key_404() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    for reply in [
        c.list("abc123"),
        c.get("abc123", "x"),
        c.create("abc123", "Valid-Secret-9"),
        c.revoke("abc123", "x"),
    ] {
        assert_problem(
            &reply,
            404,
            INVALID_KEY,
            "Invalid API Key",
            "API key 'abc123' not found",
        );
    }
}

#[test]
fn unknown_secret_id_404() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    let id = "07239aeb-d756-4c32-a1de-cf64f8b21827";
    let detail = format!("ID '{id}' could not be found");
    assert_problem(&c.get(KEY, id), 404, INVALID_ID, "Invalid ID", &detail);
    // Two secrets, so that revoke is not refused as "the last one" first.
    assert_eq!(c.create(KEY, "Second-Secret-2").status, 201);
    assert_problem(&c.revoke(KEY, id), 404, INVALID_ID, "Invalid ID", &detail);
    // An id of another account's secret is unknown in this account.
    let sub_id = sb.secrets_of(SUB).unwrap()[0].id.clone();
    assert_eq!(c.get(KEY, &sub_id).status, 404);
    assert_eq!(c.get(SUB, &sub_id).status, 200);
}

#[test]
fn secret_breaking_the_rules_400() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    for bad in [
        "Short1a",                    // 7 characters
        "Aa1aaaaaaaaaaaaaaaaaaaaaaa", // 26 characters
        "alllowercase1",
        "ALLUPPERCASE1",
        "NoDigitsHere",
        "",
    ] {
        let reply = c.create(KEY, bad);
        assert_problem(
            &reply,
            400,
            VALIDATION,
            "Bad Request",
            "The request failed due to secret validation errors",
        );
        assert_eq!(
            reply.json()["invalid_parameters"],
            json!([{"name": "secret", "reason": "Does not meet complexity requirements"}]),
            "{bad:?}"
        );
    }
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 1);
    // The bounds themselves are accepted, and so are characters that are not portable:
    // the sandbox accepts what the real server accepts.
    assert_eq!(c.create(KEY, "Aa345678").status, 201);
    let id = sb.secrets_of(KEY).unwrap()[1].id.clone();
    assert_eq!(c.revoke(KEY, &id).status, 204);
    assert_eq!(c.create(KEY, "Aa1aaaaaaaaaaaaaaaaaaaaaa").status, 201);
    let id = sb.secrets_of(KEY).unwrap()[1].id.clone();
    assert_eq!(c.revoke(KEY, &id).status, 204);
    assert_eq!(c.create(KEY, "Quote\"and space 1A").status, 201);
    let id = sb.secrets_of(KEY).unwrap()[1].id.clone();
    assert_eq!(c.revoke(KEY, &id).status, 204);
    assert_eq!(c.create(KEY, "Ümlaut-Secret-1").status, 201);
}

#[test]
fn third_secret_403_by_default() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    assert_eq!(c.create(KEY, "Second-Secret-2").status, 201);
    let reply = c.create(KEY, "Third-Secret-3");
    assert_problem(
        &reply,
        403,
        EXCESS,
        "Secret Addition Forbidden",
        "Account reached maximum number [2] of allowed secrets",
    );
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 2);
}

#[test]
fn third_secret_400_when_configured() {
    let sb = Sandbox::builder()
        .account(KEY, SECRET)
        .account(KEY, "Second-Secret-2")
        .excess_secret_status(400)
        .start()
        .unwrap();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    let reply = c.create(KEY, "Third-Secret-3");
    assert_problem(
        &reply,
        400,
        EXCESS,
        "Secret Addition Forbidden",
        "Account reached maximum number [2] of allowed secrets",
    );
    assert!(
        Sandbox::builder()
            .excess_secret_status(409)
            .start()
            .is_err()
    );
}

#[test]
fn revoking_the_last_secret_403() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    let id = sb.secrets_of(KEY).unwrap()[0].id.clone();
    let reply = c.revoke(KEY, &id);
    assert_problem(
        &reply,
        403,
        LAST,
        "Secret Deletion Forbidden",
        "Can not delete the last secret. The account must always have at least 1 secret active \
         at any time",
    );
    assert_eq!(sb.secrets_of(KEY).unwrap()[0].id, id);
    // The secondary account obeys the same rule.
    let sub_id = sb.secrets_of(SUB).unwrap()[0].id.clone();
    assert_eq!(c.revoke(SUB, &sub_id).status, 403);
}

#[test]
fn each_error_has_a_fresh_instance() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, "nope");
    let a = c.list(KEY).json()["instance"].clone();
    let b = c.list(KEY).json()["instance"].clone();
    assert_ne!(a, b);
}

fn create_raw(sb: &Sandbox, content_type: Option<&str>, body: &[u8]) -> (u16, serde_json::Value) {
    let mut req = format!(
        "POST /accounts/{KEY}/secrets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
         Authorization: {}\r\nContent-Length: {}\r\n",
        basic(KEY, SECRET),
        body.len()
    )
    .into_bytes();
    if let Some(ct) = content_type {
        req.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
    }
    req.extend_from_slice(b"\r\n");
    req.extend_from_slice(body);
    let (status, body) = parse_raw(&raw(sb.local_addr(), &req));
    let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
    (status, json)
}

#[test]
fn malformed_create_bodies_400() {
    let sb = sandbox();
    let json_ct = Some("application/json");
    let (s, p) = create_raw(&sb, json_ct, b"{\"secret\": ");
    assert_eq!((s, p["title"].as_str()), (400, Some("Bad Request")), "{p}");
    assert!(
        p["detail"].as_str().unwrap().contains("not valid JSON"),
        "{p}"
    );
    let (s, p) = create_raw(&sb, json_ct, b"[\"Valid-Secret-9\"]");
    assert_eq!(s, 400, "{p}");
    let (s, p) = create_raw(&sb, json_ct, b"{}");
    assert_eq!(s, 400);
    assert_eq!(p["type"], VALIDATION);
    assert_eq!(p["invalid_parameters"][0]["reason"], "Is required");
    let (s, p) = create_raw(&sb, json_ct, b"{\"secret\": 12345678}");
    assert_eq!(s, 400);
    assert_eq!(p["invalid_parameters"][0]["reason"], "Must be a string");
    // The offending value is never echoed back.
    assert!(!p.to_string().contains("12345678"), "{p}");
    let (s, p) = create_raw(&sb, Some("text/plain"), b"{\"secret\": \"Valid-Secret-9\"}");
    assert_eq!(s, 400);
    assert!(
        p["detail"].as_str().unwrap().contains("Content-Type"),
        "{p}"
    );
    let (s, _) = create_raw(&sb, None, b"{\"secret\": \"Valid-Secret-9\"}");
    assert_eq!(s, 400);
    // With parameters, the media type still counts.
    let (s, p) = create_raw(
        &sb,
        Some("application/json; charset=utf-8"),
        b"{\"secret\": \"Valid-Secret-9\"}",
    );
    assert_eq!(s, 201, "{p}");
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 2);
}

#[test]
fn body_over_64_kib_413() {
    let sb = sandbox();
    let big = format!(
        "{{\"secret\": \"Valid-Secret-9\", \"pad\": \"{}\"}}",
        "x".repeat(70_000)
    );
    let (s, p) = create_raw(&sb, Some("application/json"), big.as_bytes());
    assert_eq!(s, 413, "{p}");
    assert_eq!(p["title"], "Payload Too Large");
    // Chunked, without a Content-Length: the limit holds while reading.
    let mut req = format!(
        "POST /accounts/{KEY}/secrets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
         Authorization: {}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n",
        basic(KEY, SECRET)
    )
    .into_bytes();
    for _ in 0..20 {
        req.extend_from_slice(format!("{:x}\r\n{}\r\n", 4096, "y".repeat(4096)).as_bytes());
    }
    req.extend_from_slice(b"0\r\n\r\n");
    let (s, _) = parse_raw(&raw(sb.local_addr(), &req));
    assert_eq!(s, 413);
    // A body just under the limit is read (and then judged on its content).
    let pad = 64 * 1024 - 100;
    let ok = format!(
        "{{\"secret\": \"Valid-Secret-9\", \"pad\": \"{}\"}}",
        "x".repeat(pad)
    );
    assert!(ok.len() < vonage_secrets_sandbox::MAX_BODY_BYTES);
    let (s, _) = create_raw(&sb, Some("application/json"), ok.as_bytes());
    assert_eq!(s, 201);
}

#[test]
fn unknown_route_404_and_wrong_method_405() {
    let sb = sandbox();
    let a = agent();
    let auth = basic(KEY, SECRET);
    for path in [
        "/",
        "/accounts",
        "/accounts/abcd1234",
        "/accounts/abcd1234/secrets/a/b",
        "/v1/x",
    ] {
        let url = format!("{}{path}", sb.base_url());
        let r = call(&a, "GET", &url, Some(&auth), None).unwrap();
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.json()["title"], "Not Found");
    }
    let url = format!("{}/accounts/{KEY}/secrets", sb.base_url());
    let r = call(&a, "PUT", &url, Some(&auth), None).unwrap();
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET, POST"));
    assert_eq!(r.json()["title"], "Method Not Allowed");
    let r = call(&a, "PATCH", &format!("{url}/some-id"), Some(&auth), None).unwrap();
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET, DELETE"));
}

#[test]
fn garbage_is_answered_and_the_server_keeps_serving() {
    let sb = sandbox();
    let out = raw(sb.local_addr(), b"THIS IS NOT HTTP\r\n\r\n");
    // hyper answers a request line it cannot parse with 400, or closes; either way no crash.
    assert!(out.is_empty() || out.starts_with("HTTP/1.1 400"), "{out:?}");
    let out = raw(
        sb.local_addr(),
        b"GET /accounts/abcd1234/secrets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
          Authorization: Basic\xff\xfe\r\n\r\n",
    );
    let (status, _) = parse_raw(&out);
    assert!(status == 401 || status == 400, "{out:?}");
    let c = Client::new(sb.base_url(), KEY, SECRET);
    assert_eq!(c.list(KEY).status, 200);
}
