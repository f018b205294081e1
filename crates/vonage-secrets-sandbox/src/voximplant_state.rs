//! The Voximplant side's state: accounts with their service account's public key, their
//! applications, and each application's named secrets. Pure and synchronous, no I/O.
//!
//! Rule: the rules on names, values and descriptions are checked here, once, for every way in
//! (the API and the builder).

use chrono::{DateTime, Utc};
use rsa::RsaPublicKey;
use secrecy::SecretString;

/// The longest secret value, in characters.
pub(crate) const MAX_VALUE_CHARS: usize = 8192;
/// How much of a description is kept, in characters.
pub(crate) const MAX_DESCRIPTION_CHARS: usize = 200;
/// The longest secret name.
pub(crate) const MAX_NAME_CHARS: usize = 64;

/// A Voximplant account with its service account.
#[derive(Clone)]
pub(crate) struct VoxAccount {
    pub(crate) id: u64,
    pub(crate) email: String,
    /// The parent account, for a child account (whose parent's service account may act for it).
    pub(crate) parent: Option<u64>,
    pub(crate) key_id: String,
    pub(crate) public_key: RsaPublicKey,
    pub(crate) applications: Vec<VoxApplication>,
}

/// An application and its secrets, in the order they were added.
#[derive(Clone)]
pub(crate) struct VoxApplication {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) secrets: Vec<VoxSecret>,
}

/// A named secret.
#[derive(Clone)]
pub(crate) struct VoxSecret {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) value: SecretString,
    pub(crate) description: Option<String>,
    pub(crate) created: DateTime<Utc>,
    pub(crate) modified: Option<DateTime<Utc>>,
}

/// Every Voximplant account of the sandbox.
#[derive(Clone, Default)]
pub(crate) struct VoxStore {
    pub(crate) accounts: Vec<VoxAccount>,
    next_secret_id: u64,
}

/// Whether `name` is a valid secret name: a Latin letter, then up to 63 Latin letters, digits
/// and underscores.
pub(crate) fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.len() <= MAX_NAME_CHARS
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The first 200 characters of `description`.
pub(crate) fn truncate_description(description: &str) -> String {
    description.chars().take(MAX_DESCRIPTION_CHARS).collect()
}

impl VoxStore {
    pub(crate) fn account(&self, id: u64) -> Option<&VoxAccount> {
        self.accounts.iter().find(|a| a.id == id)
    }

    pub(crate) fn application_mut(
        &mut self,
        account: u64,
        app: &AppRef,
    ) -> Option<&mut VoxApplication> {
        self.accounts
            .iter_mut()
            .find(|a| a.id == account)?
            .applications
            .iter_mut()
            .find(|a| app.matches(a))
    }

    /// The id the next secret gets (ids are unique across the sandbox, starting at 1).
    pub(crate) fn next_id_peek(&self) -> u64 {
        self.next_secret_id + 1
    }

    /// Uses up the id [`VoxStore::next_id_peek`] gave.
    pub(crate) fn take_id(&mut self) {
        self.next_secret_id += 1;
    }
}

/// How a request names an application.
#[derive(Debug, Clone)]
pub(crate) enum AppRef {
    Id(u64),
    Name(String),
}

impl AppRef {
    pub(crate) fn matches(&self, app: &VoxApplication) -> bool {
        match self {
            AppRef::Id(id) => app.id == *id,
            AppRef::Name(name) => app.name == *name,
        }
    }
}

impl std::fmt::Display for AppRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppRef::Id(id) => write!(f, "with id {id}"),
            AppRef::Name(name) => write!(f, "named '{name}'"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(valid_name("a"));
        assert!(valid_name("My_secret_2"));
        assert!(valid_name(&format!("a{}", "b".repeat(63))));
        assert!(!valid_name(&format!("a{}", "b".repeat(64))));
        assert!(!valid_name(""));
        assert!(!valid_name("1abc"));
        assert!(!valid_name("_abc"));
        assert!(!valid_name("ab-c"));
        assert!(!valid_name("abé"));
    }

    #[test]
    fn descriptions_keep_200_characters() {
        assert_eq!(truncate_description(&"é".repeat(250)).chars().count(), 200);
        assert_eq!(truncate_description("short"), "short");
    }
}
