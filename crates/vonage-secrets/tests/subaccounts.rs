//! How `Client::subaccounts()` classifies the Subaccounts API's answers: the same table of
//! problem types as the Secret Management API's, whatever status a problem document came
//! under, with every text from the server scrubbed.

use httpmock::MockServer;
use serde_json::json;
use vonage_secrets::{Client, Error};

const KEY: &str = "abcd1234";
const SECRET: &str = "Primary-Secret-1";
const LIST: &str = "/accounts/abcd1234/subaccounts";

fn problem(kind: &str, detail: &str) -> serde_json::Value {
    json!({
        "type": format!("https://developer.nexmo.com/api-errors#{kind}"),
        "title": "A title",
        "detail": detail,
        "instance": "trace-7",
    })
}

/// A server answering every request for `path` with `status` and `body`.
fn server(path: &str, status: u16, content_type: &str, body: String) -> MockServer {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method("GET").path(path);
        then.status(status)
            .header("content-type", content_type)
            .body(body);
    });
    server
}

fn json_server(path: &str, status: u16, body: serde_json::Value) -> MockServer {
    server(path, status, "application/json", body.to_string())
}

/// A client without retries, so that a 429 or 5xx is the first answer's.
fn client(server: &MockServer) -> Client {
    Client::builder(KEY, SECRET)
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .unwrap()
}

fn assert_unprovisioned(e: &Error) {
    assert!(
        matches!(e, Error::Unprovisioned { api_key, problem: Some(_) } if api_key == KEY),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(
        text.contains("the Subaccounts API is not enabled for it"),
        "{text}"
    );
    assert!(text.contains("ask Vonage support to enable it"), "{text}");
    assert!(
        text.contains("name the secondary accounts' api keys"),
        "{text}"
    );
    assert!(!text.contains("retrieveSubaccount"), "{text}");
    assert_eq!(e.problem().unwrap().instance.as_deref(), Some("trace-7"));
}

#[test]
fn a_403_unprovisioned_says_the_account_lacks_the_api_and_what_to_do() {
    let body = problem(
        "unprovisioned",
        "Account is not provisioned to access Subaccount API",
    );
    let s = json_server(LIST, 403, body.clone());
    assert_unprovisioned(&client(&s).subaccounts().list().unwrap_err());
    let s = json_server(&format!("{LIST}/sub00001"), 403, body);
    assert_unprovisioned(&client(&s).subaccounts().get("sub00001").unwrap_err());
}

#[test]
fn a_403_of_another_type_is_an_api_error_naming_the_action() {
    let s = json_server(LIST, 403, problem("forbidden", "Not for you"));
    let e = client(&s).subaccounts().list().unwrap_err();
    match &e {
        Error::Api {
            status, problem, ..
        } => {
            assert_eq!(status.as_u16(), 403);
            assert_eq!(problem.as_ref().unwrap().kind(), "forbidden");
        }
        other => panic!("unexpected {other:?}"),
    }
    let text = e.to_string();
    assert!(
        text.starts_with("listing the secondary accounts failed with HTTP 403"),
        "{text}"
    );
    assert!(text.contains("Not for you"), "{text}");
}

#[test]
fn a_401_is_unauthorized_for_the_primary_account() {
    let s = json_server(
        LIST,
        401,
        problem("unauthorized", "You did not provide correct credentials"),
    );
    let e = client(&s).subaccounts().list().unwrap_err();
    assert!(
        matches!(&e, Error::Unauthorized { api_key, problem: Some(_) } if api_key == KEY),
        "{e:?}"
    );
    // Without a problem document, by HTTP's own meaning of the status.
    let s = server(LIST, 401, "text/plain", "no".to_owned());
    let e = client(&s).subaccounts().list().unwrap_err();
    assert!(
        matches!(&e, Error::Unauthorized { api_key, problem: None } if api_key == KEY),
        "{e:?}"
    );
}

#[test]
fn a_404_for_an_unknown_secondary_account_names_that_account() {
    let path = format!("{LIST}/nobody01");
    let s = json_server(&path, 404, problem("invalid-api-key", "API key not found"));
    let e = client(&s).subaccounts().get("nobody01").unwrap_err();
    assert!(
        matches!(&e, Error::AccountNotFound { api_key, problem: Some(_) } if api_key == "nobody01"),
        "{e:?}"
    );
    assert!(
        e.to_string().starts_with("account nobody01 was not found"),
        "{e}"
    );
    // A documented 404 of a type the facade does not know: still "not found".
    let s = json_server(&path, 404, problem("something-else", "gone"));
    let e = client(&s).subaccounts().get("nobody01").unwrap_err();
    assert!(
        matches!(&e, Error::AccountNotFound { api_key, .. } if api_key == "nobody01"),
        "{e:?}"
    );
}

#[test]
fn a_429_is_a_retryable_api_error() {
    let s = json_server(LIST, 429, json!({"title": "Too Many Requests"}));
    let e = client(&s).subaccounts().list().unwrap_err();
    assert!(
        matches!(&e, Error::Api { status, .. } if status.as_u16() == 429),
        "{e:?}"
    );
    assert!(e.is_retryable());
    assert!(!e.is_ambiguous());
    let text = e.to_string();
    assert!(
        text.starts_with("listing the secondary accounts failed with HTTP 429"),
        "{text}"
    );
}

#[test]
fn a_5xx_is_an_ambiguous_api_error_with_an_excerpt() {
    let s = server(
        &format!("{LIST}/sub00001"),
        500,
        "text/html",
        "<html>internal error</html>".to_owned(),
    );
    let e = client(&s).subaccounts().get("sub00001").unwrap_err();
    match &e {
        Error::Api {
            status,
            problem,
            body_excerpt,
            ..
        } => {
            assert_eq!(status.as_u16(), 500);
            assert!(problem.is_none());
            assert!(body_excerpt.contains("internal error"), "{body_excerpt}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e.is_ambiguous());
    let text = e.to_string();
    assert!(
        text.starts_with("getting a secondary account failed with HTTP 500"),
        "{text}"
    );
}

#[test]
fn a_problem_document_under_an_undocumented_status_is_classified_by_its_type() {
    // The Subaccounts API documents 401, 403 and 404 for its reads; the type decides for any
    // other status, as it does for the Secret Management API.
    let s = json_server(LIST, 400, problem("unprovisioned", "not provisioned"));
    assert_unprovisioned(&client(&s).subaccounts().list().unwrap_err());

    let s = json_server(LIST, 422, problem("unauthorized", "bad credentials"));
    let e = client(&s).subaccounts().list().unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Unauthorized {
                problem: Some(_),
                ..
            }
        ),
        "{e:?}"
    );

    let path = format!("{LIST}/nobody01");
    let s = json_server(&path, 400, problem("invalid-api-key", "no such account"));
    let e = client(&s).subaccounts().get("nobody01").unwrap_err();
    assert!(
        matches!(&e, Error::AccountNotFound { api_key, problem: Some(_) } if api_key == "nobody01"),
        "{e:?}"
    );

    // A type that is about a new secret says nothing about a read: an API error with it.
    let mut validation = problem("validation", "bad request");
    validation["invalid_parameters"] = json!([{"name": "page", "reason": "too large"}]);
    let s = json_server(LIST, 422, validation);
    let e = client(&s).subaccounts().list().unwrap_err();
    match &e {
        Error::Api {
            status, problem, ..
        } => {
            assert_eq!(status.as_u16(), 422);
            assert_eq!(problem.as_ref().unwrap().invalid_parameters[0].name, "page");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!e.to_string().contains("new secret"), "{e}");
}

#[test]
fn a_body_that_is_not_json_is_reported_with_an_excerpt() {
    // Under a success status: the answer could not be decoded.
    let s = server(
        LIST,
        200,
        "text/html",
        "<html>maintenance</html>".to_owned(),
    );
    let e = client(&s).subaccounts().list().unwrap_err();
    match &e {
        Error::Decode {
            status,
            body_excerpt,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert!(body_excerpt.contains("maintenance"), "{body_excerpt}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        e.to_string().starts_with(
            "listing the secondary accounts failed: the response (HTTP 200 OK) could not be decoded"
        ),
        "{e}"
    );
    // Under a documented error status: an API error with the excerpt, not a guess.
    let s = server(LIST, 403, "text/html", "<html>denied</html>".to_owned());
    let e = client(&s).subaccounts().list().unwrap_err();
    match &e {
        Error::Api {
            status,
            problem,
            body_excerpt,
            ..
        } => {
            assert_eq!(status.as_u16(), 403);
            assert!(problem.is_none());
            assert!(body_excerpt.contains("denied"), "{body_excerpt}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn the_credentials_are_scrubbed_from_what_the_server_says() {
    let detail = format!("account {KEY} with secret {SECRET} is not provisioned");
    let s = json_server(LIST, 418, problem("unprovisioned", &detail));
    let e = client(&s).subaccounts().list().unwrap_err();
    assert!(matches!(e, Error::Unprovisioned { .. }), "{e:?}");
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(shown.contains("[REDACTED]"), "{shown}");
}

#[test]
fn the_same_problem_document_is_the_same_problem_under_any_status() {
    let path = format!("{LIST}/nobody01");
    let body = json!({
        "type": "https://developer.nexmo.com/api-errors#invalid-api-key",
        "title": "Not Found",
        "detail": "",
        "instance": "trace-8",
    });
    let documented = json_server(&path, 404, body.clone());
    let documented = client(&documented)
        .subaccounts()
        .get("nobody01")
        .unwrap_err();
    let undocumented = json_server(&path, 409, body);
    let undocumented = client(&undocumented)
        .subaccounts()
        .get("nobody01")
        .unwrap_err();
    let problem = documented.problem().unwrap();
    assert_eq!(problem.detail, None);
    assert_eq!(undocumented.problem(), Some(problem));
    assert_eq!(documented.to_string(), undocumented.to_string());
    assert!(
        documented
            .to_string()
            .contains("(server said: Not Found (trace id trace-8))"),
        "{documented}"
    );
}
