//! Runs the generated operations on the shared blocking transport
//! (`vonage-secrets-transport`) with the client's [`Credentials`], and hands their outcomes to
//! [`classify`](crate::classify).
//!
//! Nothing here knows a path, a method or a status code of the API: the generated operations
//! build the requests and parse the responses.

use vonage_secrets_api::{BuildError, Operation};
use vonage_secrets_transport::Transport;

use crate::auth::Credentials;
use crate::classify::{CallContext, Classify, into_result};
use crate::error::Error;

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

/// Runs one operation (of either API) on the transport with these credentials, and classifies
/// its outcome.
pub(crate) fn execute<O>(
    transport: &Transport,
    operation: &O,
    credentials: &Credentials,
    ctx: &CallContext<'_>,
) -> Result<<O::Outcome as Classify>::Output, CallError>
where
    O: Operation,
    O::Outcome: Classify,
{
    let sent: &[&str] = match &ctx.sent_secret {
        Some(secret) => std::slice::from_ref(secret),
        None => &[],
    };
    let answer = transport
        .execute_outcome(operation, credentials, sent)
        .map_err(|e| CallError {
            error: transport_error(O::OPERATION_ID, e.error),
            earlier_attempt_ambiguous: e.earlier_attempt_ambiguous,
        })?;
    into_result(
        answer.outcome,
        &answer.response,
        O::OPERATION_ID,
        ctx,
        credentials,
    )
    .map_err(|mut error| {
        if let Error::Api { retry_after, .. } = &mut error {
            *retry_after = vonage_secrets_transport::retry::retry_after(answer.response.headers());
        }
        CallError {
            error,
            earlier_attempt_ambiguous: answer.earlier_attempt_ambiguous,
        }
    })
}

/// The facade's [`Error`] for a failure without an answer.
pub(crate) fn transport_error<E>(
    operation: &'static str,
    e: vonage_secrets_transport::Error<E>,
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
        T::Build(e) => build_error(e),
        T::Auth(e) => Error::InvalidInput {
            message: e.to_string(),
        },
        // `execute_outcome` gives answers back as answers; anything newer is a transport
        // failure of its own.
        other => Error::Transport {
            operation,
            kind: vonage_secrets_transport::TransportErrorKind::Other,
            source: Box::new(std::io::Error::other(other.to_string())),
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

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
}
