//! The generated httpmock helpers (feature `mock`) drive the sans-IO operations over ureq.
#![cfg(feature = "mock")]

use vonage_secrets_api::mock::MockServerExt;
use vonage_secrets_api::operations::{CreateApiSecret, CreateApiSecretOutcome, RevokeApiSecret};
use vonage_secrets_api::types::{CreateSecretRequest, Problem, Secret};
use vonage_secrets_api::{Failure, Operation};

fn send(request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let (parts, mut body) = agent.run(request).unwrap().into_parts();
    http::Response::from_parts(parts, body.read_to_vec().unwrap())
}

#[test]
fn generated_helpers_serve_typed_responses() {
    let server = httpmock::MockServer::start();
    let secret: Secret = serde_json::from_str(
        r#"{"id": "ad6dc56f-07b5-46e1-a527-85530e625800", "created_at": "2017-03-02T16:34:49Z"}"#,
    )
    .unwrap();
    let body = CreateSecretRequest::try_new("Th1s-I5-my_n3w-s3cr3t").unwrap();
    let created = server.create_api_secret(|when, then| {
        when.api_key("abcd1234").body(&body);
        then.created(&secret);
    });
    let problem: Problem = serde_json::from_str(
        r#"{"type": "https://developer.nexmo.com/api-errors/account/secret-management#delete-last-secret",
            "title": "Secret Deletion Forbidden", "detail": "d", "instance": "i"}"#,
    )
    .unwrap();
    let revoked = server.revoke_api_secret(|when, then| {
        when.api_key("abcd1234")
            .secret_id("ad6dc56f-07b5-46e1-a527-85530e625800");
        then.forbidden(&problem);
    });

    let operation = CreateApiSecret {
        api_key: "abcd1234".into(),
        body: body.clone(),
    };
    let response = send(operation.to_request(&server.base_url()).unwrap());
    assert_eq!(
        CreateApiSecret::parse_response(&response),
        CreateApiSecretOutcome::Created(secret)
    );
    created.assert();

    let operation = RevokeApiSecret {
        api_key: "abcd1234".into(),
        secret_id: "ad6dc56f-07b5-46e1-a527-85530e625800".into(),
    };
    let response = send(operation.to_request(&server.base_url()).unwrap());
    let failure = RevokeApiSecret::into_result(RevokeApiSecret::parse_response(&response));
    assert_eq!(
        failure,
        Err(Failure::Problem {
            status: http::StatusCode::FORBIDDEN,
            problem
        })
    );
    revoked.assert();
}
