//! A small HTTP/1.1 server on loopback for the tests: it verifies every token with the public
//! half of the test-only key, records each request, and answers with a handler, by default an
//! in-memory emulation of the five methods.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;
use voximplant_secrets::{Client, Credentials, SecretString};

/// Made for these tests only; protects nothing.
pub const TEST_ONLY_PRIVATE_KEY: &str = include_str!("../fixtures/test-only-private-key.pem");
/// The public half of [`TEST_ONLY_PRIVATE_KEY`].
pub const TEST_ONLY_PUBLIC_KEY: &str = include_str!("../fixtures/test-only-public-key.pem");
pub const ACCOUNT_ID: i64 = 4242;
pub const KEY_ID: &str = "test-key-id-1";

pub fn credentials() -> Credentials {
    Credentials::new(
        ACCOUNT_ID,
        KEY_ID,
        SecretString::from(TEST_ONLY_PRIVATE_KEY),
    )
    .expect("the test key is usable")
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub iss: i64,
    pub iat: u64,
    pub exp: u64,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub form: HashMap<String, String>,
    /// The raw token, when there was one.
    pub token: Option<String>,
    /// The token's header and claims, when it verified with the public key.
    pub verified: Option<(jsonwebtoken::Header, Claims)>,
}

impl Recorded {
    pub fn method_name(&self) -> &str {
        self.target
            .trim_start_matches('/')
            .split('?')
            .next()
            .unwrap_or("")
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form.get(name).map(String::as_str)
    }
}

/// What the server sends back.
#[derive(Debug, Clone)]
pub enum Reply {
    Json(u16, String),
    /// A status, extra headers and a body.
    Raw(u16, Vec<(String, String)>, String),
    /// Close the connection without an answer.
    Close,
    /// Never answer (the connection stays open).
    Hang,
}

impl Reply {
    pub fn ok(value: serde_json::Value) -> Self {
        Reply::Json(200, value.to_string())
    }
    pub fn error(status: u16, code: i64, msg: &str) -> Self {
        Reply::Json(
            status,
            serde_json::json!({"error": {"code": code, "msg": msg}}).to_string(),
        )
    }
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

pub struct Server {
    pub base_url: String,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// A server answering with `handler(request, index)` (index counts from 0).
    pub fn start(handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base_url = format!("http://{}/platform_api", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                let recorded = Arc::clone(&recorded);
                std::thread::spawn(move || serve(stream, &*handler, &recorded));
            }
        });
        Self { base_url, requests }
    }

    /// A server emulating the five methods over an in-memory store.
    pub fn emulator(shape: Shape) -> (Self, Arc<Mutex<Store>>) {
        let store = Arc::new(Mutex::new(Store::default()));
        let state = Arc::clone(&store);
        let server = Self::start(move |request, _| state.lock().unwrap().handle(request, shape));
        (server, store)
    }

    pub fn client(&self) -> Client {
        Client::builder(credentials())
            .base_url(&self.base_url)
            .timeout(Duration::from_secs(20))
            .build()
            .expect("client builds")
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, recorded: &Mutex<Vec<Recorded>>) {
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone().expect("clone");
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_owned();
        let target = parts.next().unwrap_or("").to_owned();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((n, v)) = h.split_once(':') {
                headers.push((n.trim().to_owned(), v.trim().to_owned()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let body = String::from_utf8_lossy(&body).into_owned();
        let form = form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect::<HashMap<_, _>>();
        let token = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
            .and_then(|(_, v)| v.strip_prefix("Bearer "))
            .map(str::to_owned);
        let verified = token.as_deref().and_then(verify);
        let request = Recorded {
            method,
            target: target
                .strip_prefix("/platform_api")
                .unwrap_or(&target)
                .to_owned(),
            headers,
            body,
            form,
            token,
            verified,
        };
        let index = {
            let mut all = recorded.lock().unwrap();
            all.push(request.clone());
            all.len() - 1
        };
        let reply = if request.verified.is_none() {
            Reply::error(200, 447, "Invalid token format")
        } else {
            handler(&request, index)
        };
        let (status, extra, body) = match reply {
            Reply::Json(status, body) => (
                status,
                vec![("Content-Type".to_owned(), "application/json".to_owned())],
                body,
            ),
            Reply::Raw(status, extra, body) => (status, extra, body),
            Reply::Close => return,
            Reply::Hang => {
                std::thread::sleep(Duration::from_secs(3600));
                return;
            }
        };
        let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
        for (n, v) in extra {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str("\r\n");
        // One write: a head and a body written apart would wait for a delayed ACK.
        head.push_str(&body);
        if writer.write_all(head.as_bytes()).is_err() {
            return;
        }
    }
}

/// The token's header and claims, when its signature verifies with the public key and it has
/// not expired.
fn verify(token: &str) -> Option<(jsonwebtoken::Header, Claims)> {
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(TEST_ONLY_PUBLIC_KEY.as_bytes()).ok()?;
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.leeway = 0;
    // `iss` is the account id, a number: `Claims` requires it (the library's own check of
    // `iss` expects a string).
    validation.set_required_spec_claims(&["exp"]);
    let data = jsonwebtoken::decode::<Claims>(token, &key, &validation)
        .map_err(|e| eprintln!("token refused: {e:?}"))
        .ok()?;
    Some((data.header, data.claims))
}

/// How the emulator shapes `result` of AddSecret and GetSecretValue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `{"result": {...}}`, as the published description says.
    Object,
    /// `{"result": [{...}]}`, as the official Node client types it.
    Array,
}

#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub name: String,
    pub value: String,
    pub description: Option<String>,
}

#[derive(Debug, Default)]
pub struct Store {
    pub secrets: Vec<Stored>,
    pub next_id: i64,
}

impl Store {
    pub fn seed(&mut self, count: usize) {
        for i in 0..count {
            self.next_id += 1;
            self.secrets.push(Stored {
                id: self.next_id,
                name: format!("secret_{i:03}"),
                value: format!("value-{i}"),
                description: None,
            });
        }
    }

    fn find(&self, request: &Recorded) -> Option<usize> {
        if let Some(id) = request.field("secret_id") {
            let id: i64 = id.parse().ok()?;
            self.secrets.iter().position(|s| s.id == id)
        } else {
            let name = request.field("secret_name")?;
            self.secrets.iter().position(|s| s.name == name)
        }
    }

    fn handle(&mut self, request: &Recorded, shape: Shape) -> Reply {
        use serde_json::json;
        if request.field("application_id").is_none() && request.field("application_name").is_none()
        {
            return Reply::error(200, 120, "application_id or application_name is required");
        }
        let wrap = |v: serde_json::Value| match shape {
            Shape::Object => v,
            Shape::Array => json!([v]),
        };
        match request.method_name() {
            "AddSecret" => {
                self.next_id += 1;
                let description = request
                    .field("description")
                    .map(|d| d.chars().take(200).collect());
                self.secrets.push(Stored {
                    id: self.next_id,
                    name: request.field("secret_name").unwrap_or("").to_owned(),
                    value: request.field("secret_value").unwrap_or("").to_owned(),
                    description,
                });
                Reply::ok(json!({"result": wrap(json!({"secret_id": self.next_id}))}))
            }
            "GetSecrets" => {
                let part = request.field("secret_name_part").unwrap_or("");
                let matching: Vec<&Stored> = self
                    .secrets
                    .iter()
                    .filter(|s| s.name.contains(part))
                    .collect();
                let offset: usize = request
                    .field("offset")
                    .and_then(|o| o.parse().ok())
                    .unwrap_or(0);
                let count: usize = request
                    .field("count")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(20);
                let page: Vec<serde_json::Value> = matching
                    .iter()
                    .skip(offset)
                    .take(count)
                    .map(|s| {
                        json!({"secret_id": s.id, "secret_name": s.name,
                               "description": s.description,
                               "created": "2024-05-10 14:22:35", "modified": null})
                    })
                    .collect();
                Reply::ok(
                    json!({"result": page, "count": page.len(), "total_count": matching.len()}),
                )
            }
            "GetSecretValue" => match self.find(request) {
                Some(i) => {
                    let s = &self.secrets[i];
                    Reply::ok(json!({"result": wrap(json!({
                        "secret_id": s.id, "secret_name": s.name, "secret_value": s.value,
                        "description": s.description, "created": "2024-05-10 14:22:35"}))}))
                }
                None => Reply::ok(json!({"result": []})),
            },
            "SetSecretInfo" => match self.find(request) {
                Some(i) => {
                    let s = &mut self.secrets[i];
                    if let Some(n) = request.field("new_secret_name") {
                        s.name = n.to_owned();
                    }
                    if let Some(v) = request.field("secret_value") {
                        s.value = v.to_owned();
                    }
                    if let Some(d) = request.field("description") {
                        s.description = Some(d.chars().take(200).collect());
                    }
                    Reply::ok(json!({"result": 1}))
                }
                None => Reply::error(200, 404, "Secret not found"),
            },
            "DelSecret" => {
                if request.field("secret_id") == Some("all") {
                    self.secrets.clear();
                } else if let Some(ids) = request.field("secret_id") {
                    let ids: Vec<i64> = ids.split(';').filter_map(|i| i.parse().ok()).collect();
                    self.secrets.retain(|s| !ids.contains(&s.id));
                } else if let Some(names) = request.field("secret_name") {
                    let names: Vec<&str> = names.split(';').collect();
                    self.secrets.retain(|s| !names.contains(&s.name.as_str()));
                } else {
                    return Reply::error(200, 121, "secret_id or secret_name is required");
                }
                Reply::ok(json!({"result": 1}))
            }
            _ => Reply::Raw(404, vec![], "no such method".to_owned()),
        }
    }
}
