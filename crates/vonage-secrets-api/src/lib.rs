//! Typed, sans-IO operations and model types for the Vonage Secret Management API.
//!
//! Everything under `src/generated/` is generated from `openapi/secret-management.yaml` by
//! `cargo xtask codegen` (its entry in `openapi/codegen.toml`); the generated code runs on the
//! `vonage-secrets-runtime` crate, whose items this crate re-exports. Paths, methods and status
//! codes appear only in the generated code.
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
//!   [`types`]. It reaches `https://` URLs out of the box: the feature turns on reqwest's
//!   `rustls` feature (rustls with its default crypto provider, aws-lc-rs, whose build compiles
//!   C like ring's; certificates checked by the platform's verifier against the system's roots;
//!   add a private CA with `reqwest::ClientBuilder::add_root_certificate`). The client adds no
//!   credentials: give it a `reqwest::Client` with an `Authorization` default header
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

pub use operations::{ALL, Failure};
pub use vonage_secrets_runtime::{
    AsBaseUrl, AuthScheme, BODY_EXCERPT_LIMIT, BaseUrl, BaseUrlRef, BuildError, Metadata, Method,
    Operation, Unexpected, UnexpectedReason,
};

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
