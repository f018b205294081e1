//! Request shapes: snapshots per operation, path encoding as a property, refusals.

use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use vonage_secrets_api::operations::{
    CreateApiSecret, RetrieveApiSecret, RetrieveApiSecrets, RevokeApiSecret,
};
use vonage_secrets_api::types::CreateSecretRequest;
use vonage_secrets_api::{BuildError, Operation};

const BASE: &str = "https://api.nexmo.com";
const SECRET_ID: &str = "ad6dc56f-07b5-46e1-a527-85530e625800";

/// The request as text: method, URI, headers (sorted), and the body.
fn render(request: &http::Request<Vec<u8>>) -> String {
    let mut headers: Vec<String> = request
        .headers()
        .iter()
        .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap_or("<binary>")))
        .collect();
    headers.sort();
    format!(
        "{} {}\n{}\n\n{}",
        request.method(),
        request.uri(),
        headers.join("\n"),
        String::from_utf8_lossy(request.body())
    )
}

fn create(api_key: &str) -> CreateApiSecret {
    CreateApiSecret {
        api_key: api_key.into(),
        body: CreateSecretRequest::try_new("Th1s-I5-my_n3w-s3cr3t").unwrap(),
    }
}

#[test]
fn retrieve_secrets_request() {
    let request = RetrieveApiSecrets {
        api_key: "abcd1234".into(),
    }
    .to_request(BASE)
    .unwrap();
    insta::assert_snapshot!(render(&request));
}

#[test]
fn create_secret_request() {
    let request = create("abcd1234").to_request(BASE).unwrap();
    insta::assert_snapshot!(render(&request));
}

#[test]
fn retrieve_secret_request() {
    let request = RetrieveApiSecret {
        api_key: "abcd1234".into(),
        secret_id: SECRET_ID.into(),
    }
    .to_request(BASE)
    .unwrap();
    insta::assert_snapshot!(render(&request));
}

#[test]
fn revoke_secret_request() {
    let request = RevokeApiSecret {
        api_key: "abcd1234".into(),
        secret_id: SECRET_ID.into(),
    }
    .to_request(BASE)
    .unwrap();
    insta::assert_snapshot!(render(&request));
}

/// An operation's constants, as one value.
fn constants<O: Operation>() -> (&'static str, http::Method, &'static str, bool) {
    (O::OPERATION_ID, O::METHOD, O::PATH_TEMPLATE, O::IDEMPOTENT)
}

#[test]
fn constants_match_the_spec() {
    let list = "/accounts/{api_key}/secrets";
    let one = "/accounts/{api_key}/secrets/{secret_id}";
    assert_eq!(
        constants::<RetrieveApiSecrets>(),
        ("retrieveAPISecrets", http::Method::GET, list, true)
    );
    assert_eq!(
        constants::<CreateApiSecret>(),
        ("createAPISecret", http::Method::POST, list, false)
    );
    assert_eq!(
        constants::<RetrieveApiSecret>(),
        ("retrieveAPISecret", http::Method::GET, one, true)
    );
    assert_eq!(
        constants::<RevokeApiSecret>(),
        ("revokeAPISecret", http::Method::DELETE, one, true)
    );
    let ids: Vec<_> = vonage_secrets_api::operations::ALL
        .iter()
        .map(|info| info.operation_id)
        .collect();
    assert_eq!(
        ids,
        [
            "retrieveAPISecrets",
            "createAPISecret",
            "retrieveAPISecret",
            "revokeAPISecret"
        ]
    );
}

#[test]
fn base_url_with_path_and_trailing_slash() {
    for base in [
        "https://example.test/v1",
        "https://example.test/v1/",
        "https://example.test/v1//",
    ] {
        let request = RetrieveApiSecrets {
            api_key: "abcd1234".into(),
        }
        .to_request(base)
        .unwrap();
        assert_eq!(
            request.uri(),
            "https://example.test/v1/accounts/abcd1234/secrets"
        );
    }
    let request = RetrieveApiSecrets {
        api_key: "k".into(),
    }
    .to_request("http://127.0.0.1:8080/")
    .unwrap();
    assert_eq!(request.uri(), "http://127.0.0.1:8080/accounts/k/secrets");
}

#[test]
fn bad_base_urls_are_refused_without_echoing_them() {
    for base in [
        "",
        "api.nexmo.com",
        "ftp://h",
        "https://h/?q",
        "https://user:hunter2@h",
    ] {
        let error = RetrieveApiSecrets {
            api_key: "k".into(),
        }
        .to_request(base)
        .unwrap_err();
        assert!(matches!(error, BuildError::InvalidBaseUrl { .. }), "{base}");
        assert!(!error.to_string().contains("hunter2"));
    }
}

#[test]
fn empty_path_parameters_are_refused() {
    let error = RetrieveApiSecrets {
        api_key: String::new(),
    }
    .to_request(BASE)
    .unwrap_err();
    assert!(matches!(
        error,
        BuildError::EmptyPathParameter { name: "api_key" }
    ));
    let error = RevokeApiSecret {
        api_key: "k".into(),
        secret_id: String::new(),
    }
    .to_request(BASE)
    .unwrap_err();
    assert!(matches!(
        error,
        BuildError::EmptyPathParameter { name: "secret_id" }
    ));
    assert!(error.to_string().contains("secret_id"));
    let error = create("").to_request(BASE).unwrap_err();
    assert!(matches!(
        error,
        BuildError::EmptyPathParameter { name: "api_key" }
    ));
}

#[test]
fn dot_segments_are_encoded() {
    let request = RetrieveApiSecret {
        api_key: "..".into(),
        secret_id: ".".into(),
    }
    .to_request(BASE)
    .unwrap();
    assert_eq!(
        request.uri(),
        "https://api.nexmo.com/accounts/%2E%2E/secrets/%2E"
    );
}

#[test]
fn the_secret_is_redacted_from_debug_but_sent() {
    let operation = create("abcd1234");
    let debug = format!("{operation:?}");
    assert!(!debug.contains("Th1s-I5-my_n3w-s3cr3t"), "{debug}");
    assert!(debug.contains("<redacted>"));
    let request = operation.to_request(BASE).unwrap();
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body, serde_json::json!({"secret": "Th1s-I5-my_n3w-s3cr3t"}));
}

#[test]
fn create_request_enforces_the_spec_lengths() {
    assert!(CreateSecretRequest::try_new("Abcdef1").is_err());
    assert!(CreateSecretRequest::try_new("Abcdefg1").is_ok());
    assert!(CreateSecretRequest::try_new(&"Ab1".repeat(8)[..24]).is_ok());
    assert!(CreateSecretRequest::try_new("Abcdefghijklmnopqrstuvw12").is_ok());
    assert!(CreateSecretRequest::try_new("Abcdefghijklmnopqrstuvw123").is_err());
    // Characters, not bytes.
    assert!(CreateSecretRequest::try_new("Ééééééé1").is_ok());
}

/// Strings rich in the characters that break naive path building.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[/?#% .a-zA-Z0-9é\u{1F600}+&;=:@-]{0,16}",
        Just(String::new()),
        Just("..".to_owned()),
    ]
}

proptest! {
    #[test]
    fn path_parameters_are_exactly_one_segment_each(api_key in nasty(), secret_id in nasty()) {
        let result = RetrieveApiSecret { api_key: api_key.clone(), secret_id: secret_id.clone() }
            .to_request("https://example.test/base/");
        if api_key.is_empty() || secret_id.is_empty() {
            let refused = matches!(result, Err(BuildError::EmptyPathParameter { .. }));
            prop_assert!(refused);
            return Ok(());
        }
        let request = result.unwrap();
        let uri = request.uri();
        prop_assert_eq!(uri.host(), Some("example.test"));
        prop_assert_eq!(uri.query(), None);
        let segments: Vec<&str> = uri.path().split('/').collect();
        prop_assert_eq!(segments.len(), 6, "{}", uri);
        prop_assert_eq!(segments[0], "");
        prop_assert_eq!(segments[1], "base");
        prop_assert_eq!(segments[2], "accounts");
        prop_assert_eq!(segments[4], "secrets");
        prop_assert_eq!(percent_decode_str(segments[3]).decode_utf8().unwrap(), api_key.as_str());
        prop_assert_eq!(percent_decode_str(segments[5]).decode_utf8().unwrap(), secret_id.as_str());
    }
}

proptest! {
    #[test]
    fn any_base_url_gives_a_request_or_an_error(
        base in prop_oneof![
            any::<String>(),
            "(https?|ftp)://[a-z.:@0-9%/?# -]{0,20}",
        ]
    ) {
        let result = RetrieveApiSecrets { api_key: "abcd1234".into() }.to_request(&base);
        match result {
            Ok(request) => {
                let uri = request.uri().to_string();
                prop_assert!(uri.ends_with("/accounts/abcd1234/secrets"), "{}", uri);
                prop_assert!(uri.starts_with("http://") || uri.starts_with("https://"));
            }
            Err(error) => {
                let invalid = matches!(error, BuildError::InvalidBaseUrl { .. });
                prop_assert!(invalid);
            }
        }
    }

    #[test]
    fn create_requests_accept_exactly_8_to_25_characters(secret in "\\PC{0,30}") {
        let chars = secret.chars().count();
        prop_assert_eq!(CreateSecretRequest::try_new(&secret).is_ok(), (8..=25).contains(&chars));
    }
}
