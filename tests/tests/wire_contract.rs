//! The generated operations against the sandbox, over real HTTP.
//!
//! The sandbox writes its JSON from its own wire structs and the client parses it with the types
//! generated from the spec. Every answer must land in the variant the spec documents for it, never
//! in `Unexpected`: a disagreement between the spec, the generator and the sandbox fails here.

use base64::Engine as _;
use proptest::prelude::*;
use vonage_secrets_api::operations::{
    CreateApiSecret, CreateApiSecretOutcome, RetrieveApiSecret, RetrieveApiSecretOutcome,
    RetrieveApiSecrets, RetrieveApiSecretsOutcome, RevokeApiSecret, RevokeApiSecretOutcome,
};
use vonage_secrets_api::{AuthScheme, BaseUrl, Operation, types};
use vonage_secrets_sandbox::Sandbox;

const KEY: &str = "abcd1234";
const SECRET: &str = "Initial-Secret-1";
const SUB_KEY: &str = "sub98765";
const SUB_SECRET: &str = "Sub-Secret-22";

fn sandbox() -> Sandbox {
    Sandbox::builder()
        .account(KEY, SECRET)
        .secondary(KEY, SUB_KEY, SUB_SECRET)
        .start()
        .expect("sandbox starts")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
}

/// Carries one generated operation over ureq with the Basic credentials its spec declares and
/// parses the answer.
fn send<O: Operation>(sandbox: &Sandbox, key: &str, secret: &str, operation: &O) -> O::Outcome {
    assert_eq!(O::METADATA.auth, AuthScheme::Basic, "{}", O::OPERATION_ID);
    let base = BaseUrl::parse(sandbox.base_url()).expect("the sandbox's URL is a base URL");
    let mut request = operation.to_request(&base).expect("request builds");
    let credentials = base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"));
    request.headers_mut().insert(
        http::header::AUTHORIZATION,
        format!("Basic {credentials}")
            .parse()
            .expect("header value"),
    );
    let response = agent().run(request).expect("the sandbox answers");
    let (parts, mut body) = response.into_parts();
    let bytes = body.read_to_vec().expect("body reads");
    O::parse_response(&http::Response::from_parts(parts, bytes))
}

fn list(sandbox: &Sandbox, key: &str, secret: &str, of: &str) -> RetrieveApiSecretsOutcome {
    let operation = RetrieveApiSecrets { api_key: of.into() };
    send(sandbox, key, secret, &operation)
}

fn create(
    sandbox: &Sandbox,
    key: &str,
    secret: &str,
    of: &str,
    new: &str,
) -> CreateApiSecretOutcome {
    let operation = CreateApiSecret {
        api_key: of.into(),
        body: types::CreateSecretRequest::try_new(new).expect("within the spec's length limits"),
    };
    send(sandbox, key, secret, &operation)
}

fn fragment(problem: &types::Problem) -> &str {
    problem.type_.rsplit('#').next().unwrap_or_default()
}

#[test]
fn the_happy_path_parses_into_documented_variants() {
    let sandbox = sandbox();

    let RetrieveApiSecretsOutcome::Ok(listed) = list(&sandbox, KEY, SECRET, KEY) else {
        panic!("list should succeed");
    };
    assert_eq!(listed.embedded.secrets.len(), 1);
    let first = &listed.embedded.secrets[0];
    let href = &listed
        .links
        .as_ref()
        .and_then(|l| l.self_.as_ref())
        .expect("self link")
        .href;
    assert_eq!(href, &format!("/accounts/{KEY}/secrets"));

    let CreateApiSecretOutcome::Created(created) =
        create(&sandbox, KEY, SECRET, KEY, "N3w-secret-value")
    else {
        panic!("create should succeed");
    };
    assert_ne!(created.id, first.id);
    assert!(created.created_at >= first.created_at);
    let href = &created
        .links
        .as_ref()
        .and_then(|l| l.self_.as_ref())
        .expect("self link")
        .href;
    assert_eq!(href, &format!("/accounts/{KEY}/secrets/{}", created.id));

    // The new secret authenticates at once.
    let get = RetrieveApiSecret {
        api_key: KEY.into(),
        secret_id: created.id.clone(),
    };
    match send(&sandbox, KEY, "N3w-secret-value", &get) {
        RetrieveApiSecretOutcome::Ok(secret) => assert_eq!(secret, created),
        other => panic!("get should succeed, got {other:?}"),
    }

    let revoke = RevokeApiSecret {
        api_key: KEY.into(),
        secret_id: first.id.clone(),
    };
    assert_eq!(
        send(&sandbox, KEY, "N3w-secret-value", &revoke),
        RevokeApiSecretOutcome::NoContent
    );

    let RetrieveApiSecretsOutcome::Ok(listed) = list(&sandbox, KEY, "N3w-secret-value", KEY) else {
        panic!("list should succeed");
    };
    let ids: Vec<_> = listed
        .embedded
        .secrets
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(ids, [created.id.as_str()]);
    let state: Vec<_> = sandbox
        .secrets_of(KEY)
        .expect("account")
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(state, vec![created.id]);
}

#[test]
fn every_error_of_the_facts_page_parses_into_its_documented_variant() {
    let sandbox = sandbox();

    match list(&sandbox, KEY, "Wrong-secret-1", KEY) {
        RetrieveApiSecretsOutcome::Unauthorized(p) => assert_eq!(fragment(&p), "unauthorized"),
        other => panic!("expected 401, got {other:?}"),
    }
    match list(&sandbox, KEY, SECRET, "nosuchkey") {
        RetrieveApiSecretsOutcome::NotFound(p) => {
            assert_eq!(fragment(&p), "invalid-api-key");
            assert_eq!(p.detail, "API key 'nosuchkey' not found");
        }
        other => panic!("expected 404, got {other:?}"),
    }
    let missing = RetrieveApiSecret {
        api_key: KEY.into(),
        secret_id: "1b1b1b1b-1b1b-1b-1b1b-1b1b1b1b1b1b".into(),
    };
    match send(&sandbox, KEY, SECRET, &missing) {
        RetrieveApiSecretOutcome::NotFound(p) => assert_eq!(fragment(&p), "invalid-id"),
        other => panic!("expected 404, got {other:?}"),
    }
    match create(&sandbox, KEY, SECRET, KEY, "alllowercase") {
        CreateApiSecretOutcome::BadRequest(p) => {
            assert_eq!(fragment(&p), "validation");
            assert_eq!(p.invalid_parameters.len(), 1);
            assert_eq!(p.invalid_parameters[0].name, "secret");
        }
        other => panic!("expected 400, got {other:?}"),
    }
    let CreateApiSecretOutcome::Created(_) = create(&sandbox, KEY, SECRET, KEY, "Second-Secret-2")
    else {
        panic!("a second secret is allowed");
    };
    match create(&sandbox, KEY, SECRET, KEY, "Third-Secret-3") {
        CreateApiSecretOutcome::Forbidden(p) => assert_eq!(fragment(&p), "add-excess-secret"),
        other => panic!("expected 403, got {other:?}"),
    }
    // Back to one secret, then the last one cannot go.
    let RetrieveApiSecretsOutcome::Ok(listed) = list(&sandbox, KEY, SECRET, KEY) else {
        panic!("list should succeed");
    };
    let second = listed.embedded.secrets[1].id.clone();
    let revoke = RevokeApiSecret {
        api_key: KEY.into(),
        secret_id: second,
    };
    assert_eq!(
        send(&sandbox, KEY, SECRET, &revoke),
        RevokeApiSecretOutcome::NoContent
    );
    let only = listed.embedded.secrets[0].id.clone();
    let revoke = RevokeApiSecret {
        api_key: KEY.into(),
        secret_id: only,
    };
    match send(&sandbox, KEY, SECRET, &revoke) {
        RevokeApiSecretOutcome::Forbidden(p) => assert_eq!(fragment(&p), "delete-last-secret"),
        other => panic!("expected 403, got {other:?}"),
    }
}

#[test]
fn the_limit_error_served_as_400_is_still_recognisable() {
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .account(KEY, "Second-Secret-2")
        .excess_secret_status(400)
        .start()
        .expect("sandbox starts");
    match create(&sandbox, KEY, SECRET, KEY, "Third-Secret-3") {
        CreateApiSecretOutcome::BadRequest(p) => assert_eq!(fragment(&p), "add-excess-secret"),
        other => panic!("expected 400, got {other:?}"),
    }
}

#[test]
fn a_primary_manages_its_secondary_and_not_the_other_way_round() {
    let sandbox = sandbox();
    match list(&sandbox, KEY, SECRET, SUB_KEY) {
        RetrieveApiSecretsOutcome::Ok(listed) => assert_eq!(listed.embedded.secrets.len(), 1),
        other => panic!("primary on secondary should succeed, got {other:?}"),
    }
    match list(&sandbox, SUB_KEY, SUB_SECRET, KEY) {
        RetrieveApiSecretsOutcome::NotFound(p) => assert_eq!(fragment(&p), "invalid-api-key"),
        other => panic!("secondary on primary should be 404, got {other:?}"),
    }
}

#[test]
fn secrets_the_generator_makes_are_accepted_by_the_server() {
    let sandbox = sandbox();
    let generated = vonage_secrets_policy::generate();
    let value = secrecy::ExposeSecret::expose_secret(&generated).to_owned();
    let CreateApiSecretOutcome::Created(created) = create(&sandbox, KEY, SECRET, KEY, &value)
    else {
        panic!("a generated secret is valid");
    };
    let get = RetrieveApiSecret {
        api_key: KEY.into(),
        secret_id: created.id.clone(),
    };
    assert!(matches!(
        send(&sandbox, KEY, &value, &get),
        RetrieveApiSecretOutcome::Ok(_)
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever the id, it reaches the server as exactly one path segment, and the answer parses
    /// into a documented variant.
    #[test]
    fn arbitrary_ids_reach_the_server_as_one_segment(id in "\\PC{1,40}") {
        let sandbox = sandbox();
        let get = RetrieveApiSecret { api_key: KEY.into(), secret_id: id.clone() };
        match send(&sandbox, KEY, SECRET, &get) {
            RetrieveApiSecretOutcome::NotFound(p) => prop_assert_eq!(fragment(&p), "invalid-id"),
            other => prop_assert!(false, "expected 404 Invalid ID, got {:?}", other),
        }
        let log = sandbox.requests();
        let record = log.last().expect("logged");
        prop_assert_eq!(record.api_key.as_deref(), Some(KEY));
        prop_assert_eq!(record.secret_id.as_deref(), Some(id.as_str()));
    }
}
