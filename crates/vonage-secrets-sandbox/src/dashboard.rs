//! The dashboard at `/dashboard`: a sign-in page, and for a signed-in account a page that
//! shows and changes the sandbox's state through the control API (`/_sandbox/`). HTML, CSS and
//! JavaScript are embedded in the binary; the page loads nothing from anywhere else.
//!
//! Sign-in takes an api key and one of its current secrets from a form's body (never from a
//! URL), checked as the API checks Basic credentials. The session cookie is `HttpOnly`,
//! `SameSite=Strict` and, under TLS, `Secure`. Every state-changing form carries a token that
//! a page of another site cannot know (the sign-in form a nonce also set as a cookie, the
//! others the session's CSRF token), and its `Origin` must be the sandbox's.

use std::sync::Arc;

use bytes::Bytes;
use http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, REFERRER_POLICY, SET_COOKIE,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use http::{HeaderMap, Method, Request, Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};

use crate::control::{self, SESSION_COOKIE};
use crate::reply::{self, Abort, Body, BodyRead, Reply, RequestBody};
use crate::shared::Shared;
use crate::wire::Problem;

/// The page's path.
pub(crate) const PATH: &str = "/dashboard";
/// The sign-in form's nonce cookie.
const LOGIN_COOKIE: &str = "vss_login";

const CSS: &str = include_str!("../assets/dashboard.css");
const JS: &str = include_str!("../assets/dashboard.js");
const APP: &str = include_str!("../assets/dashboard.html");

/// Nothing but the sandbox's own scripts, styles and requests; no framing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// `s` with the characters that mean something in HTML replaced by entities.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn cookie(shared: &Shared, name: &str, value: &str, path: &str, max_age: Option<u32>) -> String {
    let mut c = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if shared.tls {
        c.push_str("; Secure");
    }
    c
}

fn secure_headers(headers: &mut HeaderMap) {
    use http::HeaderValue as V;
    headers.insert(CACHE_CONTROL, V::from_static("no-store"));
    headers.insert(CONTENT_SECURITY_POLICY, V::from_static(CSP));
    headers.insert(X_FRAME_OPTIONS, V::from_static("DENY"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, V::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, V::from_static("same-origin"));
}

fn response(
    status: StatusCode,
    content_type: &'static str,
    body: Bytes,
    cookies: &[String],
    location: Option<&'static str>,
) -> Response<Body> {
    let mut r = Response::new(Body::Whole(Some(body)));
    *r.status_mut() = status;
    let headers = r.headers_mut();
    headers.insert(CONTENT_TYPE, http::HeaderValue::from_static(content_type));
    secure_headers(headers);
    for c in cookies {
        if let Ok(v) = http::HeaderValue::from_str(c) {
            headers.append(SET_COOKIE, v);
        }
    }
    if let Some(l) = location {
        headers.insert(LOCATION, http::HeaderValue::from_static(l));
    }
    r
}

fn html(status: StatusCode, page: String, cookies: &[String]) -> Response<Body> {
    response(
        status,
        "text/html; charset=utf-8",
        Bytes::from(page),
        cookies,
        None,
    )
}

fn see_dashboard(cookies: &[String]) -> Response<Body> {
    response(
        StatusCode::SEE_OTHER,
        "text/plain; charset=utf-8",
        Bytes::from_static(b"See /dashboard\n"),
        cookies,
        Some(PATH),
    )
}

/// The sign-in page, with a fresh nonce (also set as a cookie).
fn sign_in_page(
    shared: &Shared,
    status: StatusCode,
    error: Option<&str>,
    key: &str,
) -> Response<Body> {
    let nonce = control::random_token();
    let error = error.map_or_else(String::new, |e| {
        format!(
            "<p class=\"error\" role=\"alert\" id=\"sign-in-error\">{}</p>",
            escape(e)
        )
    });
    let page = format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Vonage secrets sandbox</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/dashboard.css">
</head>
<body class="sign-in">
<main class="card">
<h1><span class="logo" aria-hidden="true">V</span> Vonage secrets sandbox</h1>
<p>Sign in with an api key and one of its current secrets, as a program authenticates to the API.</p>
{error}
<form method="post" action="/dashboard/login" id="sign-in-form">
<input type="hidden" name="login_nonce" value="{nonce}">
<label for="api_key">API key</label>
<input id="api_key" name="api_key" autocomplete="username" required value="{key}">
<label for="api_secret">API secret</label>
<input id="api_secret" name="api_secret" type="password" autocomplete="current-password" required>
<button type="submit" id="sign-in">Sign in</button>
</form>
</main>
</body>
</html>
"#,
        key = escape(key),
    );
    let c = cookie(shared, LOGIN_COOKIE, &nonce, PATH, None);
    html(status, page, &[c])
}

fn app_page(account: &str, csrf: &str) -> Response<Body> {
    let page = APP
        .replace("{{account}}", &escape(account))
        .replace("{{csrf}}", csrf);
    html(StatusCode::OK, page, &[])
}

fn not_found() -> Response<Body> {
    Reply::problem(
        StatusCode::NOT_FOUND,
        Problem::blank(
            StatusCode::NOT_FOUND,
            "No such dashboard resource: open /dashboard".into(),
        ),
    )
    .into_response(None)
}

fn refused(shared: &Shared, detail: &str) -> Response<Body> {
    sign_in_page(shared, StatusCode::FORBIDDEN, Some(detail), "")
}

/// `application/x-www-form-urlencoded` pairs.
fn form(bytes: &[u8]) -> Vec<(String, String)> {
    bytes
        .split(|&b| b == b'&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = match pair.iter().position(|&b| b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            let decode = |s: &[u8]| {
                let plus: Vec<u8> = s
                    .iter()
                    .map(|&b| if b == b'+' { b' ' } else { b })
                    .collect();
                percent_encoding::percent_decode(&plus)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

fn take(fields: &mut Vec<(String, String)>, name: &str) -> Option<String> {
    let at = fields.iter().position(|(k, _)| k == name)?;
    Some(fields.swap_remove(at).1)
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

fn read_form(req: Request<RequestBody>) -> Result<Option<Vec<(String, String)>>, Abort> {
    if !is_form(req.headers()) {
        return Ok(None);
    }
    match reply::read_body(req)? {
        BodyRead::Read(bytes) => Ok(Some(form(&bytes))),
        BodyRead::TooLarge => Ok(None),
    }
}

pub(crate) async fn handle(
    shared: &Arc<Shared>,
    req: Request<RequestBody>,
) -> Result<Response<Body>, Abort> {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let headers = req.headers().clone();
    let session_id = control::cookie(&headers, SESSION_COOKIE).map(str::to_owned);
    let session = session_id.as_deref().and_then(|id| {
        let sessions = shared.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions
            .get(id)
            .map(|s| (s.account.clone(), s.csrf.clone()))
    });
    match (&method, path.as_str()) {
        (&Method::GET | &Method::HEAD, PATH) => Ok(match session {
            Some((account, csrf)) => app_page(&account, &csrf),
            None => sign_in_page(shared, StatusCode::OK, None, ""),
        }),
        (&Method::GET | &Method::HEAD, "/dashboard/dashboard.css") => Ok(response(
            StatusCode::OK,
            "text/css; charset=utf-8",
            Bytes::from_static(CSS.as_bytes()),
            &[],
            None,
        )),
        (&Method::GET | &Method::HEAD, "/dashboard/dashboard.js") => Ok(response(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            Bytes::from_static(JS.as_bytes()),
            &[],
            None,
        )),
        (&Method::POST, "/dashboard/login") => {
            if req.uri().query().is_some() {
                return Ok(sign_in_page(
                    shared,
                    StatusCode::BAD_REQUEST,
                    Some("Credentials are never taken from a URL: sign in with this page's form."),
                    "",
                ));
            }
            let nonce = control::cookie(&headers, LOGIN_COOKIE).map(str::to_owned);
            let Some(mut fields) = read_form(req)? else {
                return Ok(sign_in_page(
                    shared,
                    StatusCode::BAD_REQUEST,
                    Some("Sign in with this page's form."),
                    "",
                ));
            };
            let sent_nonce = take(&mut fields, "login_nonce");
            let fresh = matches!((&nonce, &sent_nonce), (Some(a), Some(b))
                if crate::state::same_bytes(a.as_bytes(), b.as_bytes()));
            if !fresh || !control::same_origin(&headers, shared.tls) {
                return Ok(refused(
                    shared,
                    "This sign-in form expired or came from another site; sign in again here.",
                ));
            }
            let key = take(&mut fields, "api_key").unwrap_or_default();
            let secret = SecretString::from(take(&mut fields, "api_secret").unwrap_or_default());
            let ok = shared
                .lock()
                .store
                .authenticate(&key, secret.expose_secret().as_bytes());
            if !ok {
                return Ok(sign_in_page(
                    shared,
                    StatusCode::UNAUTHORIZED,
                    Some("You did not provide correct credentials."),
                    &key,
                ));
            }
            let (id, _) = shared
                .sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .open(&key);
            Ok(see_dashboard(&[
                cookie(shared, SESSION_COOKIE, &id, "/", None),
                cookie(shared, LOGIN_COOKIE, "", PATH, Some(0)),
            ]))
        }
        (&Method::POST, "/dashboard/logout") => {
            let (Some(id), Some((_, csrf))) = (session_id, session) else {
                return Ok(see_dashboard(&[cookie(
                    shared,
                    SESSION_COOKIE,
                    "",
                    "/",
                    Some(0),
                )]));
            };
            let sent = read_form(req)?.and_then(|mut f| take(&mut f, "csrf"));
            let genuine =
                sent.is_some_and(|s| crate::state::same_bytes(s.as_bytes(), csrf.as_bytes()));
            if !genuine || !control::same_origin(&headers, shared.tls) {
                let mut r = html(
                    StatusCode::FORBIDDEN,
                    "<!doctype html><title>Refused</title><p>Cross-site request refused: sign out \
                     from the dashboard page. <a href=\"/dashboard\">Back to the dashboard</a></p>"
                        .to_owned(),
                    &[],
                );
                secure_headers(r.headers_mut());
                return Ok(r);
            }
            shared
                .sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .close(&id);
            Ok(see_dashboard(&[cookie(
                shared,
                SESSION_COOKIE,
                "",
                "/",
                Some(0),
            )]))
        }
        _ => Ok(not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_and_html_escapes() {
        let f = form(b"api_key=abc+d&api_secret=P%40ss%3Dw0rd&empty=&flag");
        assert_eq!(
            f,
            [
                ("api_key".to_owned(), "abc d".to_owned()),
                ("api_secret".to_owned(), "P@ss=w0rd".to_owned()),
                ("empty".to_owned(), String::new()),
                ("flag".to_owned(), String::new()),
            ]
        );
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
