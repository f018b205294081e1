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
