//! The Secret Management API: its routes, Basic authentication, the server's rules, and the
//! four operations against the store, with the API's problem documents.
//!
//! Rule: every answer is built from the wire structs of `wire.rs`; the checks of creating and
//! revoking live here once ([`create_checked`], [`revoke_checked`]) and the control API
//! calls them too.

use std::sync::Arc;

use base64::Engine;
use chrono::Utc;
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use secrecy::SecretString;

use crate::fault;
use crate::reply::{Abort, Body, BodyRead, JSON, MAX_BODY, Reply, RequestBody, read_body};
use crate::request_log::log_record;
use crate::shared::Shared;
use crate::state::{CreateRefused, RevokeRefused, Store};
use crate::wire::{self, Embedded, Links, ListBody, Problem, SecretBody};
use crate::{Operation, RequestRecord};

/// Where a request goes.
enum Route {
    /// An operation on `key` (and, for get and revoke, the secret `id`).
    Op {
        op: Operation,
        key: String,
        id: Option<String>,
    },
    /// A known path with a method it does not take.
    WrongMethod {
        allow: &'static str,
        key: String,
        id: Option<String>,
    },
    NotFound,
}

fn decode(segment: &str) -> Option<String> {
    let s = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()?;
    (!s.is_empty()).then(|| s.into_owned())
}

fn route(method: &Method, path: &str) -> Route {
    let Some(rest) = path.strip_prefix("/accounts/") else {
        return Route::NotFound;
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let (key, id) = match segments.as_slice() {
        [key, "secrets"] => (*key, None),
        [key, "secrets", id] => (*key, Some(*id)),
        _ => return Route::NotFound,
    };
    let Some(key) = decode(key) else {
        return Route::NotFound;
    };
    let id = match id.map(decode) {
        None => None,
        Some(Some(id)) => Some(id),
        Some(None) => return Route::NotFound,
    };
    let op = match (id.is_some(), method) {
        (false, &Method::GET) => Operation::List,
        (false, &Method::POST) => Operation::Create,
        (true, &Method::GET) => Operation::Get,
        (true, &Method::DELETE) => Operation::Revoke,
        (false, _) => {
            return Route::WrongMethod {
                allow: "GET, POST",
                key,
                id,
            };
        }
        (true, _) => {
            return Route::WrongMethod {
                allow: "GET, DELETE",
                key,
                id,
            };
        }
    };
    Route::Op { op, key, id }
}

/// The api key whose current secret is in the `Authorization` header, if any.
pub(crate) fn authenticate(store: &Store, header: Option<&HeaderValue>) -> Option<String> {
    let value = header?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let colon = decoded.iter().position(|&b| b == b':')?;
    let (key, secret) = (&decoded[..colon], &decoded[colon + 1..]);
    let key = std::str::from_utf8(key).ok()?;
    store.authenticate(key, secret).then(|| key.to_owned())
}

/// The server's rules that `secret` breaks (the policy crate's rules, less portability): the
/// sandbox accepts what the real server accepts. Empty when the secret passes.
pub(crate) fn server_rule_violations(secret: &str) -> Vec<vonage_secrets_policy::Violation> {
    match vonage_secrets_policy::validate(secret) {
        Ok(()) => Vec::new(),
        Err(violations) => violations
            .into_iter()
            .filter(vonage_secrets_policy::Violation::is_server_rule)
            .collect(),
    }
}

/// Whether a `secret` passes the server's rules.
pub(crate) fn meets_server_rules(secret: &str) -> bool {
    server_rule_violations(secret).is_empty()
}

pub(crate) fn secret_body(key: &str, s: &crate::state::StoredSecret) -> SecretBody {
    SecretBody {
        _links: Links::to(wire::secret_href(key, &s.id)),
        id: s.id.clone(),
        created_at: wire::timestamp(&s.created_at),
    }
}

/// The secret in a create's body, or the problem to answer with.
pub(crate) fn parse_create(
    content_type: Option<&HeaderValue>,
    body: BodyRead,
) -> Result<SecretString, Reply> {
    let bad = |detail: &str| {
        Reply::problem(
            StatusCode::BAD_REQUEST,
            Problem::blank(StatusCode::BAD_REQUEST, detail.to_owned()),
        )
    };
    let bytes = match body {
        BodyRead::TooLarge => {
            return Err(Reply::problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                Problem::blank(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("The request body is larger than {MAX_BODY} bytes"),
                ),
            ));
        }
        BodyRead::Read(bytes) => bytes,
    };
    let is_json = content_type
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(JSON));
    if !is_json {
        return Err(bad(
            "The request body must be JSON, sent with Content-Type: application/json",
        ));
    }
    // Parse into a `Value` first: its errors only say where the syntax broke, and never
    // quote the input (which would hold the secret).
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            return Err(bad(&format!(
                "The request body is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            )));
        }
    };
    let serde_json::Value::Object(mut object) = value else {
        return Err(bad(
            "The request body must be a JSON object such as {\"secret\": \"...\"}",
        ));
    };
    match object.remove("secret") {
        Some(serde_json::Value::String(s)) => Ok(SecretString::from(s)),
        None | Some(serde_json::Value::Null) => Err(Reply::problem(
            StatusCode::BAD_REQUEST,
            Problem::validation("Is required"),
        )),
        Some(_) => Err(Reply::problem(
            StatusCode::BAD_REQUEST,
            Problem::validation("Must be a string"),
        )),
    }
}

/// Creates a secret for account `key` as the API does: the rules, then the limit of two.
/// Returns the problem the API answers with when it refuses.
pub(crate) fn create_checked<'a>(
    store: &'a mut Store,
    excess_status: StatusCode,
    key: &str,
    secret: SecretString,
) -> Result<&'a crate::state::StoredSecret, Reply> {
    if !meets_server_rules(secrecy::ExposeSecret::expose_secret(&secret)) {
        return Err(Reply::problem(
            StatusCode::BAD_REQUEST,
            Problem::validation("Does not meet complexity requirements"),
        ));
    }
    match store.create(key, secret) {
        Some(Ok(s)) => Ok(s),
        Some(Err(CreateRefused::TooMany)) => {
            Err(Reply::problem(excess_status, Problem::add_excess_secret()))
        }
        None => Err(Reply::problem(
            StatusCode::NOT_FOUND,
            Problem::invalid_api_key(key),
        )),
    }
}

/// Revokes secret `id` of account `key` as the API does (never the last one).
pub(crate) fn revoke_checked(store: &mut Store, key: &str, id: &str) -> Result<(), Reply> {
    match store.revoke(key, id) {
        Some(Ok(())) => Ok(()),
        Some(Err(RevokeRefused::LastSecret)) => Err(Reply::problem(
            StatusCode::FORBIDDEN,
            Problem::delete_last_secret(),
        )),
        Some(Err(RevokeRefused::UnknownId)) => Err(Reply::problem(
            StatusCode::NOT_FOUND,
            Problem::invalid_id(id),
        )),
        None => Err(Reply::problem(
            StatusCode::NOT_FOUND,
            Problem::invalid_api_key(key),
        )),
    }
}

/// Answers a routed request against the store. Runs under the lock: every operation is atomic.
/// Returns the reply and, for a successful create, the new secret's id.
fn respond(
    store: &mut Store,
    excess_status: StatusCode,
    route: &Route,
    method: &Method,
    authorization: Option<&HeaderValue>,
    content_type: Option<&HeaderValue>,
    body: Option<BodyRead>,
) -> (Reply, Option<String>) {
    let (op, key, id) = match route {
        Route::NotFound => {
            return (
                Reply::problem(
                    StatusCode::NOT_FOUND,
                    Problem::blank(
                        StatusCode::NOT_FOUND,
                        "No such resource: the API's paths are /accounts/{api_key}/secrets and \
                         /accounts/{api_key}/secrets/{secret_id}"
                            .into(),
                    ),
                ),
                None,
            );
        }
        Route::WrongMethod { allow, .. } => {
            let mut r = Reply::problem(
                StatusCode::METHOD_NOT_ALLOWED,
                Problem::blank(
                    StatusCode::METHOD_NOT_ALLOWED,
                    format!("Method {method} is not allowed here; allowed: {allow}"),
                ),
            );
            r.allow = Some(allow);
            return (r, None);
        }
        Route::Op { op, key, id } => (*op, key.as_str(), id.as_deref()),
    };
    let Some(caller) = authenticate(store, authorization) else {
        return (
            Reply::problem(StatusCode::UNAUTHORIZED, Problem::unauthorized()),
            None,
        );
    };
    if !store.may_manage(&caller, key) {
        return (
            Reply::problem(StatusCode::NOT_FOUND, Problem::invalid_api_key(key)),
            None,
        );
    }
    let invalid_id = |id: &str| Reply::problem(StatusCode::NOT_FOUND, Problem::invalid_id(id));
    match (op, id) {
        (Operation::List, _) => {
            let secrets = store
                .account(key)
                .map(|a| a.secrets.iter().map(|s| secret_body(key, s)).collect())
                .unwrap_or_default();
            let list = ListBody {
                _links: Links::to(wire::secrets_href(key)),
                _embedded: Embedded { secrets },
            };
            (Reply::json(StatusCode::OK, &list), None)
        }
        (Operation::Get, Some(id)) => {
            let found = store
                .account(key)
                .and_then(|a| a.secrets.iter().find(|s| s.id == id));
            match found {
                Some(s) => (Reply::json(StatusCode::OK, &secret_body(key, s)), None),
                None => (invalid_id(id), None),
            }
        }
        (Operation::Revoke, Some(id)) => match revoke_checked(store, key, id) {
            Ok(()) => (Reply::empty(StatusCode::NO_CONTENT), None),
            Err(reply) => (reply, None),
        },
        (Operation::Create, _) => {
            let Some(body) = body else {
                return (Reply::empty(StatusCode::INTERNAL_SERVER_ERROR), None);
            };
            let secret = match parse_create(content_type, body) {
                Ok(s) => s,
                Err(reply) => return (reply, None),
            };
            match create_checked(store, excess_status, key, secret) {
                Ok(s) => (
                    Reply::json(StatusCode::CREATED, &secret_body(key, s)),
                    Some(s.id.clone()),
                ),
                Err(reply) => (reply, None),
            }
        }
        // Get and revoke always carry an id (see `route`); the other operations are
        // Voximplant's, never routed here.
        _ => (Reply::empty(StatusCode::INTERNAL_SERVER_ERROR), None),
    }
}

/// Answers a request for the Secret Management API (or a path that is none of the others):
/// faults first, then the operation under the lock, with its log entry.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    req: Request<RequestBody>,
) -> Result<Response<Body>, Abort> {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let route = route(&method, &path);
    let (operation, api_key, secret_id) = match &route {
        Route::Op { op, key, id } => (Some(*op), Some(key.clone()), id.clone()),
        Route::WrongMethod { key, id, .. } => (None, Some(key.clone()), id.clone()),
        Route::NotFound => (None, None, None),
    };
    let fault = shared.lock().faults.take(operation);
    let mut record = RequestRecord {
        at: Utc::now(),
        method: method.to_string(),
        path,
        api_key,
        operation,
        secret_id,
        status: None,
        fault: fault.clone(),
    };
    let push = |record: RequestRecord| {
        log_record(&record);
        shared.lock().log.push(record);
    };

    if let Some(answer) = fault::preempt(fault.as_ref(), &mut record, push, |reply| reply).await {
        return answer;
    }

    let authorization = req.headers().get(AUTHORIZATION).cloned();
    let content_type = req.headers().get(CONTENT_TYPE).cloned();
    let body = match operation {
        Some(Operation::Create) => match read_body(req) {
            Ok(b) => Some(b),
            Err(abort) => {
                push(record);
                return Err(abort);
            }
        },
        _ => None,
    };

    let (reply, logged) = {
        let mut inner = shared.lock();
        let (reply, created) = respond(
            &mut inner.store,
            shared.excess_status,
            &route,
            &method,
            authorization.as_ref(),
            content_type.as_ref(),
            body,
        );
        record.status = Some(reply.status.as_u16());
        if created.is_some() {
            record.secret_id = created;
        }
        // Written to the `log` facade after the lock is released.
        let logged = log::log_enabled!(log::Level::Info).then(|| record.clone());
        // Pushed under the same lock as the operation: the log's order is the order in which
        // the operations were applied.
        inner.log.push(record);
        (reply, logged)
    };
    if let Some(record) = logged {
        log_record(&record);
    }
    Ok(reply.into_response(fault.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let r = |m: Method, p: &str| match route(&m, p) {
            Route::Op { op, key, id } => format!("{op:?} {key} {id:?}"),
            Route::WrongMethod { allow, .. } => format!("405 {allow}"),
            Route::NotFound => "404".into(),
        };
        assert_eq!(r(Method::GET, "/accounts/abc/secrets"), "List abc None");
        assert_eq!(r(Method::POST, "/accounts/abc/secrets"), "Create abc None");
        assert_eq!(
            r(Method::GET, "/accounts/abc/secrets/x%2Fy"),
            "Get abc Some(\"x/y\")"
        );
        assert_eq!(
            r(Method::DELETE, "/accounts/a%20c/secrets/1"),
            "Revoke a c Some(\"1\")"
        );
        assert_eq!(r(Method::PUT, "/accounts/abc/secrets"), "405 GET, POST");
        assert_eq!(
            r(Method::POST, "/accounts/abc/secrets/1"),
            "405 GET, DELETE"
        );
        for p in [
            "/",
            "/accounts",
            "/accounts/",
            "/accounts/abc",
            "/accounts//secrets",
            "/accounts/abc/secrets/",
            "/accounts/abc/secrets/1/x",
            "/accounts/abc/other",
            "/accounts/%FF/secrets",
        ] {
            assert_eq!(r(Method::GET, p), "404", "{p}");
        }
    }

    #[test]
    fn authorization_header_parsing() {
        let mut store = Store::default();
        store.seed("key1", None, &[SecretString::from("Pass:w0rd".to_owned())]);
        let h = |v: &str| HeaderValue::from_str(v).unwrap();
        let basic = |s: &str| {
            h(&format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(s)
            ))
        };
        assert_eq!(
            authenticate(&store, Some(&basic("key1:Pass:w0rd"))).as_deref(),
            Some("key1")
        );
        let lower = h(&format!(
            "basic {}",
            base64::engine::general_purpose::STANDARD.encode("key1:Pass:w0rd")
        ));
        assert_eq!(authenticate(&store, Some(&lower)).as_deref(), Some("key1"));
        assert_eq!(authenticate(&store, None), None);
        assert_eq!(authenticate(&store, Some(&basic("key1Pass"))), None);
        assert_eq!(authenticate(&store, Some(&basic("key1:Pass"))), None);
        assert_eq!(authenticate(&store, Some(&h("Basic !!!notbase64"))), None);
        assert_eq!(authenticate(&store, Some(&h("Bearer abc"))), None);
        assert_eq!(authenticate(&store, Some(&h("Basic"))), None);
    }
}
