//! The Voximplant Management API's application secrets: `POST /platform_api/<Method>` with
//! the parameters in the query string or a form body, and `POST /platform_api` with a
//! `multipart/form-data` body whose `cmd` field names the method (what the official clients
//! send). Token checks (`jwt.rs`), then the five methods against the state
//! (`voximplant_state.rs`).
//!
//! Rule: every answer is status 200 with a JSON body, `{"result": ...}` or
//! `{"error": {"code": N, "msg": "..."}}` (the clients read the body, not the status), except
//! a method other than POST (405) and an injected status fault. Nothing here logs or echoes a
//! parameter: the request log gets the path (never the query) and the operation.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::{Method, Request, Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde_json::{Value, json};

use crate::fault;
use crate::jwt;
use crate::reply::{Abort, Body, BodyRead, MAX_BODY, Reply, RequestBody, read_body};
use crate::request_log::log_record;
use crate::shared::Shared;
use crate::voximplant_state::{
    self as vs, AppRef, MAX_VALUE_CHARS, VoxApplication, VoxSecret, VoxStore,
};
use crate::{Operation, RequestRecord};

/// The path of the Management API; methods are under it.
pub(crate) const PREFIX: &str = "/platform_api";

/// The sandbox's own error codes (the token codes are the API's).
pub(crate) mod code {
    /// The method is not one the sandbox serves.
    pub(crate) const UNKNOWN_METHOD: u32 = 11;
    /// A required parameter is missing.
    pub(crate) const MISSING: u32 = 12;
    /// A parameter's value is not valid.
    pub(crate) const INVALID: u32 = 13;
    /// No such application in the account.
    pub(crate) const NO_APPLICATION: u32 = 14;
    /// No such secret in the application.
    pub(crate) const NO_SECRET: u32 = 15;
    /// A secret of that name exists already.
    pub(crate) const DUPLICATE: u32 = 16;
    /// The request could not be read (too large, not a form).
    pub(crate) const BAD_REQUEST: u32 = 17;
}

/// Whether `path` is the Management API's.
pub(crate) fn is_path(path: &str) -> bool {
    path == PREFIX || path.starts_with("/platform_api/")
}

/// An error answer of the API.
#[derive(Debug)]
pub(crate) struct VoxError {
    code: u32,
    msg: String,
}

impl VoxError {
    fn new(code: u32, msg: impl Into<String>) -> Self {
        VoxError {
            code,
            msg: msg.into(),
        }
    }

    fn reply(&self, status: StatusCode) -> Reply {
        Reply::json(
            status,
            &json!({"error": {"code": self.code, "msg": self.msg}}),
        )
    }
}

/// The parameters of a request (query string and body together; the body wins).
struct Params(HashMap<String, String>);

impl Params {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    fn required(&self, name: &str) -> Result<&str, VoxError> {
        self.get(name).ok_or_else(|| {
            VoxError::new(code::MISSING, format!("The parameter {name} is required"))
        })
    }

    fn number(&self, name: &str) -> Result<Option<u64>, VoxError> {
        self.get(name)
            .map(|v| {
                v.trim().parse::<u64>().map_err(|_| {
                    VoxError::new(
                        code::INVALID,
                        format!("The parameter {name} must be a whole number, not '{v}'"),
                    )
                })
            })
            .transpose()
    }

    fn application(&self) -> Result<AppRef, VoxError> {
        if let Some(id) = self.number("application_id")? {
            return Ok(AppRef::Id(id));
        }
        match self.get("application_name") {
            Some(name) => Ok(AppRef::Name(name.to_owned())),
            None => Err(VoxError::new(
                code::MISSING,
                "The parameter application_id or application_name is required",
            )),
        }
    }
}

async fn parse_params(
    query: Option<&str>,
    content_type: Option<&str>,
    body: Bytes,
) -> Result<Params, VoxError> {
    let mut map = HashMap::new();
    if let Some(q) = query {
        map.extend(form_urlencoded::parse(q.as_bytes()).into_owned());
    }
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase());
    match mime.as_deref() {
        Some("application/x-www-form-urlencoded") => {
            map.extend(form_urlencoded::parse(&body).into_owned());
        }
        Some("multipart/form-data") => {
            let boundary = content_type
                .and_then(|c| multer::parse_boundary(c).ok())
                .ok_or_else(|| {
                    VoxError::new(
                        code::BAD_REQUEST,
                        "The multipart/form-data body has no boundary in its Content-Type",
                    )
                })?;
            let stream = futures_util::stream::once(async move { Ok::<_, Infallible>(body) });
            let mut multipart = multer::Multipart::new(stream, boundary);
            let bad = |e: multer::Error| {
                VoxError::new(
                    code::BAD_REQUEST,
                    format!("The multipart/form-data body could not be read: {e}"),
                )
            };
            while let Some(field) = multipart.next_field().await.map_err(bad)? {
                let name = field.name().map(str::to_owned);
                let text = field.text().await.map_err(bad)?;
                if let Some(name) = name {
                    map.insert(name, text);
                }
            }
        }
        _ if body.is_empty() => {}
        _ => {
            return Err(VoxError::new(
                code::BAD_REQUEST,
                "Send the parameters as a form (application/x-www-form-urlencoded or \
                 multipart/form-data) or in the query string",
            ));
        }
    }
    Ok(Params(map))
}

fn time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// A secret without its value, as `GetSecrets` lists it.
#[derive(Serialize)]
struct SecretInfoBody<'a> {
    secret_id: u64,
    secret_name: &'a str,
    description: Option<&'a str>,
    created: String,
    modified: Option<String>,
}

impl<'a> SecretInfoBody<'a> {
    fn of(s: &'a VoxSecret) -> Self {
        SecretInfoBody {
            secret_id: s.id,
            secret_name: &s.name,
            description: s.description.as_deref(),
            created: time(&s.created),
            modified: s.modified.as_ref().map(time),
        }
    }
}

/// A secret with its value, as `GetSecretValue` gives it.
#[derive(Serialize)]
struct SecretValueBody<'a> {
    secret_id: u64,
    secret_name: &'a str,
    secret_value: &'a str,
    description: Option<&'a str>,
    created: String,
    modified: Option<String>,
}

fn check_name(name: &str) -> Result<(), VoxError> {
    if vs::valid_name(name) {
        Ok(())
    } else {
        Err(VoxError::new(
            code::INVALID,
            "A secret name starts with a Latin letter and has up to 64 Latin letters, digits \
             and underscores",
        ))
    }
}

fn check_value(value: &str) -> Result<(), VoxError> {
    let chars = value.chars().count();
    if chars == 0 {
        return Err(VoxError::new(
            code::INVALID,
            "The secret value must not be empty",
        ));
    }
    if chars > MAX_VALUE_CHARS {
        return Err(VoxError::new(
            code::INVALID,
            format!(
                "The secret value has {chars} characters; at most {MAX_VALUE_CHARS} are allowed"
            ),
        ));
    }
    Ok(())
}

fn duplicate(app: &VoxApplication, name: &str, except: Option<u64>) -> Result<(), VoxError> {
    if app
        .secrets
        .iter()
        .any(|s| s.name == name && Some(s.id) != except)
    {
        return Err(VoxError::new(
            code::DUPLICATE,
            format!(
                "The application already has a secret named '{name}'; choose another name, or \
                 change that secret's value instead of adding it"
            ),
        ));
    }
    Ok(())
}

/// The index of the secret the parameters name (`secret_id` or `secret_name`).
fn find_secret(app: &VoxApplication, params: &Params) -> Result<usize, VoxError> {
    let found = if let Some(id) = params.number("secret_id")? {
        app.secrets
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(|| format!("with id {id}"))
    } else if let Some(name) = params.get("secret_name") {
        app.secrets
            .iter()
            .position(|s| s.name == name)
            .ok_or_else(|| format!("named '{name}'"))
    } else {
        return Err(VoxError::new(
            code::MISSING,
            "The parameter secret_id or secret_name is required",
        ));
    };
    found.map_err(|which| {
        VoxError::new(
            code::NO_SECRET,
            format!(
                "The application '{}' has no secret {which}; list the application's secrets \
                 for their names and ids",
                app.name
            ),
        )
    })
}

/// One method against the state. Gives the result and, for `AddSecret`, the new id.
fn respond(
    store: &mut VoxStore,
    account: u64,
    op: Operation,
    params: &Params,
    array_results: bool,
    now: DateTime<Utc>,
) -> Result<(Value, Option<u64>), VoxError> {
    let app_ref = params.application()?;
    let next_id = store.next_id_peek();
    let Some(app) = store.application_mut(account, &app_ref) else {
        return Err(VoxError::new(
            code::NO_APPLICATION,
            format!("The account has no application {app_ref}"),
        ));
    };
    let one = |v: Value| if array_results { json!([v]) } else { v };
    match op {
        Operation::AddSecret => {
            let name = params.required("secret_name")?;
            check_name(name)?;
            let value = params.required("secret_value")?;
            check_value(value)?;
            duplicate(app, name, None)?;
            app.secrets.push(VoxSecret {
                id: next_id,
                name: name.to_owned(),
                value: SecretString::from(value.to_owned()),
                description: params.get("description").map(vs::truncate_description),
                created: now,
                modified: None,
            });
            store.take_id();
            Ok((
                json!({"result": one(json!({"secret_id": next_id}))}),
                Some(next_id),
            ))
        }
        Operation::GetSecrets => {
            let count = params.number("count")?.unwrap_or(20);
            if !(1..=1000).contains(&count) {
                return Err(VoxError::new(
                    code::INVALID,
                    "The parameter count must be between 1 and 1000",
                ));
            }
            let offset = params.number("offset")?.unwrap_or(0);
            let part = params.get("secret_name_part").unwrap_or("");
            let matching: Vec<&VoxSecret> = app
                .secrets
                .iter()
                .filter(|s| s.name.contains(part))
                .collect();
            let page: Vec<SecretInfoBody<'_>> = matching
                .iter()
                .skip(usize::try_from(offset).unwrap_or(usize::MAX))
                .take(usize::try_from(count).unwrap_or(usize::MAX))
                .copied()
                .map(SecretInfoBody::of)
                .collect();
            Ok((
                json!({"result": page, "count": page.len(), "total_count": matching.len()}),
                None,
            ))
        }
        Operation::GetSecretValue => {
            let s = &app.secrets[find_secret(app, params)?];
            let body = SecretValueBody {
                secret_id: s.id,
                secret_name: &s.name,
                secret_value: s.value.expose_secret(),
                description: s.description.as_deref(),
                created: time(&s.created),
                modified: s.modified.as_ref().map(time),
            };
            let value = serde_json::to_value(&body).unwrap_or(Value::Null);
            Ok((json!({"result": one(value)}), Some(s.id)))
        }
        Operation::SetSecretInfo => {
            let at = find_secret(app, params)?;
            let id = app.secrets[at].id;
            let new_name = params.get("new_secret_name");
            if let Some(name) = new_name {
                check_name(name)?;
                duplicate(app, name, Some(id))?;
            }
            let value = params.get("secret_value");
            if let Some(v) = value {
                check_value(v)?;
            }
            let s = &mut app.secrets[at];
            if let Some(name) = new_name {
                s.name = name.to_owned();
            }
            if let Some(v) = value {
                s.value = SecretString::from(v.to_owned());
            }
            if let Some(d) = params.get("description") {
                s.description = Some(vs::truncate_description(d));
            }
            s.modified = Some(now);
            Ok((json!({"result": 1}), Some(id)))
        }
        Operation::DelSecret => {
            let doomed: Vec<u64> = if let Some(ids) = params.get("secret_id") {
                if ids.trim().eq_ignore_ascii_case("all") {
                    app.secrets.iter().map(|s| s.id).collect()
                } else {
                    let mut out = Vec::new();
                    for id in ids.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                        out.push(id.parse::<u64>().map_err(|_| {
                            VoxError::new(
                                code::INVALID,
                                format!(
                                    "The parameter secret_id must be ids separated by ';' or \
                                     'all', not '{id}'"
                                ),
                            )
                        })?);
                    }
                    if let Some(id) = out
                        .iter()
                        .find(|id| !app.secrets.iter().any(|s| s.id == **id))
                    {
                        return Err(VoxError::new(
                            code::NO_SECRET,
                            format!("The application '{}' has no secret with id {id}", app.name),
                        ));
                    }
                    out
                }
            } else if let Some(names) = params.get("secret_name") {
                let mut out = Vec::new();
                for name in names.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                    match app.secrets.iter().find(|s| s.name == name) {
                        Some(s) => out.push(s.id),
                        None => {
                            return Err(VoxError::new(
                                code::NO_SECRET,
                                format!(
                                    "The application '{}' has no secret named '{name}'",
                                    app.name
                                ),
                            ));
                        }
                    }
                }
                out
            } else {
                return Err(VoxError::new(
                    code::MISSING,
                    "The parameter secret_id or secret_name is required",
                ));
            };
            app.secrets.retain(|s| !doomed.contains(&s.id));
            Ok((json!({"result": 1}), None))
        }
        Operation::List | Operation::Get | Operation::Create | Operation::Revoke => Err(
            VoxError::new(code::UNKNOWN_METHOD, "Not a Voximplant method"),
        ),
    }
}

/// The Voximplant accounts for the control API's state: ids, e-mail addresses, applications
/// and their secrets' names and times. Never a value or a key.
pub(crate) fn state_view(store: &VoxStore) -> Value {
    let accounts: Vec<Value> = store
        .accounts
        .iter()
        .map(|a| {
            let applications: Vec<Value> = a
                .applications
                .iter()
                .map(|app| {
                    let secrets: Vec<SecretInfoBody<'_>> =
                        app.secrets.iter().map(SecretInfoBody::of).collect();
                    json!({
                        "application_id": app.id,
                        "application_name": app.name,
                        "secrets": secrets,
                    })
                })
                .collect();
            json!({
                "account_id": a.id,
                "account_email": a.email,
                "applications": applications,
            })
        })
        .collect();
    Value::Array(accounts)
}

fn unknown_method(name: &str) -> VoxError {
    let what = if name.is_empty() {
        "No method named: send POST /platform_api/<Method>, or a cmd field".to_owned()
    } else {
        format!("Unknown method '{name}'")
    };
    VoxError::new(
        code::UNKNOWN_METHOD,
        format!(
            "{what}; the sandbox serves AddSecret, GetSecrets, GetSecretValue, SetSecretInfo \
             and DelSecret"
        ),
    )
}

/// Answers a request under [`PREFIX`].
pub(crate) async fn handle(
    shared: Arc<Shared>,
    req: Request<RequestBody>,
) -> Result<Response<Body>, Abort> {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let header = |name| {
        req.headers()
            .get(name)
            .and_then(|v: &http::HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    // The token: checked, never logged.
    let authorization = header(AUTHORIZATION).map(SecretString::from);
    let content_type = header(CONTENT_TYPE);
    let named = path
        .strip_prefix(PREFIX)
        .unwrap_or_default()
        .trim_start_matches('/')
        .to_owned();
    let mut record = RequestRecord {
        at: Utc::now(),
        method: method.to_string(),
        path,
        api_key: None,
        operation: Operation::from_voximplant_method(&named),
        secret_id: None,
        status: None,
        fault: None,
    };
    let push = |record: RequestRecord| {
        log_record(&record);
        shared.lock().log.push(record);
    };
    if method != Method::POST {
        let mut reply = VoxError::new(
            code::BAD_REQUEST,
            format!("Method {method} is not allowed here; send POST"),
        )
        .reply(StatusCode::METHOD_NOT_ALLOWED);
        reply.allow = Some("POST");
        record.status = Some(reply.status.as_u16());
        push(record);
        return Ok(reply.into_response(None));
    }
    let body = match read_body(req) {
        Ok(BodyRead::Read(b)) => Ok(b),
        Ok(BodyRead::TooLarge) => Err(VoxError::new(
            code::BAD_REQUEST,
            format!("The request body is larger than {MAX_BODY} bytes"),
        )),
        Err(abort) => {
            push(record);
            return Err(abort);
        }
    };
    let params = match body {
        Ok(b) => parse_params(query.as_deref(), content_type.as_deref(), b).await,
        Err(e) => Err(e),
    };
    let name = if named.is_empty() {
        params
            .as_ref()
            .ok()
            .and_then(|p| p.get("cmd"))
            .unwrap_or_default()
            .to_owned()
    } else {
        named
    };
    let op = Operation::from_voximplant_method(&name);
    record.operation = op;
    let fault = shared.lock().faults.take(op);
    record.fault = fault.clone();
    // An injected status is answered as this API answers errors: a body with its code.
    let shape = |injected: Reply| {
        let status = injected.status;
        let mut reply = VoxError::new(
            u32::from(status.as_u16()),
            format!("Fault injected by the sandbox: status {status}"),
        )
        .reply(status);
        reply.retry_after = injected.retry_after;
        reply
    };
    if let Some(answer) = fault::preempt(fault.as_ref(), &mut record, push, shape).await {
        return answer;
    }

    let (reply, logged) = {
        let mut inner = shared.lock();
        let inner = &mut *inner;
        let outcome = params.and_then(|params| {
            let op = op.ok_or_else(|| unknown_method(&name))?;
            let account = jwt::check(
                authorization.as_ref().map(|a| a.expose_secret()),
                &inner.vox.accounts,
                Utc::now().timestamp(),
            )
            .map_err(|e| VoxError::new(e.code(), e.message()))?;
            respond(
                &mut inner.vox,
                account,
                op,
                &params,
                shared.vox_array_results,
                Utc::now(),
            )
        });
        let reply = match outcome {
            Ok((value, id)) => {
                record.secret_id = id.map(|id| id.to_string());
                Reply::json(StatusCode::OK, &value)
            }
            Err(e) => e.reply(StatusCode::OK),
        };
        record.status = Some(reply.status.as_u16());
        let logged = log::log_enabled!(log::Level::Info).then(|| record.clone());
        inner.log.push(record);
        (reply, logged)
    };
    if let Some(record) = logged {
        log_record(&record);
    }
    Ok(reply.into_response(fault.as_ref()))
}
