//! Property tests: a server (or a proxy's error page) that echoes the request cannot put a
//! credential into an error. Random credentials (with characters that need escaping), echoed
//! in random encodings at random positions, in a 401 problem's `detail`, a 500 page that dumps
//! the request, a 200 of the wrong shape (whose decoder quotes the value) and a 400's
//! `invalid_parameters`; no credential, in any of those forms, may show in `Display` or `Debug`
//! of the error.
//!
//! Case counts default to 64 and follow `PROPTEST_CASES` when set.

mod common;

use base64::Engine as _;
use proptest::prelude::*;
use vonage_secrets::{Client, Error};

use common::{RawServer, Reply};

const KEY: &str = "abcd1234";

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig::with_cases(cases)
}

/// Api secrets with the characters every encoding treats differently.
fn api_secret() -> impl Strategy<Value = String> {
    r#"[A-Za-z0-9 "\\/%+:&=?#!'<>éü€😀\t]{8,24}"#
}

/// New secrets the rules accept (printable ASCII), with the characters that need escaping.
fn new_secret() -> impl Strategy<Value = String> {
    r#"[A-Z][a-z][0-9][A-Za-z0-9!"\\/%+&=?#'<>{}-]{5,22}"#
}

/// The forms a server may echo a string in.
#[derive(Debug, Clone, Copy)]
enum Encoding {
    Raw,
    Base64,
    Base64Url,
    PercentUpper,
    PercentLower,
    Form,
    Json,
    RustDebug,
}

const ENCODINGS: [Encoding; 8] = [
    Encoding::Raw,
    Encoding::Base64,
    Encoding::Base64Url,
    Encoding::PercentUpper,
    Encoding::PercentLower,
    Encoding::Form,
    Encoding::Json,
    Encoding::RustDebug,
];

/// An independent encoder (the oracle): what a server would write.
fn encode(text: &str, encoding: Encoding) -> String {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};
    let percent = |upper: bool, plus: bool| {
        let mut out = String::new();
        for b in text.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    out.push(char::from(b))
                }
                b' ' if plus => out.push('+'),
                _ if upper => out.push_str(&format!("%{b:02X}")),
                _ => out.push_str(&format!("%{b:02x}")),
            }
        }
        out
    };
    match encoding {
        Encoding::Raw => text.to_owned(),
        Encoding::Base64 => STANDARD.encode(text),
        Encoding::Base64Url => URL_SAFE.encode(text),
        Encoding::PercentUpper => percent(true, false),
        Encoding::PercentLower => percent(false, false),
        Encoding::Form => percent(true, true),
        Encoding::Json => {
            // Everything outside ASCII as \uXXXX (surrogate pairs), and `/` escaped too.
            let mut out = String::new();
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '/' => out.push_str("\\/"),
                    '\t' => out.push_str("\\t"),
                    c if c.is_ascii() => out.push(c),
                    c => {
                        let mut units = [0u16; 2];
                        for unit in c.encode_utf16(&mut units) {
                            out.push_str(&format!("\\u{unit:04x}"));
                        }
                    }
                }
            }
            out
        }
        Encoding::RustDebug => {
            let debug = format!("{text:?}");
            debug[1..debug.len() - 1].to_owned()
        }
    }
}

/// Where the server puts the echo.
#[derive(Debug, Clone, Copy)]
enum Echo {
    /// A 401 problem document whose `detail` quotes the request.
    UnauthorizedDetail,
    /// A 500 HTML page that dumps the request.
    ServerErrorPage,
    /// A success of the wrong shape: a string where the list should be.
    WrongShape,
    /// A 400 validation problem whose `invalid_parameters` quote the request.
    InvalidParameters,
}

const ECHOES: [Echo; 4] = [
    Echo::UnauthorizedDetail,
    Echo::ServerErrorPage,
    Echo::WrongShape,
    Echo::InvalidParameters,
];

fn response(echo: Echo, text: &str, success: u16) -> Reply {
    let json_text = serde_json::to_string(text).unwrap();
    match echo {
        Echo::UnauthorizedDetail => common::json(
            401,
            &format!(
                r#"{{"type":"https://developer.nexmo.com/api-errors#unauthorized","title":"Invalid credentials supplied","detail":{json_text},"instance":"797a8f199c45014ab7b08bfe9cc1c12c"}}"#
            ),
        ),
        Echo::ServerErrorPage => {
            let body = format!("<html><body><pre>{text}</pre></body></html>");
            Reply::Raw(
                format!(
                    "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/html\r\n\
                     content-length: {}\r\n\r\n{body}",
                    body.len()
                )
                .into_bytes(),
            )
        }
        Echo::WrongShape => common::json(
            success,
            &format!(
                r#"{{"id":{json_text},"created_at":{json_text},"_embedded":{{"secrets":{json_text}}}}}"#
            ),
        ),
        Echo::InvalidParameters => common::json(
            400,
            &format!(
                r#"{{"type":"https://developer.nexmo.com/api-errors#validation","title":"Bad Request","detail":"The request failed due to validation errors","invalid_parameters":[{{"name":{json_text},"reason":{json_text}}}]}}"#
            ),
        ),
    }
}

/// Fails the case when any credential, or the echoed form, shows in the error.
fn assert_scrubbed(err: &Error, credentials: &[String], echoed: &str) -> Result<(), TestCaseError> {
    let shown = format!("{err}\n{err:?}");
    let debug_of_echo = encode(echoed, Encoding::RustDebug);
    for needle in credentials
        .iter()
        .map(String::as_str)
        .chain([echoed, &debug_of_echo])
    {
        prop_assert!(!shown.contains(needle), "{:?} shown in {}", needle, shown);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn echoed_credentials_never_reach_an_error(
        api_secret in api_secret(),
        new_secret in new_secret(),
        needle in 0..4usize,
        encoding in proptest::sample::select(ENCODINGS.to_vec()),
        echo in proptest::sample::select(ECHOES.to_vec()),
        before in "[a-zA-Z0-9 .:=]{0,700}",
        after in "[a-zA-Z0-9 .:=]{0,40}",
    ) {
        let pair = format!("{KEY}:{api_secret}");
        let token = base64::engine::general_purpose::STANDARD.encode(&pair);
        let basic = format!("Basic {token}");
        let creating = needle == 3;
        let echoed_credential = match needle {
            0 => api_secret.clone(),
            1 => basic.clone(),
            2 => pair.clone(),
            _ => new_secret.clone(),
        };
        let echoed = encode(&echoed_credential, encoding);
        let text = format!("{before}{echoed}{after}");
        let server = RawServer::start(vec![response(echo, &text, if creating { 201 } else { 200 })]);
        let client = Client::builder(KEY, api_secret.as_str())
            .base_url(&server.base_url)
            .max_retries(0)
            .build()
            .unwrap();
        let err = if creating {
            client.secrets().create(&new_secret).unwrap_err()
        } else {
            client.secrets().list().unwrap_err()
        };
        let mut credentials = vec![api_secret.clone(), pair, token.trim_end_matches('=').to_owned()];
        if creating {
            credentials.push(new_secret.clone());
        }
        assert_scrubbed(&err, &credentials, &echoed)?;
    }
}

/// One document that quotes every credential at once, each in every encoding.
#[test]
fn every_credential_in_every_encoding_at_once_is_scrubbed() {
    let api_secret = "s3cr\"t/ 100%+é😀";
    let new_secret = "N3w-\"secret\"/%+&";
    let pair = format!("{KEY}:{api_secret}");
    let token = base64::engine::general_purpose::STANDARD.encode(&pair);
    let basic = format!("Basic {token}");
    let mut text = String::from("request was: ");
    let mut echoed = Vec::new();
    for credential in [api_secret, &pair, &basic, new_secret] {
        for encoding in ENCODINGS {
            let e = encode(credential, encoding);
            text.push_str(&e);
            text.push_str(" | ");
            echoed.push(e);
        }
    }
    for echo in ECHOES {
        let server = RawServer::start(vec![response(echo, &text, 201)]);
        let client = Client::builder(KEY, api_secret)
            .base_url(&server.base_url)
            .build()
            .unwrap();
        let err = client.secrets().create(new_secret).unwrap_err();
        let shown = format!("{err}\n{err:?}");
        for e in &echoed {
            assert!(
                !shown.contains(e.as_str()),
                "{echo:?}: {e:?} shown in {shown}"
            );
        }
        for raw in [api_secret, new_secret, &token[..token.len() - 2]] {
            assert!(!shown.contains(raw), "{echo:?}: {raw:?} shown in {shown}");
        }
        println!("{echo:?}: {err}");
    }
}

/// Ids reach terminals: an id that echoes a credential is scrubbed too; ordinary ids are kept.
#[test]
fn ids_of_a_successful_answer_never_carry_a_credential() {
    let api_secret = "Api-Secret-123";
    let new_secret = "N3w-Secret-Value";
    let uuid = "ad6dc56f-07b5-46e1-a527-85530e625800";
    let item = |id: &str| {
        format!(
            r#"{{"id":{},"created_at":"2017-03-02T16:34:49Z"}}"#,
            serde_json::to_string(id).unwrap()
        )
    };
    let echoed_id = format!("id-{}", encode(api_secret, Encoding::PercentLower));
    let list = format!(
        r#"{{"_embedded":{{"secrets":[{},{},{}]}}}}"#,
        item(api_secret),
        item(&echoed_id),
        item(uuid)
    );
    let server = RawServer::start(vec![
        common::json(200, &list),
        common::json(201, &item(new_secret)),
    ]);
    let client = Client::builder(KEY, api_secret)
        .base_url(&server.base_url)
        .build()
        .unwrap();
    let ids: Vec<String> = client
        .secrets()
        .list()
        .unwrap()
        .into_iter()
        .map(|s| s.id.into_string())
        .collect();
    assert_eq!(ids, ["[REDACTED]", "id-[REDACTED]", uuid]);
    let created = client.secrets().create(new_secret).unwrap();
    assert_eq!(created.id.as_str(), "[REDACTED]");
}
