//! Property tests: arbitrary requests are answered (never a crash, never a 5xx), and the
//! sandbox's verdict on a new secret is the policy crate's verdict on the server's rules.

mod common;

use std::sync::OnceLock;

use common::*;
use proptest::prelude::*;
use vonage_secrets_sandbox::Sandbox;

fn shared() -> &'static Sandbox {
    static SANDBOX: OnceLock<Sandbox> = OnceLock::new();
    SANDBOX.get_or_init(sandbox)
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Revokes every secret of the secondary account but the first, so each case starts alike.
fn reset(c: &Client) {
    let sb = shared();
    for s in sb.secrets_of(SUB).unwrap().iter().skip(1) {
        assert_eq!(c.revoke(SUB, &s.id).status, 204);
    }
}

fn server_rules_accept(secret: &str) -> bool {
    match vonage_secrets_policy::validate(secret) {
        Ok(()) => true,
        Err(v) => v.iter().all(|v| !v.is_server_rule()),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn create_verdict_matches_the_policy(secret in prop_oneof![
        "[ -~]{0,30}",
        "[a-zA-Z0-9]{6,27}",
        any::<String>(),
    ]) {
        let c = Client::new(shared().base_url(), KEY, SECRET);
        reset(&c);
        let reply = c.create(SUB, &secret);
        let expected = if server_rules_accept(&secret) { 201 } else { 400 };
        prop_assert_eq!(reply.status, expected, "{:?}", reply.body);
        if expected == 400 {
            prop_assert_eq!(
                &reply.json()["invalid_parameters"][0]["reason"],
                "Does not meet complexity requirements"
            );
        }
        reset(&c);
    }

    #[test]
    fn arbitrary_bodies_are_answered(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let c = Client::new(shared().base_url(), KEY, SECRET);
        reset(&c);
        let url = format!("{}/accounts/{SUB}/secrets", shared().base_url());
        let request = http::Request::post(&url)
            .header("Authorization", &c.auth)
            .header("Content-Type", "application/json")
            .body(body)
            .unwrap();
        let response = c.agent.run(request).unwrap();
        let status = response.status().as_u16();
        prop_assert!(status == 201 || status == 400, "{}", status);
        let text = response.into_body().read_to_string().unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert!(json.is_object());
        reset(&c);
    }

    #[test]
    fn arbitrary_headers_and_paths_are_answered(
        authorization in "[ -~]{0,60}",
        segment in "[a-zA-Z0-9%._~-]{0,20}",
    ) {
        let a = agent();
        let base = shared().base_url();
        for url in [
            format!("{base}/accounts/{segment}/secrets"),
            format!("{base}/accounts/{KEY}/secrets/{segment}"),
            format!("{base}/{segment}"),
        ] {
            let r = call(&a, "GET", &url, Some(&authorization), None).unwrap();
            prop_assert!(matches!(r.status, 200 | 401 | 404), "{} {}", url, r.status);
            prop_assert!(r.json().is_object());
        }
    }
}
