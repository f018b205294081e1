//! The response side: [`Failure`], [`Unexpected`], and the helpers the generated
//! `parse_response` functions call.

use serde::de::DeserializeOwned;

/// The most bytes of an unexpected body kept in [`Unexpected::body_excerpt`].
pub const BODY_EXCERPT_LIMIT: usize = 512;

/// A documented error response with its typed error document, or something undocumented.
///
/// `E` is the error document the spec describes (a problem document, a vendor's error object).
///
/// Not `#[non_exhaustive]` on purpose: callers match both cases exhaustively.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Failure<E> {
    /// A response the spec documents as an error, with its decoded error document. Its status
    /// may be a success status when the API reports errors in the body.
    #[error("{status}: {problem}")]
    Problem {
        /// The response's status.
        status: http::StatusCode,
        /// The decoded error document.
        problem: E,
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

/// The start of a body, as lossy UTF-8 of at most [`BODY_EXCERPT_LIMIT`] bytes, cut on a
/// character boundary.
pub fn excerpt(body: &[u8]) -> String {
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
pub fn undocumented(response: &http::Response<Vec<u8>>) -> Unexpected {
    unexpected(response, UnexpectedReason::UndocumentedStatus)
}

/// Decodes a JSON body, or says why it does not decode.
pub fn decode_json<T: DeserializeOwned>(
    response: &http::Response<Vec<u8>>,
) -> Result<T, Unexpected> {
    serde_json::from_slice(response.body()).map_err(|error| {
        unexpected(
            response,
            UnexpectedReason::UndecodableBody(error.to_string()),
        )
    })
}

/// The body as the API's error document, whatever the status, if it decodes as one.
///
/// For APIs that report errors in the body of any response, success statuses included: the
/// generated code tries this before the success schema, so an error never parses as success.
pub fn decode_error_body<E: DeserializeOwned>(response: &http::Response<Vec<u8>>) -> Option<E> {
    serde_json::from_slice(response.body()).ok()
}

/// The text of the values at `pointers` (JSON pointers into `document`), joined by `": "`; for
/// the `Display` of a generated error document. Strings are shown as they are, other values as
/// JSON; missing and null values are left out.
pub fn summary<T: serde::Serialize>(document: &T, pointers: &[&str]) -> String {
    let Ok(value) = serde_json::to_value(document) else {
        return "an error document".to_owned();
    };
    let parts: Vec<String> = pointers
        .iter()
        .filter_map(|pointer| match value.pointer(pointer)? {
            serde_json::Value::Null => None,
            serde_json::Value::String(text) => Some(text.clone()),
            other => Some(other.to_string()),
        })
        .collect();
    if parts.is_empty() {
        "an error document".to_owned()
    } else {
        parts.join(": ")
    }
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
    fn summary_picks_the_pointed_values() {
        let document = serde_json::json!({"error": {"code": 100, "msg": "Authorization failed"}});
        assert_eq!(
            summary(&document, &["/error/code", "/error/msg"]),
            "100: Authorization failed"
        );
        assert_eq!(summary(&document, &["/missing"]), "an error document");
    }

    #[test]
    fn error_bodies_decode_whatever_the_status() {
        #[derive(serde::Deserialize, Debug)]
        struct ApiError {
            #[allow(dead_code)]
            error: serde_json::Value,
        }
        let response = |body: &str| {
            http::Response::builder()
                .status(200)
                .body(body.as_bytes().to_vec())
                .unwrap()
        };
        assert!(decode_error_body::<ApiError>(&response(r#"{"error": {"code": 1}}"#)).is_some());
        assert!(decode_error_body::<ApiError>(&response(r#"{"result": 1}"#)).is_none());
        assert!(decode_error_body::<ApiError>(&response("not json")).is_none());
    }
}
