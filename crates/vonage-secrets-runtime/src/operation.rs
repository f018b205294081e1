//! The [`Operation`] trait and its [`Metadata`].

use crate::{AsBaseUrl, BaseUrlRef, BuildError, Failure};

/// The HTTP method of an operation: a `Copy` value, so that [`Metadata`] can be a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl Method {
    /// The `http` crate's method.
    pub const fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Put => http::Method::PUT,
            Method::Post => http::Method::POST,
            Method::Delete => http::Method::DELETE,
            Method::Options => http::Method::OPTIONS,
            Method::Head => http::Method::HEAD,
            Method::Patch => http::Method::PATCH,
            Method::Trace => http::Method::TRACE,
        }
    }

    /// The method's name, such as `GET`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Whether sending a request with this method twice has the same effect as sending it once
    /// (RFC 9110, section 9.2.2).
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// How the spec says a request authenticates. The request an [`Operation`] builds never
/// carries credentials: the transport adds the `Authorization` header this names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthScheme {
    /// No authentication.
    None,
    /// HTTP Basic (`Authorization: Basic base64(user:password)`).
    Basic,
    /// HTTP Bearer (`Authorization: Bearer <token>`).
    Bearer,
}

/// What the spec says about one operation, in one constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Metadata {
    /// The spec's operationId, such as `retrieveAPISecrets`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The spec's path template, such as `/accounts/{api_key}/secrets`.
    pub path_template: &'static str,
    /// Whether sending the request twice has the same effect as sending it once, and so whether
    /// it is safe to retry.
    pub idempotent: bool,
    /// The authentication the spec declares for the operation.
    pub auth: AuthScheme,
}

/// One operation of an API, implemented by each generated request type.
///
/// An operation is a plain value holding its parameters. [`to_request`](Operation::to_request)
/// turns it into an [`http::Request`] and [`parse_response`](Operation::parse_response) turns
/// any [`http::Response`] into the typed outcome, with one variant per documented response;
/// any HTTP library can carry the request in between.
pub trait Operation {
    /// Everything the spec says about the operation.
    const METADATA: Metadata;
    /// The spec's operationId (from [`METADATA`](Operation::METADATA)).
    const OPERATION_ID: &'static str = Self::METADATA.operation_id;
    /// The HTTP method (from [`METADATA`](Operation::METADATA)).
    const METHOD: http::Method = Self::METADATA.method.to_http();
    /// The spec's path template (from [`METADATA`](Operation::METADATA)).
    const PATH_TEMPLATE: &'static str = Self::METADATA.path_template;
    /// Whether the operation is safe to retry (from [`METADATA`](Operation::METADATA)).
    const IDEMPOTENT: bool = Self::METADATA.idempotent;
    /// The payload of the success response (`()` when it has no body).
    type Output;
    /// The typed outcome: one variant per documented response, plus `Unexpected`.
    type Outcome;
    /// The error document the spec describes for this API (`std::convert::Infallible` when it
    /// describes none).
    type ErrorBody;

    /// Builds the request against a base URL. Every path parameter becomes exactly one
    /// percent-encoded segment (an empty one is refused); query parameters and form fields are
    /// form-encoded; no `Authorization` header is added. [`to_request`](Operation::to_request)
    /// is the same for anything that is [`AsBaseUrl`].
    fn build_request(&self, base_url: BaseUrlRef<'_>)
    -> Result<http::Request<Vec<u8>>, BuildError>;

    /// Builds the request against `base_url`: a [`BaseUrl`](crate::BaseUrl), or a string
    /// (such as `https://api.nexmo.com`, with or without a trailing slash; a base path is kept)
    /// that is checked with the request. Parse a string once with
    /// [`BaseUrl::parse`](crate::BaseUrl::parse) to skip that check on every call.
    fn to_request<B: AsBaseUrl + ?Sized>(
        &self,
        base_url: &B,
    ) -> Result<http::Request<Vec<u8>>, BuildError> {
        self.build_request(base_url.as_base_url())
    }

    /// Parses a response into the typed outcome. Never panics, whatever the status, headers and
    /// bytes.
    fn parse_response(response: &http::Response<Vec<u8>>) -> Self::Outcome;

    /// The success payload, or the failure.
    fn into_result(outcome: Self::Outcome) -> Result<Self::Output, Failure<Self::ErrorBody>>;
}
