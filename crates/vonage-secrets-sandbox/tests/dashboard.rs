//! The dashboard and the control API over HTTP: cookie flags, CSRF refusals, credentials
//! never taken from a URL, the control token, and no secret's value in any response body.

mod common;

use std::sync::Arc;

use common::*;
use serde_json::{Value, json};
use vonage_secrets_sandbox::{Fault, Sandbox};

/// An agent that does not follow redirects (to see the sign-in's 303 and its cookies).
fn browserish(ca: Option<&str>) -> ureq::Agent {
    let mut config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0);
    if let Some(pem) = ca {
        let cert = ureq::tls::Certificate::from_pem(pem.as_bytes()).unwrap();
        config = config.tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![cert])))
                .build(),
        );
    }
    config.build().into()
}

fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, Vec<u8>)>,
) -> Reply {
    let mut req = http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let response = match body {
        None => agent.run(req.body(()).unwrap()),
        Some((ctype, bytes)) => agent.run(req.header("Content-Type", ctype).body(bytes).unwrap()),
    }
    .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().read_to_string().unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

fn set_cookies(r: &Reply) -> Vec<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

fn cookie_value(r: &Reply, name: &str) -> Option<String> {
    set_cookies(r).iter().find_map(|c| {
        let (pair, _) = c.split_once(';').unwrap_or((c, ""));
        let (k, v) = pair.split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_owned())
    })
}

fn form(fields: &[(&str, &str)]) -> Option<(&'static str, Vec<u8>)> {
    let encoded: Vec<String> = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect();
    Some((
        "application/x-www-form-urlencoded",
        encoded.join("&").into_bytes(),
    ))
}

/// The sign-in page's nonce (its cookie and its hidden field hold the same value).
fn nonce(agent: &ureq::Agent, sb: &Sandbox) -> String {
    let page = send(agent, "GET", &sb.dashboard_url(), &[], None);
    assert_eq!(page.status, 200);
    let from_cookie = cookie_value(&page, "vss_login").expect("a sign-in nonce cookie");
    assert!(
        page.body
            .contains(&format!("name=\"login_nonce\" value=\"{from_cookie}\"")),
        "{}",
        page.body
    );
    from_cookie
}

/// A signed-in session: its cookie header and its CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

fn sign_in(agent: &ureq::Agent, sb: &Sandbox, key: &str, secret: &str) -> (Reply, Option<Session>) {
    let nonce = nonce(agent, sb);
    let origin = sb.base_url().to_owned();
    let reply = send(
        agent,
        "POST",
        &format!("{}/login", sb.dashboard_url()),
        &[
            ("Cookie", &format!("vss_login={nonce}")),
            ("Origin", &origin),
        ],
        form(&[
            ("login_nonce", &nonce),
            ("api_key", key),
            ("api_secret", secret),
        ]),
    );
    let Some(id) = cookie_value(&reply, "vss_session") else {
        return (reply, None);
    };
    let cookie = format!("vss_session={id}");
    let page = send(
        agent,
        "GET",
        &sb.dashboard_url(),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(page.status, 200);
    let csrf = page
        .body
        .split("name=\"csrf-token\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page holds its CSRF token")
        .to_owned();
    (reply, Some(Session { cookie, csrf }))
}

fn token_header(sb: &Sandbox) -> String {
    format!("Bearer {}", sb.control_token())
}

fn control(
    agent: &ureq::Agent,
    sb: &Sandbox,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Reply {
    let url = format!("{}/_sandbox/{path}", sb.base_url());
    let auth = token_header(sb);
    send(
        agent,
        method,
        &url,
        &[("Authorization", &auth)],
        body.map(|b| ("application/json", serde_json::to_vec(&b).unwrap())),
    )
}

#[test]
fn sign_in_sets_a_strict_http_only_session_cookie() {
    let sb = sandbox();
    let a = browserish(None);
    let (reply, session) = sign_in(&a, &sb, KEY, SECRET);
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(reply.header("location"), Some("/dashboard"));
    let session_cookie = set_cookies(&reply)
        .into_iter()
        .find(|c| c.starts_with("vss_session="))
        .unwrap();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(session_cookie.contains(flag), "{session_cookie}");
    }
    assert!(
        !session_cookie.contains("Secure"),
        "plain http: {session_cookie}"
    );
    let session = session.unwrap();

    // The page of the signed-in account, and the state it may see: itself and its secondary.
    let page = send(
        &a,
        "GET",
        &sb.dashboard_url(),
        &[("Cookie", &session.cookie)],
        None,
    );
    assert!(page.body.contains("Signed in as"), "{}", page.body);
    assert_eq!(
        page.header("content-security-policy")
            .map(|c| c.contains("default-src 'none'")),
        Some(true)
    );
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    let url = format!("{}/_sandbox/state", sb.base_url());
    let state = send(&a, "GET", &url, &[("Cookie", &session.cookie)], None).json();
    assert_eq!(state["signed_in_as"], KEY);
    let keys: Vec<&str> = state["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["api_key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, [KEY, SUB]);

    // A secondary account sees only itself; wrong credentials get the API's words.
    let (_, sub) = sign_in(&a, &sb, SUB, SUB_SECRET);
    let state = send(&a, "GET", &url, &[("Cookie", &sub.unwrap().cookie)], None).json();
    assert_eq!(state["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(state["accounts"][0]["api_key"], SUB);
    let (wrong, none) = sign_in(&a, &sb, KEY, "Wrong-Secret-1");
    assert!(none.is_none());
    assert_eq!(wrong.status, 401);
    assert!(
        wrong
            .body
            .contains("You did not provide correct credentials.")
    );
    assert!(!wrong.body.contains("Wrong-Secret-1"));

    // Sign-out ends the session.
    let out = send(
        &a,
        "POST",
        &format!("{}/logout", sb.dashboard_url()),
        &[("Cookie", &session.cookie), ("Origin", sb.base_url())],
        form(&[("csrf", &session.csrf)]),
    );
    assert_eq!(out.status, 303);
    assert!(
        set_cookies(&out)
            .iter()
            .any(|c| c.starts_with("vss_session=;") && c.contains("Max-Age=0"))
    );
    assert_eq!(
        send(&a, "GET", &url, &[("Cookie", &session.cookie)], None).status,
        401
    );
}

#[test]
fn under_tls_the_cookies_are_secure() {
    let sb = Sandbox::builder()
        .account(KEY, SECRET)
        .tls(true)
        .start()
        .unwrap();
    let a = browserish(sb.ca_certificate_pem());
    assert!(sb.dashboard_url().starts_with("https://"));
    let page = send(&a, "GET", &sb.dashboard_url(), &[], None);
    assert!(set_cookies(&page).iter().all(|c| c.contains("; Secure")));
    let (reply, session) = sign_in(&a, &sb, KEY, SECRET);
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert!(session.is_some());
    let session_cookie = set_cookies(&reply)
        .into_iter()
        .find(|c| c.starts_with("vss_session="))
        .unwrap();
    assert!(session_cookie.contains("; Secure"), "{session_cookie}");
    assert!(session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Strict"));
}

#[test]
fn cross_site_requests_are_refused() {
    let sb = sandbox();
    let a = browserish(None);
    let session = sign_in(&a, &sb, KEY, SECRET).1.unwrap();
    let faults = format!("{}/_sandbox/faults", sb.base_url());
    let fault = || Some(("application/json", br#"{"kind": "hang"}"#.to_vec()));
    let own = sb.base_url().to_owned();
    for headers in [
        vec![("Cookie", session.cookie.as_str())],
        vec![
            ("Cookie", session.cookie.as_str()),
            ("X-CSRF-Token", "0123"),
        ],
        vec![
            ("Cookie", session.cookie.as_str()),
            ("X-CSRF-Token", session.csrf.as_str()),
            ("Origin", "http://evil.example"),
        ],
        vec![
            ("Cookie", session.cookie.as_str()),
            ("X-CSRF-Token", session.csrf.as_str()),
            ("Sec-Fetch-Site", "cross-site"),
        ],
    ] {
        let r = send(&a, "POST", &faults, &headers, fault());
        assert_eq!(r.status, 403, "{headers:?}: {}", r.body);
        assert!(
            r.json()["detail"]
                .as_str()
                .unwrap()
                .contains("Cross-site request refused")
        );
    }
    assert_eq!(
        control(&a, &sb, "GET", "faults", None).json()["faults"],
        json!([])
    );
    let id = sb.secrets_of(KEY).unwrap()[0].id.clone();
    let revoke = format!("{}/_sandbox/accounts/{KEY}/secrets/{id}", sb.base_url());
    assert_eq!(
        send(&a, "DELETE", &revoke, &[("Cookie", &session.cookie)], None).status,
        403
    );
    // Sign-out needs the token too; the session lives on.
    let logout = format!("{}/logout", sb.dashboard_url());
    let r = send(
        &a,
        "POST",
        &logout,
        &[("Cookie", &session.cookie)],
        form(&[("csrf", "x")]),
    );
    assert_eq!(r.status, 403);
    let state = format!("{}/_sandbox/state", sb.base_url());
    assert_eq!(
        send(&a, "GET", &state, &[("Cookie", &session.cookie)], None).status,
        200
    );
    // A sign-in form from elsewhere: no nonce, a wrong one, or another origin.
    let login = format!("{}/login", sb.dashboard_url());
    let good = nonce(&a, &sb);
    for (cookie, field, origin) in [
        (String::new(), good.clone(), own.clone()),
        (format!("vss_login={good}"), "other".to_owned(), own.clone()),
        (
            format!("vss_login={good}"),
            good.clone(),
            "http://evil.example".to_owned(),
        ),
    ] {
        let r = send(
            &a,
            "POST",
            &login,
            &[("Cookie", &cookie), ("Origin", &origin)],
            form(&[
                ("login_nonce", &field),
                ("api_key", KEY),
                ("api_secret", SECRET),
            ]),
        );
        assert_eq!(r.status, 403, "{cookie} {field} {origin}");
        assert!(cookie_value(&r, "vss_session").is_none());
    }
    // With everything in order the change goes through.
    let r = send(
        &a,
        "POST",
        &faults,
        &[
            ("Cookie", &session.cookie),
            ("X-CSRF-Token", &session.csrf),
            ("Origin", &own),
        ],
        Some((
            "application/json",
            br#"{"kind": "status", "status": 500}"#.to_vec(),
        )),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        Client::new(sb.base_url(), KEY, SECRET).list(KEY).status,
        500
    );
}

#[test]
fn credentials_are_never_taken_from_a_url() {
    let sb = sandbox();
    let a = browserish(None);
    let good = nonce(&a, &sb);
    let url = format!(
        "{}/login?api_key={KEY}&api_secret={SECRET}&login_nonce={good}",
        sb.dashboard_url()
    );
    let r = send(
        &a,
        "POST",
        &url,
        &[
            ("Cookie", &format!("vss_login={good}")),
            ("Origin", sb.base_url()),
        ],
        form(&[("login_nonce", &good)]),
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("never taken from a URL"), "{}", r.body);
    assert!(cookie_value(&r, "vss_session").is_none());
    // Nor does a GET sign anyone in.
    let r = send(
        &a,
        "GET",
        &format!("{}?api_key={KEY}&api_secret={SECRET}", sb.dashboard_url()),
        &[],
        None,
    );
    assert!(cookie_value(&r, "vss_session").is_none());
    assert!(r.body.contains("sign-in-form"));
    // The control token is never read from a URL either.
    let r = send(
        &a,
        "GET",
        &format!(
            "{}/_sandbox/state?token={}",
            sb.base_url(),
            sb.control_token()
        ),
        &[],
        None,
    );
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
}

#[test]
fn the_control_api_with_its_token() {
    let sb = sandbox();
    let a = browserish(None);
    let seeded: Vec<String> = sb
        .secrets_of(KEY)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    // Without the token, or with another.
    let state = format!("{}/_sandbox/state", sb.base_url());
    assert_eq!(send(&a, "GET", &state, &[], None).status, 401);
    let r = send(&a, "GET", &state, &[("Authorization", "Bearer 0000")], None);
    assert_eq!(r.status, 401);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("control token")
    );
    assert!(!format!("{sb:?}").contains(sb.control_token()));

    // Every account, primaries followed by their secondaries.
    let accounts = control(&a, &sb, "GET", "accounts", None).json();
    let keys: Vec<&str> = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["api_key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, [KEY, SUB, STRANGER]);
    let one = control(&a, &sb, "GET", &format!("accounts/{KEY}"), None).json();
    assert_eq!(one["secondary_api_keys"], json!([SUB]));
    assert_eq!(one["secrets"][0]["id"], seeded[0]);
    assert_eq!(control(&a, &sb, "GET", "accounts/nobody", None).status, 404);

    // Seed an account; its credentials work on the API at once.
    let r = control(
        &a,
        &sb,
        "POST",
        "accounts",
        Some(json!({"api_key": "new00001", "secret": "Seeded-Later-1", "primary_api_key": KEY})),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["primary_api_key"], KEY);
    assert_eq!(
        Client::new(sb.base_url(), "new00001", "Seeded-Later-1")
            .list("new00001")
            .status,
        200
    );
    assert_eq!(
        Client::new(sb.base_url(), KEY, SECRET)
            .list("new00001")
            .status,
        200
    );
    let again = control(
        &a,
        &sb,
        "POST",
        "accounts",
        Some(json!({"api_key": "new00001", "secret": "Seeded-Later-1"})),
    );
    assert_eq!(again.status, 409);
    let weak = control(
        &a,
        &sb,
        "POST",
        "accounts",
        Some(json!({"api_key": "new00002", "secret": "weak"})),
    );
    assert_eq!(weak.status, 400);
    assert_eq!(
        weak.json()["invalid_parameters"][0]["reason"],
        "Does not meet complexity requirements"
    );

    // Secrets: the API's rules and the API's problems.
    let r = control(
        &a,
        &sb,
        "POST",
        &format!("accounts/{KEY}/secrets"),
        Some(json!({"secret": "short"})),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["title"], "Bad Request");
    let r = control(
        &a,
        &sb,
        "POST",
        &format!("accounts/{KEY}/secrets"),
        Some(json!({"secret": "Control-Made-2"})),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let made = r.json()["id"].as_str().unwrap().to_owned();
    let r = control(
        &a,
        &sb,
        "POST",
        &format!("accounts/{KEY}/secrets"),
        Some(json!({"secret": "Control-Made-3"})),
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["title"], "Secret Addition Forbidden");
    assert_eq!(
        control(
            &a,
            &sb,
            "DELETE",
            &format!("accounts/{KEY}/secrets/{made}"),
            None
        )
        .status,
        204
    );
    let r = control(
        &a,
        &sb,
        "DELETE",
        &format!("accounts/{KEY}/secrets/{}", seeded[0]),
        None,
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["title"], "Secret Deletion Forbidden");

    // Faults: inject, list, seen by an API client, clear.
    let r = control(
        &a,
        &sb,
        "POST",
        "faults",
        Some(
            json!({"kind": "status", "status": 429, "retry_after": 3, "operation": "list", "times": 2}),
        ),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["description"], "status 429 with Retry-After 3 s");
    let listed = control(&a, &sb, "GET", "faults", None).json();
    assert_eq!(listed["faults"][0]["remaining"], 2);
    assert_eq!(listed["faults"][0]["operation"], "list");
    let c = Client::new(sb.base_url(), KEY, SECRET);
    let r = c.list(KEY);
    assert_eq!((r.status, r.header("retry-after")), (429, Some("3")));
    assert_eq!(
        control(&a, &sb, "GET", "faults", None).json()["faults"][0]["remaining"],
        1
    );
    for bad in [
        json!({"kind": "status", "status": 99}),
        json!({"kind": "status"}),
        json!({"kind": "teapot"}),
        json!({"kind": "hang", "operation": "rotate"}),
        json!({"kind": "hang", "times": 0}),
        json!({"kind": "hang", "times": 2, "always": true}),
        json!({"kind": "delay", "delay_ms": 3_600_000}),
    ] {
        let r = control(&a, &sb, "POST", "faults", Some(bad.clone()));
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
    assert_eq!(control(&a, &sb, "DELETE", "faults", None).status, 204);
    assert_eq!(c.list(KEY).status, 200);

    // The request log, then clearing it.
    let log = control(&a, &sb, "GET", "requests", None).json();
    let entries = log["requests"].as_array().unwrap();
    assert!(entries.len() >= 4, "{log}");
    assert_eq!(entries[0]["status"], 200);
    assert_eq!(entries[0]["account"], "new00001");
    assert!(
        entries
            .iter()
            .any(|e| e["fault"] == "status 429 with Retry-After 3 s")
    );
    assert_eq!(control(&a, &sb, "DELETE", "requests", None).status, 204);
    assert!(sb.requests().is_empty());

    // Reset: the seeded accounts and secrets, the same ids; no faults, an empty log.
    sb.inject(Fault::hang().always());
    assert_eq!(control(&a, &sb, "POST", "reset", None).status, 204);
    let ids: Vec<String> = sb
        .secrets_of(KEY)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, seeded);
    assert!(sb.secrets_of("new00001").is_none());
    assert_eq!(c.list(KEY).status, 200, "the fault is gone");

    // A session may not seed nor reset, and sees only its accounts.
    let session = sign_in(&a, &sb, SUB, SUB_SECRET).1.unwrap();
    let own = sb.base_url().to_owned();
    let headers = [
        ("Cookie", session.cookie.as_str()),
        ("X-CSRF-Token", session.csrf.as_str()),
        ("Origin", own.as_str()),
    ];
    let reset = format!("{}/_sandbox/reset", sb.base_url());
    assert_eq!(send(&a, "POST", &reset, &headers, None).status, 403);
    let key_url = format!("{}/_sandbox/accounts/{KEY}", sb.base_url());
    assert_eq!(send(&a, "GET", &key_url, &headers, None).status, 404);
}

#[test]
fn no_secret_is_ever_in_a_response_body() {
    let sb = sandbox();
    let a = browserish(None);
    let mut secrets = vec![
        SECRET.to_owned(),
        SUB_SECRET.to_owned(),
        STRANGER_SECRET.to_owned(),
    ];
    let mut bodies = Vec::new();
    // Made through the API, the control token and a session.
    let c = Client::new(sb.base_url(), KEY, SECRET);
    bodies.push(c.create(SUB, "Via-The-Api-22").body);
    secrets.push("Via-The-Api-22".into());
    let r = control(
        &a,
        &sb,
        "POST",
        &format!("accounts/{KEY}/secrets"),
        Some(json!({"secret": "Via-Control-33"})),
    );
    bodies.push(r.body);
    secrets.push("Via-Control-33".into());
    let r = control(
        &a,
        &sb,
        "POST",
        "accounts",
        Some(json!({"api_key": "seed0001", "secret": "Via-Seeding-44"})),
    );
    bodies.push(r.body);
    secrets.push("Via-Seeding-44".into());
    let (login, session) = sign_in(&a, &sb, STRANGER, STRANGER_SECRET);
    bodies.push(login.body);
    let session = session.unwrap();
    let own = sb.base_url().to_owned();
    let headers = [
        ("Cookie", session.cookie.as_str()),
        ("X-CSRF-Token", session.csrf.as_str()),
        ("Origin", own.as_str()),
    ];
    let url = format!("{}/_sandbox/accounts/{STRANGER}/secrets", sb.base_url());
    let r = send(
        &a,
        "POST",
        &url,
        &headers,
        Some((
            "application/json",
            br#"{"secret": "Via-Session-55"}"#.to_vec(),
        )),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    bodies.push(r.body);
    secrets.push("Via-Session-55".into());
    // A refused one too.
    bodies.push(
        send(
            &a,
            "POST",
            &url,
            &headers,
            Some((
                "application/json",
                br#"{"secret": "Refused-Third-66"}"#.to_vec(),
            )),
        )
        .body,
    );
    secrets.push("Refused-Third-66".into());

    // Everything there is to read.
    for path in [
        "state",
        "accounts",
        &format!("accounts/{KEY}"),
        "requests",
        "faults",
    ] {
        bodies.push(control(&a, &sb, "GET", path, None).body);
        let url = format!("{}/_sandbox/{path}", sb.base_url());
        bodies.push(send(&a, "GET", &url, &headers, None).body);
    }
    bodies.push(
        send(
            &a,
            "GET",
            &sb.dashboard_url(),
            &[("Cookie", &session.cookie)],
            None,
        )
        .body,
    );
    bodies.push(send(&a, "GET", &sb.dashboard_url(), &[], None).body);
    for asset in ["dashboard.js", "dashboard.css"] {
        bodies.push(
            send(
                &a,
                "GET",
                &format!("{}/{asset}", sb.dashboard_url()),
                &[],
                None,
            )
            .body,
        );
    }
    assert!(bodies.iter().all(|b| !b.is_empty()));
    for body in &bodies {
        for secret in &secrets {
            assert!(!body.contains(secret.as_str()), "{secret} in {body}");
        }
        assert!(!body.contains(sb.control_token()), "the token in {body}");
    }
}

#[test]
fn dashboard_and_control_take_no_faults_and_stay_out_of_the_request_log() {
    let sb = sandbox();
    let a = browserish(None);
    sb.inject(Fault::close_connection().always());
    assert_eq!(send(&a, "GET", &sb.dashboard_url(), &[], None).status, 200);
    assert_eq!(control(&a, &sb, "GET", "state", None).status, 200);
    assert!(sb.requests().is_empty());
    sb.clear_faults();
    assert_eq!(
        Client::new(sb.base_url(), KEY, SECRET).list(KEY).status,
        200
    );
    assert_eq!(sb.requests().len(), 1);
}

#[test]
fn unknown_routes_stay_404_problems() {
    let sb = sandbox();
    let a = browserish(None);
    for path in [
        "/_sandbox/nope",
        "/_sandbox/accounts/x/y/z/w",
        "/dashboard/nope",
        "/dashboardx",
        "/_sandbox",
    ] {
        let url = format!("{}{path}", sb.base_url());
        let auth = token_header(&sb);
        let r = send(&a, "GET", &url, &[("Authorization", &auth)], None);
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.json()["title"], "Not Found");
    }
    let r = control(&a, &sb, "GET", "reset", None);
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("POST"));
}

#[test]
fn the_page_loads_nothing_from_elsewhere() {
    let sb = sandbox();
    let a = browserish(None);
    let session = sign_in(&a, &sb, KEY, SECRET).1.unwrap();
    let page = send(
        &a,
        "GET",
        &sb.dashboard_url(),
        &[("Cookie", &session.cookie)],
        None,
    );
    let csp = page.header("content-security-policy").unwrap().to_owned();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    let mut served = vec![page.body.clone()];
    for (asset, ctype) in [
        ("dashboard.js", "text/javascript; charset=utf-8"),
        ("dashboard.css", "text/css; charset=utf-8"),
    ] {
        let r = send(
            &a,
            "GET",
            &format!("{}/{asset}", sb.dashboard_url()),
            &[],
            None,
        );
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some(ctype));
        served.push(r.body);
    }
    for body in &served {
        for outside in ["http://", "https://", "//cdn", "@import"] {
            assert!(!body.contains(outside), "{outside} in {body}");
        }
    }
    // Every script and stylesheet the page names is one the sandbox serves.
    for reference in [
        "src=\"/dashboard/dashboard.js\"",
        "href=\"/dashboard/dashboard.css\"",
    ] {
        assert!(page.body.contains(reference), "{}", page.body);
    }
}

/// Sends a request whose body arrives after its head (as a client that writes them apart
/// may), then a second request on the same connection, and returns both answers' status
/// lines and whether the first said it closes the connection.
fn refused_then_reused(sb: &Sandbox, head: &str, body: &str) -> (String, String) {
    use std::io::{BufRead, BufReader, Read, Write};
    let addr = sb.base_url().trim_start_matches("http://").to_owned();
    let stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let read_answer = |reader: &mut BufReader<std::net::TcpStream>| -> String {
        let mut status = String::new();
        if reader.read_line(&mut status).unwrap_or(0) == 0 {
            return "closed".to_owned();
        }
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        reader.read_exact(&mut vec![0; length]).unwrap();
        status.trim_end().to_owned()
    };
    writer
        .write_all(
            format!(
                "{head}Host: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        )
        .unwrap();
    writer.flush().unwrap();
    // Long enough for a server that answers without reading the body to have answered.
    std::thread::sleep(std::time::Duration::from_millis(300));
    writer.write_all(body.as_bytes()).unwrap();
    let first = read_answer(&mut reader);
    let second = match writer
        .write_all(format!("GET /_sandbox/state HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
    {
        Ok(()) => read_answer(&mut reader),
        Err(_) => "closed".to_owned(),
    };
    (first, second)
}

#[test]
fn a_refused_request_leaves_its_connection_usable() {
    // The control API refuses these before it needs their bodies; it reads them anyway, so
    // that a client keeping the connection for its next request is not cut off.
    let sb = sandbox();
    let fault = r#"{"kind": "hang"}"#;
    let (first, second) = refused_then_reused(&sb, "POST /_sandbox/faults HTTP/1.1\r\n", fault);
    assert!(first.starts_with("HTTP/1.1 401"), "{first}");
    assert!(
        second.starts_with("HTTP/1.1 401"),
        "the connection was closed: {second}"
    );

    let a = browserish(None);
    let session = sign_in(&a, &sb, KEY, SECRET).1.unwrap();
    let head = format!(
        "POST /_sandbox/faults HTTP/1.1\r\nCookie: {}\r\nX-CSRF-Token: wrong\r\n",
        session.cookie
    );
    let (first, second) = refused_then_reused(&sb, &head, fault);
    assert!(first.starts_with("HTTP/1.1 403"), "{first}");
    assert!(
        second.starts_with("HTTP/1.1 401"),
        "the connection was closed: {second}"
    );
    assert_eq!(
        control(&a, &sb, "GET", "faults", None).json()["faults"],
        json!([])
    );
}

#[test]
fn a_body_too_large_to_read_closes_the_connection_and_says_so() {
    // Declared larger than the sandbox reads, and not sent: the answer comes without it, and
    // says the connection ends (its unread body could not be told from the next request).
    use std::io::{Read, Write};
    let sb = sandbox();
    let addr = sb.base_url().trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST /_sandbox/faults HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n",
        token_header(&sb)
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("\r\nconnection: close\r\n"),
        "{answer}"
    );
}
