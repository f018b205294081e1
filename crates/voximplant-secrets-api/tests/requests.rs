//! Request shapes: a snapshot per method, form fields as a property, and the rule that a
//! secret value never travels in the URL.

use proptest::prelude::*;
use voximplant_secrets_api::operations::{
    AddSecret, DelSecret, GetSecretValue, GetSecrets, SetSecretInfo,
};
use voximplant_secrets_api::types::{
    AddSecretRequest, DelSecretRequest, GetSecretValueRequest, GetSecretsRequest,
    SetSecretInfoRequest,
};
use voximplant_secrets_api::{AuthScheme, BaseUrl, Method, Operation};

const BASE: &str = "https://api.voximplant.com/platform_api";
const VALUE: &str = "s3cr3t value & more=1";

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

fn add(value: &str) -> AddSecret {
    AddSecret {
        body: AddSecretRequest {
            application_id: Some(1),
            application_name: None,
            secret_name: "my_secret".into(),
            secret_value: value.parse().unwrap(),
            description: Some("For the IVR scenario".into()),
        },
    }
}

/// The form fields of a body, decoded.
fn fields(request: &http::Request<Vec<u8>>) -> Vec<(String, String)> {
    form_urlencoded::parse(request.body())
        .into_owned()
        .collect()
}

#[test]
fn add_secret_request() {
    insta::assert_snapshot!(render(&add(VALUE).to_request(BASE).unwrap()));
}

#[test]
fn get_secrets_request() {
    let operation = GetSecrets {
        body: GetSecretsRequest {
            application_name: Some("my-app".into()),
            secret_name_part: Some("api".into()),
            count: Some(20.try_into().unwrap()),
            offset: Some(40),
            ..Default::default()
        },
    };
    insta::assert_snapshot!(render(&operation.to_request(BASE).unwrap()));
}

#[test]
fn get_secret_value_request() {
    let operation = GetSecretValue {
        body: GetSecretValueRequest {
            application_id: Some(1),
            secret_id: Some(123),
            ..Default::default()
        },
    };
    insta::assert_snapshot!(render(&operation.to_request(BASE).unwrap()));
}

#[test]
fn set_secret_info_request() {
    let operation = SetSecretInfo {
        body: SetSecretInfoRequest {
            application_id: Some(1),
            secret_name: Some("my_secret".into()),
            new_secret_name: Some("renamed".into()),
            secret_value: Some(VALUE.parse().unwrap()),
            ..Default::default()
        },
    };
    insta::assert_snapshot!(render(&operation.to_request(BASE).unwrap()));
}

#[test]
fn del_secret_request() {
    let operation = DelSecret {
        body: DelSecretRequest {
            application_id: Some(1),
            secret_id: Some("12;13".into()),
            ..Default::default()
        },
    };
    insta::assert_snapshot!(render(&operation.to_request(BASE).unwrap()));
}

#[test]
fn metadata_says_bearer_post_and_which_reads_retry() {
    let all = voximplant_secrets_api::ALL;
    let ids: Vec<&str> = all.iter().map(|meta| meta.operation_id).collect();
    assert_eq!(
        ids,
        [
            "AddSecret",
            "GetSecrets",
            "GetSecretValue",
            "SetSecretInfo",
            "DelSecret"
        ]
    );
    for meta in all {
        assert_eq!(meta.method, Method::Post);
        assert_eq!(meta.auth, AuthScheme::Bearer);
        assert_eq!(meta.path_template, format!("/{}", meta.operation_id));
    }
    let retried: Vec<&str> = all
        .iter()
        .filter(|meta| meta.idempotent)
        .map(|meta| meta.operation_id)
        .collect();
    assert_eq!(retried, ["GetSecrets", "GetSecretValue"]);
    assert_eq!(<AddSecret as Operation>::METHOD, http::Method::POST);
}

#[test]
fn the_secret_value_is_redacted_from_debug_and_never_in_the_url() {
    let operation = add(VALUE);
    let debug = format!("{operation:?}");
    assert!(!debug.contains("s3cr3t"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    let request = operation.to_request(BASE).unwrap();
    assert_eq!(request.uri().query(), None);
    assert!(!request.uri().to_string().contains("s3cr3t"));
    assert!(fields(&request).contains(&("secret_value".to_owned(), VALUE.to_owned())));
}

#[test]
fn the_spec_limits_of_the_value_are_checked() {
    assert!(
        "".parse::<voximplant_secrets_api::types::AddSecretRequestSecretValue>()
            .is_err()
    );
    assert!(
        "x".repeat(8192)
            .parse::<voximplant_secrets_api::types::AddSecretRequestSecretValue>()
            .is_ok()
    );
    assert!(
        "x".repeat(8193)
            .parse::<voximplant_secrets_api::types::AddSecretRequestSecretValue>()
            .is_err()
    );
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[&=+%#?/ ;.a-zA-Z0-9é\u{1F600}\r\n-]{0,24}",
        Just(String::new()),
    ]
}

proptest! {
    #[test]
    fn form_fields_round_trip_whatever_they_hold(
        name in text(),
        value in "\\PC{1,64}",
        description in proptest::option::of(text()),
        application_id in proptest::option::of(any::<i64>()),
        base in prop_oneof![Just(BASE.to_owned()), Just("http://127.0.0.1:9/x/".to_owned())],
    ) {
        let operation = AddSecret {
            body: AddSecretRequest {
                application_id,
                application_name: None,
                secret_name: name.clone(),
                secret_value: value.parse().unwrap(),
                description: description.clone(),
            },
        };
        let base = BaseUrl::parse(&base).unwrap();
        let request = operation.to_request(&base).unwrap();
        prop_assert_eq!(request.uri().query(), None);
        prop_assert!(request.uri().path().ends_with("/AddSecret"));
        prop_assert_eq!(
            request.headers()["content-type"].to_str().unwrap(),
            "application/x-www-form-urlencoded"
        );
        let mut expected = Vec::new();
        if let Some(id) = application_id {
            expected.push(("application_id".to_owned(), id.to_string()));
        }
        if let Some(description) = &description {
            expected.push(("description".to_owned(), description.clone()));
        }
        expected.push(("secret_name".to_owned(), name));
        expected.push(("secret_value".to_owned(), value));
        let mut got = fields(&request);
        got.sort();
        expected.sort();
        prop_assert_eq!(got, expected);
    }
}
