//! The Subaccounts API's two reads: `GET /accounts/{api_key}/subaccounts` (the primary account
//! and its secondary accounts) and `GET /accounts/{api_key}/subaccounts/{subaccount_key}`.
//!
//! Rule: only the primary account itself may read them (Basic auth with its own secret);
//! every answer is built from the wire structs here, never from the generated types.

use std::sync::Arc;

use chrono::Utc;
use http::header::AUTHORIZATION;
use http::{Method, Request, Response, StatusCode};
use serde::Serialize;

use crate::RequestRecord;
use crate::reply::{Abort, Body, Reply, RequestBody};
use crate::request_log::log_record;
use crate::shared::Shared;
use crate::state::Store;
use crate::wire::Problem;

/// The primary account's key and, for a get, the secondary's, when the path is one of ours.
pub(crate) fn route(path: &str) -> Option<(String, Option<String>)> {
    let rest = path.strip_prefix("/accounts/")?;
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .ok()
            .filter(|s| !s.is_empty())
            .map(|s| s.into_owned())
    };
    match rest.split('/').collect::<Vec<_>>().as_slice() {
        [key, "subaccounts"] => Some((decode(key)?, None)),
        [key, "subaccounts", sub] => Some((decode(key)?, Some(decode(sub)?))),
        _ => None,
    }
}

#[derive(Serialize)]
struct AccountBody {
    api_key: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_account_api_key: Option<String>,
    use_primary_account_balance: bool,
    created_at: String,
    suspended: bool,
    balance: Option<f64>,
    credit_limit: Option<f64>,
}

#[derive(Serialize)]
struct ListEmbedded {
    primary_account: AccountBody,
    subaccounts: Vec<AccountBody>,
}

#[derive(Serialize)]
struct ListBody {
    _embedded: ListEmbedded,
}

fn body(shared: &Shared, store: &Store, key: &str) -> AccountBody {
    let owner = store.account(key).and_then(|a| a.owner.clone());
    AccountBody {
        api_key: key.to_owned(),
        name: format!("Sandbox account {key}"),
        use_primary_account_balance: owner.is_some(),
        primary_account_api_key: owner,
        created_at: crate::wire::timestamp(&shared.started),
        suspended: shared.suspended.contains(key),
        balance: None,
        credit_limit: None,
    }
}

fn respond(
    shared: &Shared,
    store: &Store,
    req_auth: Option<&http::HeaderValue>,
    key: &str,
    sub: Option<&str>,
) -> Reply {
    let Some(caller) = crate::vonage::authenticate(store, req_auth) else {
        return Reply::problem(StatusCode::UNAUTHORIZED, Problem::unauthorized());
    };
    let is_primary = store.account(key).is_some_and(|a| a.owner.is_none());
    if caller != key || !is_primary {
        return Reply::problem(StatusCode::NOT_FOUND, Problem::invalid_api_key(key));
    }
    match sub {
        None => Reply::json(
            StatusCode::OK,
            &ListBody {
                _embedded: ListEmbedded {
                    primary_account: body(shared, store, key),
                    subaccounts: store
                        .secondaries_of(key)
                        .into_iter()
                        .map(|s| body(shared, store, s))
                        .collect(),
                },
            },
        ),
        Some(sub) if store.may_manage(key, sub) && sub != key => {
            Reply::json(StatusCode::OK, &body(shared, store, sub))
        }
        Some(sub) => Reply::problem(StatusCode::NOT_FOUND, Problem::invalid_api_key(sub)),
    }
}

/// Answers a request on one of the two paths, with its log entry.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    req: Request<RequestBody>,
    key: String,
    sub: Option<String>,
) -> Result<Response<Body>, Abort> {
    let mut record = RequestRecord {
        at: Utc::now(),
        method: req.method().to_string(),
        path: req.uri().path().to_owned(),
        api_key: Some(key.clone()),
        operation: None,
        secret_id: None,
        status: None,
        fault: None,
    };
    let reply = if req.method() != Method::GET {
        let mut r = Reply::problem(
            StatusCode::METHOD_NOT_ALLOWED,
            Problem::blank(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("Method {} is not allowed here; allowed: GET", req.method()),
            ),
        );
        r.allow = Some("GET");
        r
    } else {
        let inner = shared.lock();
        respond(
            &shared,
            &inner.store,
            req.headers().get(AUTHORIZATION),
            &key,
            sub.as_deref(),
        )
    };
    record.status = Some(reply.status.as_u16());
    log_record(&record);
    shared.lock().log.push(record);
    Ok(reply.into_response(None))
}
