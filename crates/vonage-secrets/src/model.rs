//! The values the client hands back: [`Secret`], [`SecretId`] and the server's [`Problem`].

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The id of an API secret, as the server assigns it.
///
/// Treat it as an opaque string: it is usually a UUID, but nothing promises that. Every method
/// that takes an id accepts `impl AsRef<str>`, so `&SecretId`, `&str` and `String` all work.
///
/// ```
/// use vonage_secrets::SecretId;
///
/// let id = SecretId::from("ad6dc56f-07b5-46e1-a527-85530e625800");
/// assert_eq!(id.as_str(), "ad6dc56f-07b5-46e1-a527-85530e625800");
/// assert_eq!(id.to_string(), id.as_ref());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretId(String);

impl SecretId {
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as an owned string.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for SecretId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for SecretId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretId {
    fn from(id: String) -> Self {
        SecretId(id)
    }
}

impl From<&str> for SecretId {
    fn from(id: &str) -> Self {
        SecretId(id.to_owned())
    }
}

impl From<&SecretId> for SecretId {
    fn from(id: &SecretId) -> Self {
        id.clone()
    }
}

impl From<SecretId> for String {
    fn from(id: SecretId) -> Self {
        id.0
    }
}

/// One API secret of an account. The server never returns a secret's value, only its id and
/// when it was created.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Secret {
    /// The secret's id; pass it to [`Secrets::get`](crate::Secrets::get) or
    /// [`Secrets::revoke`](crate::Secrets::revoke).
    pub id: SecretId,
    /// When the secret was created (UTC, whole seconds).
    pub created_at: DateTime<Utc>,
}

/// The problem document (RFC 7807 style) the server sends with an error status.
///
/// Kept on every [`Error`](crate::Error) variant that came with one, so that the trace id in
/// `instance` can be quoted to Vonage support. The Secret Management API and the Subaccounts
/// API send the same document, and both become this one type; an empty `detail` or
/// `instance` is `None`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Problem {
    /// A URL whose fragment names the error, e.g.
    /// `https://developer.nexmo.com/api-errors#unauthorized`.
    #[serde(rename = "type")]
    pub type_url: String,
    /// A short summary, e.g. `Invalid ID`.
    pub title: String,
    /// What went wrong in this request.
    pub detail: Option<String>,
    /// The server's trace id for this request.
    pub instance: Option<String>,
    /// For validation errors: which parameter was refused and why.
    #[serde(default)]
    pub invalid_parameters: Vec<InvalidParameter>,
}

impl Problem {
    /// The fragment of [`type_url`](Self::type_url) (after `#`), which names the error:
    /// `unauthorized`, `invalid-api-key`, `invalid-id`, `validation`, `add-excess-secret`,
    /// `delete-last-secret`, ...
    pub fn kind(&self) -> &str {
        self.type_url
            .rsplit_once('#')
            .map(|(_, fragment)| fragment)
            .unwrap_or("")
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        for p in &self.invalid_parameters {
            write!(f, "; {}: {}", p.name, p.reason)?;
        }
        if let Some(instance) = &self.instance {
            write!(f, " (trace id {instance})")?;
        }
        Ok(())
    }
}

/// One parameter the server refused, with its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InvalidParameter {
    /// The parameter's name, e.g. `secret`.
    pub name: String,
    /// Why it was refused, e.g. `Does not meet complexity requirements`.
    pub reason: String,
}

impl InvalidParameter {
    /// A refused parameter with its reason.
    pub fn new(name: impl Into<String>, reason: impl Into<String>) -> Self {
        InvalidParameter {
            name: name.into(),
            reason: reason.into(),
        }
    }
}

pub(crate) fn join(ids: &[SecretId]) -> String {
    ids.iter()
        .map(SecretId::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}
