//! [`Subaccounts`]: the secondary accounts of the client's (primary) account, read through the
//! Vonage Subaccounts API (`vonage-subaccounts-api`).
//!
//! The Subaccounts API is offered to some accounts only: an account without it gets
//! [`Error::Unprovisioned`], which says so and what to do.

use chrono::{DateTime, Utc};
use vonage_subaccounts_api::operations::{
    RetrieveSubaccount, RetrieveSubaccountOutcome, RetrieveSubaccountsList,
    RetrieveSubaccountsListOutcome,
};
use vonage_subaccounts_api::{Operation, Unexpected, UnexpectedReason, types};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{InvalidParameter, Problem};

/// The operation id of the list, for [`action`](crate::error::action).
pub(crate) const LIST_ID: &str = RetrieveSubaccountsList::OPERATION_ID;
/// The operation id of the get, for [`action`](crate::error::action).
pub(crate) const GET_ID: &str = RetrieveSubaccount::OPERATION_ID;

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
        let primary = self.client.api_key().to_owned();
        let op = RetrieveSubaccountsList {
            api_key: primary.clone(),
        };
        let outcome = self.run(&op)?;
        let (came, problem) = match outcome.0 {
            RetrieveSubaccountsListOutcome::Ok(list) => {
                return Ok(AccountList {
                    primary: account(list.embedded.primary_account),
                    secondaries: list.embedded.subaccounts.into_iter().map(account).collect(),
                });
            }
            RetrieveSubaccountsListOutcome::Unauthorized(p) => (Came::Unauthorized, p),
            RetrieveSubaccountsListOutcome::Forbidden(p) => (Came::Forbidden, p),
            RetrieveSubaccountsListOutcome::NotFound(p) => (Came::NotFound, p),
            RetrieveSubaccountsListOutcome::Unexpected(u) => {
                return Err(self.unexpected(LIST_ID, u, &outcome.1));
            }
        };
        Err(self.problem(LIST_ID, &primary, came, outcome.1.status(), problem))
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
        let outcome = self.run(&op)?;
        let (came, problem) = match outcome.0 {
            RetrieveSubaccountOutcome::Ok(one) => return Ok(account(one)),
            RetrieveSubaccountOutcome::Unauthorized(p) => (Came::Unauthorized, p),
            RetrieveSubaccountOutcome::Forbidden(p) => (Came::Forbidden, p),
            RetrieveSubaccountOutcome::NotFound(p) => (Came::NotFound, p),
            RetrieveSubaccountOutcome::Unexpected(u) => {
                return Err(self.unexpected(GET_ID, u, &outcome.1));
            }
        };
        Err(self.problem(GET_ID, api_key, came, outcome.1.status(), problem))
    }

    fn run<O>(&self, op: &O) -> Result<(O::Outcome, http::Response<Vec<u8>>)>
    where
        O: Operation<ErrorBody = types::Problem>,
    {
        let answer = self
            .client
            .transport
            .execute_outcome(op, self.client.credentials.as_ref(), &[])
            .map_err(|e| crate::transport::transport_error(O::OPERATION_ID, e.error))?;
        Ok((answer.outcome, answer.response))
    }

    fn unexpected(
        &self,
        operation: &'static str,
        unexpected: Unexpected,
        response: &http::Response<Vec<u8>>,
    ) -> Error {
        let scrubber = self.client.credentials.scrubber(None);
        let body_excerpt = scrubber.body_excerpt(response.body());
        let status = unexpected.status;
        match unexpected.reason {
            UnexpectedReason::UndecodableBody(reason) if status.is_success() => Error::Decode {
                operation,
                status,
                reason: scrubber.scrub_field(&reason, vonage_secrets_transport::scrub::EXCERPT_LEN),
                body_excerpt,
            },
            _ if vonage_secrets_transport::refuses_credentials(status) => Error::Unauthorized {
                api_key: self.client.api_key().to_owned(),
                problem: None,
            },
            _ => Error::Api {
                operation,
                status,
                problem: None,
                body_excerpt,
                retry_after: None,
            },
        }
    }

    fn problem(
        &self,
        operation: &'static str,
        api_key: &str,
        came: Came,
        status: http::StatusCode,
        problem: types::Problem,
    ) -> Error {
        let scrubber = self.client.credentials.scrubber(None);
        let scrub = |t: String| scrubber.scrub_field(&t, 2048);
        let problem = Problem {
            type_url: scrub(problem.type_),
            title: scrub(problem.title),
            detail: problem.detail.map(scrub),
            instance: problem.instance.map(scrub),
            invalid_parameters: problem
                .invalid_parameters
                .into_iter()
                .map(|p| {
                    InvalidParameter::new(
                        scrub(p.name.unwrap_or_default()),
                        scrub(p.reason.unwrap_or_default()),
                    )
                })
                .collect(),
        };
        let problem = Some(Box::new(problem));
        let kind = problem.as_deref().map(Problem::kind).unwrap_or_default();
        match (kind, came) {
            ("unprovisioned", _) => Error::Unprovisioned {
                api_key: self.client.api_key().to_owned(),
                problem,
            },
            ("unauthorized", _) | (_, Came::Unauthorized) => Error::Unauthorized {
                api_key: self.client.api_key().to_owned(),
                problem,
            },
            ("invalid-api-key", _) | (_, Came::NotFound) => Error::AccountNotFound {
                api_key: api_key.to_owned(),
                problem,
            },
            (_, Came::Forbidden) => Error::Api {
                operation,
                status,
                problem,
                body_excerpt: String::new(),
                retry_after: None,
            },
        }
    }
}

/// The documented response a problem came in.
#[derive(Clone, Copy)]
enum Came {
    Unauthorized,
    Forbidden,
    NotFound,
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
