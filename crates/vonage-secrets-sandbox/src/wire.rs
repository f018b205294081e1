//! The sandbox's own wire format: small serde structs written from the facts page, deliberately
//! independent of the generated client types so that a mistake on one side is caught by the other.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

/// Characters left as they are in a path segment of a `self` link; everything else is encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `/accounts/{api_key}/secrets`, each segment percent-encoded.
pub(crate) fn secrets_href(api_key: &str) -> String {
    format!(
        "/accounts/{}/secrets",
        utf8_percent_encode(api_key, SEGMENT)
    )
}

/// `/accounts/{api_key}/secrets/{id}`, each segment percent-encoded.
pub(crate) fn secret_href(api_key: &str, id: &str) -> String {
    format!(
        "{}/{}",
        secrets_href(api_key),
        utf8_percent_encode(id, SEGMENT)
    )
}

#[derive(Serialize)]
pub(crate) struct Href {
    pub(crate) href: String,
}

#[derive(Serialize)]
pub(crate) struct Links {
    #[serde(rename = "self")]
    pub(crate) this: Href,
}

impl Links {
    pub(crate) fn to(href: String) -> Self {
        Links {
            this: Href { href },
        }
    }
}

/// One secret, as `GET /accounts/{k}/secrets/{id}` and `POST` return it.
#[derive(Serialize)]
pub(crate) struct SecretBody {
    pub(crate) _links: Links,
    pub(crate) id: String,
    pub(crate) created_at: String,
}

#[derive(Serialize)]
pub(crate) struct Embedded {
    pub(crate) secrets: Vec<SecretBody>,
}

/// The list, as `GET /accounts/{k}/secrets` returns it.
#[derive(Serialize)]
pub(crate) struct ListBody {
    pub(crate) _links: Links,
    pub(crate) _embedded: Embedded,
}

/// One entry of a validation problem's `invalid_parameters`.
#[derive(Serialize)]
pub(crate) struct InvalidParameter {
    pub(crate) name: &'static str,
    pub(crate) reason: &'static str,
}

/// A problem document (RFC 7807 style, as the facts page describes it).
#[derive(Serialize)]
pub(crate) struct Problem {
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) title: &'static str,
    pub(crate) detail: String,
    pub(crate) instance: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) invalid_parameters: Option<Vec<InvalidParameter>>,
}

pub(crate) const TYPE_UNAUTHORIZED: &str = "https://developer.nexmo.com/api-errors#unauthorized";
pub(crate) const TYPE_INVALID_API_KEY: &str =
    "https://developer.nexmo.com/api-errors#invalid-api-key";
pub(crate) const TYPE_INVALID_ID: &str = "https://developer.nexmo.com/api-errors#invalid-id";
pub(crate) const TYPE_VALIDATION: &str =
    "https://developer.nexmo.com/api-errors/account/secret-management#validation";
pub(crate) const TYPE_ADD_EXCESS: &str =
    "https://developer.nexmo.com/api-errors/account/secret-management#add-excess-secret";
pub(crate) const TYPE_DELETE_LAST: &str =
    "https://developer.nexmo.com/api-errors/account/secret-management#delete-last-secret";
/// RFC 7807's "no further semantics" type, for the errors the facts page does not describe
/// (malformed requests, unknown routes, wrong methods, injected faults).
pub(crate) const TYPE_BLANK: &str = "about:blank";

impl Problem {
    fn new(kind: &'static str, title: &'static str, detail: String) -> Self {
        Problem {
            kind,
            title,
            detail,
            // A trace id shaped like the real ones: 32 lower-case hex digits.
            instance: uuid::Uuid::new_v4().simple().to_string(),
            invalid_parameters: None,
        }
    }

    pub(crate) fn unauthorized() -> Self {
        Self::new(
            TYPE_UNAUTHORIZED,
            "Unauthorized",
            "You did not provide correct credentials.".into(),
        )
    }

    pub(crate) fn invalid_api_key(api_key: &str) -> Self {
        Self::new(
            TYPE_INVALID_API_KEY,
            "Invalid API Key",
            format!("API key '{api_key}' not found"),
        )
    }

    pub(crate) fn invalid_id(id: &str) -> Self {
        Self::new(
            TYPE_INVALID_ID,
            "Invalid ID",
            format!("ID '{id}' could not be found"),
        )
    }

    pub(crate) fn validation(reason: &'static str) -> Self {
        let mut p = Self::new(
            TYPE_VALIDATION,
            "Bad Request",
            "The request failed due to secret validation errors".into(),
        );
        p.invalid_parameters = Some(vec![InvalidParameter {
            name: "secret",
            reason,
        }]);
        p
    }

    pub(crate) fn add_excess_secret() -> Self {
        Self::new(
            TYPE_ADD_EXCESS,
            "Secret Addition Forbidden",
            "Account reached maximum number [2] of allowed secrets".into(),
        )
    }

    pub(crate) fn delete_last_secret() -> Self {
        Self::new(
            TYPE_DELETE_LAST,
            "Secret Deletion Forbidden",
            "Can not delete the last secret. The account must always have at least 1 secret \
             active at any time"
                .into(),
        )
    }

    /// A problem of type `about:blank`, whose title is the status's reason phrase.
    pub(crate) fn blank(status: http::StatusCode, detail: String) -> Self {
        Self::new(
            TYPE_BLANK,
            status.canonical_reason().unwrap_or("Error"),
            detail,
        )
    }
}

/// `created_at` format: RFC 3339, UTC, whole seconds, `Z`.
pub(crate) fn timestamp(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_body_has_the_documented_shape() {
        let body = SecretBody {
            _links: Links::to(secret_href("abcd1234", "ad6dc56f")),
            id: "ad6dc56f".into(),
            created_at: "2017-03-02T16:34:49Z".into(),
        };
        let v = serde_json::to_value(&body).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "_links": {"self": {"href": "/accounts/abcd1234/secrets/ad6dc56f"}},
                "id": "ad6dc56f",
                "created_at": "2017-03-02T16:34:49Z"
            })
        );
    }

    #[test]
    fn hrefs_encode_segments() {
        assert_eq!(secret_href("a b", "x/y"), "/accounts/a%20b/secrets/x%2Fy");
    }

    #[test]
    fn problems_get_fresh_instances_and_omit_empty_parameters() {
        let a = serde_json::to_value(Problem::unauthorized()).unwrap();
        let b = serde_json::to_value(Problem::unauthorized()).unwrap();
        assert_ne!(a["instance"], b["instance"]);
        let instance = a["instance"].as_str().unwrap();
        assert_eq!(instance.len(), 32);
        assert!(instance.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')));
        assert!(a.get("invalid_parameters").is_none());
        let v = serde_json::to_value(Problem::validation("x")).unwrap();
        assert_eq!(
            v["invalid_parameters"],
            serde_json::json!([{"name": "secret", "reason": "x"}])
        );
    }

    #[test]
    fn timestamps_are_whole_seconds_utc() {
        use chrono::TimeZone;
        let t = chrono::Utc
            .with_ymd_and_hms(2017, 3, 2, 16, 34, 49)
            .unwrap()
            .checked_add_signed(chrono::TimeDelta::milliseconds(750))
            .unwrap();
        assert_eq!(timestamp(&t), "2017-03-02T16:34:49Z");
    }
}
