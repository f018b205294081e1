//! Response parsing: every documented status of every operation, and everything else.

use vonage_subaccounts_api::operations::{
    RetrieveSubaccount, RetrieveSubaccountOutcome, RetrieveSubaccountsList,
    RetrieveSubaccountsListOutcome,
};
use vonage_subaccounts_api::{Failure, Operation, UnexpectedReason};

const LIST: &str = r#"{"_embedded": {
  "primary_account": {"api_key": "acc6111f", "name": "Primary", "balance": 100.25,
    "credit_limit": -100.25, "suspended": false, "created_at": "2018-03-02T16:34:49Z"},
  "subaccounts": [
    {"api_key": "bbe6222f", "name": "Subaccount department A", "primary_account_api_key": "acc6111f",
     "use_primary_account_balance": true, "created_at": "2018-03-02T17:34:49Z", "suspended": false,
     "balance": null, "credit_limit": null},
    {"api_key": "ccf7333a", "primary_account_api_key": "acc6111f", "suspended": true,
     "use_primary_account_balance": false, "balance": 5, "credit_limit": 0, "extra": "ignored"}]}}"#;

const ONE: &str = r#"{"api_key": "bbe6222f", "name": "Subaccount department A",
  "primary_account_api_key": "acc6111f", "use_primary_account_balance": true,
  "created_at": "2018-03-02T17:34:49Z", "suspended": false, "balance": null, "credit_limit": null}"#;

const UNAUTHORIZED: &str = r#"{"type": "https://developer.nexmo.com/api-errors#unauthorized",
  "title": "Invalid credentials supplied", "detail": "You did not provide correct credentials",
  "instance": "798b8f199c45014ab7b08bfe9cc1c12c"}"#;

const UNPROVISIONED: &str = r#"{"type": "https://developer.nexmo.com/api-errors#unprovisioned",
  "title": "Authorisation error",
  "detail": "Account acc6111f is not provisioned to access Subaccount Provisioning API",
  "instance": "158b8f199c45014ab7b08bfe9cc1c12c"}"#;

const INVALID_KEY: &str = r#"{"type": "https://developer.nexmo.com/api-errors#invalid-api-key",
  "title": "Invalid API Key", "detail": "API key 'acc6111f' does not exist, or you do not have access",
  "instance": "158b8f199c45014ab7b08bfe9cc1c12c"}"#;

fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.as_bytes().to_vec())
        .unwrap()
}

#[test]
fn list_ok_with_shared_and_own_balances() {
    let RetrieveSubaccountsListOutcome::Ok(list) =
        RetrieveSubaccountsList::parse_response(&response(200, LIST))
    else {
        panic!("not Ok")
    };
    let embedded = &list.embedded;
    assert_eq!(embedded.primary_account.api_key, "acc6111f");
    assert_eq!(embedded.primary_account.balance, Some(100.25));
    assert_eq!(embedded.subaccounts.len(), 2);
    let shared = &embedded.subaccounts[0];
    assert_eq!(shared.balance, None);
    assert_eq!(shared.use_primary_account_balance, Some(true));
    assert_eq!(
        shared.created_at.map(|at| at.to_rfc3339()),
        Some("2018-03-02T17:34:49+00:00".to_owned())
    );
    assert_eq!(embedded.subaccounts[1].suspended, Some(true));
    assert_eq!(embedded.subaccounts[1].balance, Some(5.0));
}

#[test]
fn list_without_subaccounts() {
    let body = r#"{"_embedded": {"primary_account": {"api_key": "acc6111f"}, "subaccounts": []}}"#;
    let outcome = RetrieveSubaccountsList::parse_response(&response(200, body));
    let list = RetrieveSubaccountsList::into_result(outcome).unwrap();
    assert!(list.embedded.subaccounts.is_empty());
}

#[test]
fn one_ok() {
    let outcome = RetrieveSubaccount::parse_response(&response(200, ONE));
    let account = RetrieveSubaccount::into_result(outcome).unwrap();
    assert_eq!(account.api_key, "bbe6222f");
    assert_eq!(account.primary_account_api_key.as_deref(), Some("acc6111f"));
}

#[test]
fn every_documented_error_is_a_typed_problem() {
    for (status, body, fragment) in [
        (401, UNAUTHORIZED, "#unauthorized"),
        (403, UNPROVISIONED, "#unprovisioned"),
        (404, INVALID_KEY, "#invalid-api-key"),
    ] {
        let outcome = RetrieveSubaccountsList::parse_response(&response(status, body));
        match (&outcome, status) {
            (RetrieveSubaccountsListOutcome::Unauthorized(_), 401)
            | (RetrieveSubaccountsListOutcome::Forbidden(_), 403)
            | (RetrieveSubaccountsListOutcome::NotFound(_), 404) => {}
            _ => panic!("{status}: {outcome:?}"),
        }
        match RetrieveSubaccountsList::into_result(outcome) {
            Err(Failure::Problem {
                status: got,
                problem,
            }) => {
                assert_eq!(got.as_u16(), status);
                assert!(problem.type_.ends_with(fragment), "{}", problem.type_);
            }
            other => panic!("{status}: {other:?}"),
        }
        let outcome = RetrieveSubaccount::parse_response(&response(status, body));
        let error = RetrieveSubaccount::into_result(outcome).unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with(&status.to_string()), "{text}");
        assert!(matches!(
            error,
            Failure::Problem { ref problem, .. } if text.contains(&problem.title)
        ));
    }
    assert!(matches!(
        RetrieveSubaccount::parse_response(&response(404, INVALID_KEY)),
        RetrieveSubaccountOutcome::NotFound(_)
    ));
}

#[test]
fn undocumented_statuses_and_bad_bodies_are_unexpected() {
    match RetrieveSubaccount::parse_response(&response(500, "<html>oops</html>")) {
        RetrieveSubaccountOutcome::Unexpected(unexpected) => {
            assert_eq!(unexpected.reason, UnexpectedReason::UndocumentedStatus);
            assert_eq!(unexpected.body_excerpt, "<html>oops</html>");
        }
        other => panic!("{other:?}"),
    }
    for body in ["", "{}", r#"{"_embedded": {}}"#, "[1, 2]"] {
        match RetrieveSubaccountsList::parse_response(&response(200, body)) {
            RetrieveSubaccountsListOutcome::Unexpected(unexpected) => {
                assert!(matches!(
                    unexpected.reason,
                    UnexpectedReason::UndecodableBody(_)
                ));
            }
            other => panic!("{body}: {other:?}"),
        }
    }
    // A problem document on a documented status that does not match its schema.
    match RetrieveSubaccount::parse_response(&response(401, r#"{"title": 5}"#)) {
        RetrieveSubaccountOutcome::Unexpected(unexpected) => {
            assert_eq!(unexpected.status, 401);
        }
        other => panic!("{other:?}"),
    }
}
