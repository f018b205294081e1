//! The commands: credentials, the client (or the embedded sandbox), and what each command does.

use std::io::{BufRead, IsTerminal, Read, Write};

use chrono::Utc;
use secrecy::{ExposeSecret, SecretString};
use vonage_secrets::{Client, Error, MakeRoom, NewSecretState, RotationError, Secrets};
use vonage_secrets_policy::{Alphabet, Generator, Violation};
use vonage_secrets_sandbox::Sandbox;

use crate::cli::{Cli, Command, Global, NewSecretSource, RefusedSecretArgs};
use crate::failure::{Exit, Failure, describe};
use crate::output::{self, RotationJson, SecretJson};
use crate::progress;

/// The demo primary account of `--sandbox`.
pub const DEMO_ACCOUNT: &str = "abcd1234";
/// Its secret (a demo value; the sandbox lives only as long as the command).
const DEMO_SECRET: &str = "Sandbox-Secret-1";
/// The demo secondary account of `--sandbox`, owned by [`DEMO_ACCOUNT`].
pub const DEMO_SECONDARY: &str = "abcd5678";
const DEMO_SECONDARY_SECRET: &str = "Sandbox-Secret-2";

const USER_AGENT: &str = concat!("vonage-secrets-cli/", env!("CARGO_PKG_VERSION"));

type Outcome = Result<(), Failure>;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Outcome {
    let global = &cli.global;
    if global.api_secret.is_some() {
        return Err(secret_argument_refused("--api-secret"));
    }
    match &cli.command {
        Command::Generate { length, symbols } => generate(global, *length, *symbols),
        Command::Validate { refused } => {
            refuse(refused)?;
            validate(global)
        }
        Command::List => {
            let session = Session::connect(global)?;
            list(global, &session.secrets(global))
        }
        Command::Get { id } => {
            let session = Session::connect(global)?;
            get(global, &session.secrets(global), id)
        }
        Command::Revoke { id } => {
            let session = Session::connect(global)?;
            revoke(global, &session.secrets(global), id)
        }
        Command::Create { source } => {
            let chosen = new_secret(source)?;
            let session = Session::connect(global)?;
            create(global, &session.secrets(global), chosen)
        }
        Command::Rotate {
            source,
            revoke_old,
            make_room,
        } => {
            let make_room = parse_make_room(make_room)?;
            let chosen = new_secret(source)?;
            let session = Session::connect(global)?;
            rotate(
                global,
                &session.secrets(global),
                chosen,
                *revoke_old,
                make_room,
            )
        }
    }
}

/// The client, and the embedded sandbox it talks to with `--sandbox` (kept alive as long as
/// the session).
struct Session {
    client: Client,
    _sandbox: Option<Sandbox>,
}

impl Session {
    fn connect(global: &Global) -> Result<Session, Failure> {
        let (builder, sandbox) = if global.sandbox {
            let sandbox = Sandbox::builder()
                .account(DEMO_ACCOUNT, DEMO_SECRET)
                .secondary(DEMO_ACCOUNT, DEMO_SECONDARY, DEMO_SECONDARY_SECRET)
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
                 secondary account {DEMO_SECONDARY}; nothing leaves this machine, and its state \
                 ends with the command",
                sandbox.base_url()
            ));
            let builder = Client::builder(DEMO_ACCOUNT, DEMO_SECRET).base_url(sandbox.base_url());
            (builder, Some(sandbox))
        } else {
            let (key, secret) = credentials_from_env()?;
            let mut builder = Client::builder(key, secret.expose_secret());
            let base_url = global
                .base_url
                .clone()
                .or_else(|| non_empty_env("VONAGE_API_BASE_URL"));
            if let Some(url) = base_url {
                builder = builder.base_url(url);
            }
            (builder, None)
        };
        let mut builder = match &global.ca_bundle {
            Some(file) => builder.ca_bundle(file),
            None => builder.ca_bundle_from_env(),
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
            _sandbox: sandbox,
        })
    }

    fn secrets(&self, global: &Global) -> Secrets<'_> {
        match &global.account {
            Some(account) => self.client.secrets_of(account.as_str()),
            None => self.client.secrets(),
        }
    }
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn credentials_from_env() -> Result<(String, SecretString), Failure> {
    let key = non_empty_env("VONAGE_API_KEY");
    let secret = non_empty_env("VONAGE_API_SECRET").map(SecretString::from);
    match (key, secret) {
        (Some(key), Some(secret)) => Ok((key, secret)),
        (key, secret) => {
            let missing = match (key.is_none(), secret.is_none()) {
                (true, true) => "VONAGE_API_KEY and VONAGE_API_SECRET are not set",
                (true, false) => "VONAGE_API_KEY is not set",
                _ => "VONAGE_API_SECRET is not set",
            };
            Err(Failure::usage(format!(
                "no credentials: {missing}. Set both in the environment (never as arguments, \
                 which leak through `ps` and shell history), for example:\n  \
                 export VONAGE_API_KEY=abcd1234\n  \
                 read -rs VONAGE_API_SECRET && export VONAGE_API_SECRET\n\
                 or try the command against a demo account with --sandbox, for example \
                 `vonage-secrets --sandbox list`"
            )))
        }
    }
}

/// A line on stderr for the operator (not part of the result).
fn note(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

fn secret_argument_refused(what: &str) -> Failure {
    Failure::usage(format!(
        "a secret is never taken from an argument ({what}): arguments leak through `ps` and \
         shell history. Pipe it on stdin with --secret-stdin (or let the command generate one \
         with --generate); credentials come from VONAGE_API_KEY and VONAGE_API_SECRET. If that \
         argument was a real secret, consider it leaked and rotate it"
    ))
}

fn refuse(args: &RefusedSecretArgs) -> Outcome {
    match (&args.secret, args.stray.is_empty()) {
        (Some(_), _) => Err(secret_argument_refused("--secret")),
        (None, false) => Err(secret_argument_refused("a positional argument")),
        (None, true) => Ok(()),
    }
}

/// The secret chosen on stdin (`--secret-stdin`), checked against the rules and with the
/// policy crate's advice on stderr if it is weak; `None` when the command is to generate one.
fn new_secret(source: &NewSecretSource) -> Result<Option<SecretString>, Failure> {
    refuse(&source.refused)?;
    if !source.secret_stdin {
        return Ok(None);
    }
    let secret = read_secret_from_stdin()?;
    if let Err(violations) = vonage_secrets_policy::validate(secret.expose_secret()) {
        return Err(Failure::from(Error::Policy(violations)));
    }
    for advice in advice(secret.expose_secret()) {
        note(&format!("warning: the new secret is weak: {advice}"));
    }
    Ok(Some(secret))
}

/// One line from stdin, without its line ending.
fn read_secret_from_stdin() -> Result<SecretString, Failure> {
    let stdin = std::io::stdin();
    let mut raw = Vec::new();
    if stdin.is_terminal() {
        note("reading the secret from stdin: type it and press Enter (it is shown as you type)");
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        raw = line.into_bytes();
    } else {
        stdin.lock().take(64 * 1024).read_to_end(&mut raw)?;
    }
    let text = String::from_utf8(raw).map_err(|_| {
        Failure::usage(
            "the secret on stdin is not UTF-8 text; give it as one line of printable ASCII",
        )
    })?;
    let text = SecretString::from(text);
    let trimmed = text.expose_secret();
    let trimmed = trimmed.strip_suffix('\n').unwrap_or(trimmed);
    let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
    if trimmed.is_empty() {
        return Err(Failure::usage(
            "stdin is empty: pipe the secret in, for example `vonage-secrets create \
             --secret-stdin < new-secret.txt`, or let the command generate one (--generate)",
        ));
    }
    if trimmed.contains('\n') {
        return Err(Failure::usage(
            "stdin holds more than one line: give the secret alone, on one line",
        ));
    }
    Ok(SecretString::from(trimmed.to_owned()))
}

/// The policy crate's advice on a weak secret, in this command's words.
fn advice(secret: &str) -> Vec<String> {
    vonage_secrets_policy::advise(secret)
        .iter()
        .map(|a| {
            a.to_string()
                .replace("`generate()`", "`vonage-secrets generate` or --generate")
        })
        .collect()
}

fn parse_make_room(value: &str) -> Result<MakeRoom, Failure> {
    match value {
        "refuse" => Ok(MakeRoom::Refuse),
        "oldest" => Ok(MakeRoom::RevokeOldest),
        "" => Err(Failure::usage(
            "--make-room needs a value: refuse, oldest, or the id of the secret to revoke",
        )),
        id => Ok(MakeRoom::Revoke(id.into())),
    }
}

fn list(global: &Global, secrets: &Secrets<'_>) -> Outcome {
    let list = secrets.list()?;
    if global.json {
        let json: Vec<SecretJson<'_>> = list.iter().map(|s| SecretJson::new(s, None)).collect();
        output::print_json(&json)?;
    } else {
        print!("{}", output::secrets_table(&list, Utc::now()));
    }
    Ok(())
}

fn get(global: &Global, secrets: &Secrets<'_>, id: &str) -> Outcome {
    let secret = secrets.get(id)?;
    if global.json {
        output::print_json(&SecretJson::new(&secret, None))?;
    } else {
        print!(
            "{}",
            output::secrets_table(std::slice::from_ref(&secret), Utc::now())
        );
    }
    Ok(())
}

fn revoke(global: &Global, secrets: &Secrets<'_>, id: &str) -> Outcome {
    secrets.revoke(id)?;
    if global.json {
        output::print_json(&output::RevokedJson {
            account: secrets.account(),
            revoked: id,
        })?;
    } else {
        println!("revoked secret {id} of account {}", secrets.account());
    }
    Ok(())
}

fn create(global: &Global, secrets: &Secrets<'_>, chosen: Option<SecretString>) -> Outcome {
    let generated = chosen.is_none();
    let value = chosen.unwrap_or_else(vonage_secrets_policy::generate);
    let created = secrets.create(value.expose_secret())?;
    let shown = generated.then(|| value.expose_secret());
    if global.json {
        output::print_json(&SecretJson::new(&created, shown))?;
    } else {
        print!(
            "{}",
            output::secrets_table(std::slice::from_ref(&created), Utc::now())
        );
        if let Some(secret) = shown {
            println!("new secret: {secret}");
        }
    }
    if generated {
        remind_to_store();
    }
    Ok(())
}

fn remind_to_store() {
    note(
        "store the new secret now: it was printed once, on stdout, and Vonage never shows a \
         secret again",
    );
}

fn rotate(
    global: &Global,
    secrets: &Secrets<'_>,
    chosen: Option<SecretString>,
    revoke_old: bool,
    make_room: MakeRoom,
) -> Outcome {
    let generated = chosen.is_none();
    let mut progress = progress::Stderr;
    let mut rotation = secrets
        .rotation()
        .revoke_old(revoke_old)
        .make_room(make_room)
        .on_event(|event| progress::report(event, &mut progress));
    if let Some(secret) = &chosen {
        rotation = rotation.new_secret(secret.expose_secret());
    }
    match rotation.run() {
        Ok(report) => {
            let shown = generated.then(|| report.new_secret.expose_secret());
            let revoked: Vec<&str> = report.revoked.iter().map(|id| id.as_str()).collect();
            if global.json {
                output::print_json(&RotationJson {
                    account: &report.account,
                    new_id: Some(report.new_secret_id.as_str()),
                    secret: shown,
                    verified: report.verified,
                    revoked,
                    resumed: report.resumed,
                    completed: true,
                    failed_step: None,
                })?;
            } else {
                let mut fields = vec![
                    ("account", report.account.clone()),
                    ("new id", report.new_secret_id.to_string()),
                ];
                if let Some(secret) = shown {
                    fields.push(("new secret", secret.to_owned()));
                }
                fields.push(("verified", yes_no(report.verified).to_owned()));
                fields.push((
                    "revoked",
                    if revoked.is_empty() {
                        "none".to_owned()
                    } else {
                        revoked.join(", ")
                    },
                ));
                print!("{}", output::fields(&fields));
            }
            if generated {
                remind_to_store();
            }
            if !revoke_old {
                note(
                    "next: deploy the new secret, then finish with the same command plus \
                     `--secret-stdin --revoke-old`, the new secret on stdin: it resumes, revokes \
                     the old secret, and creates nothing",
                );
            }
            Ok(())
        }
        Err(Error::Rotation(failed)) => rotation_failed(global, &failed, generated),
        Err(other) => Err(other.into()),
    }
}

/// A failed rotation: prints the new secret if it may exist and the operator does not have it
/// (it was generated), and says how to finish.
fn rotation_failed(global: &Global, failed: &RotationError, generated: bool) -> Outcome {
    let state = failed.state();
    let may_exist = state.new_secret != NewSecretState::NotCreated;
    let secret_shown = generated && may_exist;
    if secret_shown {
        let secret = failed.new_secret().expose_secret();
        let new_id = match &state.new_secret {
            NewSecretState::Created { id, .. } => Some(id.as_str()),
            _ => None,
        };
        if global.json {
            output::print_json(&RotationJson {
                account: failed.account(),
                new_id,
                secret: Some(secret),
                verified: matches!(
                    state.new_secret,
                    NewSecretState::Created { verified: true, .. }
                ),
                revoked: state.revoked.iter().map(|id| id.as_str()).collect(),
                resumed: false,
                completed: false,
                failed_step: Some(step_name(failed)),
            })?;
        } else {
            println!("new secret: {secret}");
        }
        remind_to_store();
    }
    let mut message = format!(
        "rotating the secret of account {} failed while {}: {} State: {}.",
        failed.account(),
        failed.step(),
        describe(failed.error()),
        state
    );
    if may_exist || !state.is_unchanged() {
        message.push_str(if secret_shown {
            " To finish, run the same command again with the new secret printed on stdout \
             piped to --secret-stdin: it resumes and creates no second secret."
        } else {
            " To finish, run the same command again with the same secret on stdin: it resumes \
             and creates no second secret."
        });
    } else {
        message.push_str(" Nothing changed: fix the cause and run the command again.");
    }
    Err(Failure::new(Exit::of(failed.error()), message))
}

fn step_name(failed: &RotationError) -> &'static str {
    match failed.step() {
        vonage_secrets::RotationStep::Check => "check",
        vonage_secrets::RotationStep::List => "list",
        vonage_secrets::RotationStep::MakeRoom => "make_room",
        vonage_secrets::RotationStep::Create => "create",
        vonage_secrets::RotationStep::Verify => "verify",
        vonage_secrets::RotationStep::RevokeOld => "revoke_old",
        _ => "other",
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn validate(global: &Global) -> Outcome {
    let secret = read_secret_from_stdin()?;
    let violations = vonage_secrets_policy::validate(secret.expose_secret()).err();
    let advice: Vec<String> = if violations.is_none() {
        advice(secret.expose_secret())
    } else {
        Vec::new()
    };
    if global.json {
        output::print_json(&output::ValidationJson {
            valid: violations.is_none(),
            violations: violations
                .iter()
                .flatten()
                .map(|v| output::ViolationJson {
                    rule: rule_name(v),
                    message: v.to_string(),
                })
                .collect(),
            advice: advice.clone(),
        })?;
    } else {
        match &violations {
            None => println!("valid: the secret meets every rule"),
            Some(violations) => {
                println!(
                    "invalid: the secret breaks {} of the rules:",
                    violations.len()
                );
                for v in violations {
                    println!("- {v}");
                }
            }
        }
        for a in &advice {
            note(&format!("warning: the secret is weak: {a}"));
        }
    }
    match violations {
        None => Ok(()),
        Some(v) => Err(Failure::new(
            Exit::Policy,
            format!(
                "the secret breaks {} of the rules (listed on stdout). Choose another secret, or \
                 let `vonage-secrets generate` make one that meets every rule",
                v.len()
            ),
        )),
    }
}

fn rule_name(v: &Violation) -> &'static str {
    match v {
        Violation::TooShort { .. } => "too_short",
        Violation::TooLong { .. } => "too_long",
        Violation::MissingLowercase => "missing_lowercase",
        Violation::MissingUppercase => "missing_uppercase",
        Violation::MissingDigit => "missing_digit",
        Violation::NotPortable { .. } => "not_portable",
        _ => "other",
    }
}

fn generate(global: &Global, length: usize, symbols: bool) -> Outcome {
    let alphabet = if symbols {
        Alphabet::AlphanumericAndSafeSymbols
    } else {
        Alphabet::Alphanumeric
    };
    let secret = Generator::new()
        .length(length)
        .map_err(|e| Failure::usage(format!("--length {length}: {e}")))?
        .alphabet(alphabet)
        .generate()
        .map_err(|e| Failure::new(Exit::Other, format!("{e}; try again")))?;
    if global.json {
        output::print_json(&output::GeneratedJson {
            secret: secret.expose_secret(),
        })?;
    } else {
        println!("{}", secret.expose_secret());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn make_room_values() {
        assert_eq!(parse_make_room("refuse").unwrap(), MakeRoom::Refuse);
        assert_eq!(parse_make_room("oldest").unwrap(), MakeRoom::RevokeOldest);
        assert_eq!(
            parse_make_room("ad6dc56f").unwrap(),
            MakeRoom::Revoke("ad6dc56f".into())
        );
        assert_eq!(parse_make_room("").unwrap_err().exit, Exit::Usage);
    }
}
