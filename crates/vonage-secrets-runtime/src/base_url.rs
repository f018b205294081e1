//! [`BaseUrl`]: the scheme, host and base path every request starts with, checked once.

use std::borrow::Cow;
use std::str::FromStr;

use http::uri::{Authority, Scheme};

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    scheme: Scheme,
    authority: Authority,
    /// Empty, or starting with `/` and not ending with one.
    path: String,
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
        let parts = uri.into_parts();
        let scheme = match parts.scheme {
            Some(scheme) if scheme == Scheme::HTTP || scheme == Scheme::HTTPS => scheme,
            _ => return invalid("its scheme must be `http` or `https`"),
        };
        let authority = match parts.authority {
            None => return invalid("it has no host"),
            Some(authority) if authority.as_str().contains('@') => {
                return invalid("it must not hold credentials; the transport adds them");
            }
            Some(authority) if authority.host().is_empty() => return invalid("it has no host"),
            Some(authority) => authority,
        };
        let path = parts
            .path_and_query
            .as_ref()
            .map(|path| path.path().trim_end_matches('/'))
            .unwrap_or_default()
            .to_owned();
        Ok(BaseUrl {
            scheme,
            authority,
            path,
        })
    }

    /// The scheme, `http` or `https`.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }

    /// The host and port.
    pub fn authority(&self) -> &Authority {
        &self.authority
    }

    /// The base path: empty, or starting with `/` and without a trailing `/`.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.authority, self.path)
    }
}

impl FromStr for BaseUrl {
    type Err = BuildError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        BaseUrl::parse(text)
    }
}

/// What [`Operation::to_request`](crate::Operation::to_request) accepts as a base URL: a
/// [`BaseUrl`], or a string checked on each call.
pub trait AsBaseUrl {
    /// The checked base URL.
    fn as_base_url(&self) -> Result<Cow<'_, BaseUrl>, BuildError>;
}

impl AsBaseUrl for BaseUrl {
    fn as_base_url(&self) -> Result<Cow<'_, BaseUrl>, BuildError> {
        Ok(Cow::Borrowed(self))
    }
}

impl AsBaseUrl for str {
    fn as_base_url(&self) -> Result<Cow<'_, BaseUrl>, BuildError> {
        BaseUrl::parse(self).map(Cow::Owned)
    }
}

impl AsBaseUrl for String {
    fn as_base_url(&self) -> Result<Cow<'_, BaseUrl>, BuildError> {
        self.as_str().as_base_url()
    }
}

impl<T: AsBaseUrl + ?Sized> AsBaseUrl for &T {
    fn as_base_url(&self) -> Result<Cow<'_, BaseUrl>, BuildError> {
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
