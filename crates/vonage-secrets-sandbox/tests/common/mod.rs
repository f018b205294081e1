//! Helpers shared by the integration tests: a small blocking client over ureq and raw TCP.
#![allow(dead_code, missing_docs)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine;
use serde_json::Value;

pub const KEY: &str = "abcd1234";
pub const SECRET: &str = "Primary-Secret-1";
pub const SUB: &str = "sub00001";
pub const SUB_SECRET: &str = "Sub-Secret-1";
pub const STRANGER: &str = "zzzz9999";
pub const STRANGER_SECRET: &str = "Stranger-Secret-1";

/// A sandbox with a primary (one secret), its secondary, and an unrelated primary.
pub fn sandbox() -> vonage_secrets_sandbox::Sandbox {
    vonage_secrets_sandbox::Sandbox::builder()
        .account(KEY, SECRET)
        .secondary(KEY, SUB, SUB_SECRET)
        .account(STRANGER, STRANGER_SECRET)
        .start()
        .expect("sandbox starts")
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

pub fn basic(key: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"))
    )
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// One request. `authorization` is the raw header value; `body` is sent as JSON.
pub fn call(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    authorization: Option<&str>,
    body: Option<&Value>,
) -> Result<Reply, ureq::Error> {
    let mut req = http::Request::builder().method(method).uri(url);
    if let Some(a) = authorization {
        req = req.header("Authorization", a);
    }
    let response = match body {
        None => agent.run(req.body(()).expect("request")),
        Some(b) => agent.run(
            req.header("Content-Type", "application/json")
                .body(serde_json::to_vec(b).expect("json"))
                .expect("request"),
        ),
    }?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().read_to_string()?;
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// A small client bound to one sandbox and one set of credentials.
pub struct Client {
    pub agent: ureq::Agent,
    pub base: String,
    pub auth: String,
}

impl Client {
    pub fn new(base: &str, key: &str, secret: &str) -> Self {
        Client {
            agent: agent(),
            base: base.to_owned(),
            auth: basic(key, secret),
        }
    }

    pub fn list(&self, key: &str) -> Reply {
        let url = format!("{}/accounts/{key}/secrets", self.base);
        call(&self.agent, "GET", &url, Some(&self.auth), None).expect("list")
    }

    pub fn get(&self, key: &str, id: &str) -> Reply {
        let url = format!("{}/accounts/{key}/secrets/{id}", self.base);
        call(&self.agent, "GET", &url, Some(&self.auth), None).expect("get")
    }

    pub fn create(&self, key: &str, secret: &str) -> Reply {
        let url = format!("{}/accounts/{key}/secrets", self.base);
        let body = serde_json::json!({ "secret": secret });
        call(&self.agent, "POST", &url, Some(&self.auth), Some(&body)).expect("create")
    }

    pub fn revoke(&self, key: &str, id: &str) -> Reply {
        let url = format!("{}/accounts/{key}/secrets/{id}", self.base);
        call(&self.agent, "DELETE", &url, Some(&self.auth), None).expect("revoke")
    }
}

/// Ids in a list response, in order.
pub fn ids(list: &Value) -> Vec<String> {
    list["_embedded"]["secrets"]
        .as_array()
        .expect("_embedded.secrets is an array")
        .iter()
        .map(|s| s["id"].as_str().expect("id is a string").to_owned())
        .collect()
}

/// Sends raw bytes and reads until the server closes the connection (send
/// `Connection: close`). Returns the whole raw response.
pub fn raw(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(request).expect("write");
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The status code and the body of a raw HTTP/1.1 response.
pub fn parse_raw(response: &str) -> (u16, String) {
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {response:?}"));
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// Asserts the common fields of a problem document.
pub fn assert_problem(reply: &Reply, status: u16, kind: &str, title: &str, detail: &str) {
    assert_eq!(reply.status, status, "{reply:?}");
    let p = reply.json();
    assert_eq!(p["type"], kind, "{reply:?}");
    assert_eq!(p["title"], title, "{reply:?}");
    assert_eq!(p["detail"], detail, "{reply:?}");
    let instance = p["instance"].as_str().expect("instance is a string");
    assert!(!instance.is_empty());
}

/// A Voximplant token as the official clients make it (RS256, `kid`, `iss`, 64 s), signed with
/// the private key of a `credentials.json`.
pub fn voximplant_token(credentials: &Value) -> String {
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{SignatureEncoding, Signer};
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(credentials["private_key"].as_str().unwrap())
        .expect("a PKCS#8 PEM key");
    let now = chrono::Utc::now().timestamp();
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let header = serde_json::json!({"alg": "RS256", "typ": "JWT", "kid": credentials["key_id"]});
    let claims = serde_json::json!({"iss": credentials["account_id"], "iat": now, "exp": now + 64});
    let signed = format!(
        "{}.{}",
        b64(&serde_json::to_vec(&header).unwrap()),
        b64(&serde_json::to_vec(&claims).unwrap())
    );
    let signature =
        rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key).sign(signed.as_bytes());
    format!("{signed}.{}", b64(&signature.to_bytes()))
}
