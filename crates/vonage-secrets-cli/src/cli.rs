//! The command line: commands, flags and the help texts.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

const ABOUT: &str = "Manage and rotate the API secrets of a Vonage account";

const LONG_ABOUT: &str = "\
Manage and rotate the API secrets of a Vonage account (the Secret Management API).

Credentials come from the environment only, never from arguments (arguments leak through `ps`
and shell history):
  VONAGE_API_KEY       the api key to authenticate with (the primary account's, to act on a
                       secondary account with --account)
  VONAGE_API_SECRET    its secret
  VONAGE_API_BASE_URL  optional; the same as --base-url
  VONAGE_CA_BUNDLE     optional; the same as --ca-bundle (else SSL_CERT_FILE is used)
  HTTPS_PROXY          optional; the proxy for https requests (else ALL_PROXY; NO_PROXY lists
                       hosts reached directly); HTTP_PROXY is ignored, loopback never proxied

New secrets are generated (--generate, the default) or read from stdin (--secret-stdin), never
taken from an argument. Try every command without an account with --sandbox.";

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  anything else (an unexpected answer from the server, ...)
  2  usage: bad arguments, missing credentials, bad --base-url
  3  policy violation: the secret breaks the rules (checked locally or by the server)
  4  unauthorized: the credentials were refused
  5  the account or the secret was not found
  6  limit reached (2 secrets) or last secret (cannot be revoked)
  7  timeout or transport failure (network, DNS, TLS)
  8  attention: audit found a rotation due, a rotation not finished or an unreachable
     account; or a fleet rotation left accounts failed or was stopped

Examples:
  vonage-secrets --sandbox rotate --revoke-old     the whole rotation against a demo account
  vonage-secrets list --json                       the account's secrets as JSON
  vonage-secrets --account sub12345 rotate         rotate a secondary account's secret";

/// `vonage-secrets`: the parsed command line.
#[derive(Debug, Parser)]
#[command(
    name = "vonage-secrets",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_long_help = AFTER_HELP,
    after_help = "Credentials come from VONAGE_API_KEY and VONAGE_API_SECRET only, never from arguments.\n\
                  Exit codes: 0 ok, 1 other, 2 usage, 3 policy, 4 unauthorized, 5 not found,\n\
                  6 limit or last secret, 7 timeout or transport, 8 attention. More with --help.",
    propagate_version = true,
    term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// The flags every command takes.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Act on this secondary account, with the primary account's credentials
    #[arg(long, global = true, value_name = "KEY")]
    pub account: Option<String>,

    /// The API's base URL (VONAGE_API_BASE_URL, default https://api.nexmo.com)
    #[arg(long, global = true, value_name = "URL", conflicts_with = "sandbox")]
    pub base_url: Option<String>,

    /// The budget of each request in seconds, retries included [default: 30]
    #[arg(long, global = true, value_name = "SECS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,

    /// Also trust the CAs in this PEM file (else VONAGE_CA_BUNDLE, SSL_CERT_FILE)
    ///
    /// One or more certificates, trusted on top of the built-in roots.
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_bundle: Option<PathBuf>,

    /// Print the result as JSON (stable; see the README)
    #[arg(long, global = true)]
    pub json: bool,

    /// Use an embedded sandbox with a demo account: no account, no network
    #[arg(long, global = true)]
    pub sandbox: bool,

    /// Log requests to stderr (method, path, status, timing; never a secret)
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the account's secrets (one or two), oldest first
    List,

    /// Show one secret's id and creation time
    Get {
        /// The secret's id
        id: String,
    },

    /// Create a new secret (an account has at most two)
    #[command(
        after_help = "The new secret is generated unless --secret-stdin is given. A \
                            generated secret is printed once,\non stdout: store it at once."
    )]
    Create {
        #[command(flatten)]
        source: NewSecretSource,
    },

    /// Revoke a secret (an account keeps at least one)
    Revoke {
        /// The secret's id
        id: String,
    },

    /// Rotate the secret: list, make room, create, verify, and revoke the old one
    #[command(long_about = "\
Rotate the account's secret without downtime: list the secrets, make room if there are two
(--make-room), create the new secret, verify it by authenticating with it, and with --revoke-old
revoke every other secret, authenticating with the new secret.

Each step is reported on stderr, the result goes to stdout. A generated new secret is printed
once, on stdout. If a step fails after the new secret was created, the secret is still printed
and the error says how to finish (usually: run the same command again with that secret on stdin,
--secret-stdin; it creates no second secret).

Your own account (no --account): the API never says which secret id is the one in
VONAGE_API_SECRET, so the command never guesses. With two secrets, --make-room oldest is
refused; find the id your programs do not use and pass --make-room ID, which must not be the
secret in VONAGE_API_SECRET (the command checks afterwards, and says so if it was). A secret on
stdin equal to VONAGE_API_SECRET is refused: keep the old secret in VONAGE_API_SECRET and pipe
the new one. With --account KEY the command logs in as the primary account, and --make-room
oldest is safe there.

--dry-run lists the secrets and says what would be revoked and created, and whether the run
would be refused, changing nothing.")]
    Rotate {
        #[command(flatten)]
        source: NewSecretSource,

        /// Then revoke every other secret (deploy the new one first!)
        #[arg(long)]
        revoke_old: bool,

        /// With 2 secrets: refuse (default), oldest, or the ID to revoke
        #[arg(
            long,
            long_help = "With 2 secrets: refuse (default), oldest, or the ID to revoke.\n\
                         On your own account oldest is refused, and the ID must not be the \
                         secret in\nVONAGE_API_SECRET.",
            value_name = "refuse|oldest|ID",
            default_value = "refuse",
            hide_default_value = true
        )]
        make_room: String,

        /// Say what would be revoked and created, and whether it would be refused
        #[arg(long)]
        dry_run: bool,

        /// Rotate these secondary accounts: all, due, or KEY,KEY,... (with --deploy)
        #[arg(
            long,
            value_name = "all|due|KEYS",
            long_help = "Rotate these secondary accounts: all, due, or KEY,KEY,... With --deploy \
                         every new secret goes to the target and none is printed. Without \
                         --deploy only one account named by its key is taken, as `--account KEY \
                         rotate` takes it (its flags, the new secret printed once)."
        )]
        accounts: Option<String>,

        /// With --accounts: where each new secret goes (exec:CMD, dir:PATH, voximplant:APP/NAME)
        #[arg(
            long,
            value_name = "TARGET",
            requires = "accounts",
            conflicts_with_all = ["dry_run", "secret_stdin", "make_room"],
            long_help = "With --accounts: where each new secret goes.\n\
                         exec:CMD  run CMD (sh -c) with the secret on stdin and VONAGE_API_KEY the \
                         account's key; exit 0 means deployed\n\
                         dir:PATH  write PATH/<api key> (mode 0600, atomically)\n\
                         voximplant:APPLICATION/NAME  store it as the secret NAME of that \
                         Voximplant application (its name or id; empty with --sandbox: \
                         demo-app), added or changed, then read back and compared. {api_key} in \
                         NAME stands for the account's api key; more than one account needs it: \
                         voximplant:my_app/vonage_{api_key}. Credentials as for `vonage-secrets \
                         voximplant` (VOXIMPLANT_CREDENTIALS)"
        )]
        deploy: Option<String>,

        /// With --accounts: how many accounts at once
        #[arg(long, value_name = "N", default_value_t = vonage_secrets::DEFAULT_CONCURRENCY, requires = "accounts")]
        concurrency: usize,

        /// With --accounts: record progress here, and resume from it (never a secret)
        #[arg(long, value_name = "FILE", requires = "accounts")]
        journal: Option<PathBuf>,

        /// With --accounts due: the age past which a rotation is due
        #[arg(long, value_name = "AGE", default_value = "90d", value_parser = crate::commands::parse_age)]
        max_age: Duration,
    },

    /// List the primary account and its secondary accounts, with their secrets' ages
    Accounts,

    /// Say which accounts are due for rotation; exit 8 when any needs attention
    Audit {
        /// A rotation is due when the newest secret is older than this (90d, 12h, ...)
        #[arg(long, value_name = "AGE", default_value = "90d", value_parser = crate::commands::parse_age)]
        max_age: Duration,

        /// Which accounts: all (the primary and its secondary accounts) or KEY,KEY,...
        #[arg(long, value_name = "all|KEYS", default_value = "all")]
        accounts: String,
    },

    /// Check a secret read from stdin against the rules; exit 0 when it is valid
    Validate,

    /// Print a new random secret that meets the rules (no account needed)
    Generate {
        /// Its length, 8 to 25
        #[arg(long, default_value_t = 25, value_name = "N")]
        length: usize,

        /// Draw from A-Z a-z 0-9 and the symbols -_. (default: A-Z a-z 0-9)
        #[arg(long)]
        symbols: bool,
    },

    /// The secrets of a Voximplant application: list, add, get, set, delete
    #[command(long_about = "\
The named secrets of a Voximplant application (for its VoxEngine scenarios): list, add, get,
set, delete. Values are read from stdin only (not shown at a terminal) and printed only by
`get NAME --reveal`.

Credentials: VOXIMPLANT_CREDENTIALS, the path of the service account's credentials.json;
VOXIMPLANT_API_BASE_URL, optional. With --sandbox: the embedded sandbox's demo account and its
application demo-app (the default --application there).

  vonage-secrets voximplant --application my_app list
  vonage-secrets voximplant -a my_app add db_password < value.txt
  vonage-secrets voximplant -a my_app get db_password --reveal
  vonage-secrets voximplant -a my_app delete --all")]
    Voximplant(crate::commands::voximplant::VoxCommand),

    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    #[command(long_about = "\
Print a completion script for SHELL on stdout, generated from the same definitions as --help.

  bash:  vonage-secrets completions bash > ~/.local/share/bash-completion/completions/vonage-secrets
  zsh:   vonage-secrets completions zsh > \"${fpath[1]}/_vonage-secrets\"
  fish:  vonage-secrets completions fish > ~/.config/fish/completions/vonage-secrets.fish")]
    Completions {
        /// The shell
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },

    /// Print the manual page (roff) on stdout: `vonage-secrets man | man -l -`
    #[command(long_about = "\
Print the manual page, in roff, on stdout, generated from the same definitions as --help:
the whole command, or with COMMAND that command's own page.

  vonage-secrets man | man -l -
  vonage-secrets man > /usr/local/share/man/man1/vonage-secrets.1
  vonage-secrets man rotate > /usr/local/share/man/man1/vonage-secrets-rotate.1")]
    Man {
        /// A command, for its own page (vonage-secrets-COMMAND)
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
}

/// Where a new secret comes from.
#[derive(Debug, Args)]
pub struct NewSecretSource {
    /// Generate the new secret (the default)
    #[arg(long, conflicts_with = "secret_stdin")]
    pub generate: bool,

    /// Read the new secret from stdin (one line), not generated
    #[arg(long)]
    pub secret_stdin: bool,
}

/// The flags that would carry a secret. They are no part of the command line: [`secret_flag`]
/// finds them before parsing, so they are refused with a clear error that never repeats their
/// value, and they appear in no help text, completion script or manual page.
const SECRET_FLAGS: [&str; 2] = ["--secret", "--api-secret"];

/// The flag that would carry a secret (`--secret VALUE`, `--api-secret=VALUE`, ...), if the
/// command line has one before a `--` that ends the flags.
pub fn secret_flag(args: &[String]) -> Option<&'static str> {
    args.iter()
        .skip(1)
        .take_while(|arg| *arg != "--")
        .find_map(|arg| {
            let name = arg.split_once('=').map_or(arg.as_str(), |(name, _)| name);
            SECRET_FLAGS.into_iter().find(|flag| *flag == name)
        })
}

/// Whether a command-line value looks like a secret: at least 8 characters with a lower-case
/// letter, an upper-case letter and a digit (what the server demands of every secret). Only
/// such a value, in an argument the parser refused, gets the "never from an argument" error;
/// everything else (a typo such as `--revoke-olds`) gets the parser's own error.
pub fn looks_like_a_secret(value: &str) -> bool {
    value.chars().count() >= 8
        && value.chars().any(|c| c.is_ascii_lowercase())
        && value.chars().any(|c| c.is_ascii_uppercase())
        && value.chars().any(|c| c.is_ascii_digit())
}

/// The argument of a parse error that looks like a secret, if the error would show one: the
/// error must not be printed then.
pub fn secret_in_parse_error(rendered: &str, args: &[String]) -> bool {
    args.iter().skip(1).any(|arg| {
        let value = match arg.split_once('=') {
            Some((_, value)) if arg.starts_with('-') => value,
            _ => arg.as_str(),
        };
        looks_like_a_secret(value) && rendered.contains(value)
    })
}

/// Whether the command line asks for `--json` (before a `--` that ends the flags): parse errors
/// are then reported as JSON too.
pub fn json_requested(args: &[String]) -> bool {
    args.iter()
        .skip(1)
        .take_while(|arg| *arg != "--")
        .any(|arg| arg == "--json")
}

/// A parse error's text without the `error: ` the text form starts with and without styling.
pub fn parse_error_message(error: &clap::Error) -> String {
    let text = error.render().to_string();
    let text = text.trim();
    text.strip_prefix("error: ").unwrap_or(text).to_owned()
}

fn parse_timeout(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .parse()
        .map_err(|_| format!("'{s}' is not a number of seconds; give one such as 30 or 2.5"))?;
    if !(secs > 0.0 && secs <= 3600.0) {
        return Err(format!(
            "{s} is out of range; give a number of seconds above 0 and at most 3600"
        ));
    }
    Duration::try_from_secs_f64(secs).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn only_secret_like_values_count_as_secrets() {
        for secret in ["Leaked-Secret-42x", "Abcdefg1", "--foo=Leaked-Secret-42x"] {
            let args = ["vonage-secrets".to_owned(), secret.to_owned()];
            assert!(
                secret_in_parse_error(&format!("'{secret}'"), &args),
                "{secret}"
            );
        }
        for typo in [
            "--revoke-olds",
            "--foo",
            "oldest",
            "revoke-old",
            "ad6dc56f-07b5-46e1-a527-85530e625800",
            "Abc1",
        ] {
            let args = ["vonage-secrets".to_owned(), typo.to_owned()];
            assert!(
                !secret_in_parse_error(&format!("'{typo}'"), &args),
                "{typo}"
            );
        }
        // Not shown by the error: nothing to hide.
        let args = ["vonage-secrets".to_owned(), "Leaked-Secret-42x".to_owned()];
        assert!(!secret_in_parse_error("error: something else", &args));
    }

    #[test]
    fn secret_flags_are_found_in_every_form_and_only_those() {
        let args = |list: &[&str]| list.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
        for (line, flag) in [
            (
                &["vonage-secrets", "create", "--secret", "x"][..],
                "--secret",
            ),
            (&["vonage-secrets", "create", "--secret=x"], "--secret"),
            (&["vonage-secrets", "validate", "--secret"], "--secret"),
            (
                &["vonage-secrets", "--api-secret", "x", "list"],
                "--api-secret",
            ),
            (
                &["vonage-secrets", "list", "--api-secret=x"],
                "--api-secret",
            ),
        ] {
            assert_eq!(secret_flag(&args(line)), Some(flag), "{line:?}");
        }
        for line in [
            &["vonage-secrets", "create", "--secret-stdin"][..],
            &["vonage-secrets", "revoke", "--", "--secret"],
            &["vonage-secrets", "list", "--secrets"],
            &["--secret"],
        ] {
            assert_eq!(secret_flag(&args(line)), None, "{line:?}");
        }
    }

    #[test]
    fn json_is_asked_for_before_the_end_of_the_flags() {
        let args = |list: &[&str]| list.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
        assert!(json_requested(&args(&["vonage-secrets", "--json", "list"])));
        assert!(json_requested(&args(&["vonage-secrets", "list", "--json"])));
        assert!(!json_requested(&args(&["vonage-secrets", "list"])));
        assert!(!json_requested(&args(&[
            "vonage-secrets",
            "get",
            "--",
            "--json"
        ])));
        assert!(
            !json_requested(&args(&["--json"])),
            "not the program's name"
        );
    }

    #[test]
    fn timeouts_are_positive_seconds() {
        assert_eq!(parse_timeout("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_timeout("30"), Ok(Duration::from_secs(30)));
        for bad in ["0", "-1", "abc", "NaN", "inf", "3601"] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
    }
}
