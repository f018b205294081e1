//! Response parsing: every documented status of every operation, and everything else.

use proptest::prelude::*;
use vonage_secrets_api::operations::{
    CreateApiSecret, CreateApiSecretOutcome, RetrieveApiSecret, RetrieveApiSecretOutcome,
    RetrieveApiSecrets, RetrieveApiSecretsOutcome, RevokeApiSecret, RevokeApiSecretOutcome,
};
use vonage_secrets_api::types::Problem;
use vonage_secrets_api::{BODY_EXCERPT_LIMIT, Failure, Operation, Unexpected, UnexpectedReason};

const SECRET: &str = r#"{"_links": {"self": {"href": "/accounts/abcd1234/secrets/ad6dc56f-07b5-46e1-a527-85530e625800"}},
  "id": "ad6dc56f-07b5-46e1-a527-85530e625800", "created_at": "2017-03-02T16:34:49Z"}"#;

const LIST: &str = r#"{"_links": {"self": {"href": "/accounts/abcd1234/secrets"}},
  "_embedded": {"secrets": [
    {"_links": {"self": {"href": "/accounts/abcd1234/secrets/ad6dc56f-07b5-46e1-a527-85530e625800"}},
     "id": "ad6dc56f-07b5-46e1-a527-85530e625800", "created_at": "2017-03-02T16:34:49Z"},
    {"id": "1b1b1b1b-1b1b-1b-1b1b-1b1b1b1b1b1b", "created_at": "2018-01-01T00:00:00Z"}]}}"#;

const UNAUTHORIZED: &str = r#"{"type": "https://developer.nexmo.com/api-errors#unauthorized",
  "title": "Unauthorized", "detail": "You did not provide correct credentials.",
  "instance": "797a8f199c45014ab7b08bfe9cc1c12c"}"#;

const INVALID_ID: &str = r#"{"type": "https://developer.nexmo.com/api-errors#invalid-id",
  "title": "Invalid ID", "detail": "ID '07239aeb-d756-4c32-a1de-cf64f8b21827' could not be found",
  "instance": "797a8f199c45014ab7b08bfe9cc1c12c"}"#;

const VALIDATION: &str = r#"{"type": "https://developer.nexmo.com/api-errors/account/secret-management#validation",
  "title": "Bad Request", "detail": "The request failed due to secret validation errors",
  "instance": "797a8f199c45014ab7b08bfe9cc1c12c",
  "invalid_parameters": [{"name": "secret", "reason": "Does not meet complexity requirements"}]}"#;

const EXCESS: &str = r#"{"type": "https://developer.nexmo.com/api-errors/account/secret-management#add-excess-secret",
  "title": "Secret Addition Forbidden", "detail": "Account reached maximum number [2] of allowed secrets",
  "instance": "797a8f199c45014ab7b08bfe9cc1c12c"}"#;

const LAST: &str = r#"{"type": "https://developer.nexmo.com/api-errors/account/secret-management#delete-last-secret",
  "title": "Secret Deletion Forbidden",
  "detail": "Can not delete the last secret. The account must always have at least 1 secret active at any time",
  "instance": "797a8f199c45014ab7b08bfe9cc1c12c"}"#;

fn response(status: u16, body: impl Into<Vec<u8>>) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap()
}

fn problem(text: &str) -> Problem {
    serde_json::from_str(text).unwrap()
}

fn unexpected(outcome_debug: &str) -> ! {
    panic!("expected another outcome, got {outcome_debug}")
}

#[test]
fn list_ok() {
    match RetrieveApiSecrets::parse_response(&response(200, LIST)) {
        RetrieveApiSecretsOutcome::Ok(list) => {
            let ids: Vec<&str> = list
                .embedded
                .secrets
                .iter()
                .map(|s| s.id.as_str())
                .collect();
            assert_eq!(
                ids,
                [
                    "ad6dc56f-07b5-46e1-a527-85530e625800",
                    "1b1b1b1b-1b1b-1b-1b1b-1b1b1b1b1b1b"
                ]
            );
            assert_eq!(
                list.embedded.secrets[0].created_at.to_rfc3339(),
                "2017-03-02T16:34:49+00:00"
            );
            assert_eq!(
                list.links.and_then(|l| l.self_).map(|l| l.href).as_deref(),
                Some("/accounts/abcd1234/secrets")
            );
        }
        other => unexpected(&format!("{other:?}")),
    }
}

#[test]
fn documented_errors_of_every_operation() {
    // retrieveAPISecrets: 401, 404
    assert_eq!(
        RetrieveApiSecrets::parse_response(&response(401, UNAUTHORIZED)),
        RetrieveApiSecretsOutcome::Unauthorized(problem(UNAUTHORIZED))
    );
    assert_eq!(
        RetrieveApiSecrets::parse_response(&response(404, INVALID_ID)),
        RetrieveApiSecretsOutcome::NotFound(problem(INVALID_ID))
    );
    // createAPISecret: 201, 400 (twice), 401, 403, 404
    assert!(matches!(
        CreateApiSecret::parse_response(&response(201, SECRET)),
        CreateApiSecretOutcome::Created(secret) if secret.id == "ad6dc56f-07b5-46e1-a527-85530e625800"
    ));
    let validation = CreateApiSecret::parse_response(&response(400, VALIDATION));
    match &validation {
        CreateApiSecretOutcome::BadRequest(p) => {
            assert_eq!(p.invalid_parameters.len(), 1);
            assert_eq!(p.invalid_parameters[0].name, "secret");
        }
        other => unexpected(&format!("{other:?}")),
    }
    assert_eq!(
        CreateApiSecret::parse_response(&response(400, EXCESS)),
        CreateApiSecretOutcome::BadRequest(problem(EXCESS))
    );
    assert_eq!(
        CreateApiSecret::parse_response(&response(401, UNAUTHORIZED)),
        CreateApiSecretOutcome::Unauthorized(problem(UNAUTHORIZED))
    );
    assert_eq!(
        CreateApiSecret::parse_response(&response(403, EXCESS)),
        CreateApiSecretOutcome::Forbidden(problem(EXCESS))
    );
    assert_eq!(
        CreateApiSecret::parse_response(&response(404, INVALID_ID)),
        CreateApiSecretOutcome::NotFound(problem(INVALID_ID))
    );
    // retrieveAPISecret: 200, 401, 404
    assert!(matches!(
        RetrieveApiSecret::parse_response(&response(200, SECRET)),
        RetrieveApiSecretOutcome::Ok(_)
    ));
    assert_eq!(
        RetrieveApiSecret::parse_response(&response(401, UNAUTHORIZED)),
        RetrieveApiSecretOutcome::Unauthorized(problem(UNAUTHORIZED))
    );
    assert_eq!(
        RetrieveApiSecret::parse_response(&response(404, INVALID_ID)),
        RetrieveApiSecretOutcome::NotFound(problem(INVALID_ID))
    );
    // revokeAPISecret: 204, 401, 403, 404
    assert_eq!(
        RevokeApiSecret::parse_response(&response(204, "")),
        RevokeApiSecretOutcome::NoContent
    );
    assert_eq!(
        RevokeApiSecret::parse_response(&response(401, UNAUTHORIZED)),
        RevokeApiSecretOutcome::Unauthorized(problem(UNAUTHORIZED))
    );
    assert_eq!(
        RevokeApiSecret::parse_response(&response(403, LAST)),
        RevokeApiSecretOutcome::Forbidden(problem(LAST))
    );
    assert_eq!(
        RevokeApiSecret::parse_response(&response(404, INVALID_ID)),
        RevokeApiSecretOutcome::NotFound(problem(INVALID_ID))
    );
}

#[test]
fn into_result_maps_success_and_problems() {
    let secret =
        RetrieveApiSecret::into_result(RetrieveApiSecret::parse_response(&response(200, SECRET)))
            .unwrap();
    assert_eq!(secret.id, "ad6dc56f-07b5-46e1-a527-85530e625800");
    RevokeApiSecret::into_result(RevokeApiSecretOutcome::NoContent).unwrap();
    let failure =
        CreateApiSecret::into_result(CreateApiSecret::parse_response(&response(403, EXCESS)))
            .unwrap_err();
    assert_eq!(
        failure,
        Failure::Problem {
            status: http::StatusCode::FORBIDDEN,
            problem: problem(EXCESS)
        }
    );
    assert!(failure.to_string().contains("Secret Addition Forbidden"));
    let failure =
        RevokeApiSecret::into_result(RevokeApiSecret::parse_response(&response(500, "oops")))
            .unwrap_err();
    assert!(matches!(
        failure,
        Failure::Unexpected(Unexpected { status, reason: UnexpectedReason::UndocumentedStatus, .. })
            if status == http::StatusCode::INTERNAL_SERVER_ERROR
    ));
}

#[test]
fn a_non_uuid_id_and_unknown_fields_are_accepted() {
    let body = r#"{"id": "1b1b1b1b-1b1b-1b-1b1b-1b1b1b1b1b1b", "created_at": "2017-03-02T16:34:49Z",
                   "brand_new_field": {"nested": [1, 2]}, "_links": {"self": {"href": "/x"}, "next": {"href": "/y"}}}"#;
    match RetrieveApiSecret::parse_response(&response(200, body)) {
        RetrieveApiSecretOutcome::Ok(secret) => {
            assert_eq!(secret.id, "1b1b1b1b-1b1b-1b-1b1b-1b1b1b1b1b1b")
        }
        other => unexpected(&format!("{other:?}")),
    }
    let problem_with_extra =
        r#"{"type": "t", "title": "T", "detail": "D", "instance": "I", "extra": true}"#;
    assert!(matches!(
        RetrieveApiSecret::parse_response(&response(404, problem_with_extra)),
        RetrieveApiSecretOutcome::NotFound(p) if p.type_ == "t"
    ));
}

fn undecodable(outcome: Option<Unexpected>) -> Unexpected {
    let unexpected = outcome.expect("an Unexpected outcome");
    assert!(
        matches!(unexpected.reason, UnexpectedReason::UndecodableBody(ref text) if !text.is_empty()),
        "{unexpected:?}"
    );
    unexpected
}

fn as_unexpected(outcome: RetrieveApiSecretOutcome) -> Option<Unexpected> {
    match outcome {
        RetrieveApiSecretOutcome::Unexpected(unexpected) => Some(unexpected),
        _ => None,
    }
}

#[test]
fn undecodable_bodies_are_unexpected() {
    // Empty body on a status that documents one.
    let u = undecodable(as_unexpected(RetrieveApiSecret::parse_response(&response(
        200, "",
    ))));
    assert_eq!(u.status, http::StatusCode::OK);
    assert_eq!(u.body_excerpt, "");
    // Invalid JSON.
    let u = undecodable(as_unexpected(RetrieveApiSecret::parse_response(&response(
        200, "{\"id\":",
    ))));
    assert_eq!(u.body_excerpt, "{\"id\":");
    // A problem status whose body is not a problem.
    let u = undecodable(as_unexpected(RetrieveApiSecret::parse_response(&response(
        404,
        "<html>Not Found</html>",
    ))));
    assert_eq!(u.status, http::StatusCode::NOT_FOUND);
    assert_eq!(u.body_excerpt, "<html>Not Found</html>");
    // Non-UTF-8.
    let u = undecodable(as_unexpected(RetrieveApiSecret::parse_response(&response(
        401,
        vec![0xff, 0xfe, b'{', 0x80],
    ))));
    assert_eq!(u.body_excerpt, "\u{fffd}\u{fffd}{\u{fffd}");
    // A required field missing, and a created_at that is not a date-time.
    undecodable(as_unexpected(RetrieveApiSecret::parse_response(&response(
        200,
        r#"{"id": "x"}"#,
    ))));
    undecodable(as_unexpected(RetrieveApiSecret::parse_response(&response(
        200,
        r#"{"id": "x", "created_at": "yesterday"}"#,
    ))));
}

#[test]
fn undocumented_statuses_are_unexpected_with_a_bounded_excerpt() {
    let big = "x".repeat(10_000);
    for status in [100, 202, 302, 403, 409, 418, 429, 500, 503, 599] {
        let outcome = RetrieveApiSecret::parse_response(&response(status, big.clone()));
        let u = as_unexpected(outcome).expect("unexpected");
        assert_eq!(u.status.as_u16(), status);
        assert_eq!(u.reason, UnexpectedReason::UndocumentedStatus);
        assert_eq!(u.body_excerpt.len(), BODY_EXCERPT_LIMIT);
    }
    // 204 is documented for revoke only; a body there is ignored.
    assert_eq!(
        RevokeApiSecret::parse_response(&response(204, "ignored")),
        RevokeApiSecretOutcome::NoContent
    );
    assert!(matches!(
        RetrieveApiSecrets::parse_response(&response(204, "")),
        RetrieveApiSecretsOutcome::Unexpected(Unexpected {
            reason: UnexpectedReason::UndocumentedStatus,
            ..
        })
    ));
    // 200 on create is not 201.
    assert!(matches!(
        CreateApiSecret::parse_response(&response(200, SECRET)),
        CreateApiSecretOutcome::Unexpected(Unexpected {
            reason: UnexpectedReason::UndocumentedStatus,
            ..
        })
    ));
}

fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..1200),
        any::<String>().prop_map(String::into_bytes),
        Just(SECRET.as_bytes().to_vec()),
        Just(LIST.as_bytes().to_vec()),
        Just(VALIDATION.as_bytes().to_vec()),
        // Valid JSON of the wrong shape.
        "\\{\"(id|type|title|_embedded|created_at)\": (null|1|\"[a-z]{0,5}\"|\\[\\]|\\{\\})\\}"
            .prop_map(String::into_bytes),
    ]
}

proptest! {
    #[test]
    fn parsing_never_panics(
        status in 100u16..1000,
        headers in proptest::collection::vec(("[a-z][a-z0-9-]{0,12}", "[ -~]{0,20}"), 0..5),
        body in body_strategy(),
    ) {
        let mut builder = http::Response::builder().status(status);
        for (name, value) in &headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let response = builder.body(body).unwrap();
        let check = |result: Result<(), Failure>| {
            if let Err(Failure::Unexpected(u)) = result {
                assert!(u.body_excerpt.len() <= BODY_EXCERPT_LIMIT);
                assert_eq!(u.status.as_u16(), status);
            }
        };
        check(RetrieveApiSecrets::into_result(RetrieveApiSecrets::parse_response(&response)).map(drop));
        check(CreateApiSecret::into_result(CreateApiSecret::parse_response(&response)).map(drop));
        check(RetrieveApiSecret::into_result(RetrieveApiSecret::parse_response(&response)).map(drop));
        check(RevokeApiSecret::into_result(RevokeApiSecret::parse_response(&response)).map(drop));
    }
}
