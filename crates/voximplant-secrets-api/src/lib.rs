//! Typed, sans-IO operations and model types for the application secrets of the Voximplant
//! Management API: `AddSecret`, `GetSecrets`, `GetSecretValue`, `SetSecretInfo`, `DelSecret`.
//!
//! Everything under `src/generated/` is generated from `openapi/voximplant-secrets.yaml` (an
//! OpenAPI 3.1 description) by `cargo xtask codegen` (its entry in `openapi/codegen.toml`), on
//! the `vonage-secrets-runtime` crate.
//!
//! - Parameters travel form-encoded in the request body, never in the URL, so that a secret
//!   value stays out of proxy and server logs.
//! - The requests carry no credentials: the transport adds `Authorization: Bearer <JWT>`
//!   ([`Metadata::auth`]).
//! - The API reports errors in the body (`{"error": {"code", "msg"}}`), possibly with status
//!   200: every outcome enum has an `Error` variant, tried before success, so that an error
//!   never parses as success.
//!
//! ```
//! use vonage_secrets_runtime::Operation;
//! use voximplant_secrets_api::operations::{GetSecrets, GetSecretsOutcome};
//! use voximplant_secrets_api::types::GetSecretsRequest;
//!
//! let operation = GetSecrets {
//!     body: GetSecretsRequest { application_id: Some(1), ..Default::default() },
//! };
//! let request = operation.to_request("https://api.voximplant.com/platform_api").unwrap();
//! assert_eq!(request.uri(), "https://api.voximplant.com/platform_api/GetSecrets");
//! assert_eq!(request.body(), b"application_id=1");
//!
//! let error = http::Response::builder()
//!     .status(200)
//!     .body(br#"{"error": {"code": 100, "msg": "Authorization failed"}}"#.to_vec())
//!     .unwrap();
//! match GetSecrets::parse_response(&error) {
//!     GetSecretsOutcome::Error { error, .. } => assert_eq!(error.error.code, 100),
//!     other => panic!("unexpected: {other:?}"),
//! }
//! ```

#[rustfmt::skip]
#[path = "generated/types.rs"]
pub mod types;

#[rustfmt::skip]
#[path = "generated/operations.rs"]
pub mod operations;

pub use operations::{ALL, Failure};
pub use vonage_secrets_runtime::{
    AsBaseUrl, AuthScheme, BODY_EXCERPT_LIMIT, BaseUrl, BaseUrlRef, BuildError, Metadata, Method,
    Operation, Unexpected, UnexpectedReason,
};
