//! Typed, sans-IO operations and model types for the Vonage Subaccounts API: the primary
//! account's list of secondary accounts, and one of them.
//!
//! Everything under `src/generated/` is generated from `openapi/subaccounts.yaml` by
//! `cargo xtask codegen` (its entry in `openapi/codegen.toml`), on the `vonage-secrets-runtime`
//! crate. The requests carry no credentials: the transport adds HTTP Basic with the primary
//! account's api key and secret ([`Metadata::auth`]).
//!
//! ```
//! use vonage_subaccounts_api::operations::{RetrieveSubaccountsList, RetrieveSubaccountsListOutcome};
//! use vonage_subaccounts_api::{BaseUrl, Operation};
//!
//! let base = BaseUrl::parse("https://api.nexmo.com").unwrap();
//! let request = RetrieveSubaccountsList { api_key: "acc6111f".into() }.to_request(&base).unwrap();
//! assert_eq!(request.uri(), "https://api.nexmo.com/accounts/acc6111f/subaccounts");
//!
//! let response = http::Response::builder()
//!     .status(200)
//!     .body(br#"{"_embedded": {"primary_account": {"api_key": "acc6111f"},
//!                "subaccounts": [{"api_key": "bbe6222f", "balance": null}]}}"#.to_vec())
//!     .unwrap();
//! match RetrieveSubaccountsList::parse_response(&response) {
//!     RetrieveSubaccountsListOutcome::Ok(list) => {
//!         assert_eq!(list.embedded.subaccounts[0].api_key, "bbe6222f");
//!     }
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
