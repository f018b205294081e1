//! Request shapes: a snapshot per operation, path encoding as a property, refusals.

use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use vonage_subaccounts_api::operations::{RetrieveSubaccount, RetrieveSubaccountsList};
use vonage_subaccounts_api::{AuthScheme, BaseUrl, BuildError, Metadata, Method, Operation};

const BASE: &str = "https://api.nexmo.com";

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

#[test]
fn retrieve_subaccounts_list_request() {
    let request = RetrieveSubaccountsList {
        api_key: "acc6111f".into(),
    }
    .to_request(BASE)
    .unwrap();
    insta::assert_snapshot!(render(&request));
}

#[test]
fn retrieve_subaccount_request() {
    let request = RetrieveSubaccount {
        api_key: "acc6111f".into(),
        subaccount_key: "bbe6222f".into(),
    }
    .to_request(BASE)
    .unwrap();
    insta::assert_snapshot!(render(&request));
}

#[test]
fn metadata_matches_the_spec() {
    assert_eq!(
        vonage_subaccounts_api::ALL,
        [
            Metadata {
                operation_id: "retrieveSubaccountsList",
                method: Method::Get,
                path_template: "/accounts/{api_key}/subaccounts",
                idempotent: true,
                auth: AuthScheme::Basic,
            },
            Metadata {
                operation_id: "retrieveSubaccount",
                method: Method::Get,
                path_template: "/accounts/{api_key}/subaccounts/{subaccount_key}",
                idempotent: true,
                auth: AuthScheme::Basic,
            },
        ]
    );
    assert_eq!(<RetrieveSubaccount as Operation>::METHOD, http::Method::GET);
}

#[test]
fn empty_path_parameters_and_bad_base_urls_are_refused() {
    let error = RetrieveSubaccount {
        api_key: "acc6111f".into(),
        subaccount_key: String::new(),
    }
    .to_request(BASE)
    .unwrap_err();
    assert!(matches!(
        error,
        BuildError::EmptyPathParameter {
            name: "subaccount_key"
        }
    ));
    let error = RetrieveSubaccountsList {
        api_key: "k".into(),
    }
    .to_request("https://user:hunter2@api.nexmo.com")
    .unwrap_err();
    assert!(matches!(error, BuildError::InvalidBaseUrl { .. }));
    assert!(!error.to_string().contains("hunter2"));
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
    fn path_parameters_are_exactly_one_segment_each(api_key in nasty(), subaccount_key in nasty()) {
        let base = BaseUrl::parse("https://example.test/base/").unwrap();
        let result = RetrieveSubaccount { api_key: api_key.clone(), subaccount_key: subaccount_key.clone() }
            .to_request(&base);
        if api_key.is_empty() || subaccount_key.is_empty() {
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
        prop_assert_eq!(segments[1], "base");
        prop_assert_eq!(segments[2], "accounts");
        prop_assert_eq!(segments[4], "subaccounts");
        prop_assert_eq!(percent_decode_str(segments[3]).decode_utf8().unwrap(), api_key.as_str());
        prop_assert_eq!(percent_decode_str(segments[5]).decode_utf8().unwrap(), subaccount_key.as_str());
    }
}
