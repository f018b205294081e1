//! Whatever the values, a request keeps its shape: each path parameter is exactly one segment,
//! query parameters and form fields decode to exactly what was given, and nothing leaks from
//! one part of the request into another.

use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use vonage_secrets_runtime::{AuthScheme, BaseUrl, BuildError, Metadata, Method, RequestBuilder};

const META: Metadata = Metadata {
    operation_id: "op",
    method: Method::Post,
    path_template: "/things/{id}/parts",
    idempotent: false,
    auth: AuthScheme::None,
};

/// Strings rich in the characters that break naive URL and form building.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[/?#%&=+; .a-zA-Z0-9é\u{1F600}\r\n-]{0,16}",
        Just(String::new()),
        Just("..".to_owned()),
    ]
}

#[derive(serde::Serialize)]
struct Form {
    text: String,
    number: Option<i64>,
    flag: Option<bool>,
}

proptest! {
    #[test]
    fn path_query_and_form_values_round_trip(
        id in nasty(),
        query in proptest::collection::vec((nasty(), proptest::option::of(nasty())), 0..4),
        text in nasty(),
        number in proptest::option::of(any::<i64>()),
        flag in proptest::option::of(any::<bool>()),
    ) {
        let base = BaseUrl::parse("https://example.test/base/").unwrap();
        let mut builder = RequestBuilder::new((&base).into(), &META);
        builder.literal("things");
        if id.is_empty() {
            let refused = matches!(
                builder.segment("id", &id),
                Err(BuildError::EmptyPathParameter { name: "id" })
            );
            prop_assert!(refused);
            return Ok(());
        }
        builder.segment("id", &id).unwrap();
        builder.literal("parts");
        for (name, value) in &query {
            builder.query(name, value);
        }
        builder.form_body(&Form { text: text.clone(), number, flag }).unwrap();
        let request = builder.build().unwrap();

        let uri = request.uri();
        prop_assert_eq!(uri.scheme_str(), Some("https"));
        prop_assert_eq!(uri.host(), Some("example.test"));
        let segments: Vec<&str> = uri.path().split('/').collect();
        prop_assert_eq!(segments.len(), 5, "{}", uri);
        prop_assert_eq!(segments[1], "base");
        prop_assert_eq!(segments[2], "things");
        prop_assert_eq!(percent_decode_str(segments[3]).decode_utf8().unwrap(), id.as_str());
        prop_assert_eq!(segments[4], "parts");

        let sent: Vec<(String, String)> = query
            .iter()
            .filter_map(|(name, value)| Some((name.clone(), value.clone()?)))
            .collect();
        let got: Vec<(String, String)> = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
        prop_assert_eq!(got, sent);

        let mut expected = vec![("text".to_owned(), text)];
        if let Some(number) = number {
            expected.push(("number".to_owned(), number.to_string()));
        }
        if let Some(flag) = flag {
            expected.push(("flag".to_owned(), flag.to_string()));
        }
        let fields: Vec<(String, String)> = form_urlencoded::parse(request.body())
            .into_owned()
            .collect();
        prop_assert_eq!(fields, expected);
    }

    #[test]
    fn a_string_base_url_builds_exactly_when_it_parses_as_a_base_url(
        base in prop_oneof![any::<String>(), "(https?|ftp)://[a-z.:@0-9%/?# -]{0,20}"]
    ) {
        let parsed = BaseUrl::parse(&base);
        let mut builder = RequestBuilder::new(vonage_secrets_runtime::BaseUrlRef::unchecked(&base), &META);
        builder.literal("things");
        match builder.build() {
            Ok(request) => {
                let uri = request.uri().to_string();
                prop_assert!(parsed.is_ok(), "{} built but does not parse", base);
                prop_assert!(uri.ends_with("/things"), "{}", uri);
                prop_assert!(uri.starts_with("http://") || uri.starts_with("https://"));
                prop_assert_eq!(uri, format!("{}/things", parsed.unwrap()));
            }
            Err(error) => {
                let invalid = matches!(error, BuildError::InvalidBaseUrl { .. });
                prop_assert!(invalid);
                prop_assert!(parsed.is_err(), "{} parses but does not build", base);
            }
        }
    }
}
