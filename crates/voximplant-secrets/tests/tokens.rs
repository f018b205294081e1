//! What the client sends as its token, and when it makes a new one; and reading credentials.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{ACCOUNT_ID, KEY_ID, Reply, Server, Shape, TEST_ONLY_PRIVATE_KEY};
use serde_json::json;
use voximplant_secrets::{Client, Credentials, Error, NewSecret, SecretString, codes};

#[test]
fn the_token_names_the_key_and_the_account_and_lives_at_most_an_hour() {
    let (server, _) = Server::emulator(Shape::Object);
    server.client().application(1).list().count();
    let request = &server.requests()[0];
    let (header, claims) = request.verified.clone().expect("the token verifies");
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    assert_eq!(header.kid.as_deref(), Some(KEY_ID));
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    assert_eq!(claims.iss, ACCOUNT_ID);
    assert!(claims.exp > claims.iat);
    assert_eq!(claims.exp - claims.iat, 60, "the default lifetime");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(claims.iat <= now, "not issued in the future");
    // `iss` is the account id as a JSON number, as the API expects.
    let payload = request.token.as_deref().unwrap().split('.').nth(1).unwrap();
    let payload = base64_url_decode(payload);
    let payload: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(payload["iss"], json!(ACCOUNT_ID));

    // The longest lifetime the API takes.
    let client = Client::builder(common::credentials())
        .base_url(&server.base_url)
        .token_lifetime(Duration::from_secs(3600))
        .build()
        .unwrap();
    client.application(1).list().count();
    let (_, claims) = server.requests()[1].verified.clone().unwrap();
    assert_eq!(claims.exp - claims.iat, 3600);
}

#[test]
fn acting_for_a_child_account_puts_it_in_iss() {
    let (server, _) = Server::emulator(Shape::Object);
    let client = Client::builder(common::credentials())
        .base_url(&server.base_url)
        .child_account(777)
        .build()
        .unwrap();
    client.application(1).list().count();
    let (header, claims) = server.requests()[0].verified.clone().unwrap();
    assert_eq!(claims.iss, 777);
    assert_eq!(
        header.kid.as_deref(),
        Some(KEY_ID),
        "still the parent's key"
    );
}

#[test]
fn a_token_is_reused_until_near_its_end_then_made_anew() {
    let (server, _) = Server::emulator(Shape::Object);
    let client = server.client();
    for _ in 0..3 {
        client.application(1).list().count();
    }
    let tokens: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.token.clone().unwrap())
        .collect();
    assert_eq!(tokens[0], tokens[1]);
    assert_eq!(tokens[1], tokens[2]);

    // With a lifetime of 2 s, a token is not sent with less than 1 s left: after a second
    // the client signs a new one.
    let client = Client::builder(common::credentials())
        .base_url(&server.base_url)
        .token_lifetime(Duration::from_secs(2))
        .build()
        .unwrap();
    client.application(1).list().count();
    std::thread::sleep(Duration::from_millis(1100));
    client.application(1).list().count();
    let requests = server.requests();
    let (_, first) = requests[3].verified.clone().unwrap();
    let (_, second) = requests[4].verified.clone().unwrap();
    assert!(second.iat > first.iat, "{first:?} then {second:?}");
}

#[test]
fn token_expired_is_answered_with_one_new_token_and_one_resend() {
    // The first answer says the token expired; the resend (of a method that changes
    // something, too) succeeds.
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    let server = Server::start(move |_, _| {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::error(200, codes::TOKEN_EXPIRED, "Token expired")
        } else {
            Reply::ok(json!({"result": {"secret_id": 5}}))
        }
    });
    let client = server.client();
    let added = client
        .application(1)
        .add(&NewSecret::new("name", SecretString::from("value")))
        .unwrap();
    assert_eq!(added.id, 5);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.verified.is_some()));
    // The cache was dropped: the second token is a new signature (same claims within the
    // same second sign to the same text, so compare what the client did, not the bytes).
    assert_eq!(requests[1].field("secret_name"), Some("name"));

    // Expired again after the new token: an error, not a loop.
    let server = Server::start(|_, _| Reply::error(401, codes::TOKEN_EXPIRED, "Token expired"));
    let error = server.client().application(1).delete_all().unwrap_err();
    assert!(matches!(error, Error::TokenExpired { .. }), "{error:?}");
    assert_eq!(server.requests().len(), 2);
    assert!(error.to_string().contains("clock"), "{error}");
}

#[test]
fn credentials_come_from_the_file_or_the_environment() {
    let dir = std::env::temp_dir().join(format!("vox13-credentials-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("credentials.json");
    let file = json!({
        "account_email": "owner@example.com",
        "account_id": ACCOUNT_ID,
        "key_id": KEY_ID,
        "private_key": TEST_ONLY_PRIVATE_KEY,
    });
    std::fs::write(&path, file.to_string()).unwrap();
    let credentials = Credentials::from_credentials_file(&path).unwrap();
    assert_eq!(credentials.account_id(), ACCOUNT_ID);
    assert_eq!(credentials.key_id(), KEY_ID);
    assert_eq!(credentials.account_email(), Some("owner@example.com"));
    let debug = format!("{credentials:?}");
    assert!(
        !debug.contains("PRIVATE KEY") && debug.contains("<redacted>"),
        "{debug}"
    );

    // A broken key: the error names the file and the field, never the key.
    let broken = json!({"account_id": 1, "key_id": "k", "private_key": "-----BEGIN RSA PRIVATE KEY-----\nAAAAsecretish\n-----END RSA PRIVATE KEY-----"});
    std::fs::write(&path, broken.to_string()).unwrap();
    let error = Credentials::from_credentials_file(&path).unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("private_key") && text.contains("credentials.json"),
        "{text}"
    );
    assert!(
        !format!("{text} {error:?}").contains("AAAAsecretish"),
        "{text}"
    );

    // Not JSON at all, a missing field, a missing file.
    std::fs::write(&path, "{\"account_id\": \"AAAAsecretish\"").unwrap();
    let error = Credentials::from_credentials_file(&path).unwrap_err();
    assert!(
        !format!("{error} {error:?}").contains("AAAAsecretish"),
        "{error}"
    );
    let error = Credentials::from_credentials_file(dir.join("missing.json")).unwrap_err();
    assert!(
        matches!(&error, Error::Credentials { path: Some(_), .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("cannot be read"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Setting variables needs `unsafe` in edition 2024 (and this workspace forbids it), so the
/// parent test runs this one in a child process with the variables set; run alone, it has
/// nothing to check and returns.
#[test]
fn child_from_env() {
    let Some(mode) = std::env::var_os("VOX13_FROM_ENV_CHILD") else {
        return;
    };
    match Client::from_env() {
        Ok(client) if mode == "ok" => {
            client.application(1).list().for_each(|s| {
                s.unwrap();
            });
        }
        Err(error) if mode == "missing" => {
            let text = error.to_string();
            assert!(text.contains("VOXIMPLANT_CREDENTIALS is not set"), "{text}");
        }
        other => panic!("{mode:?}: {other:?}"),
    }
}

#[test]
fn from_env_reads_the_path_and_the_base_url() {
    let (server, _) = Server::emulator(Shape::Object);
    let dir = std::env::temp_dir().join(format!("vox13-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("credentials.json");
    let file =
        json!({"account_id": ACCOUNT_ID, "key_id": KEY_ID, "private_key": TEST_ONLY_PRIVATE_KEY});
    std::fs::write(&path, file.to_string()).unwrap();
    let child = |mode: &str, credentials: Option<&std::path::Path>| {
        let mut command = std::process::Command::new(std::env::current_exe().unwrap());
        command
            .args(["--exact", "child_from_env", "--test-threads=1"])
            .env("VOX13_FROM_ENV_CHILD", mode)
            .env("VOXIMPLANT_API_BASE_URL", &server.base_url);
        match credentials {
            Some(p) => command.env("VOXIMPLANT_CREDENTIALS", p),
            None => command.env_remove("VOXIMPLANT_CREDENTIALS"),
        };
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{mode}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    };
    child("ok", Some(&path));
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "the child listed against the base URL from the environment"
    );
    assert!(requests[0].verified.is_some());
    child("missing", None);
    assert_eq!(server.requests().len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn base64_url_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = Vec::new();
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
        buffer = (buffer << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}
