//! Typed, sans-IO operations and model types for the Vonage Secret Management API.
//!
//! Everything under `src/generated/` is generated from `openapi/secret-management.yaml` by
//! `cargo xtask codegen`; this file holds the few hand-written lines the generated code runs on.
//! Paths, methods and status codes appear only in the generated code.
//!
//! An operation is a plain value ([`operations::RetrieveApiSecret`], ...). It builds an
//! [`http::Request`] from a base URL and parses an [`http::Response`] into a typed outcome with
//! one variant per documented status; any HTTP library can carry it in between. The request
//! carries no credentials: the transport adds the `Authorization` header.
//!
//! ```
//! use vonage_secrets_api::{Operation, operations::{RetrieveApiSecret, RetrieveApiSecretOutcome}};
//!
//! let operation = RetrieveApiSecret {
//!     api_key: "abcd1234".into(),
//!     secret_id: "ad6dc56f-07b5-46e1-a527-85530e625800".into(),
//! };
//! let request = operation.to_request("https://api.nexmo.com").unwrap();
//! assert_eq!(request.method(), http::Method::GET);
//! assert_eq!(
//!     request.uri(),
//!     "https://api.nexmo.com/accounts/abcd1234/secrets/ad6dc56f-07b5-46e1-a527-85530e625800"
//! );
//!
//! // ... send it with any HTTP client, then:
//! let response = http::Response::builder()
//!     .status(200)
//!     .body(br#"{"id": "ad6dc56f-07b5-46e1-a527-85530e625800",
//!                "created_at": "2017-03-02T16:34:49Z"}"#.to_vec())
//!     .unwrap();
//! match RetrieveApiSecret::parse_response(&response) {
//!     RetrieveApiSecretOutcome::Ok(secret) => assert_eq!(secret.id, "ad6dc56f-07b5-46e1-a527-85530e625800"),
//!     other => panic!("unexpected: {other:?}"),
//! }
//! ```
//!
//! # Secrets in requests
//!
//! [`operations::CreateApiSecret`] holds the new secret in its body. The secret's type,
//! [`types::CreateSecretRequestSecret`], has a `Debug` that prints `<redacted>` (the xtask
//! patches the generated type for every `format: password` property), but the serialized request
//! body does contain the secret: never log request bodies.
//!
//! # Features
//!
//! - `async` (off by default): `async_client`, progenitor's reqwest client over the same
//!   [`types`]. reqwest comes without a TLS backend here (its default one needs a C toolchain);
//!   to reach `https://` URLs, enable one in your own manifest, such as
//!   `reqwest = { version = "0.13", features = ["rustls"] }`. The client adds no credentials:
//!   give it a `reqwest::Client` with an `Authorization` default header
//!   (`Client::new_with_client`).
//! - `mock` (off by default): `mock`, progenitor's typed httpmock helpers (`MockServerExt`).
//!
//! With default features the crate depends on no async runtime and no HTTP client.

#[rustfmt::skip]
#[path = "generated/types.rs"]
pub mod types;

#[rustfmt::skip]
#[path = "generated/operations.rs"]
pub mod operations;

#[cfg(feature = "async")]
#[rustfmt::skip]
#[path = "generated/async_client.rs"]
pub mod async_client;

#[cfg(feature = "mock")]
#[rustfmt::skip]
#[path = "generated/httpmock.rs"]
pub mod mock;

/// The most bytes of an unexpected body kept in [`Unexpected::body_excerpt`].
pub const BODY_EXCERPT_LIMIT: usize = 512;

/// One operation of the API, implemented by each generated request type in [`operations`].
pub trait Operation {
    /// The spec's operationId, such as `retrieveAPISecrets`.
    const OPERATION_ID: &'static str;
    /// The HTTP method.
    const METHOD: http::Method;
    /// The spec's path template, such as `/accounts/{api_key}/secrets`.
    const PATH_TEMPLATE: &'static str;
    /// Whether sending the request twice has the same effect as sending it once.
    const IDEMPOTENT: bool;
    /// The payload of the success status (`()` when it has no body).
    type Output;
    /// The typed outcome: one variant per documented status, plus `Unexpected`.
    type Outcome;

    /// Builds the request against `base_url` (such as `https://api.nexmo.com`, with or without a
    /// trailing slash; a base path is kept). Every path parameter becomes exactly one
    /// percent-encoded segment; an empty one is refused. No `Authorization` header is added.
    fn to_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, BuildError>;

    /// Parses a response into the typed outcome. Never panics, whatever the status, headers and
    /// bytes.
    fn parse_response(response: &http::Response<Vec<u8>>) -> Self::Outcome;

    /// The success payload, or the failure.
    fn into_result(outcome: Self::Outcome) -> Result<Self::Output, Failure>;
}

/// A short description of an operation, for listings such as [`operations::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The spec's operationId.
    pub operation_id: &'static str,
    /// The HTTP method, such as `GET`.
    pub method: &'static str,
    /// The path template, such as `/accounts/{api_key}/secrets`.
    pub path_template: &'static str,
    /// Whether the operation is idempotent (and so safe to retry).
    pub idempotent: bool,
}

/// A documented error status with its problem body, or something undocumented.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Failure {
    /// A status the spec documents as an error, with its decoded problem document.
    #[error("{status}: {} ({})", problem.title, problem.detail)]
    Problem {
        /// The response's status.
        status: http::StatusCode,
        /// The decoded problem document.
        problem: types::Problem,
    },
    /// A status the spec does not document, or a body that does not decode.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// A response the spec does not describe: an undocumented status or an undecodable body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unexpected response ({status}): {reason}; body starts with {body_excerpt:?}")]
pub struct Unexpected {
    /// The response's status.
    pub status: http::StatusCode,
    /// What was unexpected about it.
    pub reason: UnexpectedReason,
    /// The start of the body, as lossy UTF-8: at most [`BODY_EXCERPT_LIMIT`] bytes, cut on a
    /// character boundary.
    pub body_excerpt: String,
}

/// What was unexpected about a response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnexpectedReason {
    /// The spec documents no such status for this operation.
    #[error("the status is not documented for this operation")]
    UndocumentedStatus,
    /// The status is documented but the body does not decode as its schema.
    #[error("the body does not decode: {0}")]
    UndecodableBody(String),
}

/// Why a request could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A path parameter is empty; sending it would address a different resource.
    #[error("the path parameter `{name}` is empty; give it a value")]
    EmptyPathParameter {
        /// The parameter's name in the spec, such as `secret_id`.
        name: &'static str,
    },
    /// The base URL is not an absolute `http` or `https` URL without query or fragment.
    #[error("invalid base URL: {reason}; expected something like `https://api.nexmo.com`")]
    InvalidBaseUrl {
        /// What is wrong with it (the URL itself is not repeated: it may hold credentials).
        reason: &'static str,
    },
    /// The body could not be serialized as JSON.
    #[error("the request body could not be serialized as JSON: {0}")]
    Body(#[source] serde_json::Error),
}

impl types::CreateSecretRequest {
    /// A create request for `secret`, checked against the spec's length limits (8 to 25
    /// characters). The server also requires a lower-case letter, an upper-case letter and a
    /// digit; the `vonage-secrets-policy` crate checks those.
    ///
    /// ```
    /// use vonage_secrets_api::types::CreateSecretRequest;
    ///
    /// let request = CreateSecretRequest::try_new("Th1s-I5-my_n3w-s3cr3t").unwrap();
    /// assert_eq!(format!("{:?}", request.secret), "CreateSecretRequestSecret(<redacted>)");
    /// assert!(CreateSecretRequest::try_new("short").is_err());
    /// ```
    pub fn try_new(secret: &str) -> Result<Self, types::error::ConversionError> {
        Ok(Self {
            secret: secret.parse()?,
        })
    }
}

/// The generic machinery the generated operations run on. No paths, methods or statuses here.
pub(crate) mod support {
    use http::HeaderValue;
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    use serde::{Serialize, de::DeserializeOwned};

    use crate::{BODY_EXCERPT_LIMIT, BuildError, Unexpected, UnexpectedReason};

    /// Everything but unreserved characters is encoded, and `.` too, so that a value of `.` or
    /// `..` can never become a dot-segment.
    const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

    const JSON: &str = "application/json";

    /// One segment of a request path.
    pub(crate) enum Segment<'a> {
        /// Text from the path template, used as is.
        Literal(&'static str),
        /// A path parameter, percent-encoded into exactly one segment.
        Param { name: &'static str, value: &'a str },
    }

    /// Serializes a request body.
    pub(crate) fn json_body<T: Serialize>(body: &T) -> Result<Vec<u8>, BuildError> {
        serde_json::to_vec(body).map_err(BuildError::Body)
    }

    /// Checks the base URL and returns it without trailing slashes.
    fn base(base_url: &str) -> Result<&str, BuildError> {
        let invalid = |reason| Err(BuildError::InvalidBaseUrl { reason });
        if base_url.contains(['?', '#']) {
            return invalid("it must not have a query or a fragment");
        }
        let Ok(uri) = base_url.parse::<http::Uri>() else {
            return invalid("it does not parse as a URL");
        };
        check_origin(&uri)?;
        Ok(base_url.trim_end_matches('/'))
    }

    /// The scheme must be `http` or `https`, and the authority must be there, without
    /// credentials.
    fn check_origin(uri: &http::Uri) -> Result<(), BuildError> {
        let invalid = |reason| Err(BuildError::InvalidBaseUrl { reason });
        match uri.scheme_str() {
            Some("http" | "https") => {}
            _ => return invalid("its scheme must be `http` or `https`"),
        }
        match uri.authority() {
            None => invalid("it has no host"),
            Some(authority) if authority.as_str().contains('@') => {
                invalid("it must not hold credentials; the transport adds them")
            }
            Some(_) => Ok(()),
        }
    }

    /// Builds a request: the base URL, the encoded segments, JSON headers and the body.
    ///
    /// On the hot path of every call, so it builds the URL in one allocation of the right size
    /// and parses it once: the base URL is checked on the whole URL (the path cannot change its
    /// scheme or authority); only when that fails is the base URL parsed on its own, to say
    /// what is wrong with it.
    pub(crate) fn build_request(
        base_url: &str,
        method: http::Method,
        segments: &[Segment<'_>],
        body: Option<Vec<u8>>,
    ) -> Result<http::Request<Vec<u8>>, BuildError> {
        if base_url.contains(['?', '#']) {
            // The error, with its reason.
            base(base_url)?;
        }
        let trimmed = base_url.trim_end_matches('/');
        let capacity = trimmed.len()
            + segments
                .iter()
                .map(|segment| match segment {
                    Segment::Literal(text) => 1 + text.len(),
                    // Each byte becomes at most `%XX`.
                    Segment::Param { value, .. } => 1 + 3 * value.len(),
                })
                .sum::<usize>();
        let mut url = String::with_capacity(capacity);
        url.push_str(trimmed);
        for segment in segments {
            url.push('/');
            match segment {
                Segment::Literal(text) => url.push_str(text),
                Segment::Param { name, value } => {
                    if value.is_empty() {
                        // A bad base URL is reported first, as it always was.
                        base(base_url)?;
                        return Err(BuildError::EmptyPathParameter { name });
                    }
                    url.extend(utf8_percent_encode(value, SEGMENT));
                }
            }
        }
        let uri = match http::Uri::try_from(url) {
            Ok(uri) => uri,
            Err(_) => {
                base(base_url)?;
                return Err(BuildError::InvalidBaseUrl {
                    reason: "it does not form a valid URL with the path",
                });
            }
        };
        if let Err(e) = check_origin(&uri) {
            // Say what is wrong with the base URL itself when it does not parse on its own.
            base(base_url)?;
            return Err(e);
        }
        let has_body = body.is_some();
        let mut request = http::Request::new(body.unwrap_or_default());
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.insert(http::header::ACCEPT, HeaderValue::from_static(JSON));
        if has_body {
            headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static(JSON));
        }
        Ok(request)
    }

    /// The start of a body, as lossy UTF-8 of at most [`BODY_EXCERPT_LIMIT`] bytes.
    pub(crate) fn excerpt(body: &[u8]) -> String {
        let head = &body[..body.len().min(BODY_EXCERPT_LIMIT)];
        let mut text = String::from_utf8_lossy(head).into_owned();
        if text.len() > BODY_EXCERPT_LIMIT {
            let mut end = BODY_EXCERPT_LIMIT;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
        }
        text
    }

    fn unexpected(response: &http::Response<Vec<u8>>, reason: UnexpectedReason) -> Unexpected {
        Unexpected {
            status: response.status(),
            reason,
            body_excerpt: excerpt(response.body()),
        }
    }

    /// A status the operation does not document.
    pub(crate) fn undocumented(response: &http::Response<Vec<u8>>) -> Unexpected {
        unexpected(response, UnexpectedReason::UndocumentedStatus)
    }

    /// Decodes a JSON body, or says why it does not decode.
    pub(crate) fn decode_json<T: DeserializeOwned>(
        response: &http::Response<Vec<u8>>,
    ) -> Result<T, Unexpected> {
        serde_json::from_slice(response.body()).map_err(|error| {
            unexpected(
                response,
                UnexpectedReason::UndecodableBody(error.to_string()),
            )
        })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn excerpt_is_bounded_and_cut_on_a_char_boundary() {
            let body = "é".repeat(400);
            let text = excerpt(body.as_bytes());
            assert_eq!(text.len(), BODY_EXCERPT_LIMIT);
            assert!(text.chars().all(|c| c == 'é'));

            let mut odd = vec![b'a'];
            odd.extend("é".repeat(400).as_bytes());
            let text = excerpt(&odd);
            assert!(text.len() <= BODY_EXCERPT_LIMIT);
            assert!(text.starts_with("aé"));

            assert_eq!(excerpt(&[0xff, b'x']), "\u{fffd}x");
            assert_eq!(excerpt(b""), "");
        }

        #[test]
        fn base_url_rules() {
            assert_eq!(base("https://h/v1/").ok(), Some("https://h/v1"));
            assert_eq!(base("http://h:8080").ok(), Some("http://h:8080"));
            for bad in [
                "",
                "h",
                "/path",
                "ftp://h",
                "https://h?x=1",
                "https://h#f",
                "https://u:p@h",
            ] {
                assert!(
                    matches!(base(bad), Err(BuildError::InvalidBaseUrl { .. })),
                    "{bad}"
                );
            }
        }
    }
}
