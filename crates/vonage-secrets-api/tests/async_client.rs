//! The progenitor async client (feature `async`) against an httpmock server.
#![cfg(feature = "async")]

use vonage_secrets_api::async_client::Client;

#[tokio::test]
async fn the_async_client_lists_secrets() {
    let server = httpmock::MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::GET)
                .path("/accounts/abcd1234/secrets")
                .header("accept", "application/json");
            then.status(200)
                .header("content-type", "application/json")
                .body(
                    r#"{"_embedded": {"secrets": [{"id": "1b1b1b1b-1b1b-1b-1b1b-1b1b1b1b1b1b",
                        "created_at": "2017-03-02T16:34:49Z"}]}}"#,
                );
        })
        .await;
    let client = Client::new(&server.base_url());
    let list = client
        .retrieve_api_secrets("abcd1234")
        .await
        .unwrap()
        .into_inner();
    // The client's types are the crate's types.
    let list: vonage_secrets_api::types::SecretList = list;
    assert_eq!(list.embedded.secrets.len(), 1);
    assert_eq!(
        list.embedded.secrets[0].id,
        "1b1b1b1b-1b1b-1b-1b1b-1b1b1b1b1b1b"
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn the_async_client_reports_problems() {
    let server = httpmock::MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(httpmock::Method::DELETE);
            then.status(403).header("content-type", "application/json").body(
                r#"{"type": "https://developer.nexmo.com/api-errors/account/secret-management#delete-last-secret",
                    "title": "Secret Deletion Forbidden", "detail": "d", "instance": "i"}"#,
            );
        })
        .await;
    let client = Client::new(&server.base_url());
    let error = client
        .revoke_api_secret("abcd1234", "some-id")
        .await
        .unwrap_err();
    match error {
        vonage_secrets_api::async_client::Error::ErrorResponse(response) => {
            assert_eq!(response.status(), 403);
            assert_eq!(response.title, "Secret Deletion Forbidden");
        }
        other => panic!("expected an error response, got {other:?}"),
    }
}

/// An https sandbox with its own certificate authority, and a reqwest client that trusts it
/// and sends the account's Basic credentials.
fn https_sandbox() -> (vonage_secrets_sandbox::Sandbox, reqwest::ClientBuilder) {
    let sandbox = vonage_secrets_sandbox::Sandbox::builder()
        .account("abcd1234", "Sandbox-Secret-1")
        .tls(true)
        .start()
        .unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    // base64("abcd1234:Sandbox-Secret-1")
    let mut basic =
        reqwest::header::HeaderValue::from_static("Basic YWJjZDEyMzQ6U2FuZGJveC1TZWNyZXQtMQ==");
    basic.set_sensitive(true);
    headers.insert(reqwest::header::AUTHORIZATION, basic);
    let builder = reqwest::Client::builder().default_headers(headers);
    (sandbox, builder)
}

#[tokio::test]
async fn the_async_client_reaches_an_https_server_with_rustls() {
    let (sandbox, builder) = https_sandbox();
    assert!(
        sandbox.base_url().starts_with("https://"),
        "{}",
        sandbox.base_url()
    );
    let ca =
        reqwest::Certificate::from_pem(sandbox.ca_certificate_pem().unwrap().as_bytes()).unwrap();
    let http = builder.add_root_certificate(ca).build().unwrap();
    let client = Client::new_with_client(sandbox.base_url(), http);
    let list = client
        .retrieve_api_secrets("abcd1234")
        .await
        .unwrap()
        .into_inner();
    assert_eq!(list.embedded.secrets.len(), 1);
}

#[tokio::test]
async fn the_async_client_verifies_the_server_certificate() {
    // Out of the box (`Client::new`): TLS is there, and a certificate of an unknown authority
    // is refused rather than trusted.
    let (sandbox, _) = https_sandbox();
    let client = Client::new(sandbox.base_url());
    let error = client.retrieve_api_secrets("abcd1234").await.unwrap_err();
    let vonage_secrets_api::async_client::Error::CommunicationError(error) = error else {
        panic!("unexpected {error:?}");
    };
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.is_builder(), "{error:?}");
    assert!(sandbox.requests().is_empty());
}
