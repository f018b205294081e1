//! The control API under `/_sandbox/`: the sandbox's state as JSON (accounts and their secrets'
//! metadata, faults, the request log) and the means to change it (seed an account, add and
//! revoke secrets, reset, inject and clear faults), for the dashboard and for tests in any
//! language.
//!
//! A caller is either a holder of the control token (`Authorization: Bearer <token>`; every
//! account) or a dashboard session (the `vss_session` cookie; the signed-in account and its
//! secondary accounts). A session's state-changing requests must also carry the session's
//! CSRF token in `X-CSRF-Token` and, when the browser sends one, an `Origin` of the sandbox
//! itself. The token is never read from a URL. No answer ever holds a secret's value.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::header::{
    AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, COOKIE, HOST, ORIGIN, WWW_AUTHENTICATE,
};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde_json::Value;

use crate::fault::FaultKind;
use crate::reply::{self, Abort, Body, BodyRead, Reply, RequestBody};
use crate::shared::Shared;
use crate::state::{Store, same_bytes};
use crate::vonage;
use crate::wire::{self, Problem};
use crate::{Fault, Operation, RequestRecord};

/// Where the control API lives.
pub(crate) const PREFIX: &str = "/_sandbox/";
/// The dashboard's session cookie.
pub(crate) const SESSION_COOKIE: &str = "vss_session";
/// The header carrying a session's CSRF token.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";
/// Sessions kept at most; the oldest goes first.
const MAX_SESSIONS: usize = 1000;
/// How many of the latest requests `/_sandbox/state` carries.
const STATE_REQUESTS: usize = 100;
/// The longest delay a fault may be given through the control API.
const MAX_DELAY: Duration = Duration::from_secs(600);

/// A signed-in dashboard user.
pub(crate) struct Session {
    /// The api key signed in with.
    pub(crate) account: String,
    /// What its state-changing requests must carry.
    pub(crate) csrf: String,
    opened: Instant,
}

/// The dashboard's sessions, by session id.
#[derive(Default)]
pub(crate) struct Sessions {
    map: HashMap<String, Session>,
}

impl Sessions {
    /// Opens a session for `account`; returns its id and its CSRF token.
    pub(crate) fn open(&mut self, account: &str) -> (String, String) {
        if self.map.len() >= MAX_SESSIONS {
            if let Some(oldest) = self
                .map
                .iter()
                .min_by_key(|(_, s)| s.opened)
                .map(|(id, _)| id.clone())
            {
                self.map.remove(&oldest);
            }
        }
        let id = random_token();
        let csrf = random_token();
        self.map.insert(
            id.clone(),
            Session {
                account: account.to_owned(),
                csrf: csrf.clone(),
                opened: Instant::now(),
            },
        );
        (id, csrf)
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Session> {
        self.map.get(id)
    }

    pub(crate) fn close(&mut self, id: &str) {
        self.map.remove(id);
    }
}

/// 64 hex digits from the operating system's random source (two UUID v4s: 244 random bits).
pub(crate) fn random_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether a browser's request comes from the sandbox's own pages: its `Origin` (when sent)
/// names this host, and `Sec-Fetch-Site` (when sent) does not say another site.
pub(crate) fn same_origin(headers: &HeaderMap, tls: bool) -> bool {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() != b"same-origin" && v.as_bytes() != b"none")
    {
        return false;
    }
    let Some(origin) = headers.get(ORIGIN) else {
        return true;
    };
    let Some(host) = headers.get(HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let scheme = if tls { "https" } else { "http" };
    origin.as_bytes() == format!("{scheme}://{host}").as_bytes()
}

/// Who is calling the control API.
enum Caller {
    /// The holder of the control token: every account.
    Token,
    /// A dashboard session: its account and that account's secondary accounts.
    Session { account: String, csrf: String },
}

fn caller(shared: &Shared, headers: &HeaderMap) -> Option<Caller> {
    if let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let (scheme, token) = value.trim().split_once(' ')?;
        let expected = shared.token.expose_secret();
        return (scheme.eq_ignore_ascii_case("bearer")
            && same_bytes(token.trim().as_bytes(), expected.as_bytes()))
        .then_some(Caller::Token);
    }
    let id = cookie(headers, SESSION_COOKIE)?;
    let sessions = shared.sessions.lock().unwrap_or_else(|e| e.into_inner());
    let session = sessions.get(id)?;
    Some(Caller::Session {
        account: session.account.clone(),
        csrf: session.csrf.clone(),
    })
}

impl Caller {
    /// Whether this caller may see and change account `key` (which must exist).
    fn may_see(&self, store: &Store, key: &str) -> bool {
        match self {
            Caller::Token => store.account(key).is_some(),
            Caller::Session { account, .. } => store.may_manage(account, key),
        }
    }
}

/// A secret without its value.
#[derive(Serialize)]
struct SecretView {
    id: String,
    created_at: String,
}

/// An account, its place among the others and its secrets' metadata.
#[derive(Serialize)]
struct AccountView {
    api_key: String,
    primary_api_key: Option<String>,
    secondary_api_keys: Vec<String>,
    secrets: Vec<SecretView>,
}

fn account_view(store: &Store, key: &str) -> Option<AccountView> {
    let account = store.account(key)?;
    Some(AccountView {
        api_key: key.to_owned(),
        primary_api_key: account.owner.clone(),
        secondary_api_keys: store
            .secondaries_of(key)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        secrets: account
            .secrets
            .iter()
            .map(|s| SecretView {
                id: s.id.clone(),
                created_at: wire::timestamp(&s.created_at),
            })
            .collect(),
    })
}

fn accounts_view(store: &Store, caller: &Caller) -> Vec<AccountView> {
    store
        .keys()
        .into_iter()
        .filter(|k| caller.may_see(store, k))
        .filter_map(|k| account_view(store, k))
        .collect()
}

fn operation_name(op: Operation) -> &'static str {
    match op {
        Operation::List => "list",
        Operation::Get => "get",
        Operation::Create => "create",
        Operation::Revoke => "revoke",
        other => other.voximplant_method().unwrap_or("other"),
    }
}

fn parse_operation(name: &str) -> Option<Operation> {
    Some(match name {
        "list" => Operation::List,
        "get" => Operation::Get,
        "create" => Operation::Create,
        "revoke" => Operation::Revoke,
        other => return Operation::from_voximplant_method(other),
    })
}

/// A fault in force.
#[derive(Serialize)]
struct FaultView {
    kind: &'static str,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delay_ms: Option<u64>,
    /// `null`: every request.
    operation: Option<&'static str>,
    /// `null`: until cleared.
    remaining: Option<u32>,
}

fn kind_name(kind: &FaultKind) -> &'static str {
    match kind {
        FaultKind::Status { .. } => "status",
        FaultKind::Delay(_) => "delay",
        FaultKind::CloseConnection => "close_connection",
        FaultKind::TruncatedBody => "truncated_body",
        FaultKind::InvalidJson => "invalid_json",
        FaultKind::Hang => "hang",
    }
}

fn fault_view(fault: &Fault) -> FaultView {
    let (status, retry_after, delay_ms) = match &fault.kind {
        FaultKind::Status {
            status,
            retry_after,
        } => (Some(*status), *retry_after, None),
        FaultKind::Delay(d) => (
            None,
            None,
            Some(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        ),
        _ => (None, None, None),
    };
    FaultView {
        kind: kind_name(&fault.kind),
        description: fault.kind.to_string(),
        status,
        retry_after,
        delay_ms,
        operation: fault.operation.map(operation_name),
        remaining: fault.remaining,
    }
}

/// One entry of the request log (which never holds secret material).
#[derive(Serialize)]
struct RequestView {
    at: String,
    method: String,
    path: String,
    status: Option<u16>,
    account: Option<String>,
    operation: Option<&'static str>,
    secret_id: Option<String>,
    fault: Option<String>,
}

fn request_view(r: &RequestRecord) -> RequestView {
    RequestView {
        at: r.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        method: r.method.clone(),
        path: r.path.clone(),
        status: r.status,
        account: r.api_key.clone(),
        operation: r.operation.map(operation_name),
        secret_id: r.secret_id.clone(),
        fault: r.fault.as_ref().map(ToString::to_string),
    }
}

#[derive(Serialize)]
struct StateView {
    /// The session's account; `null` for the token.
    signed_in_as: Option<String>,
    accounts: Vec<AccountView>,
    faults: Vec<FaultView>,
    /// The latest requests, oldest first.
    requests: Vec<RequestView>,
    /// The Voximplant accounts, their applications and their secrets' names (never values).
    voximplant: serde_json::Value,
}

fn problem(status: StatusCode, detail: impl Into<String>) -> Reply {
    Reply::problem(status, Problem::blank(status, detail.into()))
}

fn answer(reply: Reply) -> Response<Body> {
    let mut response = reply.into_response(None);
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if headers.contains_key(WWW_AUTHENTICATE) {
        headers.insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"vonage-secrets-sandbox control API\""),
        );
    }
    response
}

/// A JSON object from a request body, or the problem to answer with.
fn json_object(
    content_type: Option<&HeaderValue>,
    body: BodyRead,
) -> Result<serde_json::Map<String, Value>, Reply> {
    let bytes = match body {
        BodyRead::TooLarge => {
            return Err(problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The request body is larger than {} bytes", reply::MAX_BODY),
            ));
        }
        BodyRead::Read(bytes) => bytes,
    };
    let is_json = content_type
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(problem(
            StatusCode::BAD_REQUEST,
            "The request body must be JSON, sent with Content-Type: application/json",
        ));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(problem(
            StatusCode::BAD_REQUEST,
            "The request body must be a JSON object",
        )),
        Err(e) => Err(problem(
            StatusCode::BAD_REQUEST,
            format!(
                "The request body is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )),
    }
}

fn optional_string(
    map: &serde_json::Map<String, Value>,
    field: &str,
) -> Result<Option<String>, Reply> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(problem(
            StatusCode::BAD_REQUEST,
            format!("\"{field}\" must be a string"),
        )),
    }
}

fn optional_number(
    map: &serde_json::Map<String, Value>,
    field: &str,
) -> Result<Option<u64>, Reply> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            problem(
                StatusCode::BAD_REQUEST,
                format!("\"{field}\" must be a whole number, 0 or more"),
            )
        }),
    }
}

/// A fault from `{"kind": ..., "status", "retry_after", "delay_ms", "operation", "times",
/// "always"}`.
fn parse_fault(map: &serde_json::Map<String, Value>) -> Result<Fault, Reply> {
    let bad = |detail: String| problem(StatusCode::BAD_REQUEST, detail);
    let kind = optional_string(map, "kind")?.ok_or_else(|| {
        bad(
            "\"kind\" is required: one of status, delay, close_connection, truncated_body, \
             invalid_json, hang"
                .into(),
        )
    })?;
    let mut fault = match kind.as_str() {
        "status" => {
            let status = optional_number(map, "status")?
                .ok_or_else(|| bad("a status fault needs \"status\", from 200 to 599".into()))?;
            let status = u16::try_from(status)
                .ok()
                .filter(|s| (200..=599).contains(s))
                .ok_or_else(|| bad(format!("\"status\" must be from 200 to 599, not {status}")))?;
            let mut f = Fault::status(status);
            if let Some(seconds) = optional_number(map, "retry_after")? {
                f = f.retry_after(seconds);
            }
            f
        }
        "delay" => {
            let ms = optional_number(map, "delay_ms")?
                .ok_or_else(|| bad("a delay fault needs \"delay_ms\", in milliseconds".into()))?;
            let delay = Duration::from_millis(ms);
            if delay > MAX_DELAY {
                return Err(bad(format!(
                    "\"delay_ms\" must be at most {} (10 minutes), not {ms}",
                    MAX_DELAY.as_millis()
                )));
            }
            Fault::delay(delay)
        }
        "close_connection" => Fault::close_connection(),
        "truncated_body" => Fault::truncated_body(),
        "invalid_json" => Fault::invalid_json(),
        "hang" => Fault::hang(),
        other => {
            return Err(bad(format!(
                "unknown fault kind \"{other}\": use one of status, delay, close_connection, \
                 truncated_body, invalid_json, hang"
            )));
        }
    };
    if let Some(name) = optional_string(map, "operation")? {
        let op = parse_operation(&name).ok_or_else(|| {
            bad(format!(
                "unknown operation \"{name}\": use list, get, create or revoke (the Secret \
                 Management API), AddSecret, GetSecrets, GetSecretValue, SetSecretInfo or \
                 DelSecret (Voximplant), or leave it out for every request"
            ))
        })?;
        fault = fault.on(op);
    }
    let always = match map.get("always") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(bad("\"always\" must be true or false".into())),
    };
    match (optional_number(map, "times")?, always) {
        (Some(_), true) => {
            return Err(bad("give either \"times\" or \"always\", not both".into()));
        }
        (Some(n), false) => {
            let n = u32::try_from(n)
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| bad(format!("\"times\" must be from 1 to {}", u32::MAX)))?;
            fault = fault.times(n);
        }
        (None, true) => fault = fault.always(),
        (None, false) => {}
    }
    Ok(fault)
}

/// Whether `key` may be an api key: not empty, at most 64 characters, no `:`, `/` or control
/// characters.
fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().count() <= 64
        && !key.contains([':', '/'])
        && !key.chars().any(char::is_control)
}

/// Seeds an account from `{"api_key", "secret", "primary_api_key"?}`.
fn seed(store: &mut Store, map: &serde_json::Map<String, Value>) -> Result<Reply, Reply> {
    let bad = |detail: String| problem(StatusCode::BAD_REQUEST, detail);
    let key =
        optional_string(map, "api_key")?.ok_or_else(|| bad("\"api_key\" is required".into()))?;
    if !valid_key(&key) {
        return Err(bad(
            "\"api_key\" must have 1 to 64 characters, without ':', '/' or control characters"
                .into(),
        ));
    }
    let secret = match map.get("secret") {
        Some(Value::String(s)) => SecretString::from(s.clone()),
        None | Some(Value::Null) => {
            return Err(Reply::problem(
                StatusCode::BAD_REQUEST,
                Problem::validation("Is required"),
            ));
        }
        Some(_) => {
            return Err(Reply::problem(
                StatusCode::BAD_REQUEST,
                Problem::validation("Must be a string"),
            ));
        }
    };
    let primary = optional_string(map, "primary_api_key")?;
    if store.account(&key).is_some() {
        return Err(problem(
            StatusCode::CONFLICT,
            format!("API key '{key}' already exists; reset the sandbox or choose another key"),
        ));
    }
    if let Some(p) = &primary {
        if store.account(p).is_none_or(|a| a.owner.is_some()) {
            return Err(bad(format!(
                "\"primary_api_key\" '{p}' is not a primary account of this sandbox"
            )));
        }
    }
    if !vonage::meets_server_rules(secret.expose_secret()) {
        return Err(Reply::problem(
            StatusCode::BAD_REQUEST,
            Problem::validation("Does not meet complexity requirements"),
        ));
    }
    store.seed(&key, primary.as_deref(), &[secret]);
    let view = account_view(store, &key);
    Ok(Reply::json(StatusCode::CREATED, &view))
}

/// One decoded path segment (`None` for an empty or undecodable one).
fn segment(s: &str) -> Option<String> {
    let s = percent_encoding::percent_decode_str(s).decode_utf8().ok()?;
    (!s.is_empty()).then(|| s.into_owned())
}

pub(crate) async fn handle(
    shared: &Arc<Shared>,
    req: Request<RequestBody>,
) -> Result<Response<Body>, Abort> {
    let method = req.method().clone();
    let rest = req
        .uri()
        .path()
        .strip_prefix(PREFIX)
        .unwrap_or_default()
        .to_owned();
    let Some(caller) = caller(shared, req.headers()) else {
        return Ok(answer(problem(
            StatusCode::UNAUTHORIZED,
            "The control API needs the sandbox's control token, sent as \
             'Authorization: Bearer <token>' (the sandbox prints it at start; in Rust, \
             Sandbox::control_token), or a dashboard session",
        )));
    };
    let changes = method != Method::GET && method != Method::HEAD;
    if let Caller::Session { csrf, .. } = &caller {
        let sent = req.headers().get(CSRF_HEADER).map(HeaderValue::as_bytes);
        if changes
            && (!sent.is_some_and(|s| same_bytes(s, csrf.as_bytes()))
                || !same_origin(req.headers(), shared.tls))
        {
            return Ok(answer(problem(
                StatusCode::FORBIDDEN,
                "Cross-site request refused: a dashboard session's changes must come from the \
                 dashboard page, with its X-CSRF-Token header",
            )));
        }
    }
    let segments: Option<Vec<String>> = rest.split('/').map(segment).collect();
    let Some(segments) = segments else {
        return Ok(answer(not_found()));
    };
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let content_type = req.headers().get(CONTENT_TYPE).cloned();
    let takes_body = matches!(
        (&method, segments.as_slice()),
        (
            &Method::POST,
            ["accounts"] | ["accounts", _, "secrets"] | ["faults"]
        )
    );
    let body = if takes_body {
        Some(reply::read_body(req)?)
    } else {
        None
    };
    Ok(answer(respond(
        shared,
        &caller,
        &method,
        &segments,
        content_type.as_ref(),
        body,
    )))
}

fn not_found() -> Reply {
    problem(
        StatusCode::NOT_FOUND,
        "No such control resource: see the sandbox's README for /_sandbox/state, accounts, \
         reset, faults and requests",
    )
}

fn token_only() -> Reply {
    problem(
        StatusCode::FORBIDDEN,
        "This needs the control token: a dashboard session may not seed accounts or reset \
         the sandbox",
    )
}

fn respond(
    shared: &Shared,
    caller: &Caller,
    method: &Method,
    segments: &[&str],
    content_type: Option<&HeaderValue>,
    body: Option<BodyRead>,
) -> Reply {
    let mut inner = shared.lock();
    let inner = &mut *inner;
    let allow = match segments {
        ["state"] | ["accounts", _] => "GET",
        ["accounts"] => "GET, POST",
        ["accounts", _, "secrets"] | ["reset"] => "POST",
        ["accounts", _, "secrets", _] => "DELETE",
        ["faults"] => "GET, POST, DELETE",
        ["requests"] => "GET, DELETE",
        _ => return not_found(),
    };
    let invalid_key =
        |key: &str| Reply::problem(StatusCode::NOT_FOUND, Problem::invalid_api_key(key));
    match (method, segments) {
        (&Method::GET, ["state"]) => {
            let log = inner.log.snapshot();
            let skip = log.len().saturating_sub(STATE_REQUESTS);
            let state = StateView {
                signed_in_as: match caller {
                    Caller::Token => None,
                    Caller::Session { account, .. } => Some(account.clone()),
                },
                accounts: accounts_view(&inner.store, caller),
                faults: inner.faults.in_force().iter().map(fault_view).collect(),
                requests: log[skip..].iter().map(request_view).collect(),
                voximplant: crate::voximplant::state_view(&inner.vox),
            };
            Reply::json(StatusCode::OK, &state)
        }
        (&Method::GET, ["accounts"]) => Reply::json(
            StatusCode::OK,
            &serde_json::json!({ "accounts": accounts_view(&inner.store, caller) }),
        ),
        (&Method::POST, ["accounts"]) => {
            if !matches!(caller, Caller::Token) {
                return token_only();
            }
            let Some(body) = body else {
                return Reply::empty(StatusCode::INTERNAL_SERVER_ERROR);
            };
            match json_object(content_type, body).and_then(|map| seed(&mut inner.store, &map)) {
                Ok(reply) | Err(reply) => reply,
            }
        }
        (&Method::GET, ["accounts", key]) => {
            if !caller.may_see(&inner.store, key) {
                return invalid_key(key);
            }
            match account_view(&inner.store, key) {
                Some(view) => Reply::json(StatusCode::OK, &view),
                None => invalid_key(key),
            }
        }
        (&Method::POST, ["accounts", key, "secrets"]) => {
            if !caller.may_see(&inner.store, key) {
                return invalid_key(key);
            }
            let Some(body) = body else {
                return Reply::empty(StatusCode::INTERNAL_SERVER_ERROR);
            };
            let secret = match vonage::parse_create(content_type, body) {
                Ok(s) => s,
                Err(reply) => return reply,
            };
            match vonage::create_checked(&mut inner.store, shared.excess_status, key, secret) {
                Ok(s) => Reply::json(
                    StatusCode::CREATED,
                    &SecretView {
                        id: s.id.clone(),
                        created_at: wire::timestamp(&s.created_at),
                    },
                ),
                Err(reply) => reply,
            }
        }
        (&Method::DELETE, ["accounts", key, "secrets", id]) => {
            if !caller.may_see(&inner.store, key) {
                return invalid_key(key);
            }
            match vonage::revoke_checked(&mut inner.store, key, id) {
                Ok(()) => Reply::empty(StatusCode::NO_CONTENT),
                Err(reply) => reply,
            }
        }
        (&Method::POST, ["reset"]) => {
            if !matches!(caller, Caller::Token) {
                return token_only();
            }
            inner.store = shared.initial.clone();
            inner.vox = shared.vox_initial.clone();
            inner.faults.clear();
            inner.log.clear();
            Reply::empty(StatusCode::NO_CONTENT)
        }
        (&Method::GET, ["faults"]) => Reply::json(
            StatusCode::OK,
            &serde_json::json!({
                "faults": inner.faults.in_force().iter().map(fault_view).collect::<Vec<_>>()
            }),
        ),
        (&Method::POST, ["faults"]) => {
            let Some(body) = body else {
                return Reply::empty(StatusCode::INTERNAL_SERVER_ERROR);
            };
            match json_object(content_type, body).and_then(|map| parse_fault(&map)) {
                Ok(fault) => {
                    let view = fault_view(&fault);
                    inner.faults.push(fault);
                    Reply::json(StatusCode::CREATED, &view)
                }
                Err(reply) => reply,
            }
        }
        (&Method::DELETE, ["faults"]) => {
            inner.faults.clear();
            Reply::empty(StatusCode::NO_CONTENT)
        }
        (&Method::GET, ["requests"]) => Reply::json(
            StatusCode::OK,
            &serde_json::json!({
                "requests": inner.log.snapshot().iter().map(request_view).collect::<Vec<_>>()
            }),
        ),
        (&Method::DELETE, ["requests"]) => {
            inner.log.clear();
            Reply::empty(StatusCode::NO_CONTENT)
        }
        _ => {
            let mut r = problem(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("Method {method} is not allowed here; allowed: {allow}"),
            );
            r.allow = Some(allow);
            r
        }
    }
}
