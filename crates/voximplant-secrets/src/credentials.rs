//! A service account's credentials: the `credentials.json` file the Voximplant control panel
//! hands out, read from a path or from the environment.

use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;

use crate::error::Error;

/// The environment variable that holds the path of `credentials.json`, as the official Node
/// client reads it.
pub const CREDENTIALS_ENV: &str = "VOXIMPLANT_CREDENTIALS";

/// The environment variable that may hold another base URL for the API.
pub const BASE_URL_ENV: &str = "VOXIMPLANT_API_BASE_URL";

/// The API's base URL unless one is given.
pub const DEFAULT_BASE_URL: &str = "https://api.voximplant.com/platform_api";

/// A service account's key: the account it belongs to, the key's id and its private key.
///
/// The private key is secret material: it is held in a [`SecretString`] and never shown by
/// `Debug` (the other fields are not secret). It is checked to be an RSA key in PEM form when
/// the credentials are read, so that a bad file fails at once rather than on the first call.
#[derive(Clone)]
pub struct Credentials {
    account_id: i64,
    account_email: Option<String>,
    key_id: String,
    private_key: SecretString,
    signing_key: jsonwebtoken::EncodingKey,
}

/// The fields of `credentials.json` (others, if any, are ignored).
#[derive(Deserialize)]
struct File {
    account_id: i64,
    #[serde(default)]
    account_email: Option<String>,
    key_id: String,
    private_key: String,
}

impl Credentials {
    /// Credentials from their parts: the account id, the key id and the private key (an RSA key
    /// in PEM form, PKCS#1 or PKCS#8).
    ///
    /// # Errors
    /// [`Error::Credentials`] when the key id is empty or the private key is not an RSA key in
    /// PEM form.
    pub fn new(
        account_id: i64,
        key_id: impl Into<String>,
        private_key: SecretString,
    ) -> Result<Self, Error> {
        Self::build(account_id, None, key_id.into(), private_key, None)
    }

    /// Reads a service account's `credentials.json` (the fields `account_id`, `key_id`,
    /// `private_key` and optionally `account_email`).
    ///
    /// # Errors
    /// [`Error::Credentials`] naming the file when it cannot be read, is not such a JSON
    /// document, or holds no usable RSA private key.
    pub fn from_credentials_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Credentials {
            path: Some(path.to_owned()),
            reason: format!("it cannot be read ({e})"),
        })?;
        Self::parse(&text, Some(path.to_owned()))
    }

    /// Reads the `credentials.json` whose path is in `VOXIMPLANT_CREDENTIALS`.
    ///
    /// # Errors
    /// [`Error::Credentials`] when the variable is not set or the file is not usable.
    pub fn from_env() -> Result<Self, Error> {
        let path = std::env::var_os(CREDENTIALS_ENV).ok_or_else(|| Error::Credentials {
            path: None,
            reason: format!(
                "{CREDENTIALS_ENV} is not set; set it to the path of the service account's \
                 credentials.json"
            ),
        })?;
        Self::from_credentials_file(PathBuf::from(path))
    }

    /// Parses the text of a `credentials.json`.
    ///
    /// # Errors
    /// [`Error::Credentials`] when it is not such a JSON document or holds no usable RSA
    /// private key.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        Self::parse(text, None)
    }

    fn parse(text: &str, path: Option<PathBuf>) -> Result<Self, Error> {
        // serde_json's message names the field and the position, never the value.
        let file: File = serde_json::from_str(text).map_err(|e| Error::Credentials {
            path: path.clone(),
            reason: format!(
                "it is not a service account's credentials.json with account_id, key_id and \
                 private_key ({})",
                describe_json_error(&e)
            ),
        })?;
        Self::build(
            file.account_id,
            file.account_email,
            file.key_id,
            SecretString::from(file.private_key),
            path,
        )
    }

    fn build(
        account_id: i64,
        account_email: Option<String>,
        key_id: String,
        private_key: SecretString,
        path: Option<PathBuf>,
    ) -> Result<Self, Error> {
        if key_id.trim().is_empty() {
            return Err(Error::Credentials {
                path,
                reason: "its key_id is empty".to_owned(),
            });
        }
        let signing_key =
            jsonwebtoken::EncodingKey::from_rsa_pem(private_key.expose_secret().as_bytes())
                .map_err(|_| Error::Credentials {
                    path: path.clone(),
                    reason: "its private_key is not an RSA private key in PEM form".to_owned(),
                })?;
        Ok(Self {
            account_id,
            account_email,
            key_id,
            private_key,
            signing_key,
        })
    }

    /// The account the key belongs to.
    pub fn account_id(&self) -> i64 {
        self.account_id
    }

    /// The account's e-mail address, when the file has one.
    pub fn account_email(&self) -> Option<&str> {
        self.account_email.as_deref()
    }

    /// The key's id (the `kid` of every token).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub(crate) fn signing_key(&self) -> &jsonwebtoken::EncodingKey {
        &self.signing_key
    }

    /// The private key's text, for the scrubber of error texts.
    pub(crate) fn private_key(&self) -> &SecretString {
        &self.private_key
    }
}

/// The category and position of a JSON error, without serde's text (which may quote input).
fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Io => "it could not be read",
        Category::Syntax => "it is not valid JSON",
        Category::Data => "a field is missing or has the wrong type",
        Category::Eof => "it ends too early",
    };
    format!("{what}, line {} column {}", e.line(), e.column())
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("account_id", &self.account_id)
            .field("account_email", &self.account_email)
            .field("key_id", &self.key_id)
            .field("private_key", &"<redacted>")
            .finish()
    }
}
