//! [`BaseUrl`]: the scheme, host and base path every request starts with, checked once.

use std::str::FromStr;

use http::uri::Scheme;

use crate::BuildError;

/// An absolute `http` or `https` URL without credentials, query or fragment, that requests are
/// built against. Trailing slashes are dropped; a base path (`https://host/v1`) is kept.
///
/// ```
/// use vonage_secrets_runtime::BaseUrl;
///
/// let base = BaseUrl::parse("https://api.nexmo.com/").unwrap();
/// assert_eq!(base.to_string(), "https://api.nexmo.com");
/// assert!(BaseUrl::parse("api.nexmo.com").is_err());
/// assert!(BaseUrl::parse("https://user:pass@api.nexmo.com").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    /// `scheme://authority` and the base path, without a trailing `/`.
    text: String,
}

impl BaseUrl {
    /// Parses and checks a base URL. The error says what is wrong without repeating the URL,
    /// which may hold credentials.
    pub fn parse(text: &str) -> Result<Self, BuildError> {
        let invalid = |reason| Err(BuildError::InvalidBaseUrl { reason });
        if text.contains(['?', '#']) {
            return invalid("it must not have a query or a fragment");
        }
        let Ok(uri) = text.parse::<http::Uri>() else {
            return invalid("it does not parse as a URL");
        };
        check_origin(&uri)?;
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return invalid("it has no host");
        };
        let path = uri.path().trim_end_matches('/');
        Ok(BaseUrl {
            text: format!("{}://{authority}{path}", scheme.to_ascii_lowercase()),
        })
    }

    /// The base URL as text, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// The scheme must be `http` or `https`, and the authority must be there, without credentials.
pub(crate) fn check_origin(uri: &http::Uri) -> Result<(), BuildError> {
    let invalid = |reason| Err(BuildError::InvalidBaseUrl { reason });
    match uri.scheme() {
        Some(scheme) if *scheme == Scheme::HTTP || *scheme == Scheme::HTTPS => {}
        _ => return invalid("its scheme must be `http` or `https`"),
    }
    match uri.authority() {
        None => invalid("it has no host"),
        Some(authority) if authority.as_str().contains('@') => {
            invalid("it must not hold credentials; the transport adds them")
        }
        Some(authority) if authority.host().is_empty() => invalid("it has no host"),
        Some(_) => Ok(()),
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for BaseUrl {
    type Err = BuildError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        BaseUrl::parse(text)
    }
}

/// A base URL as a request is built against it: a [`BaseUrl`], checked once, or a string,
/// checked with each request (on the whole URL, which is parsed anyway; only when that fails is
/// the string parsed on its own, to say what is wrong with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseUrlRef<'a> {
    pub(crate) text: &'a str,
    pub(crate) checked: bool,
}

impl<'a> From<&'a BaseUrl> for BaseUrlRef<'a> {
    fn from(base: &'a BaseUrl) -> Self {
        BaseUrlRef {
            text: &base.text,
            checked: true,
        }
    }
}

impl<'a> BaseUrlRef<'a> {
    /// A string to check with each request.
    pub fn unchecked(text: &'a str) -> Self {
        BaseUrlRef {
            text,
            checked: false,
        }
    }
}

/// What [`Operation::to_request`](crate::Operation::to_request) accepts as a base URL: a
/// [`BaseUrl`], or a string checked with each request.
pub trait AsBaseUrl {
    /// The base URL to build against.
    fn as_base_url(&self) -> BaseUrlRef<'_>;
}

impl AsBaseUrl for BaseUrl {
    fn as_base_url(&self) -> BaseUrlRef<'_> {
        self.into()
    }
}

impl AsBaseUrl for str {
    fn as_base_url(&self) -> BaseUrlRef<'_> {
        BaseUrlRef::unchecked(self)
    }
}

impl AsBaseUrl for String {
    fn as_base_url(&self) -> BaseUrlRef<'_> {
        BaseUrlRef::unchecked(self)
    }
}

impl<T: AsBaseUrl + ?Sized> AsBaseUrl for &T {
    fn as_base_url(&self) -> BaseUrlRef<'_> {
        (**self).as_base_url()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        let base = |text: &str| BaseUrl::parse(text).map(|base| base.to_string());
        assert_eq!(base("https://h/v1/").ok().as_deref(), Some("https://h/v1"));
        assert_eq!(base("https://h/v1//").ok().as_deref(), Some("https://h/v1"));
        assert_eq!(base("http://h:8080").ok().as_deref(), Some("http://h:8080"));
        assert_eq!(base("HTTPS://h/").ok().as_deref(), Some("https://h"));
        assert_eq!(
            base("https://h:443/a/b").ok().as_deref(),
            Some("https://h:443/a/b")
        );
        for bad in [
            "",
            "h",
            "/path",
            "ftp://h",
            "https://h?x=1",
            "https://h#f",
            "https://u:p@h",
            "https://:80",
        ] {
            let error = BaseUrl::parse(bad).unwrap_err();
            assert!(
                matches!(error, BuildError::InvalidBaseUrl { .. }),
                "{bad}: {error}"
            );
            assert!(!error.to_string().contains("u:p"));
        }
    }
}
