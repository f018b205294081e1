//! Runs the generated operations on the shared blocking transport
//! (`vonage-secrets-transport`) with the client's Basic credentials, and classifies failures
//! into [`Error`].
//!
//! Nothing here knows a path, a method or a status code of the API: the generated operations
//! build the requests and parse the responses.

use base64::Engine as _;
use http::StatusCode;
use http::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};
use vonage_secrets_api::{BuildError, Failure, Operation, UnexpectedReason};
use vonage_secrets_transport::scrub::EXCERPT_LEN;
use vonage_secrets_transport::{Auth, AuthError, Scrubber, Transport};

use crate::error::Error;
use crate::model::{Problem, SecretId};

/// The longest text of a problem document kept in an error, in bytes (a server may send
/// anything there).
const PROBLEM_TEXT_LEN: usize = 2048;

/// An api key with its secret, held as the `Authorization` value `Basic base64(key:secret)`,
/// computed once and zeroized on drop.
///
/// The header value is made from it on each call (a copy of some 40 bytes): keeping a
/// ready-made `HeaderValue` would save a few hundred instructions a call, but would hold the
/// credentials for the client's whole life in memory that is not zeroized.
pub(crate) struct Credentials {
    pub(crate) api_key: String,
    api_secret: SecretString,
    basic: SecretString,
}

impl Credentials {
    pub(crate) fn new(api_key: String, api_secret: SecretString) -> Self {
        let pair = SecretString::from(format!("{api_key}:{}", api_secret.expose_secret()));
        let token = SecretString::from(
            base64::engine::general_purpose::STANDARD.encode(pair.expose_secret()),
        );
        let basic = SecretString::from(format!("Basic {}", token.expose_secret()));
        Credentials {
            api_key,
            api_secret,
            basic,
        }
    }

    /// A scrubber for a call with these credentials and, if any, a new secret: the api secret,
    /// the `key:secret` pair (whose base64 is the `Basic` token), the `Authorization` value and
    /// the new secret, each with its encodings.
    pub(crate) fn scrubber(&self, sent_secret: Option<&str>) -> Scrubber {
        let mut scrubber = Scrubber::new().with(sent_secret);
        self.add_secrets(&mut scrubber);
        scrubber
    }
}

impl Auth for Credentials {
    /// The `Authorization` header, marked sensitive so that `http` and ureq never print it.
    fn authorization(&self) -> Result<HeaderValue, AuthError> {
        let mut value = HeaderValue::from_str(self.basic.expose_secret())
            .map_err(|_| "the credentials cannot be sent in an HTTP header")?;
        value.set_sensitive(true);
        Ok(value)
    }

    fn add_secrets(&self, scrubber: &mut Scrubber) {
        let pair = SecretString::from(format!(
            "{}:{}",
            self.api_key,
            self.api_secret.expose_secret()
        ));
        scrubber.add(pair.expose_secret());
        scrubber.add(self.api_secret.expose_secret());
        // The header itself, for its base64 forms (its raw form holds the token).
        scrubber.add(self.basic.expose_secret());
    }
}

impl Credentials {
    /// Whether these are `api_key` with `api_secret` (the rotation's lockout guard).
    pub(crate) fn is(&self, api_key: &str, api_secret: &SecretString) -> bool {
        let other = Credentials::new(api_key.to_owned(), api_secret.clone());
        self.api_key == other.api_key && self.basic.expose_secret() == other.basic.expose_secret()
    }
}

/// What a call is about, for classifying its failures and scrubbing its errors.
pub(crate) struct CallContext<'a> {
    /// The account in the path.
    pub(crate) account: &'a str,
    /// The secret id in the path, if any.
    pub(crate) secret_id: Option<&'a str>,
    /// A secret sent in the body, scrubbed from any body excerpt kept in an error.
    pub(crate) sent_secret: Option<&'a str>,
}

/// A failed call, with whether an earlier attempt failed ambiguously (it may have reached the
/// server).
pub(crate) struct CallError {
    pub(crate) error: Error,
    pub(crate) earlier_attempt_ambiguous: bool,
}

impl From<CallError> for Error {
    fn from(e: CallError) -> Self {
        e.error
    }
}

/// Runs one operation on the transport with these credentials, and classifies its failure.
pub(crate) fn execute<O: Operation<ErrorBody = vonage_secrets_api::types::Problem>>(
    transport: &Transport,
    operation: &O,
    credentials: &Credentials,
    ctx: &CallContext<'_>,
) -> Result<O::Output, CallError> {
    let sent: &[&str] = match &ctx.sent_secret {
        Some(secret) => std::slice::from_ref(secret),
        None => &[],
    };
    transport
        .execute(operation, credentials, sent)
        .map_err(|e| CallError {
            error: into_error(O::OPERATION_ID, e.error, credentials, ctx),
            earlier_attempt_ambiguous: e.earlier_attempt_ambiguous,
        })
}

/// The facade's [`Error`] for a failure of the transport.
fn into_error(
    operation: &'static str,
    e: vonage_secrets_transport::Error<vonage_secrets_api::types::Problem>,
    credentials: &Credentials,
    ctx: &CallContext<'_>,
) -> Error {
    use vonage_secrets_transport::Error as T;
    match e {
        T::Timeout {
            after,
            request_sent,
        } => Error::Timeout {
            operation,
            after,
            request_sent,
        },
        T::Network { kind, source } => Error::Transport {
            operation,
            kind,
            source: Box::new(source),
        },
        T::BodyTooLarge { status, limit } => Error::Decode {
            operation,
            status,
            reason: format!("the body is larger than the cap of {limit} bytes"),
            body_excerpt: String::new(),
        },
        T::Failure { failure, body } => {
            let who = Who {
                operation,
                ctx,
                credential_key: &credentials.api_key,
                scrubber: &credentials.scrubber(ctx.sent_secret),
            };
            classify(&who, failure, &body)
        }
        T::Build(e) => build_error(e),
        T::Auth(e) => Error::InvalidInput {
            message: e.to_string(),
        },
        _ => Error::InvalidInput {
            message: "the request failed".to_owned(),
        },
    }
}

fn build_error(e: BuildError) -> Error {
    match e {
        BuildError::EmptyPathParameter { name } => Error::InvalidInput {
            message: format!("{name} is empty"),
        },
        other => Error::InvalidInput {
            message: format!("the request could not be built: {other}"),
        },
    }
}

/// What a failed call was about, for classifying and scrubbing its error.
pub(crate) struct Who<'a> {
    /// The operation's id.
    pub(crate) operation: &'static str,
    /// The call's account and ids.
    pub(crate) ctx: &'a CallContext<'a>,
    /// The api key whose credentials the call carried.
    pub(crate) credential_key: &'a str,
    /// Removes the call's credentials from text the server sent.
    pub(crate) scrubber: &'a Scrubber,
}

/// Turns the generated operation's [`Failure`] into an [`Error`]: by the problem `type`
/// fragment first, by the status second. Every text from the server is scrubbed.
///
/// `body` is the whole response body: for a status the spec does not document, a problem
/// document in it is still kept.
pub(crate) fn classify(who: &Who<'_>, failure: Failure, body: &[u8]) -> Error {
    let operation = who.operation;
    match failure {
        Failure::Problem { status, problem } => {
            let problem = crate::convert::problem(problem);
            classify_problem(who, status, problem)
        }
        Failure::Unexpected(unexpected) => {
            // From the whole body: scrubbed before it is cut, so no credential is cut in two.
            let body_excerpt = who.scrubber.body_excerpt(body);
            match unexpected.reason {
                UnexpectedReason::UndecodableBody(reason) if unexpected.status.is_success() => {
                    Error::Decode {
                        operation,
                        status: unexpected.status,
                        // A decoder quotes the values it refused.
                        reason: who.scrubber.scrub_field(&reason, EXCERPT_LEN),
                        body_excerpt,
                    }
                }
                _ => match serde_json::from_slice::<Problem>(body) {
                    // A problem document on a status the spec does not list: classify it all
                    // the same (by type, then status).
                    Ok(problem) if !unexpected.status.is_success() => {
                        match classify_problem(who, unexpected.status, problem) {
                            Error::Api {
                                operation,
                                status,
                                problem,
                                ..
                            } => Error::Api {
                                operation,
                                status,
                                problem,
                                body_excerpt,
                            },
                            other => other,
                        }
                    }
                    _ if unexpected.status == StatusCode::UNAUTHORIZED => Error::Unauthorized {
                        api_key: who.credential_key.to_owned(),
                        problem: None,
                    },
                    _ => Error::Api {
                        operation,
                        status: unexpected.status,
                        problem: None,
                        body_excerpt,
                    },
                },
            }
        }
    }
}

fn classify_problem(who: &Who<'_>, status: StatusCode, mut problem: Problem) -> Error {
    // Every text of the document: `Debug` of the error shows them all.
    let scrub = |text: &mut String| *text = who.scrubber.scrub_field(text, PROBLEM_TEXT_LEN);
    scrub(&mut problem.type_url);
    scrub(&mut problem.title);
    for text in [&mut problem.detail, &mut problem.instance]
        .into_iter()
        .flatten()
    {
        scrub(text);
    }
    for p in &mut problem.invalid_parameters {
        scrub(&mut p.name);
        scrub(&mut p.reason);
    }
    let ctx = who.ctx;
    let api_key = ctx.account.to_owned();
    let secret_id = || SecretId::from(ctx.secret_id.unwrap_or_default());
    match problem.kind() {
        "unauthorized" => Error::Unauthorized {
            api_key: who.credential_key.to_owned(),
            problem: Some(Box::new(problem)),
        },
        "invalid-api-key" => Error::AccountNotFound {
            api_key,
            problem: Some(Box::new(problem)),
        },
        "invalid-id" => Error::SecretNotFound {
            api_key,
            secret_id: secret_id(),
            problem: Some(Box::new(problem)),
        },
        "add-excess-secret" => Error::LimitReached {
            api_key,
            problem: Some(Box::new(problem)),
        },
        "delete-last-secret" => Error::LastSecret {
            api_key,
            secret_id: secret_id(),
            problem: Some(Box::new(problem)),
        },
        "validation" => Error::Rejected {
            api_key,
            invalid_parameters: problem.invalid_parameters.clone(),
            problem: Some(Box::new(problem)),
        },
        _ => match status {
            StatusCode::UNAUTHORIZED => Error::Unauthorized {
                api_key: who.credential_key.to_owned(),
                problem: Some(Box::new(problem)),
            },
            StatusCode::NOT_FOUND if ctx.secret_id.is_some() => Error::SecretNotFound {
                api_key,
                secret_id: secret_id(),
                problem: Some(Box::new(problem)),
            },
            StatusCode::NOT_FOUND => Error::AccountNotFound {
                api_key,
                problem: Some(Box::new(problem)),
            },
            StatusCode::BAD_REQUEST if !problem.invalid_parameters.is_empty() => Error::Rejected {
                api_key,
                invalid_parameters: problem.invalid_parameters.clone(),
                problem: Some(Box::new(problem)),
            },
            _ => Error::Api {
                operation: who.operation,
                status,
                problem: Some(Box::new(problem)),
                body_excerpt: String::new(),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_authorization_header_is_basic_and_sensitive() {
        let credentials = Credentials::new("abcd1234".into(), SecretString::from("Secret-123"));
        let value = credentials.authorization().unwrap();
        assert!(value.is_sensitive());
        // base64("abcd1234:Secret-123")
        assert_eq!(value, "Basic YWJjZDEyMzQ6U2VjcmV0LTEyMw==");
        assert!(!format!("{value:?}").contains("YWJj"));
    }

    /// Answers one request per reply (status line, body), in order, on as many keep-alive
    /// connections as the client opens, and returns each request's head, lower-cased.
    fn raw_server(
        replies: Vec<(&'static str, String)>,
    ) -> (String, std::thread::JoinHandle<Vec<String>>) {
        use std::io::{BufRead as _, BufReader, Read as _, Write as _};
        use std::sync::{Arc, Mutex, mpsc};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let count = replies.len();
        let replies = Arc::new(Mutex::new(std::collections::VecDeque::from(replies)));
        let (heads_tx, heads_rx) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let replies = Arc::clone(&replies);
                let heads_tx = heads_tx.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut writer = stream;
                    loop {
                        let mut head = String::new();
                        let mut length = 0;
                        loop {
                            let mut line = String::new();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                                return; // the client closed the connection
                            }
                            let lower = line.to_ascii_lowercase();
                            if let Some(v) = lower.strip_prefix("content-length:") {
                                length = v.trim().parse().unwrap();
                            }
                            head.push_str(&lower);
                            if line == "\r\n" {
                                break;
                            }
                        }
                        reader.read_exact(&mut vec![0; length]).unwrap();
                        let (status, body) = replies.lock().unwrap().pop_front().unwrap();
                        heads_tx.send(head).unwrap();
                        let response = format!(
                            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n\
                             content-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        writer.write_all(response.as_bytes()).unwrap();
                    }
                });
            }
        });
        let handle = std::thread::spawn(move || heads_rx.iter().take(count).collect());
        (base_url, handle)
    }

    #[test]
    fn requests_without_a_body_send_no_content_length_and_a_post_sends_one() {
        let secret = r#"{"id":"ad6dc56f","created_at":"2017-03-02T16:34:49Z"}"#;
        let list = format!(r#"{{"_embedded":{{"secrets":[{secret}]}}}}"#);
        let (base_url, server) = raw_server(vec![
            ("200 OK", list),
            ("201 Created", secret.to_owned()),
            ("204 No Content", String::new()),
        ]);
        let client = crate::Client::builder("abcd1234", "Secret-123")
            .base_url(base_url)
            .build()
            .unwrap();
        let secrets = client.secrets();
        assert_eq!(secrets.list().unwrap().len(), 1);
        secrets.create("N3w-Secret-Value").unwrap();
        secrets.revoke("ad6dc56f").unwrap();
        let heads = server.join().unwrap();
        assert!(heads[0].starts_with("get "), "{}", heads[0]);
        assert!(!heads[0].contains("content-length"), "{}", heads[0]);
        assert!(heads[0].contains("authorization: basic "), "{}", heads[0]);
        assert!(heads[1].starts_with("post "), "{}", heads[1]);
        assert!(heads[1].contains("content-length: 29"), "{}", heads[1]);
        assert!(heads[2].starts_with("delete "), "{}", heads[2]);
        assert!(!heads[2].contains("content-length"), "{}", heads[2]);
    }

    #[test]
    fn the_agent_holds_the_first_attempts_limits() {
        let client = crate::Client::builder("abcd1234", "Secret-123")
            .timeout(Duration::from_secs(3))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        for agent in [client.transport.agent(true), client.transport.agent(false)] {
            let config = agent.config();
            // The whole attempt, head and body included, within the budget.
            assert_eq!(config.timeouts().global, Some(Duration::from_secs(3)));
            // Connecting is bounded by the whole budget too, when that is shorter, and ends a
            // little before it (a connect timeout says the request was not sent).
            let connect = config.timeouts().connect.unwrap();
            assert!(connect < Duration::from_secs(3), "{connect:?}");
            assert!(connect >= Duration::from_millis(2900), "{connect:?}");
            // So does resolving the host.
            assert_eq!(config.timeouts().resolve, Some(connect));
        }
        assert_eq!(
            client
                .transport
                .agent(false)
                .config()
                .max_idle_connections(),
            0
        );
    }

    #[test]
    fn every_text_of_a_problem_is_scrubbed_of_the_sent_secret() {
        let secret = "N3w-secret!";
        let problem = Problem {
            type_url: format!("https://example.com/errors#{secret}"),
            title: format!("title {secret}"),
            detail: Some(format!("detail {secret}")),
            instance: Some(format!("instance {secret}")),
            invalid_parameters: vec![crate::model::InvalidParameter::new(
                format!("name {secret}"),
                format!("reason {secret}"),
            )],
        };
        let ctx = CallContext {
            account: "abcd1234",
            secret_id: None,
            sent_secret: Some(secret),
        };
        let who = Who {
            operation: "op",
            ctx: &ctx,
            credential_key: "abcd1234",
            scrubber: &Scrubber::new().with([secret]),
        };
        let error = classify_problem(&who, StatusCode::BAD_REQUEST, problem);
        let shown = format!("{error:?} {error}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("[REDACTED]"), "{shown}");
    }
}
