//! Classification: a generated operation's outcome (one variant per response the spec
//! documents) becomes an [`Error`].
//!
//! The outcomes of both Vonage APIs the facade calls go through here: the Secret Management
//! API's (`vonage-secrets-api`) and the Subaccounts API's (`vonage-subaccounts-api`), so that
//! a problem document means the same whichever API sent it.
//!
//! The problem `type` the specs document decides first (`unauthorized`, `invalid-api-key`,
//! `invalid-id`, `validation`, `add-excess-secret`, `delete-last-secret`, `unprovisioned`); a
//! type the facade does not know is classified by the outcome variant it came in (the specs'
//! `Unauthorized`, `NotFound`, `BadRequest`, `Forbidden` responses), never by a status code
//! written here. Every text from the server is scrubbed before an [`Error`] keeps it.

use vonage_secrets_api::operations::{
    CreateApiSecretOutcome, RetrieveApiSecretOutcome, RetrieveApiSecretsOutcome,
    RevokeApiSecretOutcome,
};
use vonage_secrets_api::{Unexpected, UnexpectedReason, types};
use vonage_secrets_transport::scrub::EXCERPT_LEN;
use vonage_secrets_transport::{Scrubber, refuses_credentials};
use vonage_subaccounts_api::operations::{
    RetrieveSubaccountOutcome, RetrieveSubaccountsListOutcome,
};
use vonage_subaccounts_api::types as sub;

use crate::auth::Credentials;
use crate::convert;
use crate::error::Error;
use crate::model::{Problem, SecretId};

/// The longest text of a problem document kept in an error, in bytes (a server may send
/// anything there).
const PROBLEM_TEXT_LEN: usize = 2048;

/// What a call is about, for classifying its failures and scrubbing its errors.
pub(crate) struct CallContext<'a> {
    /// The account the call is about: the account in the path (for a secondary account read
    /// through the Subaccounts API, the secondary account's key).
    pub(crate) account: &'a str,
    /// The secret id in the path, if any.
    pub(crate) secret_id: Option<&'a str>,
    /// A secret sent in the body, scrubbed from any body excerpt kept in an error.
    pub(crate) sent_secret: Option<&'a str>,
}

/// What a generated outcome means to the facade: the success payload, or which documented
/// response (or none) the failure came in, with its problem document already converted to the
/// facade's [`Problem`] (in `convert.rs`, whichever API's generated type it came as).
pub(crate) enum Documented<T> {
    /// The documented success.
    Success(T),
    /// The spec's `Unauthorized` response.
    Unauthorized(Problem),
    /// The spec's `NotFound` response (the account, or the secret in the path).
    NotFound(Problem),
    /// A documented refusal of the request itself (`BadRequest`, `Forbidden`).
    Refused(Problem),
    /// Nothing the spec documents.
    Unexpected(Unexpected),
}

/// A generated outcome enum, read as [`Documented`].
pub(crate) trait Classify {
    /// The success payload.
    type Output;
    /// What the outcome means.
    fn documented(self) -> Documented<Self::Output>;
}

impl Classify for RetrieveApiSecretsOutcome {
    type Output = types::SecretList;
    fn documented(self) -> Documented<Self::Output> {
        match self {
            Self::Ok(list) => Documented::Success(list),
            Self::Unauthorized(p) => Documented::Unauthorized(convert::problem(p)),
            Self::NotFound(p) => Documented::NotFound(convert::problem(p)),
            Self::Unexpected(u) => Documented::Unexpected(u),
        }
    }
}

impl Classify for CreateApiSecretOutcome {
    type Output = types::Secret;
    fn documented(self) -> Documented<Self::Output> {
        match self {
            Self::Created(secret) => Documented::Success(secret),
            Self::BadRequest(p) | Self::Forbidden(p) => Documented::Refused(convert::problem(p)),
            Self::Unauthorized(p) => Documented::Unauthorized(convert::problem(p)),
            Self::NotFound(p) => Documented::NotFound(convert::problem(p)),
            Self::Unexpected(u) => Documented::Unexpected(u),
        }
    }
}

impl Classify for RetrieveApiSecretOutcome {
    type Output = types::Secret;
    fn documented(self) -> Documented<Self::Output> {
        match self {
            Self::Ok(secret) => Documented::Success(secret),
            Self::Unauthorized(p) => Documented::Unauthorized(convert::problem(p)),
            Self::NotFound(p) => Documented::NotFound(convert::problem(p)),
            Self::Unexpected(u) => Documented::Unexpected(u),
        }
    }
}

impl Classify for RevokeApiSecretOutcome {
    type Output = ();
    fn documented(self) -> Documented<Self::Output> {
        match self {
            Self::NoContent => Documented::Success(()),
            Self::Forbidden(p) => Documented::Refused(convert::problem(p)),
            Self::Unauthorized(p) => Documented::Unauthorized(convert::problem(p)),
            Self::NotFound(p) => Documented::NotFound(convert::problem(p)),
            Self::Unexpected(u) => Documented::Unexpected(u),
        }
    }
}

impl Classify for RetrieveSubaccountsListOutcome {
    type Output = sub::SubaccountList;
    fn documented(self) -> Documented<Self::Output> {
        let p = convert::subaccounts_problem;
        match self {
            Self::Ok(list) => Documented::Success(list),
            Self::Unauthorized(problem) => Documented::Unauthorized(p(problem)),
            Self::Forbidden(problem) => Documented::Refused(p(problem)),
            Self::NotFound(problem) => Documented::NotFound(p(problem)),
            Self::Unexpected(u) => Documented::Unexpected(u),
        }
    }
}

impl Classify for RetrieveSubaccountOutcome {
    type Output = sub::Subaccount;
    fn documented(self) -> Documented<Self::Output> {
        let p = convert::subaccounts_problem;
        match self {
            Self::Ok(account) => Documented::Success(account),
            Self::Unauthorized(problem) => Documented::Unauthorized(p(problem)),
            Self::Forbidden(problem) => Documented::Refused(p(problem)),
            Self::NotFound(problem) => Documented::NotFound(p(problem)),
            Self::Unexpected(u) => Documented::Unexpected(u),
        }
    }
}

/// What a failed call was about, for classifying and scrubbing its error.
pub(crate) struct Who<'a> {
    /// The operation's id.
    pub(crate) operation: &'static str,
    /// The call's account and ids.
    pub(crate) ctx: &'a CallContext<'a>,
    /// The api key whose credentials the call carried.
    pub(crate) credential_key: &'a str,
    /// Removes the call's credentials from text the server sent.
    pub(crate) scrubber: &'a Scrubber,
}

/// The documented response a problem document came in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Came {
    /// The spec's `Unauthorized` response.
    Unauthorized,
    /// The spec's `NotFound` response.
    NotFound,
    /// A documented refusal of the request (`BadRequest`, `Forbidden`).
    Refused,
    /// A response the spec does not document for the operation.
    Undocumented,
}

/// The success payload of a generated outcome, or its failure as an [`Error`]: the one way
/// every operation's answer becomes a result. `response` is the whole response the outcome
/// was parsed from (for a status the spec does not document, a problem document in its body
/// is still classified); the scrubber of the call's credentials (and of `ctx.sent_secret`) is
/// made only on failure.
pub(crate) fn into_result<C: Classify>(
    outcome: C,
    response: &http::Response<Vec<u8>>,
    operation: &'static str,
    ctx: &CallContext<'_>,
    credentials: &Credentials,
) -> Result<C::Output, Error> {
    let documented = match outcome.documented() {
        Documented::Success(output) => return Ok(output),
        failure => failure,
    };
    let scrubber = credentials.scrubber(ctx.sent_secret);
    let who = Who {
        operation,
        ctx,
        credential_key: &credentials.api_key,
        scrubber: &scrubber,
    };
    classify(&who, documented, response)
}

/// The success payload of an answer, or its failure as an [`Error`].
fn classify<T>(
    who: &Who<'_>,
    documented: Documented<T>,
    response: &http::Response<Vec<u8>>,
) -> Result<T, Error> {
    let (came, problem) = match documented {
        Documented::Success(output) => return Ok(output),
        Documented::Unauthorized(p) => (Came::Unauthorized, p),
        Documented::NotFound(p) => (Came::NotFound, p),
        Documented::Refused(p) => (Came::Refused, p),
        Documented::Unexpected(unexpected) => {
            return Err(classify_unexpected(who, unexpected, response.body()));
        }
    };
    Err(classify_problem(
        who,
        came,
        response.status(),
        problem,
        String::new(),
    ))
}

/// An answer the spec does not document: an undecodable success is a [`Error::Decode`]; a
/// problem document is classified by its type; a refusal of the credentials by HTTP's own
/// meaning is [`Error::Unauthorized`]; anything else is [`Error::Api`] with an excerpt.
fn classify_unexpected(who: &Who<'_>, unexpected: Unexpected, body: &[u8]) -> Error {
    let operation = who.operation;
    let status = unexpected.status;
    // From the whole body: scrubbed before it is cut, so no credential is cut in two.
    let body_excerpt = who.scrubber.body_excerpt(body);
    match unexpected.reason {
        UnexpectedReason::UndecodableBody(reason) if status.is_success() => Error::Decode {
            operation,
            status,
            // A decoder quotes the values it refused.
            reason: who.scrubber.scrub_field(&reason, EXCERPT_LEN),
            body_excerpt,
        },
        _ => match convert::problem_in_body(body) {
            // A problem document where the spec does not put one: classified by its type.
            Some(problem) if !status.is_success() => {
                classify_problem(who, Came::Undocumented, status, problem, body_excerpt)
            }
            _ if refuses_credentials(status) => Error::Unauthorized {
                api_key: who.credential_key.to_owned(),
                problem: None,
            },
            _ => Error::Api {
                operation,
                status,
                problem: None,
                body_excerpt,
                retry_after: None,
            },
        },
    }
}

/// A problem document: by its `type` first, then by the response it came in.
fn classify_problem(
    who: &Who<'_>,
    came: Came,
    status: http::StatusCode,
    mut problem: Problem,
    body_excerpt: String,
) -> Error {
    // Every text of the document: `Debug` of the error shows them all.
    let scrub = |text: &mut String| *text = who.scrubber.scrub_field(text, PROBLEM_TEXT_LEN);
    scrub(&mut problem.type_url);
    scrub(&mut problem.title);
    for text in [&mut problem.detail, &mut problem.instance]
        .into_iter()
        .flatten()
    {
        scrub(text);
    }
    for p in &mut problem.invalid_parameters {
        scrub(&mut p.name);
        scrub(&mut p.reason);
    }
    let ctx = who.ctx;
    let api_key = ctx.account.to_owned();
    let secret_id = || SecretId::from(ctx.secret_id.unwrap_or_default());
    // Only a call that sent a new secret can have it refused.
    let sent_secret = ctx.sent_secret.is_some();
    match problem.kind() {
        "unauthorized" => Error::Unauthorized {
            api_key: who.credential_key.to_owned(),
            problem: Some(Box::new(problem)),
        },
        "invalid-api-key" => Error::AccountNotFound {
            api_key,
            problem: Some(Box::new(problem)),
        },
        "invalid-id" => Error::SecretNotFound {
            api_key,
            secret_id: secret_id(),
            problem: Some(Box::new(problem)),
        },
        "add-excess-secret" => Error::LimitReached {
            api_key,
            problem: Some(Box::new(problem)),
        },
        "delete-last-secret" => Error::LastSecret {
            api_key,
            secret_id: secret_id(),
            problem: Some(Box::new(problem)),
        },
        // The Subaccounts API's refusal of an account it is not offered to.
        "unprovisioned" => Error::Unprovisioned {
            api_key: who.credential_key.to_owned(),
            problem: Some(Box::new(problem)),
        },
        "validation" if sent_secret => Error::Rejected {
            api_key,
            invalid_parameters: problem.invalid_parameters.clone(),
            problem: Some(Box::new(problem)),
        },
        _ => match came {
            Came::Unauthorized => Error::Unauthorized {
                api_key: who.credential_key.to_owned(),
                problem: Some(Box::new(problem)),
            },
            Came::NotFound if ctx.secret_id.is_some() => Error::SecretNotFound {
                api_key,
                secret_id: secret_id(),
                problem: Some(Box::new(problem)),
            },
            Came::NotFound => Error::AccountNotFound {
                api_key,
                problem: Some(Box::new(problem)),
            },
            Came::Refused if sent_secret && !problem.invalid_parameters.is_empty() => {
                Error::Rejected {
                    api_key,
                    invalid_parameters: problem.invalid_parameters.clone(),
                    problem: Some(Box::new(problem)),
                }
            }
            Came::Refused | Came::Undocumented => Error::Api {
                operation: who.operation,
                status,
                problem: Some(Box::new(problem)),
                body_excerpt,
                retry_after: None,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_of_a_problem_is_scrubbed_of_the_sent_secret() {
        let secret = "N3w-secret!";
        let problem = Problem {
            type_url: format!("https://example.com/errors#{secret}"),
            title: format!("title {secret}"),
            detail: Some(format!("detail {secret}")),
            instance: Some(format!("instance {secret}")),
            invalid_parameters: vec![crate::model::InvalidParameter::new(
                format!("name {secret}"),
                format!("reason {secret}"),
            )],
        };
        let ctx = CallContext {
            account: "abcd1234",
            secret_id: None,
            sent_secret: Some(secret),
        };
        let who = Who {
            operation: "op",
            ctx: &ctx,
            credential_key: "abcd1234",
            scrubber: &Scrubber::new().with([secret]),
        };
        let error = classify_problem(
            &who,
            Came::Refused,
            http::StatusCode::BAD_REQUEST,
            problem,
            String::new(),
        );
        let shown = format!("{error:?} {error}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("[REDACTED]"), "{shown}");
    }
}
