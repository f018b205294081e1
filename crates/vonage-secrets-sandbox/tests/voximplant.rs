//! The Voximplant application secrets API over real HTTP(S): both transports, every method and
//! error, the token checks, pagination, faults, and what the request log keeps.

use std::time::Duration;

use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use vonage_secrets_sandbox::{Fault, FaultKind, Operation, Sandbox};

/// A signer of tokens for one sandbox's demo service account.
struct Creds {
    json: Value,
    key: rsa::RsaPrivateKey,
}

impl Creds {
    fn of(sandbox: &Sandbox) -> Self {
        let json: Value =
            serde_json::from_str(sandbox.voximplant_credentials_json().expose_secret()).unwrap();
        let key = rsa::RsaPrivateKey::from_pkcs8_pem(json["private_key"].as_str().unwrap())
            .expect("a PKCS#8 PEM key");
        Creds { json, key }
    }

    fn kid(&self) -> &str {
        self.json["key_id"].as_str().unwrap()
    }

    fn sign(&self, header: Value, claims: Value) -> String {
        let b64 = |v: &Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
        };
        let signed = format!("{}.{}", b64(&header), b64(&claims));
        let signature = SigningKey::<Sha256>::new(self.key.clone()).sign(signed.as_bytes());
        format!(
            "{signed}.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    /// A token as the official clients make it: iat now, 64 s of lifetime.
    fn token(&self) -> String {
        let now = chrono::Utc::now().timestamp();
        self.token_with(self.kid(), self.json["account_id"].clone(), now, now + 64)
    }

    fn token_with(&self, kid: &str, iss: Value, iat: i64, exp: i64) -> String {
        self.sign(
            json!({"alg": "RS256", "typ": "JWT", "kid": kid}),
            json!({"iss": iss, "iat": iat, "exp": exp}),
        )
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// How a request carries its parameters.
#[derive(Clone, Copy, Debug)]
enum Transport {
    /// `POST /platform_api/<Method>?params`, no body.
    Query,
    /// `POST /platform_api/<Method>` with a form-encoded body.
    Form,
    /// `POST /platform_api` with a multipart body and `cmd`.
    Multipart,
}

const ALL: [Transport; 3] = [Transport::Query, Transport::Form, Transport::Multipart];

struct Api<'a> {
    sandbox: &'a Sandbox,
    agent: ureq::Agent,
    creds: Creds,
}

impl<'a> Api<'a> {
    fn new(sandbox: &'a Sandbox) -> Self {
        Api {
            sandbox,
            agent: agent(),
            creds: Creds::of(sandbox),
        }
    }

    fn send(
        &self,
        t: Transport,
        method: &str,
        params: &[(&str, &str)],
        token: Option<&str>,
    ) -> (u16, Value) {
        let base = self.sandbox.base_url();
        let form = || {
            let mut s = form_urlencoded::Serializer::new(String::new());
            for (k, v) in params {
                s.append_pair(k, v);
            }
            s.finish()
        };
        let (url, ctype, body) = match t {
            Transport::Query => (
                format!("{base}/platform_api/{method}?{}", form()),
                None,
                Vec::new(),
            ),
            Transport::Form => (
                format!("{base}/platform_api/{method}"),
                Some("application/x-www-form-urlencoded".to_owned()),
                form().into_bytes(),
            ),
            Transport::Multipart => {
                let boundary = "----sandboxtestboundary";
                let mut body = String::new();
                for (k, v) in std::iter::once(&("cmd", method)).chain(params) {
                    body.push_str(&format!(
                        "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                    ));
                }
                body.push_str(&format!("--{boundary}--\r\n"));
                (
                    format!("{base}/platform_api"),
                    Some(format!("multipart/form-data; boundary={boundary}")),
                    body.into_bytes(),
                )
            }
        };
        let mut req = http::Request::builder().method("POST").uri(url);
        if let Some(token) = token {
            req = req.header("Authorization", format!("Bearer {token}"));
        }
        if let Some(c) = ctype {
            req = req.header("Content-Type", c);
        }
        let response = self.agent.run(req.body(body).unwrap()).expect("a response");
        let status = response.status().as_u16();
        let text = response.into_body().read_to_string().unwrap();
        let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        (status, value)
    }

    /// A call with a good token; asserts status 200.
    fn call(&self, t: Transport, method: &str, params: &[(&str, &str)]) -> Value {
        let (status, body) = self.send(t, method, params, Some(&self.creds.token()));
        assert_eq!(status, 200, "{t:?} {method}: {body}");
        body
    }
}

fn error_code(body: &Value) -> i64 {
    body["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("not an error: {body}"))
}

fn start() -> Sandbox {
    Sandbox::builder().start().unwrap()
}

#[test]
fn every_method_works_over_every_transport() {
    let sandbox = start();
    let api = Api::new(&sandbox);
    for t in ALL {
        let name = format!("key_{t:?}");
        let added = api.call(
            t,
            "AddSecret",
            &[
                ("application_id", "1"),
                ("secret_name", &name),
                ("secret_value", "first value & more"),
                ("description", "made by a test"),
            ],
        );
        let id = added["result"]["secret_id"]
            .as_u64()
            .expect("result is an object");
        let listed = api.call(t, "GetSecrets", &[("application_name", "demo-app")]);
        assert_eq!(listed["total_count"], 1, "{listed}");
        assert_eq!(listed["count"], 1);
        let item = &listed["result"][0];
        assert_eq!(item["secret_id"], id);
        assert_eq!(item["secret_name"], name.as_str());
        assert_eq!(item["description"], "made by a test");
        assert!(
            item.get("secret_value").is_none(),
            "a list never holds values"
        );
        let created = item["created"].as_str().unwrap();
        assert!(
            chrono::NaiveDateTime::parse_from_str(created, "%Y-%m-%d %H:%M:%S").is_ok(),
            "{created}"
        );
        assert_eq!(item["modified"], Value::Null);

        let id_s = id.to_string();
        let value = api.call(
            t,
            "GetSecretValue",
            &[("application_id", "1"), ("secret_id", &id_s)],
        );
        assert_eq!(value["result"]["secret_value"], "first value & more");
        assert_eq!(value["result"]["secret_name"], name.as_str());

        let renamed = format!("{name}_2");
        let set = api.call(
            t,
            "SetSecretInfo",
            &[
                ("application_id", "1"),
                ("secret_name", &name),
                ("new_secret_name", &renamed),
                ("secret_value", "second"),
                ("description", "changed"),
            ],
        );
        assert_eq!(set, json!({"result": 1}));
        let value = api.call(
            t,
            "GetSecretValue",
            &[("application_id", "1"), ("secret_name", &renamed)],
        );
        assert_eq!(value["result"]["secret_value"], "second");
        assert_eq!(value["result"]["description"], "changed");
        assert!(value["result"]["modified"].is_string());

        let deleted = api.call(
            t,
            "DelSecret",
            &[("application_id", "1"), ("secret_id", &id_s)],
        );
        assert_eq!(deleted, json!({"result": 1}));
        assert_eq!(sandbox.voximplant_secret_names(1, 1), Some(vec![]));
    }
}

/// A message a person reads (the CLI shows it): what to do is said in words, not by naming
/// another method of the API.
fn says_what_to_do_in_words(msg: &str) {
    for method in [
        "AddSecret",
        "GetSecrets",
        "GetSecretValue",
        "SetSecretInfo",
        "DelSecret",
    ] {
        assert!(!msg.contains(method), "names {method}: {msg}");
    }
}

#[test]
fn every_error_is_a_body_with_its_code_over_every_transport() {
    let sandbox = start();
    let api = Api::new(&sandbox);
    for t in ALL {
        sandbox.inject(Fault::status(200).times(0)); // no-op: faults stay empty
        let add = |params: &[(&str, &str)]| {
            let mut all = vec![("application_id", "1")];
            all.extend_from_slice(params);
            let (status, body) = api.send(t, "AddSecret", &all, Some(&api.creds.token()));
            assert_eq!(status, 200, "{t:?}: {body}");
            body
        };
        let ok = add(&[("secret_name", "dup"), ("secret_value", "v")]);
        assert!(ok["result"]["secret_id"].is_u64(), "{ok}");
        let cases: Vec<(Value, i64, &str)> = vec![
            (
                add(&[("secret_name", "dup"), ("secret_value", "v")]),
                16,
                "already has a secret named 'dup'",
            ),
            (
                add(&[("secret_name", "1bad"), ("secret_value", "v")]),
                13,
                "starts with a Latin letter",
            ),
            (
                add(&[("secret_name", &"a".repeat(65)), ("secret_value", "v")]),
                13,
                "up to 64",
            ),
            (add(&[("secret_value", "v")]), 12, "secret_name is required"),
            (add(&[("secret_name", "x")]), 12, "secret_value is required"),
            (
                add(&[("secret_name", "big"), ("secret_value", &"v".repeat(8193))]),
                13,
                "at most 8192",
            ),
        ];
        for (body, code, text) in cases {
            assert_eq!(error_code(&body), code, "{t:?}: {body}");
            let msg = body["error"]["msg"].as_str().unwrap();
            assert!(msg.contains(text), "{t:?}: {msg}");
            says_what_to_do_in_words(msg);
        }
        // A value of exactly 8192 characters is fine; a description is cut to 200.
        let long = add(&[
            ("secret_name", "big"),
            ("secret_value", &"é".repeat(8192)),
            ("description", &"d".repeat(250)),
        ]);
        assert!(long["result"]["secret_id"].is_u64(), "{long}");
        let list = api.call(
            t,
            "GetSecrets",
            &[("application_id", "1"), ("secret_name_part", "big")],
        );
        assert_eq!(
            list["result"][0]["description"].as_str().unwrap().len(),
            200
        );

        let tok = api.creds.token();
        let errors = [
            (
                "GetSecrets",
                vec![("application_id", "7")],
                14,
                "no application with id 7",
            ),
            (
                "GetSecrets",
                vec![("application_name", "nope")],
                14,
                "no application named 'nope'",
            ),
            (
                "GetSecrets",
                vec![],
                12,
                "application_id or application_name",
            ),
            (
                "GetSecrets",
                vec![("application_id", "x")],
                13,
                "whole number",
            ),
            (
                "GetSecretValue",
                vec![("application_id", "1"), ("secret_id", "999999")],
                15,
                "no secret with id 999999",
            ),
            (
                "GetSecretValue",
                vec![("application_id", "1"), ("secret_name", "ghost")],
                15,
                "no secret named 'ghost'",
            ),
            (
                "GetSecretValue",
                vec![("application_id", "1")],
                12,
                "secret_id or secret_name",
            ),
            (
                "SetSecretInfo",
                vec![("application_id", "1"), ("secret_name", "ghost")],
                15,
                "no secret named",
            ),
            (
                "SetSecretInfo",
                vec![
                    ("application_id", "1"),
                    ("secret_name", "dup"),
                    ("new_secret_name", "big"),
                ],
                16,
                "already has a secret named 'big'",
            ),
            (
                "DelSecret",
                vec![("application_id", "1"), ("secret_name", "dup;ghost")],
                15,
                "no secret named 'ghost'",
            ),
            (
                "DelSecret",
                vec![("application_id", "1"), ("secret_id", "1;x")],
                13,
                "separated by ';'",
            ),
            (
                "NoSuchMethod",
                vec![("application_id", "1")],
                11,
                "Unknown method 'NoSuchMethod'",
            ),
        ];
        for (method, params, code, text) in errors {
            let (status, body) = api.send(t, method, &params, Some(&tok));
            assert_eq!(status, 200, "{t:?} {method}: {body}");
            assert_eq!(error_code(&body), code, "{t:?} {method}: {body}");
            let msg = body["error"]["msg"].as_str().unwrap();
            assert!(msg.contains(text), "{t:?} {method}: {msg}");
            // An unknown method is answered with the methods there are, by their names.
            if code != 11 {
                says_what_to_do_in_words(msg);
            }
        }
        // A failed DelSecret deleted nothing; then delete all.
        assert_eq!(sandbox.voximplant_secret_names(1, 1).unwrap().len(), 2);
        let all = api.call(
            t,
            "DelSecret",
            &[("application_id", "1"), ("secret_id", "all")],
        );
        assert_eq!(all, json!({"result": 1}));
        assert_eq!(sandbox.voximplant_secret_names(1, 1), Some(vec![]));
    }
}

#[test]
fn tokens_are_checked_like_the_real_api() {
    let sandbox = start();
    let api = Api::new(&sandbox);
    let c = &api.creds;
    let now = chrono::Utc::now().timestamp();
    let iss = c.json["account_id"].clone();
    let good = c.token();
    // Flip one byte of the signature.
    let (head, sig) = good.rsplit_once('.').unwrap();
    let mut sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .unwrap();
    sig[10] ^= 1;
    let bad_sig = format!(
        "{head}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sig)
    );
    let hs256 = c.sign(
        json!({"alg": "HS256", "kid": c.kid()}),
        json!({"iss": iss, "iat": now, "exp": now + 60}),
    );
    let cases: Vec<(Option<String>, i64, &str)> = vec![
        (None, 100, "Authorization failed"),
        (Some(bad_sig), 100, "signature does not match"),
        (
            Some(c.token_with("other-key-id", iss.clone(), now, now + 60)),
            100,
            "key id",
        ),
        (
            Some(c.token_with(c.kid(), json!(2), now, now + 60)),
            100,
            "nor one of its child accounts",
        ),
        (Some("not.a-jwt".into()), 447, "three dot-separated parts"),
        (Some("a.b.c".into()), 447, "Invalid token format"),
        (Some(hs256), 447, "RS256"),
        (
            Some(c.token_with(c.kid(), iss.clone(), now, now + 3601)),
            454,
            "Invalid token lifetime",
        ),
        (
            Some(c.token_with(c.kid(), iss.clone(), now, now)),
            454,
            "Invalid token lifetime",
        ),
        (
            Some(c.token_with(c.kid(), iss.clone(), now + 300, now + 360)),
            455,
            "issued in the future",
        ),
        (
            Some(c.token_with(c.kid(), iss.clone(), now - 120, now - 60)),
            456,
            "Token expired",
        ),
    ];
    for t in ALL {
        for (token, code, text) in &cases {
            let (status, body) = api.send(
                t,
                "GetSecrets",
                &[("application_id", "1")],
                token.as_deref(),
            );
            assert_eq!(status, 200, "{t:?}: {body}");
            assert_eq!(error_code(&body), *code, "{t:?} {token:?}: {body}");
            assert!(
                body["error"]["msg"].as_str().unwrap().contains(text),
                "{body}"
            );
        }
    }
    // The whole hour, a small skew, and a numeric string iss are fine.
    for token in [
        c.token_with(c.kid(), iss.clone(), now, now + 3600),
        c.token_with(c.kid(), iss.clone(), now + 10, now + 70),
        c.token_with(c.kid(), json!("1"), now - 5, now + 24),
    ] {
        let (_, body) = api.send(
            Transport::Form,
            "GetSecrets",
            &[("application_id", "1")],
            Some(&token),
        );
        assert_eq!(body["total_count"], 0, "{body}");
    }
    // A token of another sandbox (same process, so maybe the same key) has another key id.
    let other = start();
    let other_token = Creds::of(&other).token();
    let (_, body) = api.send(
        Transport::Form,
        "GetSecrets",
        &[("application_id", "1")],
        Some(&other_token),
    );
    assert_eq!(error_code(&body), 100, "{body}");
}

#[test]
fn pagination_over_250_secrets() {
    let sandbox = start();
    let api = Api::new(&sandbox);
    for i in 0..250 {
        let name = format!("s{i:03}");
        let body = api.call(
            Transport::Form,
            "AddSecret",
            &[
                ("application_id", "1"),
                ("secret_name", &name),
                ("secret_value", "v"),
            ],
        );
        assert!(body["result"]["secret_id"].is_u64(), "{body}");
    }
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let off = offset.to_string();
        let page = api.call(
            Transport::Multipart,
            "GetSecrets",
            &[("application_id", "1"), ("count", "100"), ("offset", &off)],
        );
        assert_eq!(page["total_count"], 250);
        let items = page["result"].as_array().unwrap();
        assert_eq!(page["count"], items.len());
        if items.is_empty() {
            break;
        }
        seen.extend(
            items
                .iter()
                .map(|s| s["secret_name"].as_str().unwrap().to_owned()),
        );
        offset += items.len();
    }
    let expected: Vec<String> = (0..250).map(|i| format!("s{i:03}")).collect();
    assert_eq!(seen, expected);
    // The default page is 20; a filter counts only what matches.
    let page = api.call(Transport::Query, "GetSecrets", &[("application_id", "1")]);
    assert_eq!(page["count"], 20);
    let page = api.call(
        Transport::Query,
        "GetSecrets",
        &[("application_id", "1"), ("secret_name_part", "s24")],
    );
    assert_eq!(page["total_count"], 10);
    let (_, body) = api.send(
        Transport::Form,
        "GetSecrets",
        &[("application_id", "1"), ("count", "0")],
        Some(&api.creds.token()),
    );
    assert_eq!(error_code(&body), 13, "{body}");
}

#[test]
fn array_results_as_the_node_client_expects() {
    let sandbox = Sandbox::builder()
        .voximplant_array_results(true)
        .start()
        .unwrap();
    let api = Api::new(&sandbox);
    let added = api.call(
        Transport::Multipart,
        "AddSecret",
        &[
            ("application_id", "1"),
            ("secret_name", "n"),
            ("secret_value", "v"),
        ],
    );
    let id = added["result"][0]["secret_id"]
        .as_u64()
        .expect("a list of one");
    assert_eq!(added["result"].as_array().unwrap().len(), 1);
    let value = api.call(
        Transport::Multipart,
        "GetSecretValue",
        &[("application_id", "1"), ("secret_id", &id.to_string())],
    );
    assert_eq!(value["result"][0]["secret_value"], "v");
    // The others are unchanged.
    let list = api.call(
        Transport::Multipart,
        "GetSecrets",
        &[("application_id", "1")],
    );
    assert_eq!(list["result"][0]["secret_id"], id);
}

#[test]
fn faults_apply_to_the_voximplant_methods() {
    let sandbox = start();
    let api = Api::new(&sandbox);
    sandbox.inject(Fault::status(503).retry_after(2).on(Operation::AddSecret));
    sandbox.inject(Fault::invalid_json().on(Operation::GetSecrets));
    // GetSecrets first: the AddSecret fault is not for it.
    let tok = api.creds.token();
    let url = format!(
        "{}/platform_api/GetSecrets?application_id=1",
        sandbox.base_url()
    );
    let r = api
        .agent
        .post(&url)
        .header("Authorization", &format!("Bearer {tok}"))
        .send_empty()
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.into_body().read_to_string().unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    let (status, body) = api.send(
        Transport::Multipart,
        "AddSecret",
        &[
            ("application_id", "1"),
            ("secret_name", "n"),
            ("secret_value", "v"),
        ],
        Some(&tok),
    );
    assert_eq!(status, 503);
    assert_eq!(error_code(&body), 503);
    assert_eq!(
        sandbox.voximplant_secret_names(1, 1),
        Some(vec![]),
        "the state is untouched"
    );
    // Used up: the next AddSecret works.
    let ok = api.call(
        Transport::Multipart,
        "AddSecret",
        &[
            ("application_id", "1"),
            ("secret_name", "n"),
            ("secret_value", "v"),
        ],
    );
    assert!(ok["result"]["secret_id"].is_u64());
    sandbox.inject(Fault::close_connection().on(Operation::DelSecret));
    let url = format!("{}/platform_api/DelSecret", sandbox.base_url());
    let r = api
        .agent
        .post(&url)
        .header("Authorization", &format!("Bearer {tok}"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send("application_id=1&secret_id=all");
    assert!(r.is_err(), "the connection was closed");
    let log = sandbox.requests();
    let ops: Vec<_> = log
        .iter()
        .map(|r| (r.operation, r.status, r.fault.clone()))
        .collect();
    assert_eq!(
        ops,
        vec![
            (
                Some(Operation::GetSecrets),
                Some(200),
                Some(FaultKind::InvalidJson)
            ),
            (
                Some(Operation::AddSecret),
                Some(503),
                Some(FaultKind::Status {
                    status: 503,
                    retry_after: Some(2)
                })
            ),
            (Some(Operation::AddSecret), Some(200), None),
            (
                Some(Operation::DelSecret),
                None,
                Some(FaultKind::CloseConnection)
            ),
        ]
    );
}

#[test]
fn the_control_api_injects_faults_for_voximplant_methods() {
    let sandbox = start();
    let api = Api::new(&sandbox);
    let url = format!("{}/_sandbox/faults", sandbox.base_url());
    let bearer = format!("Bearer {}", sandbox.control_token());
    let r = api
        .agent
        .post(&url)
        .header("Authorization", &bearer)
        .header("Content-Type", "application/json")
        .send(r#"{"kind": "status", "status": 502, "operation": "DelSecret"}"#)
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = api
        .agent
        .post(&url)
        .header("Authorization", &bearer)
        .header("Content-Type", "application/json")
        .send(r#"{"kind": "hang", "operation": "Rotate"}"#)
        .unwrap();
    assert_eq!(r.status(), 400);
    let text = r.into_body().read_to_string().unwrap();
    assert!(text.contains("GetSecretValue"), "{text}");
    let (status, _) = api.send(
        Transport::Query,
        "GetSecrets",
        &[("application_id", "1")],
        Some(&api.creds.token()),
    );
    assert_eq!(status, 200);
    let (status, body) = api.send(
        Transport::Query,
        "DelSecret",
        &[("application_id", "1"), ("secret_id", "all")],
        Some(&api.creds.token()),
    );
    assert_eq!(status, 502, "{body}");
}

#[test]
fn the_request_log_never_holds_a_value_or_a_token() {
    let sandbox = Sandbox::builder().tls(true).start().unwrap();
    let ca = sandbox.ca_certificate_pem().unwrap().to_owned();
    let api = Api {
        sandbox: &sandbox,
        agent: ureq::Agent::config_builder()
            .http_status_as_error(false)
            .tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::new_with_certs(&[
                        ureq::tls::Certificate::from_pem(ca.as_bytes()).unwrap(),
                    ]))
                    .build(),
            )
            .build()
            .into(),
        creds: Creds::of(&sandbox),
    };
    let token = api.creds.token();
    for t in ALL {
        let name = format!("n{t:?}");
        let (_, body) = api.send(
            t,
            "AddSecret",
            &[
                ("application_id", "1"),
                ("secret_name", &name),
                ("secret_value", "VALUE-in-query-XYZ"),
            ],
            Some(&token),
        );
        assert!(body["result"]["secret_id"].is_u64(), "{body}");
    }
    let log = format!("{:?}", sandbox.requests());
    assert!(!log.contains("VALUE-in-query-XYZ"), "{log}");
    assert!(!log.contains(&token[..20]), "{log}");
    assert!(log.contains("/platform_api/AddSecret"), "{log}");
    // The query is not in the path.
    assert!(sandbox.requests().iter().all(|r| !r.path.contains('?')));
    // Nor in the control API's state.
    let state = api
        .agent
        .get(&format!("{}/_sandbox/state", sandbox.base_url()))
        .header(
            "Authorization",
            &format!("Bearer {}", sandbox.control_token()),
        )
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    assert!(!state.contains("VALUE-in-query-XYZ"), "{state}");
    assert!(!state.contains("PRIVATE KEY"), "{state}");
    assert!(
        state.contains("nQuery"),
        "the state names the secrets: {state}"
    );
}

#[test]
fn other_methods_and_bodies_get_clear_errors() {
    let sandbox = start();
    let api = Api::new(&sandbox);
    let url = format!("{}/platform_api/GetSecrets", sandbox.base_url());
    let r = api.agent.get(&url).call().unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers().get("allow").unwrap(), "POST");
    let r = api
        .agent
        .post(&url)
        .header("Authorization", &format!("Bearer {}", api.creds.token()))
        .header("Content-Type", "application/json")
        .send("{}")
        .unwrap();
    let body: Value = serde_json::from_str(&r.into_body().read_to_string().unwrap()).unwrap();
    assert_eq!(error_code(&body), 17);
    assert!(
        body["error"]["msg"].as_str().unwrap().contains("as a form"),
        "{body}"
    );
    let (_, body) = api.send(Transport::Multipart, "", &[("application_id", "1")], None);
    assert_eq!(error_code(&body), 11, "{body}");
}

#[test]
fn builder_accounts_and_applications() {
    let sandbox = Sandbox::builder()
        .voximplant_account(42, "ops@example.com")
        .voximplant_application(42, 7, "billing")
        .voximplant_application(1, 2, "second-demo-app")
        .start()
        .unwrap();
    let creds: Value = serde_json::from_str(
        sandbox
            .voximplant_credentials_json_of(42)
            .unwrap()
            .expose_secret(),
    )
    .unwrap();
    assert_eq!(creds["account_id"], 42);
    assert_eq!(creds["account_email"], "ops@example.com");
    assert_eq!(sandbox.voximplant_secret_names(42, 7), Some(vec![]));
    assert_eq!(sandbox.voximplant_secret_names(1, 2), Some(vec![]));
    assert_eq!(sandbox.voximplant_secret_names(42, 1), None);
    assert!(format!("{sandbox:?}").find("PRIVATE").is_none());
    for bad in [
        Sandbox::builder().voximplant_application(9, 1, "x"),
        Sandbox::builder().voximplant_application(1, 1, "other"),
        Sandbox::builder().voximplant_account(1, "again@example.com"),
    ] {
        let e = bad.start().unwrap_err().to_string();
        assert!(e.contains("Voximplant account"), "{e}");
    }
}
