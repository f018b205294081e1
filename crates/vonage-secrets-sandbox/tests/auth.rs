//! The authentication and ownership matrix.

mod common;

use common::*;

fn status_of_list(sb: &vonage_secrets_sandbox::Sandbox, auth: Option<&str>, key: &str) -> u16 {
    let url = format!("{}/accounts/{key}/secrets", sb.base_url());
    call(&agent(), "GET", &url, auth, None).unwrap().status
}

#[test]
fn own_secret_and_the_second_secret_work() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    assert_eq!(c.list(KEY).status, 200);
    assert_eq!(c.create(KEY, "Second-Secret-2").status, 201);
    // The new one works at once, and so does the old one.
    let second = Client::new(sb.base_url(), KEY, "Second-Secret-2");
    assert_eq!(second.list(KEY).status, 200);
    assert_eq!(c.list(KEY).status, 200);
    // Seeded with two secrets: either works.
    let sb2 = vonage_secrets_sandbox::Sandbox::builder()
        .account(KEY, SECRET)
        .account(KEY, "Other-Secret-2")
        .start()
        .unwrap();
    assert_eq!(sb2.secrets_of(KEY).unwrap().len(), 2);
    assert_eq!(status_of_list(&sb2, Some(&basic(KEY, SECRET)), KEY), 200);
    assert_eq!(
        status_of_list(&sb2, Some(&basic(KEY, "Other-Secret-2")), KEY),
        200
    );
}

#[test]
fn a_revoked_secret_stops_working_at_once() {
    let sb = sandbox();
    let old = Client::new(sb.base_url(), KEY, SECRET);
    let new = Client::new(sb.base_url(), KEY, "Second-Secret-2");
    assert_eq!(new.list(KEY).status, 401);
    assert_eq!(old.create(KEY, "Second-Secret-2").status, 201);
    let old_id = sb.secrets_of(KEY).unwrap()[0].id.clone();
    // The new secret revokes the old one (on a kept-alive connection of the old client too).
    assert_eq!(old.list(KEY).status, 200);
    assert_eq!(new.revoke(KEY, &old_id).status, 204);
    assert_eq!(old.list(KEY).status, 401);
    assert_eq!(new.list(KEY).status, 200);
}

#[test]
fn wrong_and_malformed_credentials_get_401() {
    let sb = sandbox();
    let b64 = |s: &str| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(s)
    };
    let cases: Vec<(String, Option<String>)> = vec![
        ("missing".into(), None),
        ("wrong secret".into(), Some(basic(KEY, "Wrong-Secret-1"))),
        ("unknown key".into(), Some(basic("nobody00", SECRET))),
        (
            "secret of another account".into(),
            Some(basic(KEY, SUB_SECRET)),
        ),
        ("empty secret".into(), Some(basic(KEY, ""))),
        (
            "no colon".into(),
            Some(format!("Basic {}", b64(&format!("{KEY}{SECRET}")))),
        ),
        ("bad base64".into(), Some("Basic !!!not-base64!!!".into())),
        ("scheme only".into(), Some("Basic".into())),
        (
            "other scheme".into(),
            Some(format!("Bearer {}", b64(&format!("{KEY}:{SECRET}")))),
        ),
        ("raw credentials".into(), Some(format!("{KEY}:{SECRET}"))),
        (
            "secret with a trailing space".into(),
            Some(basic(KEY, &format!("{SECRET} "))),
        ),
        (
            "prefix of the secret".into(),
            Some(basic(KEY, &SECRET[..SECRET.len() - 1])),
        ),
    ];
    for (name, auth) in cases {
        let url = format!("{}/accounts/{KEY}/secrets", sb.base_url());
        let reply = call(&agent(), "GET", &url, auth.as_deref(), None).unwrap();
        assert_eq!(reply.status, 401, "{name}");
        assert_eq!(reply.json()["title"], "Unauthorized", "{name}");
        assert_eq!(
            reply.header("www-authenticate"),
            Some("Basic realm=\"Vonage\"")
        );
    }
    // The scheme name is case-insensitive.
    let lower = basic(KEY, SECRET).replacen("Basic", "basic", 1);
    assert_eq!(status_of_list(&sb, Some(&lower), KEY), 200);
}

#[test]
fn primary_manages_its_secondary() {
    let sb = sandbox();
    let c = Client::new(sb.base_url(), KEY, SECRET);
    let list = c.list(SUB);
    assert_eq!(list.status, 200);
    assert_eq!(
        list.json()["_links"]["self"]["href"],
        format!("/accounts/{SUB}/secrets")
    );
    let created = c.create(SUB, "New-Sub-Secret-2");
    assert_eq!(created.status, 201);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(c.get(SUB, &id).status, 200);
    // The secondary's new secret authenticates the secondary.
    let sub = Client::new(sb.base_url(), SUB, "New-Sub-Secret-2");
    assert_eq!(sub.list(SUB).status, 200);
    let first = sb.secrets_of(SUB).unwrap()[0].id.clone();
    assert_eq!(c.revoke(SUB, &first).status, 204);
    assert_eq!(
        Client::new(sb.base_url(), SUB, SUB_SECRET).list(SUB).status,
        401
    );
    // The primary's own secrets are untouched.
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 1);
}

#[test]
fn secondary_cannot_touch_its_primary_and_primary_cannot_touch_a_stranger() {
    let sb = sandbox();
    let sub = Client::new(sb.base_url(), SUB, SUB_SECRET);
    assert_eq!(sub.list(SUB).status, 200);
    let primary_id = sb.secrets_of(KEY).unwrap()[0].id.clone();
    for reply in [
        sub.list(KEY),
        sub.get(KEY, &primary_id),
        sub.create(KEY, "Valid-Secret-9"),
        sub.revoke(KEY, &primary_id),
    ] {
        assert_eq!(reply.status, 404);
        assert_eq!(reply.json()["title"], "Invalid API Key");
        assert_eq!(reply.json()["detail"], format!("API key '{KEY}' not found"));
    }
    let c = Client::new(sb.base_url(), KEY, SECRET);
    let stranger = c.list(STRANGER);
    assert_eq!(stranger.status, 404);
    assert_eq!(
        stranger.json()["detail"],
        format!("API key '{STRANGER}' not found")
    );
    // Indistinguishable from a key that does not exist: accounts cannot be enumerated.
    let missing = c.list("nobody00");
    assert_eq!(missing.status, 404);
    let strip = |v: serde_json::Value| (v["type"].clone(), v["title"].clone());
    assert_eq!(strip(stranger.json()), strip(missing.json()));
    assert_eq!(sb.secrets_of(KEY).unwrap().len(), 1);
    assert_eq!(sb.secrets_of(STRANGER).unwrap().len(), 1);
}

#[test]
fn authentication_is_checked_before_ownership() {
    let sb = sandbox();
    // Wrong credentials on a stranger's key: 401, not 404.
    assert_eq!(
        status_of_list(&sb, Some(&basic(KEY, "Wrong-Secret-1")), STRANGER),
        401
    );
    assert_eq!(status_of_list(&sb, None, "nobody00"), 401);
}
