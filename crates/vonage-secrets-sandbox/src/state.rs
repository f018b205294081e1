//! The accounts and their secrets: pure, synchronous logic, with no I/O. The server holds one
//! [`Store`] behind one lock, so every operation here is atomic.

use std::collections::HashMap;

use chrono::{DateTime, SubsecRound, Utc};
use secrecy::{ExposeSecret, SecretString};

/// The most secrets an account may hold.
pub(crate) const MAX_SECRETS: usize = 2;

/// One stored secret. Its value is never returned by any endpoint nor printed.
#[derive(Clone)]
pub(crate) struct StoredSecret {
    pub(crate) id: String,
    pub(crate) created_at: DateTime<Utc>,
    value: SecretString,
}

#[derive(Clone)]
pub(crate) struct Account {
    /// The owning primary account's api key, for a secondary account.
    pub(crate) owner: Option<String>,
    /// In creation order (the order the list returns).
    pub(crate) secrets: Vec<StoredSecret>,
}

/// Why a create was refused by the state (validation happens before).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CreateRefused {
    TooMany,
}

/// Why a revoke was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RevokeRefused {
    UnknownId,
    LastSecret,
}

#[derive(Default, Clone)]
pub(crate) struct Store {
    accounts: HashMap<String, Account>,
}

/// Compares two byte strings in time that depends only on their lengths.
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Store {
    /// Adds a seeded account (no rules checked here; the builder validates its input).
    pub(crate) fn seed(&mut self, key: &str, owner: Option<&str>, secrets: &[SecretString]) {
        let now = Utc::now().trunc_subsecs(0);
        let account = Account {
            owner: owner.map(str::to_owned),
            secrets: secrets
                .iter()
                .map(|s| StoredSecret {
                    id: uuid::Uuid::new_v4().to_string(),
                    created_at: now,
                    value: s.clone(),
                })
                .collect(),
        };
        self.accounts.insert(key.to_owned(), account);
    }

    pub(crate) fn account(&self, key: &str) -> Option<&Account> {
        self.accounts.get(key)
    }

    /// Every api key, primaries in key order, each followed by its secondaries in key order.
    pub(crate) fn keys(&self) -> Vec<&str> {
        let mut primaries: Vec<&str> = self
            .accounts
            .iter()
            .filter(|(_, a)| a.owner.is_none())
            .map(|(k, _)| k.as_str())
            .collect();
        primaries.sort_unstable();
        let mut out = Vec::with_capacity(self.accounts.len());
        for p in primaries {
            out.push(p);
            out.extend(self.secondaries_of(p));
        }
        out
    }

    /// The secondary accounts of `primary`, in key order.
    pub(crate) fn secondaries_of(&self, primary: &str) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .accounts
            .iter()
            .filter(|(_, a)| a.owner.as_deref() == Some(primary))
            .map(|(k, _)| k.as_str())
            .collect();
        keys.sort_unstable();
        keys
    }

    /// Whether `secret` is one of the current secrets of account `key`.
    pub(crate) fn authenticate(&self, key: &str, secret: &[u8]) -> bool {
        self.accounts.get(key).is_some_and(|a| {
            // Check every secret, so the time taken does not say which one matched.
            a.secrets.iter().fold(false, |found, s| {
                same_bytes(s.value.expose_secret().as_bytes(), secret) | found
            })
        })
    }

    /// Whether `caller` may manage account `target`: itself, or a secondary account it owns.
    pub(crate) fn may_manage(&self, caller: &str, target: &str) -> bool {
        match self.accounts.get(target) {
            None => false,
            Some(_) if caller == target => true,
            Some(t) => t.owner.as_deref() == Some(caller),
        }
    }

    pub(crate) fn create(
        &mut self,
        target: &str,
        value: SecretString,
    ) -> Option<Result<&StoredSecret, CreateRefused>> {
        let account = self.accounts.get_mut(target)?;
        if account.secrets.len() >= MAX_SECRETS {
            return Some(Err(CreateRefused::TooMany));
        }
        account.secrets.push(StoredSecret {
            id: uuid::Uuid::new_v4().to_string(),
            created_at: Utc::now().trunc_subsecs(0),
            value,
        });
        Some(Ok(account.secrets.last()?))
    }

    pub(crate) fn revoke(&mut self, target: &str, id: &str) -> Option<Result<(), RevokeRefused>> {
        let account = self.accounts.get_mut(target)?;
        let Some(at) = account.secrets.iter().position(|s| s.id == id) else {
            return Some(Err(RevokeRefused::UnknownId));
        };
        if account.secrets.len() <= 1 {
            return Some(Err(RevokeRefused::LastSecret));
        }
        account.secrets.remove(at);
        Some(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> SecretString {
        SecretString::from(v.to_owned())
    }

    fn store() -> Store {
        let mut st = Store::default();
        st.seed("prim", None, &[s("Secret-One-1")]);
        st.seed("sec", Some("prim"), &[s("Secret-Two-2")]);
        st.seed("other", None, &[s("Secret-Three-3")]);
        st
    }

    #[test]
    fn authentication_uses_current_secrets() {
        let mut st = store();
        assert!(st.authenticate("prim", b"Secret-One-1"));
        assert!(!st.authenticate("prim", b"Secret-One-2"));
        assert!(!st.authenticate("prim", b"Secret-One-"));
        assert!(!st.authenticate("nobody", b"Secret-One-1"));
        let id = st.account("prim").unwrap().secrets[0].id.clone();
        st.create("prim", s("New-Secret-9")).unwrap().unwrap();
        assert!(st.authenticate("prim", b"New-Secret-9"));
        assert!(st.authenticate("prim", b"Secret-One-1"));
        st.revoke("prim", &id).unwrap().unwrap();
        assert!(!st.authenticate("prim", b"Secret-One-1"));
    }

    #[test]
    fn ownership() {
        let st = store();
        assert!(st.may_manage("prim", "prim"));
        assert!(st.may_manage("prim", "sec"));
        assert!(st.may_manage("sec", "sec"));
        assert!(!st.may_manage("sec", "prim"));
        assert!(!st.may_manage("prim", "other"));
        assert!(!st.may_manage("prim", "missing"));
    }

    #[test]
    fn one_to_two_secrets() {
        let mut st = store();
        let first = st.account("prim").unwrap().secrets[0].id.clone();
        assert_eq!(
            st.revoke("prim", &first),
            Some(Err(RevokeRefused::LastSecret))
        );
        assert_eq!(
            st.revoke("prim", "nope"),
            Some(Err(RevokeRefused::UnknownId))
        );
        let second = st
            .create("prim", s("Aa345678"))
            .unwrap()
            .unwrap()
            .id
            .clone();
        assert!(matches!(
            st.create("prim", s("Bb345678")),
            Some(Err(CreateRefused::TooMany))
        ));
        let ids: Vec<_> = st
            .account("prim")
            .unwrap()
            .secrets
            .iter()
            .map(|s| s.id.clone())
            .collect();
        assert_eq!(ids, [first.clone(), second.clone()]);
        assert_eq!(st.revoke("prim", &first), Some(Ok(())));
        assert_eq!(
            st.revoke("prim", &second),
            Some(Err(RevokeRefused::LastSecret))
        );
        assert!(st.create("missing", s("Aa345678")).is_none());
    }
}
