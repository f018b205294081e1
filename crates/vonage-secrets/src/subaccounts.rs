//! [`Subaccounts`]: the secondary accounts of the client's (primary) account, read through the
//! Vonage Subaccounts API (`vonage-subaccounts-api`).
//!
//! The Subaccounts API is offered to some accounts only: an account without it gets
//! [`Error::Unprovisioned`], which says so and what to do. Its answers are classified by
//! `classify.rs` like the Secret Management API's: one table of problem types for both.

use chrono::{DateTime, Utc};
use vonage_subaccounts_api::operations::{RetrieveSubaccount, RetrieveSubaccountsList};
use vonage_subaccounts_api::{Operation, types};

use crate::classify::{CallContext, Classify};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::transport::execute;

/// One account as the Subaccounts API describes it: the primary account, or one of its
/// secondary accounts.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Account {
    /// The account's api key.
    pub api_key: String,
    /// Its name, if it has one.
    pub name: Option<String>,
    /// The primary account that owns it (`None` for the primary account itself).
    pub primary_account_api_key: Option<String>,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// Whether it is suspended (a suspended account's secrets cannot be used).
    pub suspended: bool,
}

/// The primary account and its secondary accounts.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct AccountList {
    /// The primary account (the client's own).
    pub primary: Account,
    /// Its secondary accounts, in the server's order.
    pub secondaries: Vec<Account>,
}

/// The secondary accounts of the client's own account; made by [`Client::subaccounts`].
///
/// ```
/// # let sandbox = vonage_secrets_sandbox::Sandbox::builder()
/// #     .account("abcd1234", "Sandbox-Secret-1")
/// #     .secondary("abcd1234", "sub00001", "Sub-Secret-1")
/// #     .start().unwrap();
/// # let client = vonage_secrets::Client::builder("abcd1234", "Sandbox-Secret-1")
/// #     .base_url(sandbox.base_url().to_string()).build()?;
/// let accounts = client.subaccounts().list()?;
/// assert_eq!(accounts.primary.api_key, "abcd1234");
/// assert_eq!(accounts.secondaries[0].api_key, "sub00001");
/// let one = client.subaccounts().get("sub00001")?;
/// assert!(!one.suspended);
/// # Ok::<(), vonage_secrets::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Subaccounts<'a> {
    client: &'a Client,
}

impl Client {
    /// The secondary accounts of this client's own (primary) account.
    pub fn subaccounts(&self) -> Subaccounts<'_> {
        Subaccounts { client: self }
    }
}

impl Subaccounts<'_> {
    /// The primary account and every secondary account it owns.
    ///
    /// # Errors
    /// [`Error::Unprovisioned`] when the account may not use the Subaccounts API,
    /// [`Error::Unauthorized`] for refused credentials, and the transport's errors.
    pub fn list(&self) -> Result<AccountList> {
        let primary = self.client.api_key();
        let op = RetrieveSubaccountsList {
            api_key: primary.to_owned(),
        };
        let list = self.run(&op, primary)?;
        Ok(AccountList {
            primary: account(list.embedded.primary_account),
            secondaries: list.embedded.subaccounts.into_iter().map(account).collect(),
        })
    }

    /// One secondary account, by its api key.
    ///
    /// # Errors
    /// [`Error::AccountNotFound`] when it is not a secondary account of this one, and the
    /// errors of [`list`](Self::list).
    pub fn get(&self, api_key: &str) -> Result<Account> {
        if api_key.is_empty() {
            return Err(Error::InvalidInput {
                message: "the secondary account's api key is empty".to_owned(),
            });
        }
        let op = RetrieveSubaccount {
            api_key: self.client.api_key().to_owned(),
            subaccount_key: api_key.to_owned(),
        };
        self.run(&op, api_key).map(account)
    }

    /// Runs `op` about `account` (named by a "not found") and classifies its outcome as every
    /// other operation's is.
    fn run<O>(&self, op: &O, account: &str) -> Result<<O::Outcome as Classify>::Output>
    where
        O: Operation,
        O::Outcome: Classify,
    {
        let ctx = CallContext {
            account,
            secret_id: None,
            sent_secret: None,
        };
        let client = self.client;
        execute(&client.transport, op, client.credentials.as_ref(), &ctx).map_err(Error::from)
    }
}

fn account(a: types::Subaccount) -> Account {
    Account {
        api_key: a.api_key,
        name: a.name,
        primary_account_api_key: a.primary_account_api_key,
        created_at: a.created_at,
        suspended: a.suspended.unwrap_or(false),
    }
}
