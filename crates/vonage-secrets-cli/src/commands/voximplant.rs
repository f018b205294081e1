//! `voximplant`: the application secrets of a Voximplant application (list, add, get, set,
//! delete), with the `voximplant-secrets` client. Values come from stdin only.

use std::io::{IsTerminal, Read};

use clap::{Args, Subcommand};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use voximplant_secrets::{Error, NewSecret, SecretRef, SecretUpdate};

use super::{Context, Outcome};
use crate::failure::Failure;
use crate::input;
use crate::output::{self, note};
use crate::vox_session::{VoxSession, application_text, failure, id_or_name};

/// `vonage-secrets voximplant ...`: the parsed arguments.
#[derive(Debug, Args)]
pub struct VoxCommand {
    /// The application, by name or by id (with --sandbox: demo-app unless given)
    #[arg(long, short = 'a', global = true, value_name = "NAME|ID")]
    pub application: Option<String>,

    #[command(subcommand)]
    pub action: VoxAction,
}

/// The five actions on an application's secrets.
#[derive(Debug, Subcommand)]
pub enum VoxAction {
    /// List the application's secrets (names and descriptions, never values)
    List {
        /// Only the secrets whose name contains this text
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
    },
    /// Add a secret; its value is read from stdin (not shown at a terminal)
    Add {
        /// The secret's name: a Latin letter, then up to 63 Latin letters, digits, underscores
        name: String,
        /// A description (the server keeps its first 200 characters)
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
    },
    /// Show a secret's metadata; its value only with --reveal
    Get {
        /// The secret's name, or its id
        #[arg(value_name = "NAME|ID")]
        secret: String,
        /// Print the value on stdout (alone, or as "value" with --json)
        #[arg(long)]
        reveal: bool,
    },
    /// Change a secret's value (from stdin), name or description
    Set {
        /// The secret's name, or its id
        #[arg(value_name = "NAME|ID")]
        secret: String,
        /// Read the new value from stdin (not shown at a terminal)
        #[arg(long)]
        value_stdin: bool,
        /// Rename the secret
        #[arg(long, value_name = "NEW_NAME")]
        rename: Option<String>,
        /// A new description
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
    },
    /// Delete secrets by name or id, or every secret of the application with --all
    Delete {
        /// The secrets' names or ids
        #[arg(value_name = "NAME|ID", conflicts_with = "all")]
        secrets: Vec<String>,
        /// Delete every secret of the application
        #[arg(long)]
        all: bool,
    },
}

fn secret_ref(text: &str) -> SecretRef {
    match id_or_name(text) {
        Ok(id) => SecretRef::Id(id),
        Err(name) => SecretRef::Name(name.to_owned()),
    }
}

/// The command's session: the shared resolution, with the refusals that are this command's.
fn connect(ctx: &Context<'_>, application: Option<&str>) -> Result<VoxSession, Failure> {
    let global = ctx.global;
    if global.account.is_some() || global.base_url.is_some() {
        return Err(Failure::usage(
            "--account and --base-url are the Vonage API's; the Voximplant commands take \
             their credentials from VOXIMPLANT_CREDENTIALS and their base URL from \
             VOXIMPLANT_API_BASE_URL",
        ));
    }
    VoxSession::connect(global, application, None).map_err(|e| {
        e.unwrap_or_else(|| {
            Failure::usage(
                "no application: give it with --application NAME|ID, for example \
                 `vonage-secrets voximplant --application my_app list`",
            )
        })
    })
}

/// `list`: one element per secret.
#[derive(Debug, Serialize)]
struct InfoJson<'a> {
    id: i64,
    name: &'a str,
    description: Option<&'a str>,
    created: Option<&'a str>,
    modified: Option<&'a str>,
}

/// `get`: the metadata, with `value` only with --reveal.
#[derive(Debug, Serialize)]
struct SecretJson<'a> {
    id: Option<i64>,
    name: Option<&'a str>,
    description: Option<&'a str>,
    created: Option<&'a str>,
    modified: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

/// `add`, `set`, `delete`: what was done.
#[derive(Debug, Serialize)]
struct DoneJson<'a> {
    application: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    added: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changed: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted_all: Option<bool>,
    warnings: Vec<String>,
}

fn warn(warnings: &[String]) {
    for w in warnings {
        note(&format!("warning: {w}"));
    }
}

/// The most bytes of a value on stdin: 8192 characters of up to 4 bytes, a line ending, and
/// one more to tell a value that is too long.
const STDIN_LIMIT: u64 = 8192 * 4 + 3;

/// A value from stdin, checked against the rules before anything connects (exit 3). At a
/// terminal it is one line read without echo; piped, it is everything on stdin (a value may
/// span lines, such as a PEM key) without one final line ending.
fn value_from_stdin() -> Result<SecretString, Failure> {
    let value = if std::io::stdin().is_terminal() {
        input::secret_from_stdin()?
    } else {
        let mut raw = Vec::new();
        std::io::stdin()
            .lock()
            .take(STDIN_LIMIT)
            .read_to_end(&mut raw)?;
        let text = SecretString::from(String::from_utf8(raw).map_err(|_| {
            Failure::usage("the value on stdin is not UTF-8 text; give it as UTF-8")
        })?);
        let trimmed = text.expose_secret();
        let trimmed = trimmed.strip_suffix('\n').unwrap_or(trimmed);
        let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
        SecretString::from(trimmed.to_owned())
    };
    if value.expose_secret().is_empty() {
        return Err(Failure::usage(
            "stdin is empty: pipe the value in, for example `vonage-secrets voximplant -a \
             my_app add db_password < value.txt`",
        ));
    }
    let violations = voximplant_secrets::rules::check_value(value.expose_secret());
    if !violations.is_empty() {
        return Err(failure(Error::Rules(
            voximplant_secrets::rules::Violations(violations),
        )));
    }
    Ok(value)
}

pub fn run(ctx: &Context<'_>, command: &VoxCommand) -> Outcome {
    match &command.action {
        VoxAction::List { filter } => {
            let session = connect(ctx, command.application.as_deref())?;
            let secrets = session.secrets();
            let listing = match filter {
                Some(part) => secrets.filter(part.as_str()),
                None => secrets.list(),
            };
            let all = listing.collect::<Result<Vec<_>, _>>().map_err(failure)?;
            if ctx.json() {
                let items: Vec<InfoJson<'_>> = all
                    .iter()
                    .map(|s| InfoJson {
                        id: s.id,
                        name: &s.name,
                        description: s.description.as_deref(),
                        created: s.created.as_deref(),
                        modified: s.modified.as_deref(),
                    })
                    .collect();
                output::print_json(&items)
            } else {
                let rows: Vec<Vec<String>> = all
                    .iter()
                    .map(|s| {
                        vec![
                            s.id.to_string(),
                            s.name.clone(),
                            s.modified.clone().or(s.created.clone()).unwrap_or_default(),
                            s.description.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                output::print(&output::table(
                    &["ID", "NAME", "MODIFIED", "DESCRIPTION"],
                    &rows,
                ))
            }
        }
        VoxAction::Add { name, description } => {
            let value = value_from_stdin()?;
            let mut secret = NewSecret::new(name.as_str(), value);
            if let Some(d) = description {
                secret = secret.description(d.as_str());
            }
            // Every rule (name, value) before anything connects.
            let report = secret.check();
            if !report.is_ok() {
                return Err(failure(Error::Rules(
                    voximplant_secrets::rules::Violations(report.violations),
                )));
            }
            let session = connect(ctx, command.application.as_deref())?;
            let secrets = session.secrets();
            let added = secrets.add(&secret).map_err(failure)?;
            let warnings: Vec<String> = added.warnings.iter().map(ToString::to_string).collect();
            warn(&warnings);
            if ctx.json() {
                output::print_json(&DoneJson {
                    application: application_text(&session.application),
                    added: Some(added.id),
                    changed: None,
                    deleted: None,
                    deleted_all: None,
                    warnings,
                })
            } else {
                output::print(&output::fields(&[
                    ("added", name.clone()),
                    ("id", added.id.to_string()),
                    ("application", application_text(&session.application)),
                ]))
            }
        }
        VoxAction::Get { secret, reveal } => {
            let session = connect(ctx, command.application.as_deref())?;
            let secrets = session.secrets();
            let found = secrets.value(secret_ref(secret)).map_err(failure)?;
            if ctx.json() {
                output::print_json(&SecretJson {
                    id: found.id,
                    name: found.name.as_deref(),
                    description: found.description.as_deref(),
                    created: found.created.as_deref(),
                    modified: found.modified.as_deref(),
                    value: reveal.then(|| found.value.expose_secret()),
                })
            } else if *reveal {
                output::print(&format!("{}\n", found.value.expose_secret()))
            } else {
                let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
                output::print(&output::fields(&[
                    (
                        "id",
                        found.id.map_or_else(|| "-".to_owned(), |i| i.to_string()),
                    ),
                    ("name", text(&found.name)),
                    ("description", text(&found.description)),
                    ("created", text(&found.created)),
                    ("modified", text(&found.modified)),
                    ("value", "hidden (show it with --reveal)".to_owned()),
                ]))
            }
        }
        VoxAction::Set {
            secret,
            value_stdin,
            rename,
            description,
        } => {
            let mut update = SecretUpdate::new();
            if *value_stdin {
                update = update.value(value_from_stdin()?);
            }
            if let Some(name) = rename {
                update = update.name(name.as_str());
            }
            if let Some(d) = description {
                update = update.description(d.as_str());
            }
            let mut report = update.check();
            if let SecretRef::Name(name) = secret_ref(secret) {
                report.name(&name);
            }
            if !report.is_ok() {
                return Err(failure(Error::Rules(
                    voximplant_secrets::rules::Violations(report.violations),
                )));
            }
            let session = connect(ctx, command.application.as_deref())?;
            let secrets = session.secrets();
            let warnings: Vec<String> = secrets
                .update(secret_ref(secret), &update)
                .map_err(failure)?
                .iter()
                .map(ToString::to_string)
                .collect();
            warn(&warnings);
            if ctx.json() {
                output::print_json(&DoneJson {
                    application: application_text(&session.application),
                    added: None,
                    changed: Some(secret),
                    deleted: None,
                    deleted_all: None,
                    warnings,
                })
            } else {
                output::print(&format!("changed {secret}\n"))
            }
        }
        VoxAction::Delete {
            secrets: names,
            all,
        } => {
            if names.is_empty() && !*all {
                return Err(Failure::usage(
                    "no secret to delete was named: give their names or ids, or delete every \
                     secret of the application with --all",
                ));
            }
            let (ids, by_name): (Vec<&String>, Vec<&String>) =
                names.iter().partition(|n| id_or_name(n).is_ok());
            if !ids.is_empty() && !by_name.is_empty() {
                return Err(Failure::usage(
                    "give the secrets to delete either all by name or all by id, not both; run \
                     the command once for each",
                ));
            }
            let mut report = voximplant_secrets::rules::Report::default();
            for name in &by_name {
                report.name(name);
            }
            if !report.is_ok() {
                return Err(failure(Error::Rules(
                    voximplant_secrets::rules::Violations(report.violations),
                )));
            }
            let session = connect(ctx, command.application.as_deref())?;
            let secrets = session.secrets();
            if *all {
                secrets.delete_all()
            } else if ids.is_empty() {
                secrets.delete_by_names(&by_name)
            } else {
                let ids: Vec<i64> = ids.iter().filter_map(|i| id_or_name(i).ok()).collect();
                secrets.delete_by_ids(&ids)
            }
            .map_err(failure)?;
            let application = application_text(&session.application);
            if ctx.json() {
                output::print_json(&DoneJson {
                    application,
                    added: None,
                    changed: None,
                    deleted: (!*all).then(|| names.iter().map(String::as_str).collect()),
                    deleted_all: all.then_some(true),
                    warnings: Vec::new(),
                })
            } else if *all {
                output::print(&format!(
                    "deleted every secret of application {application}\n"
                ))
            } else {
                output::print(&format!("deleted {}\n", names.join(", ")))
            }
        }
    }
}
