//! [`VoxSession`]: the Voximplant client and application of the `voximplant` command and of
//! the `--deploy voximplant:` target, resolved in one place ([`VoxSession::connect`]), and the
//! exit codes and messages of the client's errors.

use secrecy::ExposeSecret;
use vonage_secrets_sandbox::{Sandbox, VOXIMPLANT_DEMO_APPLICATION_NAME};
use voximplant_secrets::{ApplicationRef, Client, Credentials, Error};

use crate::cli::Global;
use crate::failure::{Exit, Failure};
use crate::output::note;

/// The exit code of a client error, in the families of the Vonage commands.
pub fn exit_of(error: &Error) -> Exit {
    match error {
        Error::Rules(_) => Exit::Policy,
        Error::Credentials { .. } | Error::Config(_) => Exit::Usage,
        Error::Signing { .. }
        | Error::AuthorizationFailed { .. }
        | Error::InvalidTokenFormat { .. }
        | Error::InvalidTokenLifetime { .. }
        | Error::TokenIssuedInFuture { .. }
        | Error::TokenExpired { .. } => Exit::Unauthorized,
        // Only what the client found missing: the API documents no code for "not found".
        Error::NotFound { .. } => Exit::NotFound,
        Error::Timeout { .. } | Error::Transport { .. } => Exit::Network,
        _ => Exit::Other,
    }
}

/// A client error as a failure: the client's message, and the next step where it has none.
pub fn failure(error: Error) -> Failure {
    let hint = match &error {
        Error::Credentials { .. } => {
            " Set VOXIMPLANT_CREDENTIALS to the path of the service account's credentials.json, \
             or try the command with --sandbox."
        }
        Error::NotFound { .. } | Error::Api { .. } => {
            " Check the application (--application NAME|ID) and the secret's name or id; \
             `vonage-secrets voximplant --application NAME|ID list` shows the secrets."
        }
        Error::Timeout { .. } => " Allow more time with --timeout SECS.",
        _ => "",
    };
    let mut message = error.to_string();
    if !message.ends_with('.') {
        message.push('.');
    }
    message.push_str(hint);
    Failure::new(exit_of(&error), message)
}

/// A digit-only text is an id (names start with a Latin letter, so nothing is ambiguous).
pub fn id_or_name(text: &str) -> Result<i64, &str> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().map_err(|_| text)
    } else {
        Err(text)
    }
}

/// The application a text names: by id when it is all digits, else by name.
pub fn application_ref(text: &str) -> ApplicationRef {
    match id_or_name(text) {
        Ok(id) => ApplicationRef::Id(id),
        Err(name) => ApplicationRef::Name(name.to_owned()),
    }
}

/// An application as the operator wrote it: its id or its name.
pub fn application_text(application: &ApplicationRef) -> String {
    match application {
        ApplicationRef::Id(id) => id.to_string(),
        ApplicationRef::Name(name) => name.clone(),
    }
}

/// The Voximplant client, the application, and the embedded sandbox with `--sandbox` when
/// this session started it.
pub struct VoxSession {
    pub client: Client,
    pub application: ApplicationRef,
    _sandbox: Option<Sandbox>,
}

impl VoxSession {
    /// Builds the client: from `VOXIMPLANT_CREDENTIALS` (and `VOXIMPLANT_API_BASE_URL`), or
    /// with `--sandbox` from the embedded sandbox's demo Voximplant account. `embedded` is the
    /// sandbox a Vonage session already started (one listener serves both APIs); without it,
    /// `--sandbox` starts one. `application` is the operator's (a name, or digits for an id);
    /// without one, `--sandbox` takes the demo application and anything else is `Err(None)`,
    /// for the caller to say how its own command names an application.
    ///
    /// `--timeout` and `--ca-bundle` apply; nothing is sent.
    pub fn connect(
        global: &Global,
        application: Option<&str>,
        embedded: Option<&Sandbox>,
    ) -> Result<VoxSession, Option<Failure>> {
        let application = match (application, global.sandbox) {
            (Some(a), _) => application_ref(a),
            (None, true) => ApplicationRef::Name(VOXIMPLANT_DEMO_APPLICATION_NAME.to_owned()),
            (None, false) => return Err(None),
        };
        let (mut builder, sandbox) = if global.sandbox {
            let mut started = None;
            let sandbox: &Sandbox = match embedded {
                Some(sandbox) => {
                    note(&format!(
                        "sandbox: the same embedded sandbox also serves the demo Voximplant \
                         account and its application {VOXIMPLANT_DEMO_APPLICATION_NAME}"
                    ));
                    sandbox
                }
                None => {
                    let sandbox = started.insert(Sandbox::builder().start().map_err(|e| {
                        Failure::new(
                            Exit::Other,
                            format!(
                                "the embedded sandbox could not start: {e}. Run the command again"
                            ),
                        )
                    })?);
                    note(&format!(
                        "sandbox: an embedded sandbox at {} with the demo Voximplant account \
                         and its application {VOXIMPLANT_DEMO_APPLICATION_NAME}; nothing leaves \
                         this machine, and its state ends with the command",
                        sandbox.base_url()
                    ));
                    sandbox
                }
            };
            let credentials =
                Credentials::from_json(sandbox.voximplant_credentials_json().expose_secret())
                    .map_err(failure)?;
            let builder = Client::builder(credentials)
                .base_url(format!("{}/platform_api", sandbox.base_url()));
            (builder, started)
        } else {
            let mut builder = Client::builder(Credentials::from_env().map_err(failure)?);
            if let Some(url) = std::env::var(voximplant_secrets::BASE_URL_ENV)
                .ok()
                .filter(|u| !u.is_empty())
            {
                builder = builder.base_url(url);
            }
            (builder, None)
        };
        if let Some(timeout) = global.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(file) = &global.ca_bundle {
            builder = builder.ca_bundle(voximplant_secrets::CaBundle::File {
                path: file.clone(),
                origin: None,
            });
        }
        Ok(VoxSession {
            client: builder.build().map_err(failure)?,
            application,
            _sandbox: sandbox,
        })
    }

    /// The application's secrets.
    pub fn secrets(&self) -> voximplant_secrets::Secrets<'_> {
        self.client.application(self.application.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_ids_and_everything_else_names() {
        assert_eq!(id_or_name("42"), Ok(42));
        assert_eq!(id_or_name("db_password"), Err("db_password"));
        assert_eq!(id_or_name(""), Err(""));
        assert_eq!(id_or_name("4x"), Err("4x"));
        assert_eq!(application_ref("7"), ApplicationRef::Id(7));
        assert_eq!(
            application_ref("demo-app"),
            ApplicationRef::Name("demo-app".to_owned())
        );
    }

    #[test]
    fn client_errors_map_to_the_exit_families() {
        let action = voximplant_secrets::Action::List;
        let cases = [
            (
                Error::Rules(voximplant_secrets::rules::Violations(vec![])),
                3,
            ),
            (
                Error::AuthorizationFailed {
                    action,
                    message: "x".into(),
                },
                4,
            ),
            (
                Error::TokenExpired {
                    action,
                    message: "x".into(),
                },
                4,
            ),
            (
                Error::NotFound {
                    action,
                    what: "x".into(),
                },
                5,
            ),
            (
                // The sandbox's own code for "no such application" means nothing here.
                Error::Api {
                    action,
                    code: 14,
                    message: "x".into(),
                },
                1,
            ),
            (
                Error::Api {
                    action,
                    code: 999,
                    message: "x".into(),
                },
                1,
            ),
            (
                Error::Transport {
                    action,
                    kind: voximplant_secrets::TransportKind::Connect,
                    message: "x".into(),
                },
                7,
            ),
            (Error::Config("x".into()), 2),
        ];
        for (error, code) in cases {
            assert_eq!(exit_of(&error) as i32, code, "{error}");
        }
    }
}
