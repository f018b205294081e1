//! The successful operations: shapes, ordering, state, and the request log.

mod common;

use common::*;
use vonage_secrets_sandbox::{Operation, Sandbox};

fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
        && s.chars()
            .filter(|&c| c != '-')
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

fn is_whole_second_utc(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok() && s.len() == 20 && s.ends_with('Z')
}

#[test]
fn list_get_create_revoke_round_trip() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, SECRET);

    let list = c.list(KEY);
    assert_eq!(list.status, 200);
    assert!(
        list.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let v = list.json();
    assert_eq!(v["_links"]["self"]["href"], "/accounts/abcd1234/secrets");
    let secrets = v["_embedded"]["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 1);
    let first = &secrets[0];
    let first_id = first["id"].as_str().unwrap().to_owned();
    assert!(is_uuid_v4(&first_id), "{first_id}");
    assert!(
        is_whole_second_utc(first["created_at"].as_str().unwrap()),
        "{first}"
    );
    assert_eq!(
        first["_links"]["self"]["href"],
        format!("/accounts/abcd1234/secrets/{first_id}")
    );
    // Exactly these fields: never the secret's value.
    let mut keys: Vec<_> = first.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["_links", "created_at", "id"]);

    let created = c.create(KEY, "Second-Secret-2");
    assert_eq!(created.status, 201);
    assert!(!created.body.contains("Second-Secret-2"));
    let body = created.json();
    let new_id = body["id"].as_str().unwrap().to_owned();
    assert!(is_uuid_v4(&new_id));
    assert_ne!(new_id, first_id);
    assert_eq!(
        body["_links"]["self"]["href"],
        format!("/accounts/abcd1234/secrets/{new_id}")
    );
    assert!(is_whole_second_utc(body["created_at"].as_str().unwrap()));

    let got = c.get(KEY, &new_id);
    assert_eq!(got.status, 200);
    assert_eq!(got.json(), body);

    assert_eq!(ids(&c.list(KEY).json()), [first_id.clone(), new_id.clone()]);

    // Revoking the secret the client authenticates with: later calls use the new one.
    let revoked = c.revoke(KEY, &first_id);
    assert_eq!(revoked.status, 204);
    assert!(revoked.body.is_empty());
    let c = Client::new(sb.base_url(), KEY, "Second-Secret-2");
    assert_eq!(ids(&c.list(KEY).json()), [new_id.as_str()]);
    assert_eq!(c.get(KEY, &first_id).status, 404);

    let state = sb.secrets_of(KEY).unwrap();
    assert_eq!(state.len(), 1);
    assert_eq!(state[0].id, new_id);
    assert_eq!(
        chrono::SubsecRound::trunc_subsecs(state[0].created_at, 0),
        state[0].created_at
    );
    assert!(sb.secrets_of("nobody00").is_none());
}

#[test]
fn list_keeps_creation_order_within_one_second() {
    let sb = sandbox();
    let mut c = Client::new(sb.base_url(), KEY, SECRET);
    // Rotate many times quickly: each time the newer secret must list last, even when both
    // were created in the same second.
    for i in 0..20 {
        let secret = format!("Rotated-Secret-{i}");
        let created = c.create(KEY, &secret);
        assert_eq!(created.status, 201);
        let new_id = created.json()["id"].as_str().unwrap().to_owned();
        let listed = ids(&c.list(KEY).json());
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[1], new_id);
        c = Client::new(sb.base_url(), KEY, &secret);
        assert_eq!(c.revoke(KEY, &listed[0]).status, 204);
    }
}

#[test]
fn request_log_records_everything_but_secret_material() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    let created = c.create(KEY, "Logged-Secret-7").json();
    let new_id = created["id"].as_str().unwrap();
    assert_eq!(c.get(KEY, new_id).status, 200);
    assert_eq!(c.revoke(KEY, new_id).status, 204);
    assert_eq!(
        Client::new(sb.base_url(), KEY, "Wrong-Secret-1")
            .list(KEY)
            .status,
        401
    );
    let url = format!("{}/nowhere", sb.base_url());
    assert_eq!(call(&agent(), "GET", &url, None, None).unwrap().status, 404);

    let log = sb.requests();
    let summary: Vec<_> = log
        .iter()
        .map(|r| {
            (
                r.method.as_str(),
                r.operation,
                r.status,
                r.api_key.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("POST", Some(Operation::Create), Some(201), Some(KEY)),
            ("GET", Some(Operation::Get), Some(200), Some(KEY)),
            ("DELETE", Some(Operation::Revoke), Some(204), Some(KEY)),
            ("GET", Some(Operation::List), Some(401), Some(KEY)),
            ("GET", None, Some(404), None),
        ]
    );
    assert_eq!(log[0].secret_id.as_deref(), Some(new_id));
    assert_eq!(log[0].path, "/accounts/abcd1234/secrets");
    assert!(log.iter().all(|r| r.fault.is_none()));
    assert!(log.windows(2).all(|w| w[0].at <= w[1].at));
    let everything = format!("{log:?}");
    for secret in [SECRET, "Logged-Secret-7", "Wrong-Secret-1"] {
        assert!(!everything.contains(secret), "{secret} in the log");
    }
    assert!(!everything.contains(&basic(KEY, SECRET)));
    sb.clear_requests();
    assert!(sb.requests().is_empty());
}

#[test]
fn builder_rejects_inconsistent_seeds() {
    let bad = [
        Sandbox::builder().account("", SECRET),
        Sandbox::builder().account("a:b", SECRET),
        Sandbox::builder().account(KEY, ""),
        Sandbox::builder()
            .account(KEY, "One-Secret-1")
            .account(KEY, "Two-Secret-2")
            .account(KEY, "Three-Secret-3"),
        Sandbox::builder().secondary("nobody", SUB, SUB_SECRET),
        Sandbox::builder()
            .account(KEY, SECRET)
            .secondary(KEY, SUB, SUB_SECRET)
            .secondary(SUB, "deeper01", SUB_SECRET),
        Sandbox::builder()
            .account(KEY, SECRET)
            .secondary(KEY, KEY, SUB_SECRET),
    ];
    for builder in bad {
        let err = builder.start().expect_err("inconsistent seeds");
        let msg = err.to_string();
        assert!(msg.contains("invalid sandbox configuration"), "{msg}");
        for secret in [SECRET, SUB_SECRET, "One-Secret-1", "Three-Secret-3"] {
            assert!(!msg.contains(secret), "{msg}");
        }
    }
}

#[test]
fn seeded_secrets_must_meet_the_servers_rules() {
    for (builder, account) in [
        (Sandbox::builder().account(KEY, "Short-1"), KEY),
        (Sandbox::builder().account(KEY, "no-upper-case-1"), KEY),
        (
            Sandbox::builder()
                .account(KEY, SECRET)
                .account(KEY, "NO-LOWER-CASE-1"),
            KEY,
        ),
        (
            Sandbox::builder()
                .account(KEY, SECRET)
                .secondary(KEY, SUB, "No-Digit-Here"),
            SUB,
        ),
    ] {
        let msg = builder.start().expect_err("a weak seed").to_string();
        assert!(msg.contains(&format!("account \"{account}\"")), "{msg}");
        assert!(msg.contains("rules refuse"), "{msg}");
        for secret in [
            "Short-1",
            "no-upper-case-1",
            "NO-LOWER-CASE-1",
            "No-Digit-Here",
            SECRET,
        ] {
            assert!(!msg.contains(secret), "{msg}");
        }
    }
    // The project's own portability rule is not the server's: the sandbox accepts what the
    // server does.
    assert!(
        Sandbox::builder()
            .account(KEY, "Caf\u{e9}-Secret-1")
            .start()
            .is_ok()
    );
}

#[test]
fn a_bind_error_does_not_repeat_its_cause() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let err = Sandbox::builder()
        .port(port)
        .start()
        .expect_err("port taken");
    let source = std::error::Error::source(&err).expect("the OS error is the source");
    let shown = err.to_string();
    assert!(!shown.contains(&source.to_string()), "{shown}");
    assert!(shown.contains(&format!("127.0.0.1:{port}")), "{shown}");
    assert!(shown.contains("already in use"), "{shown}");
}

#[test]
fn debug_output_holds_no_secret() {
    let builder = Sandbox::builder().account(KEY, SECRET);
    assert!(!format!("{builder:?}").contains(SECRET));
    let sb = builder.start().unwrap();
    assert!(!format!("{sb:?}").contains(SECRET));
}

#[test]
fn starts_fast_on_a_free_port_and_shuts_down_on_drop() {
    let t = std::time::Instant::now();
    let sb = sandbox();
    let elapsed = t.elapsed();
    // Typically well under a millisecond (see benches/load.rs), plus a few hundred once per
    // process for the demo Voximplant service account's RSA key; the bound leaves slack for a
    // loaded CI machine while still catching a start-up that blocks on something.
    assert!(elapsed < std::time::Duration::from_secs(10), "{elapsed:?}");
    assert!(sb.base_url().starts_with("http://127.0.0.1:"));
    assert_ne!(sb.local_addr().port(), 0);
    assert!(sb.ca_certificate_pem().is_none());
    let addr = sb.local_addr();
    drop(sb);
    // Nothing listens any more.
    assert!(std::net::TcpStream::connect(addr).is_err());
    // And the port can be chosen.
    let again = Sandbox::builder()
        .account(KEY, SECRET)
        .port(addr.port())
        .start();
    if let Ok(sb) = again {
        assert_eq!(sb.local_addr(), addr);
        let taken = Sandbox::builder().port(addr.port()).start();
        assert!(matches!(
            taken,
            Err(vonage_secrets_sandbox::Error::Bind { .. })
        ));
    }
}

#[test]
fn starts_and_drops_inside_another_async_runtime() {
    // A user's own `#[tokio::test]`: the sandbox's runtime is separate, so neither starting
    // nor dropping it may panic there.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sb = sandbox();
        let addr = sb.local_addr();
        assert!(std::net::TcpStream::connect(addr).is_ok());
        drop(sb);
    });
}

#[test]
fn the_request_log_can_be_bounded() {
    let sb = Sandbox::builder()
        .account(KEY, SECRET)
        .request_log_limit(3)
        .start()
        .unwrap();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    for _ in 0..4 {
        assert_eq!(c.list(KEY).status, 200);
    }
    let id = sb.secrets_of(KEY).unwrap()[0].id.clone();
    assert_eq!(c.get(KEY, &id).status, 200);
    let ops: Vec<_> = sb.requests().iter().map(|r| r.operation).collect();
    assert_eq!(
        ops,
        [
            Some(Operation::List),
            Some(Operation::List),
            Some(Operation::Get)
        ]
    );
    let none = Sandbox::builder()
        .account(KEY, SECRET)
        .request_log_limit(0)
        .start()
        .unwrap();
    assert_eq!(
        Client::new(none.base_url(), KEY, SECRET).list(KEY).status,
        200
    );
    assert!(none.requests().is_empty());
}
