//! The commands: credentials, the client (or the embedded sandbox), and what each command does.

use std::io::{IsTerminal, Read, Write};

use chrono::Utc;
use secrecy::{ExposeSecret, SecretString};
use vonage_secrets::{Client, Error, MakeRoom, NewSecretState, Refusal, RotationError, Secrets};
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
            let secrets = session.secrets(global);
            revoke(global, &secrets, id, session.own(&secrets))
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
            dry_run,
        } => {
            let make_room = parse_make_room(make_room)?;
            let chosen = new_secret(source)?;
            let session = Session::connect(global)?;
            let secrets = session.secrets(global);
            let plan = RotatePlan {
                own: session.own(&secrets),
                revoke_old: *revoke_old,
                make_room,
            };
            if *dry_run {
                dry_run_rotate(global, &secrets, chosen, plan)
            } else {
                rotate(global, &secrets, chosen, plan)
            }
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

    /// Whether `secrets` are those of the account whose credentials the command holds.
    fn own(&self, secrets: &Secrets<'_>) -> bool {
        secrets.account() == self.client.api_key()
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
    match &args.secret {
        Some(_) => Err(secret_argument_refused("--secret")),
        None => Ok(()),
    }
}

/// The error for a command line the parser refused because of a value that looks like a
/// secret: it says why, and does not repeat the value.
pub fn secret_in_arguments() -> Failure {
    secret_argument_refused("an argument that looks like a secret")
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
        // Typed at a terminal: read without echo, so the secret never shows on screen.
        note("reading the secret from the terminal: type it and press Enter (it is not shown)");
        let typed = SecretString::from(rpassword::read_password().map_err(|e| {
            Failure::new(
                Exit::Other,
                format!(
                    "could not read the secret from the terminal ({e}); pipe it on stdin \
                     instead, for example `vonage-secrets create --secret-stdin < secret.txt`"
                ),
            )
        })?);
        raw = typed.expose_secret().as_bytes().to_vec();
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
        output::print(&output::secrets_table(&list, Utc::now()))?;
    }
    Ok(())
}

fn get(global: &Global, secrets: &Secrets<'_>, id: &str) -> Outcome {
    let secret = secrets.get(id)?;
    if global.json {
        output::print_json(&SecretJson::new(&secret, None))?;
    } else {
        output::print(&output::secrets_table(
            std::slice::from_ref(&secret),
            Utc::now(),
        ))?;
    }
    Ok(())
}

fn revoke(global: &Global, secrets: &Secrets<'_>, id: &str, own: bool) -> Outcome {
    // On the own account, the secrets before, to say which remain if the login goes.
    let before = if own { secrets.list().ok() } else { None };
    secrets.revoke(id)?;
    if global.json {
        output::print_json(&output::RevokedJson {
            account: secrets.account(),
            revoked: id,
        })?;
    } else {
        output::print(&format!(
            "revoked secret {id} of account {}\n",
            secrets.account()
        ))?;
    }
    if !own {
        return Ok(());
    }
    // The API does not say which secret VONAGE_API_SECRET is: check that it still works.
    match secrets.list() {
        Ok(_) => Ok(()),
        Err(Error::Unauthorized { .. }) => {
            let remaining: Vec<String> = before
                .iter()
                .flatten()
                .map(|s| s.id.to_string())
                .filter(|other| other != id)
                .collect();
            Err(Failure::new(
                Exit::Unauthorized,
                login_lost_message(secrets.account(), id, &remaining, "No secret was created."),
            ))
        }
        Err(e) => {
            note(&format!(
                "warning: could not check that VONAGE_API_SECRET still works after the \
                 revocation ({}); run `vonage-secrets list`: if it exits 4, the revoked secret \
                 was the one in VONAGE_API_SECRET",
                describe(&e)
            ));
            Ok(())
        }
    }
}

/// What to say when the secret in VONAGE_API_SECRET was revoked before a new secret the
/// operator holds was proven to work: what happened, which secrets remain, who can still act.
fn login_lost_message(account: &str, revoked: &str, remaining: &[String], created: &str) -> String {
    let remaining = match remaining {
        [] => "The command does not know which secret the account still has".to_owned(),
        [only] => format!("The account's only secret now is {only}"),
        many => format!("The account's secrets now are {}", many.join(", ")),
    };
    format!(
        "secret {revoked} was the one in VONAGE_API_SECRET: it is revoked, and these credentials \
         no longer work on account {account}. {created} {remaining}: only a program or person \
         holding that secret can act on the account now (for example `vonage-secrets rotate` \
         with it in VONAGE_API_SECRET), or the primary account's credentials with --account \
         {account}, if {account} is a secondary account. Running this command again with the \
         same VONAGE_API_SECRET cannot work"
    )
}

fn create(global: &Global, secrets: &Secrets<'_>, chosen: Option<SecretString>) -> Outcome {
    let generated = chosen.is_none();
    let value = chosen.unwrap_or_else(vonage_secrets_policy::generate);
    let created = secrets.create(value.expose_secret())?;
    let shown = generated.then(|| value.expose_secret());
    let printed = if global.json {
        output::print_json(&SecretJson::new(&created, shown))
    } else {
        let mut text = output::secrets_table(std::slice::from_ref(&created), Utc::now());
        if let Some(secret) = shown {
            text.push_str(&format!("new secret: {secret}\n"));
        }
        output::print(&text)
    };
    if generated {
        printed.map_err(|e| secret_not_printed(e, secrets.account(), &created.id))?;
        remind_to_store();
    } else {
        printed?;
    }
    Ok(())
}

fn remind_to_store() {
    note(
        "store the new secret now: it was printed once, on stdout, and Vonage never shows a \
         secret again",
    );
}

/// What `rotate` is asked to do, beyond the new secret.
struct RotatePlan {
    /// The account is the one whose credentials the command holds.
    own: bool,
    revoke_old: bool,
    make_room: MakeRoom,
}

fn rotation<'a>(
    secrets: &Secrets<'a>,
    chosen: Option<&SecretString>,
    plan: &RotatePlan,
) -> vonage_secrets::Rotation<'a> {
    let mut rotation = secrets
        .rotation()
        .revoke_old(plan.revoke_old)
        .make_room(plan.make_room.clone());
    if let Some(secret) = chosen {
        rotation = rotation.new_secret(secret.expose_secret());
    }
    rotation
}

fn rotate(
    global: &Global,
    secrets: &Secrets<'_>,
    chosen: Option<SecretString>,
    plan: RotatePlan,
) -> Outcome {
    let generated = chosen.is_none();
    if let (true, MakeRoom::Revoke(id)) = (plan.own, &plan.make_room) {
        note(&format!(
            "note: if account {} has two secrets, --make-room {id} revokes that one before the \
             new secret exists. It must not be the secret in VONAGE_API_SECRET (the API does not \
             say which id that is): the command checks afterwards that VONAGE_API_SECRET still \
             works",
            secrets.account()
        ));
    }
    let mut progress = progress::Stderr;
    let rotation = rotation(secrets, chosen.as_ref(), &plan)
        .on_event(|event| progress::report(event, &mut progress));
    match rotation.run() {
        Ok(report) => {
            let shown = generated.then(|| report.new_secret.expose_secret());
            let revoked: Vec<&str> = report.revoked.iter().map(|id| id.as_str()).collect();
            let printed = if global.json {
                output::print_json(&RotationJson {
                    account: &report.account,
                    new_id: Some(report.new_secret_id.as_str()),
                    secret: shown,
                    verified: report.verified,
                    revoked,
                    resumed: report.resumed,
                    completed: true,
                    failed_step: None,
                })
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
                output::print(&output::fields(&fields))
            };
            if generated {
                printed
                    .map_err(|e| secret_not_printed(e, &report.account, &report.new_secret_id))?;
                remind_to_store();
            } else {
                printed?;
            }
            match report.login_works {
                Some(false) => note(&format!(
                    "VONAGE_API_SECRET no longer works on account {}: its secret was revoked; \
                     use the new secret from now on",
                    report.account
                )),
                Some(true) => note("checked: VONAGE_API_SECRET still works"),
                _ => {}
            }
            if !plan.revoke_old {
                let keep = if plan.own {
                    " (keep the old secret in VONAGE_API_SECRET for that run)"
                } else {
                    ""
                };
                note(&format!(
                    "next: deploy the new secret, then finish with the same command plus \
                     `--secret-stdin --revoke-old`, the new secret on stdin{keep}: it resumes, \
                     revokes the old secret, and creates nothing"
                ));
            }
            Ok(())
        }
        // Refused before anything was sent.
        Err(failed)
            if matches!(
                failed.error(),
                Error::Policy(_) | Error::Refused(Refusal::NewSecretIsLogin { .. })
            ) =>
        {
            Err(rotate_refused(failed.error(), plan.own))
        }
        Err(failed) => rotation_failed(global, &failed, generated, plan.own),
    }
}

/// A generated secret exists on the account but could not be printed (stdout is closed).
fn secret_not_printed(failure: Failure, account: &str, id: &vonage_secrets::SecretId) -> Failure {
    Failure::new(
        failure.exit,
        format!(
            "the new secret {id} of account {account} was created, but stdout is closed and its \
             value could not be printed; nobody has it. Revoke it with `vonage-secrets revoke \
             {id}` (with a secret that still works in VONAGE_API_SECRET) and rotate again with \
             stdout open"
        ),
    )
}

/// `rotate --dry-run`: what a run would do, changing nothing. Exits as the run would when it
/// would be refused.
fn dry_run_rotate(
    global: &Global,
    secrets: &Secrets<'_>,
    chosen: Option<SecretString>,
    plan: RotatePlan,
) -> Outcome {
    let found = rotation(secrets, chosen.as_ref(), &plan).dry_run()?;
    let refusal = found
        .refused
        .as_ref()
        .map(|e| rotate_refused_message(e, plan.own));
    let ids = |list: &[vonage_secrets::SecretId]| -> Vec<String> {
        list.iter().map(|id| id.to_string()).collect()
    };
    if global.json {
        output::print_json(&output::DryRunJson {
            account: &found.account,
            dry_run: true,
            own_account: found.own_account,
            secrets: ids(&found.secrets),
            resumes: found.resumes,
            make_room: found.make_room.as_ref().map(|id| id.to_string()),
            creates: found.creates,
            revokes: ids(&found.revokes),
            refused: refusal.clone(),
        })?;
    } else {
        let list = |ids: Vec<String>| {
            if ids.is_empty() {
                "none".to_owned()
            } else {
                ids.join(", ")
            }
        };
        let account = if found.own_account {
            format!("{} (the account of VONAGE_API_KEY)", found.account)
        } else {
            found.account.clone()
        };
        let fields = vec![
            ("account", account),
            ("secrets", list(ids(&found.secrets))),
            ("resumes", yes_no(found.resumes).to_owned()),
            (
                "make room",
                found
                    .make_room
                    .as_ref()
                    .map_or("none".to_owned(), |id| format!("revoke {id}")),
            ),
            ("create", yes_no(found.creates).to_owned()),
            ("revoke old", list(ids(&found.revokes))),
            ("refused", yes_no(refusal.is_some()).to_owned()),
        ];
        output::print(&output::fields(&fields))?;
    }
    note("dry run: nothing was changed");
    match (found.refused, refusal) {
        (Some(error), Some(message)) => Err(Failure::new(
            Exit::of(&error),
            format!("the rotation would be refused: {message}"),
        )),
        _ => Ok(()),
    }
}

/// A rotation refused before it changed anything, in this command's words.
fn rotate_refused(error: &Error, own: bool) -> Failure {
    Failure::new(Exit::of(error), rotate_refused_message(error, own))
}

fn rotate_refused_message(error: &Error, own: bool) -> String {
    match error {
        Error::Refused(Refusal::NewSecretIsLogin { account }) => format!(
            "the secret on stdin is the one in VONAGE_API_SECRET, the secret this command logs in \
             to account {account} with; it is not a new secret, and nothing was sent. Pipe the \
             new secret (the one the first run printed) with the old secret still in \
             VONAGE_API_SECRET. If VONAGE_API_SECRET already holds the new secret, put the old \
             one back there for this run"
        ),
        Error::Refused(Refusal::OldestOnOwnAccount { account, secrets }) => format!(
            "account {account} already has 2 secrets ({}), and --make-room oldest is refused on \
             your own account: the API does not say which of them is the secret in \
             VONAGE_API_SECRET, and if it is the oldest, revoking it would lock this command out \
             before the new secret exists. Nothing changed. Find the id your programs do not use \
             (never the secret in VONAGE_API_SECRET) and pass --make-room ID, or revoke it with \
             `vonage-secrets revoke ID`. For a secondary account, --account KEY logs in as the \
             primary account, and --make-room oldest is safe there",
            secrets
                .iter()
                .map(|id| id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Error::LimitReached { api_key, .. } if own => format!(
            "account {api_key} already has 2 secrets, the maximum. Nothing changed. To make room, \
             find the id your programs do not use (never the secret in VONAGE_API_SECRET; \
             `vonage-secrets list` shows the ids) and pass --make-room ID; --make-room oldest is \
             refused on your own account, because the API does not say which secret is the one \
             in VONAGE_API_SECRET"
        ),
        Error::LimitReached { api_key, .. } => format!(
            "account {api_key} already has 2 secrets, the maximum. Nothing changed. To make room, \
             pass --make-room oldest if the older secret is unused, or --make-room ID \
             (`vonage-secrets --account {api_key} list` shows the ids)"
        ),
        other => describe(other),
    }
}

/// A failed rotation: prints the new secret if it may exist and the operator does not have it
/// (it was generated), and says what is true now and how to go on.
fn rotation_failed(global: &Global, failed: &RotationError, generated: bool, own: bool) -> Outcome {
    let state = failed.state();
    let may_exist = matches!(
        state.new_secret,
        NewSecretState::Unknown | NewSecretState::Created { .. }
    );
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
            output::print(&format!("new secret: {secret}\n"))?;
        }
        remind_to_store();
    }
    let account = failed.account();
    let head = format!(
        "rotating the secret of account {account} failed while {}",
        failed.step()
    );
    let remaining: Vec<String> = state
        .remaining
        .iter()
        .flatten()
        .map(|id| id.to_string())
        .collect();
    let exit = Exit::of(failed.error());

    if state.login_lost() {
        let revoked = state.revoked.last().map_or("?", |id| id.as_str());
        let created = match &state.new_secret {
            NewSecretState::NotCreated => "No new secret was created.",
            _ => "The new secret did not work yet.",
        };
        return Err(Failure::new(
            exit,
            format!(
                "{head}: {}",
                login_lost_message(account, revoked, &remaining, created)
            ),
        ));
    }
    if let NewSecretState::Revoked { id } = &state.new_secret {
        let kept = remaining.join(", ");
        let who = match (own, state.login_works) {
            (true, Some(true)) => format!(
                "VONAGE_API_SECRET still works, and its secret is the account's only one ({kept})"
            ),
            (false, Some(true)) => format!(
                "the credentials in VONAGE_API_SECRET still act on it; its only secret is {kept}"
            ),
            _ => format!(
                "the account's only secret is {kept}: only a program or person holding it can act \
                 on the account now"
            ),
        };
        return Err(Failure::new(
            exit,
            format!(
                "{head}: the secret on stdin was {id}, the older secret, not the newest one: the \
                 command took {kept} for the new secret and revoked {id}, the secret on stdin \
                 itself, which no longer works. {who}. To rotate, run `vonage-secrets rotate` \
                 again without --secret-stdin (a new secret is generated)"
            ),
        ));
    }
    if matches!(
        failed.error(),
        Error::Refused(_) | Error::LimitReached { .. }
    ) && state.is_unchanged()
    {
        return Err(Failure::new(
            exit,
            format!("{head}: {}", rotate_refused_message(failed.error(), own)),
        ));
    }

    let mut message = format!(
        "{head}: {} State: {}.",
        describe(failed.error()),
        state_in_words(state, own)
    );
    if state.can_resume() {
        if state.new_secret == NewSecretState::NotCreated {
            message.push_str(
                " No new secret was created: run the same command again (the account has room \
                 now); it creates the new secret.",
            );
        } else if secret_shown {
            message.push_str(
                " To finish, run the same command again with the new secret printed on stdout \
                 piped to --secret-stdin: it resumes and creates no second secret.",
            );
        } else {
            message.push_str(
                " To finish, run the same command again with the same secret on stdin: it \
                 resumes and creates no second secret.",
            );
        }
        if own && !state.revoked.is_empty() && state.login_works.is_none() {
            message.push_str(
                " It could not be checked whether VONAGE_API_SECRET still works: run \
                 `vonage-secrets list` first; if it exits 4, the revoked secret was the one in \
                 VONAGE_API_SECRET.",
            );
        }
    } else {
        message.push_str(" Nothing changed: fix the cause and run the command again.");
    }
    Err(Failure::new(exit, message))
}

/// The library's account state, with the login named as the operator knows it.
fn state_in_words(state: &vonage_secrets::AccountState, own: bool) -> String {
    let text = state.to_string();
    if own {
        text.replace("the client's own credentials", "VONAGE_API_SECRET")
    } else {
        text.replace(
            "the client's own credentials",
            "the credentials in VONAGE_API_SECRET",
        )
    }
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
        let text = match &violations {
            None => "valid: the secret meets every rule\n".to_owned(),
            Some(violations) => {
                let mut text = format!(
                    "invalid: the secret breaks {} of the rules:\n",
                    violations.len()
                );
                for v in violations {
                    text.push_str(&format!("- {v}\n"));
                }
                text
            }
        };
        output::print(&text)?;
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
        output::print(&format!("{}\n", secret.expose_secret()))?;
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
