//! Response parsing: every documented outcome of every method, both published shapes of
//! `result`, and error documents, which never parse as success whatever the status.

use voximplant_secrets_api::operations::{
    AddSecret, AddSecretOutcome, DelSecret, DelSecretOutcome, GetSecretValue,
    GetSecretValueOutcome, GetSecrets, GetSecretsOutcome, SetSecretInfo, SetSecretInfoOutcome,
};
use voximplant_secrets_api::types::{AddSecretResponseResult, GetSecretValueResponseResult};
use voximplant_secrets_api::{Failure, Operation, UnexpectedReason};

const AUTH_FAILED: &str = r#"{"error": {"code": 100, "msg": "Authorization failed"}}"#;
const EXPIRED: &str = r#"{"error": {"code": 456, "msg": "Token expired"}}"#;

fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.as_bytes().to_vec())
        .unwrap()
}

#[test]
fn add_secret_accepts_an_object_and_a_list_of_one() {
    let object = AddSecret::parse_response(&response(200, r#"{"result": {"secret_id": 123}}"#));
    let AddSecretOutcome::Ok(answer) = object else {
        panic!("{object:?}")
    };
    match answer.result {
        AddSecretResponseResult::AddSecretResult(result) => assert_eq!(result.secret_id, 123),
        other => panic!("{other:?}"),
    }
    let list = AddSecret::parse_response(&response(200, r#"{"result": [{"secret_id": 124}]}"#));
    match AddSecret::into_result(list).unwrap().result {
        AddSecretResponseResult::Array(results) => assert_eq!(results[0].secret_id, 124),
        other => panic!("{other:?}"),
    }
}

#[test]
fn get_secrets_is_a_page_with_counts() {
    let body = r#"{"result": [
        {"secret_id": 1, "secret_name": "a", "description": null, "created": "2024-05-10 14:22:35", "modified": null},
        {"secret_id": 2, "secret_name": "b", "description": "d", "created": "2024-05-10 14:22:35", "modified": "2024-05-11 09:00:00"}],
      "count": 2, "total_count": 7}"#;
    let page = GetSecrets::into_result(GetSecrets::parse_response(&response(200, body))).unwrap();
    assert_eq!(page.count, Some(2));
    assert_eq!(page.total_count, Some(7));
    assert_eq!(page.result.len(), 2);
    assert_eq!(page.result[0].description, None);
    assert_eq!(
        page.result[1].modified.as_deref(),
        Some("2024-05-11 09:00:00")
    );
    let empty = GetSecrets::parse_response(&response(200, r#"{"result": [], "total_count": 0}"#));
    assert!(matches!(empty, GetSecretsOutcome::Ok(page) if page.result.is_empty()));
}

#[test]
fn get_secret_value_accepts_both_shapes_and_redacts_the_value() {
    let object =
        r#"{"result": {"secret_id": 1, "secret_name": "a", "secret_value": "hunter2-value"}}"#;
    let list =
        r#"{"result": [{"secret_id": 1, "secret_name": "a", "secret_value": "hunter2-value"}]}"#;
    for body in [object, list] {
        let outcome = GetSecretValue::parse_response(&response(200, body));
        assert!(!format!("{outcome:?}").contains("hunter2"), "{outcome:?}");
        let value = match GetSecretValue::into_result(outcome).unwrap().result {
            GetSecretValueResponseResult::SecretValue(value) => value,
            GetSecretValueResponseResult::Array(mut values) => values.remove(0),
        };
        assert_eq!(value.secret_value.as_str(), "hunter2-value");
    }
}

#[test]
fn set_and_delete_answer_one() {
    let set = SetSecretInfo::parse_response(&response(200, r#"{"result": 1}"#));
    assert!(matches!(set, SetSecretInfoOutcome::Ok(ref answer) if answer.result == 1));
    let deleted = DelSecret::into_result(DelSecret::parse_response(&response(
        200,
        r#"{"result": 1}"#,
    )));
    assert_eq!(deleted.unwrap().result, 1);
}

#[test]
fn an_error_document_under_200_is_never_success() {
    // Each method's success schema, tried alone, would not take these; the point is that the
    // error is recognised first, whatever the method.
    let status = http::StatusCode::OK;
    assert!(matches!(
        AddSecret::parse_response(&response(200, AUTH_FAILED)),
        AddSecretOutcome::Error { status: s, ref error } if s == status && error.error.code == 100
    ));
    assert!(matches!(
        GetSecrets::parse_response(&response(200, EXPIRED)),
        GetSecretsOutcome::Error { ref error, .. } if error.error.msg == "Token expired"
    ));
    assert!(matches!(
        GetSecretValue::parse_response(&response(200, AUTH_FAILED)),
        GetSecretValueOutcome::Error { .. }
    ));
    assert!(matches!(
        SetSecretInfo::parse_response(&response(200, AUTH_FAILED)),
        SetSecretInfoOutcome::Error { .. }
    ));
    // A body with both an error and a result is an error.
    let both = r#"{"result": 1, "error": {"code": 100, "msg": "Authorization failed"}}"#;
    assert!(matches!(
        DelSecret::parse_response(&response(200, both)),
        DelSecretOutcome::Error { .. }
    ));
    match DelSecret::into_result(DelSecret::parse_response(&response(200, EXPIRED))) {
        Err(error @ Failure::Problem { .. }) => {
            assert_eq!(error.to_string(), "200 OK: 456: Token expired");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_error_document_under_an_error_status_is_typed_too() {
    match GetSecrets::into_result(GetSecrets::parse_response(&response(401, AUTH_FAILED))) {
        Err(Failure::Problem { status, problem }) => {
            assert_eq!(status, 401);
            assert_eq!(problem.error.code, 100);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn anything_else_is_unexpected() {
    match GetSecrets::parse_response(&response(502, "<html>bad gateway</html>")) {
        GetSecretsOutcome::Unexpected(unexpected) => {
            assert_eq!(unexpected.reason, UnexpectedReason::UndocumentedStatus);
            assert_eq!(unexpected.body_excerpt, "<html>bad gateway</html>");
        }
        other => panic!("{other:?}"),
    }
    for body in [
        "",
        "{}",
        r#"{"result": "yes"}"#,
        r#"{"error": "no detail"}"#,
    ] {
        match SetSecretInfo::parse_response(&response(200, body)) {
            SetSecretInfoOutcome::Unexpected(unexpected) => {
                assert!(matches!(
                    unexpected.reason,
                    UnexpectedReason::UndecodableBody(_)
                ));
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}
