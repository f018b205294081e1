//! Building requests: path segments, query parameters, JSON and form-encoded bodies.

use std::borrow::Cow;

use http::HeaderValue;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::base_url::check_origin;
use crate::{BaseUrl, BaseUrlRef, Metadata};

/// Everything but unreserved characters is encoded in a path segment, and `.` too, so that a
/// value of `.` or `..` can never become a dot-segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

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
    #[error("invalid base URL: {reason}; expected something like `https://api.example.com`")]
    InvalidBaseUrl {
        /// What is wrong with it (the URL itself is not repeated: it may hold credentials).
        reason: &'static str,
    },
    /// The body could not be serialized as JSON.
    #[error("the request body could not be serialized as JSON: {0}")]
    Body(#[source] serde_json::Error),
    /// The body could not be form-encoded (a field holds a list or an object).
    #[error("the request body could not be form-encoded: {0}; every field must be a plain value")]
    FormBody(#[source] serde_urlencoded::ser::Error),
}

/// A value that can be sent as a query parameter or a form field.
///
/// `None` sends nothing; numbers and booleans are sent as their decimal or `true`/`false` text.
pub trait ParamValue {
    /// The text to send, or `None` to leave the parameter out.
    fn param_text(&self) -> Option<Cow<'_, str>>;
}

impl ParamValue for str {
    fn param_text(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl ParamValue for String {
    fn param_text(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn param_text(&self) -> Option<Cow<'_, str>> {
        (**self).param_text()
    }
}

impl<T: ParamValue> ParamValue for Option<T> {
    fn param_text(&self) -> Option<Cow<'_, str>> {
        self.as_ref().and_then(ParamValue::param_text)
    }
}

macro_rules! display_param {
    ($($ty:ty),*) => {$(
        impl ParamValue for $ty {
            fn param_text(&self) -> Option<Cow<'_, str>> {
                Some(Cow::Owned(self.to_string()))
            }
        }
    )*};
}

display_param!(bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

/// Builds one request: the base URL, then path segments in order, query parameters, a body.
///
/// The generated operations call it; it knows nothing of any API. On the hot path of every
/// call, it writes the whole URL into one string and parses it once. Its `Debug` shows neither
/// the query nor the body, which may hold secrets.
pub struct RequestBuilder<'a> {
    base: BaseUrlRef<'a>,
    method: http::Method,
    /// The base URL, then the path.
    url: String,
    /// Form-encoded `name=value` pairs joined by `&`.
    query: String,
    body: Option<(Vec<u8>, &'static str)>,
}

impl std::fmt::Debug for RequestBuilder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

impl<'a> RequestBuilder<'a> {
    /// Starts a request for the operation described by `metadata`.
    pub fn new(base: BaseUrlRef<'a>, metadata: &Metadata) -> Self {
        let trimmed = base.text.trim_end_matches('/');
        // Room for the template with its parameters, as most are short.
        let mut url = String::with_capacity(trimmed.len() + 2 * metadata.path_template.len() + 16);
        url.push_str(trimmed);
        RequestBuilder {
            base,
            method: metadata.method.to_http(),
            url,
            query: String::new(),
            body: None,
        }
    }

    /// Appends `/` and text from the path template, as is.
    pub fn literal(&mut self, text: &str) -> &mut Self {
        self.url.push('/');
        self.url.push_str(text);
        self
    }

    /// Appends `/` and a path parameter, percent-encoded into exactly one segment. An empty
    /// value is refused (after a bad base URL, which is reported first).
    pub fn segment(&mut self, name: &'static str, value: &str) -> Result<&mut Self, BuildError> {
        if value.is_empty() {
            if !self.base.checked {
                BaseUrl::parse(self.base.text)?;
            }
            return Err(BuildError::EmptyPathParameter { name });
        }
        self.url.push('/');
        self.url.extend(utf8_percent_encode(value, SEGMENT));
        Ok(self)
    }

    /// Adds a query parameter, form-encoded; a `None` value adds nothing.
    pub fn query<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V) -> &mut Self {
        if let Some(text) = value.param_text() {
            if !self.query.is_empty() {
                self.query.push('&');
            }
            self.query
                .extend(form_urlencoded::byte_serialize(name.as_bytes()));
            self.query.push('=');
            self.query
                .extend(form_urlencoded::byte_serialize(text.as_bytes()));
        }
        self
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<&mut Self, BuildError> {
        let bytes = serde_json::to_vec(body).map_err(BuildError::Body)?;
        self.body = Some((bytes, JSON));
        Ok(self)
    }

    /// Sets a form-encoded body (`Content-Type: application/x-www-form-urlencoded`) from a
    /// struct of plain values; fields that are `None` are left out.
    pub fn form_body<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<&mut Self, BuildError> {
        let text = serde_urlencoded::to_string(body).map_err(BuildError::FormBody)?;
        self.body = Some((text.into_bytes(), FORM));
        Ok(self)
    }

    /// The request, with `Accept: application/json` and, with a body, its `Content-Type`.
    pub fn build(self) -> Result<http::Request<Vec<u8>>, BuildError> {
        let base = self.base;
        let mut url = self.url;
        if !base.checked && base.text.contains(['?', '#']) {
            // The error, with its reason.
            BaseUrl::parse(base.text)?;
        }
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&self.query);
        }
        let uri = match http::Uri::try_from(url) {
            Ok(uri) => uri,
            Err(_) => {
                if !base.checked {
                    BaseUrl::parse(base.text)?;
                }
                return Err(BuildError::InvalidBaseUrl {
                    reason: "it does not form a valid URL with the path",
                });
            }
        };
        if !base.checked
            && let Err(error) = check_origin(&uri)
        {
            // Say what is wrong with the base URL itself when it does not parse on its own.
            BaseUrl::parse(base.text)?;
            return Err(error);
        }
        let (body, content_type) = match self.body {
            Some((body, content_type)) => (body, Some(content_type)),
            None => (Vec::new(), None),
        };
        let mut request = http::Request::new(body);
        *request.method_mut() = self.method;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.insert(http::header::ACCEPT, HeaderValue::from_static(JSON));
        if let Some(content_type) = content_type {
            headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static(content_type),
            );
        }
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AuthScheme, Method};

    const META: Metadata = Metadata {
        operation_id: "op",
        method: Method::Post,
        path_template: "/a/{b}",
        idempotent: false,
        auth: AuthScheme::Bearer,
    };

    #[test]
    fn segments_query_and_form_body() {
        #[derive(Serialize)]
        struct Form<'a> {
            name: &'a str,
            count: Option<u32>,
            skipped: Option<u32>,
        }
        let base = BaseUrl::parse("http://127.0.0.1:9/base/").unwrap();
        let mut builder = RequestBuilder::new((&base).into(), &META);
        builder.literal("a");
        builder.segment("b", "..").unwrap();
        builder
            .query("q", "x y&z=1")
            .query("n", &Some(5))
            .query("none", &None::<u8>);
        builder
            .form_body(&Form {
                name: "a+b c&d",
                count: Some(3),
                skipped: None,
            })
            .unwrap();
        let request = builder.build().unwrap();
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(
            request.uri(),
            "http://127.0.0.1:9/base/a/%2E%2E?q=x+y%26z%3D1&n=5"
        );
        assert_eq!(request.body(), b"name=a%2Bb+c%26d&count=3");
        assert_eq!(request.headers()["content-type"], FORM);
        assert_eq!(request.headers()["accept"], JSON);
    }

    #[test]
    fn empty_segments_and_nested_form_fields_are_refused() {
        let base = BaseUrl::parse("https://h").unwrap();
        let mut builder = RequestBuilder::new((&base).into(), &META);
        assert!(matches!(
            builder.segment("b", ""),
            Err(BuildError::EmptyPathParameter { name: "b" })
        ));
        #[derive(Serialize)]
        struct Nested {
            list: Vec<u8>,
        }
        let error = builder.form_body(&Nested { list: vec![1] }).unwrap_err();
        assert!(matches!(error, BuildError::FormBody(_)), "{error}");
    }

    #[test]
    fn unchecked_base_urls_are_checked_with_the_request() {
        for bad in [
            "",
            "h",
            "ftp://h",
            "https://h?q",
            "https://u:hunter2@h",
            "http:///x",
        ] {
            let mut builder = RequestBuilder::new(BaseUrlRef::unchecked(bad), &META);
            builder.literal("a");
            let error = builder.build().unwrap_err();
            assert!(
                matches!(error, BuildError::InvalidBaseUrl { .. }),
                "{bad}: {error}"
            );
            assert!(!error.to_string().contains("hunter2"));
            // A bad base URL is reported before an empty path parameter.
            let mut builder = RequestBuilder::new(BaseUrlRef::unchecked(bad), &META);
            let error = builder.segment("b", "").unwrap_err();
            assert!(matches!(error, BuildError::InvalidBaseUrl { .. }), "{bad}");
        }
        let mut builder = RequestBuilder::new(BaseUrlRef::unchecked("https://h/v1//"), &META);
        builder.literal("a");
        assert_eq!(builder.build().unwrap().uri(), "https://h/v1/a");
    }

    #[test]
    fn a_bare_host_gets_the_root_path() {
        let base = BaseUrl::parse("https://h").unwrap();
        let request = RequestBuilder::new((&base).into(), &META).build().unwrap();
        assert_eq!(request.uri(), "https://h/");
        assert!(request.headers().get("content-type").is_none());
    }
}
