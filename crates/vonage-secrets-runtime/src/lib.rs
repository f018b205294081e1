//! The runtime every generated API crate of this workspace builds on.
//!
//! `cargo xtask codegen` turns each OpenAPI description listed in `openapi/codegen.toml` into a
//! crate of generated files (`vonage-secrets-api`, `vonage-subaccounts-api`,
//! `voximplant-secrets-api`). The generated code knows the paths, methods, parameters and
//! statuses of its API; this crate holds the hand-written, API-independent rest:
//!
//! - [`Operation`], the trait each generated request type implements, with its [`Metadata`]
//!   (operation id, method, path template, idempotency and the [`AuthScheme`] the spec declares);
//! - [`BaseUrl`], a base URL parsed and checked once;
//! - [`RequestBuilder`], which builds an [`http::Request`] from path segments, query parameters
//!   and a JSON or form-encoded body;
//! - the response side: [`Failure`], [`Unexpected`] with its bounded body excerpt, and the
//!   decoding helpers in [`response`].
//!
//! No HTTP library and no async runtime: requests and responses are the `http` crate's types, and
//! any client can carry them.
//!
//! ```
//! use vonage_secrets_runtime::{AuthScheme, BaseUrl, Metadata, Method, RequestBuilder};
//!
//! const LIST: Metadata = Metadata {
//!     operation_id: "listThings",
//!     method: Method::Get,
//!     path_template: "/things/{owner}",
//!     idempotent: true,
//!     auth: AuthScheme::Basic,
//! };
//! let base = BaseUrl::parse("https://api.example.com/v1/").unwrap();
//! let mut request = RequestBuilder::new((&base).into(), &LIST);
//! request.literal("things");
//! request.segment("owner", "a b/c").unwrap();
//! request.query("page_size", &Some(20));
//! request.query("cursor", &None::<String>);
//! let request = request.build().unwrap();
//! assert_eq!(request.uri(), "https://api.example.com/v1/things/a%20b%2Fc?page_size=20");
//! ```

#![forbid(unsafe_code)]

mod base_url;
mod operation;
mod request;
pub mod response;

pub use base_url::{AsBaseUrl, BaseUrl, BaseUrlRef};
pub use operation::{AuthScheme, Metadata, Method, Operation};
pub use request::{BuildError, ParamValue, RequestBuilder};
pub use response::{BODY_EXCERPT_LIMIT, Failure, Unexpected, UnexpectedReason};
