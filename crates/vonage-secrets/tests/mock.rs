//! Exact wire shape against httpmock, with the mocks that `vonage-secrets-api` generates from
//! the spec (feature `mock`): the facade's requests must match what the spec describes.

use httpmock::MockServer;
use vonage_secrets::{Client, Error};
use vonage_secrets_api::mock::MockServerExt;
use vonage_secrets_api::types;

const KEY: &str = "abcd1234";
const SECRET: &str = "Primary-Secret-1";
/// base64("abcd1234:Primary-Secret-1")
const BASIC: &str = "Basic YWJjZDEyMzQ6UHJpbWFyeS1TZWNyZXQtMQ==";

fn client(server: &MockServer) -> Client {
    Client::builder(KEY, SECRET)
        .base_url(server.base_url())
        .build()
        .unwrap()
}

fn secret(id: &str, at: &str) -> types::Secret {
    serde_json::from_value(serde_json::json!({
        "_links": {"self": {"href": format!("/accounts/{KEY}/secrets/{id}")}},
        "id": id,
        "created_at": at,
    }))
    .unwrap()
}

fn problem(fragment: &str, title: &str) -> types::Problem {
    serde_json::from_value(serde_json::json!({
        "type": format!("https://developer.nexmo.com/api-errors/account/secret-management#{fragment}"),
        "title": title,
        "detail": "detail",
        "instance": "trace-1",
    }))
    .unwrap()
}

#[test]
fn list_matches_the_spec_with_auth_and_accept_headers() {
    let server = MockServer::start();
    let list: types::SecretList = serde_json::from_value(serde_json::json!({
        "_links": {"self": {"href": "/accounts/abcd1234/secrets"}},
        "_embedded": {"secrets": [
            {"id": "b", "created_at": "2020-01-02T00:00:00Z"},
            {"id": "a", "created_at": "2020-01-01T00:00:00Z"},
        ]},
    }))
    .unwrap();
    let mock = server.retrieve_api_secrets(|when, then| {
        let when = when.api_key(KEY).into_inner();
        when.header("authorization", BASIC)
            .header("accept", "application/json")
            .header_missing("content-type");
        then.ok(&list);
    });
    let secrets = client(&server).secrets().list().unwrap();
    mock.assert();
    let ids: Vec<&str> = secrets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
}

#[test]
fn create_sends_the_json_body_the_spec_describes() {
    let server = MockServer::start();
    let created = secret("new-id", "2020-01-03T00:00:00Z");
    let mock = server.create_api_secret(|when, then| {
        let body = types::CreateSecretRequest::try_new("N3w-Secret-Value").unwrap();
        let when = when.api_key("sub00001").body(&body).into_inner();
        when.header("authorization", BASIC)
            .header("content-type", "application/json");
        then.created(&created);
    });
    let secret = client(&server)
        .secrets_of("sub00001")
        .create("N3w-Secret-Value")
        .unwrap();
    mock.assert();
    assert_eq!(secret.id.as_str(), "new-id");
}

#[test]
fn get_and_revoke_put_the_encoded_id_in_one_segment() {
    let server = MockServer::start();
    let get = server.retrieve_api_secret(|when, then| {
        when.api_key(KEY).secret_id("a%2Fb%3Fc");
        then.ok(&secret("a/b?c", "2020-01-01T00:00:00Z"));
    });
    let revoke = server.revoke_api_secret(|when, then| {
        when.api_key(KEY).secret_id("a%2Fb%3Fc");
        then.no_content();
    });
    let client = client(&server);
    assert_eq!(client.secrets().get("a/b?c").unwrap().id.as_str(), "a/b?c");
    client.secrets().revoke("a/b?c").unwrap();
    get.assert();
    revoke.assert();
}

#[test]
fn the_limit_error_is_recognised_as_400_and_as_403() {
    for status in [400, 403] {
        let server = MockServer::start();
        let mock = server.create_api_secret(|when, then| {
            let then = if status == 400 {
                then.bad_request(&problem("add-excess-secret", "Secret Addition Forbidden"))
            } else {
                then.forbidden(&problem("add-excess-secret", "Secret Addition Forbidden"))
            };
            let _ = (when, then);
        });
        let err = client(&server)
            .secrets()
            .create("Third-Secret-3")
            .unwrap_err();
        mock.assert();
        assert!(
            matches!(err, Error::LimitReached { .. }),
            "{status}: {err:?}"
        );
        assert_eq!(err.problem().unwrap().instance.as_deref(), Some("trace-1"));
    }
}

#[test]
fn revoking_the_last_secret_and_unknown_ids() {
    let server = MockServer::start();
    server.revoke_api_secret(|when, then| {
        when.secret_id("last");
        then.forbidden(&problem("delete-last-secret", "Secret Deletion Forbidden"));
    });
    server.revoke_api_secret(|when, then| {
        when.secret_id("gone");
        then.not_found(&problem("invalid-id", "Invalid ID"));
    });
    let client = client(&server);
    let err = client.secrets().revoke("last").unwrap_err();
    assert!(matches!(err, Error::LastSecret { .. }), "{err:?}");
    let err = client.secrets().revoke("gone").unwrap_err();
    assert!(matches!(err, Error::SecretNotFound { .. }), "{err:?}");
}
