//! [`Session`]: the client of an account command, built in one place ([`Session::connect`]),
//! and the embedded sandbox it talks to with `--sandbox`.

use vonage_secrets::{Client, Secrets};
use vonage_secrets_sandbox::Sandbox;

use crate::cli::Global;
use crate::failure::{Exit, Failure};
use crate::output::note;

/// The demo primary account of `--sandbox`.
pub const DEMO_ACCOUNT: &str = "abcd1234";
/// Its secret (a demo value; the sandbox lives only as long as the command).
const DEMO_SECRET: &str = "Sandbox-Secret-1";
/// The demo secondary account of `--sandbox`, owned by [`DEMO_ACCOUNT`].
pub const DEMO_SECONDARY: &str = "abcd5678";
const DEMO_SECONDARY_SECRET: &str = "Sandbox-Secret-2";

/// How many generated secondary accounts (`sub00001`, ...) `--sandbox` seeds besides
/// [`DEMO_SECONDARY`].
const DEMO_FLEET: usize = 3;

const USER_AGENT: &str = concat!("vonage-secrets-cli/", env!("CARGO_PKG_VERSION"));

/// The client, and the embedded sandbox it talks to with `--sandbox` (kept alive as long as
/// the session).
pub struct Session {
    client: Client,
    account: Option<String>,
    login: Login,
    sandbox: Option<Sandbox>,
}

impl Session {
    /// Builds the client from the global flags and the environment (or the embedded sandbox's
    /// demo credentials): every account command's client comes from here.
    pub fn connect(global: &Global) -> Result<Session, Failure> {
        let (builder, sandbox) = if global.sandbox {
            let sandbox = Sandbox::builder()
                .account(DEMO_ACCOUNT, DEMO_SECRET)
                .secondary(DEMO_ACCOUNT, DEMO_SECONDARY, DEMO_SECONDARY_SECRET)
                // A few more for `accounts`, `audit` and `rotate --accounts`.
                .secondaries(DEMO_ACCOUNT, DEMO_FLEET)
                .start()
                .map_err(|e| {
                    Failure::new(
                        Exit::Other,
                        format!(
                            "the embedded sandbox could not start: {e}. Run the command again; \
                             if it persists, run the vonage-secrets-sandbox binary and pass its \
                             address with --base-url"
                        ),
                    )
                })?;
            note(&format!(
                "sandbox: an embedded sandbox at {} with the demo account {DEMO_ACCOUNT} and its \
                 secondary accounts {DEMO_SECONDARY} and {} to {}; nothing leaves this machine, \
                 and its state ends with the command",
                sandbox.base_url(),
                vonage_secrets_sandbox::generated_secondary(1).0,
                vonage_secrets_sandbox::generated_secondary(DEMO_FLEET).0,
            ));
            let builder = Client::builder(DEMO_ACCOUNT, DEMO_SECRET).base_url(sandbox.base_url());
            (builder, Some(sandbox))
        } else {
            // VONAGE_API_KEY, VONAGE_API_SECRET, VONAGE_API_BASE_URL and a CA bundle
            // (VONAGE_CA_BUNDLE or SSL_CERT_FILE), read by the library.
            let mut builder = Client::builder_from_env().map_err(no_credentials)?;
            if let Some(url) = &global.base_url {
                builder = builder.base_url(url);
            }
            (builder, None)
        };
        // --ca-bundle wins over VONAGE_CA_BUNDLE and SSL_CERT_FILE (read by builder_from_env;
        // the embedded sandbox reads nothing from the environment).
        let mut builder = match &global.ca_bundle {
            Some(file) => builder.ca_bundle(file),
            None => builder,
        }
        .user_agent(USER_AGENT);
        if let Some(timeout) = global.timeout {
            builder = builder
                .timeout(timeout)
                .connect_timeout(timeout.min(vonage_secrets::DEFAULT_CONNECT_TIMEOUT));
        }
        let client = builder.build()?;
        Ok(Session {
            client,
            account: global.account.clone(),
            login: if sandbox.is_some() {
                Login::SANDBOX
            } else {
                Login::ENVIRONMENT
            },
            sandbox,
        })
    }

    /// The account the command acts on: `--account`, or the credentials' own.
    pub fn secrets(&self) -> Secrets<'_> {
        match &self.account {
            Some(account) => self.client.secrets_of(account.as_str()),
            None => self.client.secrets(),
        }
    }

    /// The client (the primary account's, for fleet commands).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The embedded sandbox of `--sandbox` (it also serves the Voximplant API).
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.sandbox.as_ref()
    }

    /// Whether `secrets` are those of the account whose credentials the command holds.
    pub fn own(&self, secrets: &Secrets<'_>) -> bool {
        secrets.account() == self.client.api_key()
    }

    /// How messages name the credentials the command logs in with.
    pub fn login(&self) -> Login {
        self.login
    }
}

/// The library's "not set" error, with what to do in this command's words.
fn no_credentials(error: vonage_secrets::Error) -> Failure {
    let missing = match error {
        vonage_secrets::Error::Config { message } => message,
        other => other.to_string(),
    };
    Failure::usage(format!(
        "no credentials: {missing}. Set them in the environment (never as arguments, which leak \
         through `ps` and shell history), for example:\n  \
         export VONAGE_API_KEY=abcd1234\n  \
         read -rs VONAGE_API_SECRET && export VONAGE_API_SECRET\n\
         or try the command against a demo account with --sandbox, for example \
         `vonage-secrets --sandbox list`"
    ))
}

/// How messages name the credentials the command logs in with: the environment's, or, with
/// `--sandbox`, the demo account's built-in ones (nothing is read from the environment then).
#[derive(Debug, Clone, Copy)]
pub struct Login {
    /// The login's secret as the subject of a sentence: "VONAGE_API_SECRET still works".
    name: &'static str,
    /// The secret itself: "it must not be the secret in VONAGE_API_SECRET".
    secret: &'static str,
    /// The secret after "was": "the revoked secret was the one in VONAGE_API_SECRET".
    one: &'static str,
    /// The account of the credentials: "abcd1234 (the account of VONAGE_API_KEY)".
    account: &'static str,
    sandbox: bool,
}

/// The demo credentials' words, for every phrase alike.
const DEMO_SECRET_WORDS: &str = "the demo account's built-in secret";

impl Login {
    const ENVIRONMENT: Login = Login {
        name: "VONAGE_API_SECRET",
        secret: "the secret in VONAGE_API_SECRET",
        one: "the one in VONAGE_API_SECRET",
        account: "the account of VONAGE_API_KEY",
        sandbox: false,
    };
    const SANDBOX: Login = Login {
        name: DEMO_SECRET_WORDS,
        secret: DEMO_SECRET_WORDS,
        one: DEMO_SECRET_WORDS,
        account: "the demo account the command logs in as",
        sandbox: true,
    };

    /// The login's secret as the subject of a sentence: "VONAGE_API_SECRET still works".
    pub fn name(self) -> &'static str {
        self.name
    }

    /// The secret itself: "it must not be the secret in VONAGE_API_SECRET".
    pub fn secret(self) -> &'static str {
        self.secret
    }

    /// The secret after "was": "the revoked secret was the one in VONAGE_API_SECRET".
    pub fn one(self) -> &'static str {
        self.one
    }

    /// The account of the credentials: "abcd1234 (the account of VONAGE_API_KEY)".
    pub fn account(self) -> &'static str {
        self.account
    }

    /// Whether the login is the embedded sandbox's, whose state ends with the command.
    pub fn is_sandbox(self) -> bool {
        self.sandbox
    }
}
