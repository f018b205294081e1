//! [`Failure`]: an error message and the exit code the README and `--help` promise for it.

use std::fmt;
use std::io::Write;
use std::process::ExitCode;

use vonage_secrets::{Error, Refusal};

use crate::output::{ErrorFields, ErrorJson};

/// The exit codes, as documented in `--help` and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 1: anything else.
    Other = 1,
    /// 2: bad arguments, missing credentials, bad configuration.
    Usage = 2,
    /// 3: the secret breaks the rules (checked here or by the server).
    Policy = 3,
    /// 4: the credentials were refused.
    Unauthorized = 4,
    /// 5: the account or the secret does not exist.
    NotFound = 5,
    /// 6: two secrets already, or the last secret.
    Limit = 6,
    /// 7: timeout or transport failure.
    Network = 7,
    /// 8: an audit found accounts that need attention, or a fleet rotation left accounts
    /// failed or was stopped.
    Attention = 8,
}

impl Exit {
    /// The family's name in `--json` errors (`"kind"`), as the README documents them.
    pub fn kind(self) -> &'static str {
        match self {
            Exit::Other => "other",
            Exit::Usage => "usage",
            Exit::Policy => "policy",
            Exit::Unauthorized => "unauthorized",
            Exit::NotFound => "not_found",
            Exit::Limit => "limit",
            Exit::Network => "transport",
            Exit::Attention => "attention",
        }
    }

    /// The classification of a facade error.
    pub fn of(error: &Error) -> Exit {
        match error {
            Error::Policy(_) | Error::Rejected { .. } => Exit::Policy,
            Error::Unauthorized { .. } => Exit::Unauthorized,
            Error::AccountNotFound { .. } | Error::SecretNotFound { .. } => Exit::NotFound,
            Error::LimitReached { .. } | Error::LastSecret { .. } => Exit::Limit,
            Error::Timeout { .. } | Error::Transport { .. } => Exit::Network,
            Error::Config { .. } | Error::InvalidInput { .. } => Exit::Usage,
            Error::Refused(Refusal::OldestOnOwnAccount { .. }) => Exit::Limit,
            Error::Refused(_) => Exit::Usage,
            _ => Exit::Other,
        }
    }
}

/// A failed command: what to print on stderr, and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
    /// Print nothing (stdout was closed by its reader: there is no one to tell).
    pub quiet: bool,
    /// The message does not say which account the call was for (the facade's errors of a
    /// call that got no usable answer: HTTP errors, timeouts, broken connections, bodies that
    /// do not decode); [`Failure::on_account`] names it.
    pub account_unnamed: bool,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Failure {
            exit,
            message: message.into(),
            quiet: false,
            account_unnamed: false,
        }
    }

    /// Names the account a failure was for, when its message does not: `--account KEY`'s
    /// secondary account, so that the user knows whose call failed.
    pub fn on_account(mut self, account: &str) -> Self {
        if self.account_unnamed {
            self.message = format!("account {account} (--account): {}", self.message);
            self.account_unnamed = false;
        }
        self
    }

    /// Stdout was closed by its reader (`vonage-secrets generate | true`): end quietly.
    pub fn stdout_closed() -> Self {
        Failure {
            quiet: true,
            ..Self::new(Exit::Other, "stdout is closed")
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }

    /// Tells the operator on stderr (`error: ...`, or with `--json` one line of JSON) and
    /// returns the exit code.
    pub fn report(&self, json: bool) -> ExitCode {
        if !self.quiet {
            let line = if json {
                serde_json::to_string(&ErrorJson {
                    error: ErrorFields {
                        kind: self.exit.kind(),
                        message: &self.message,
                        exit_code: self.exit as u8,
                    },
                })
                .unwrap_or_else(|_| format!("error: {}", self.message))
            } else {
                format!("error: {}", self.message)
            };
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
        ExitCode::from(self.exit as u8)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            account_unnamed: matches!(
                error,
                Error::Api { .. }
                    | Error::Timeout { .. }
                    | Error::Transport { .. }
                    | Error::Decode { .. }
            ),
            ..Failure::new(Exit::of(&error), describe(&error))
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure::new(Exit::Other, format!("{error:#}"))
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::new(Exit::Other, format!("input/output failed: {error}"))
    }
}

/// The facade's message, with the next step where the facade's own text leaves it to the
/// caller (the facade's messages already name the problem).
pub fn describe(error: &Error) -> String {
    let hint = match error {
        Error::Timeout { .. } => {
            " Check the network and --base-url, or allow more time with --timeout SECS."
        }
        Error::Transport { .. } => " Check the network, the proxy and --base-url, then retry.",
        Error::Config { .. } => " Fix the setting (see `vonage-secrets --help`).",
        Error::Policy(_) => {
            " Choose a secret that meets every rule, or let the command generate one (--generate)."
        }
        Error::Api { .. } | Error::Decode { .. } => {
            " Retry later; if it persists, report it to Vonage support with the trace id, if any."
        }
        Error::LimitReached { .. } => {
            " `vonage-secrets list` shows the ids (with --account KEY for a secondary account); \
             revoke the one no program uses with `vonage-secrets revoke ID` (never the secret in \
             VONAGE_API_SECRET), then run the command again."
        }
        _ => "",
    };
    let mut message = error.to_string();
    if !message.ends_with('.') {
        message.push('.');
    }
    message.push_str(hint);
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use vonage_secrets::{SecretId, TransportErrorKind};

    #[test]
    fn facade_errors_map_to_the_documented_codes() {
        let key = || "abcd1234".to_owned();
        let cases: Vec<(Error, i32)> = vec![
            (
                Error::Policy(vonage_secrets_policy::validate("x").unwrap_err()),
                3,
            ),
            (
                Error::Rejected {
                    api_key: key(),
                    invalid_parameters: vec![],
                    problem: None,
                },
                3,
            ),
            (
                Error::Unauthorized {
                    api_key: key(),
                    problem: None,
                },
                4,
            ),
            (
                Error::AccountNotFound {
                    api_key: key(),
                    problem: None,
                },
                5,
            ),
            (
                Error::SecretNotFound {
                    api_key: key(),
                    secret_id: SecretId::from("x"),
                    problem: None,
                },
                5,
            ),
            (
                Error::LimitReached {
                    api_key: key(),
                    problem: None,
                },
                6,
            ),
            (
                Error::LastSecret {
                    api_key: key(),
                    secret_id: SecretId::from("x"),
                    problem: None,
                },
                6,
            ),
            (
                Error::Timeout {
                    operation: "op",
                    after: std::time::Duration::from_secs(1),
                    request_sent: false,
                },
                7,
            ),
            (
                Error::Transport {
                    operation: "op",
                    kind: TransportErrorKind::Connect,
                    source: "refused".into(),
                },
                7,
            ),
            (
                Error::Config {
                    message: "bad".into(),
                },
                2,
            ),
            (
                Error::Api {
                    operation: "op",
                    status: http::StatusCode::INTERNAL_SERVER_ERROR,
                    problem: None,
                    body_excerpt: String::new(),
                    retry_after: None,
                },
                1,
            ),
        ];
        for (error, code) in cases {
            let failure = Failure::from(error);
            assert_eq!(failure.exit as i32, code, "{}", failure.message);
            assert!(!failure.message.contains(".."), "{}", failure.message);
        }
    }
}
