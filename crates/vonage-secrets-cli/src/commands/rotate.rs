//! `rotate`: the facade's rotation with the steps on stderr, the result on stdout, and
//! failure advice chosen from the state the rotation reports; `rotate --dry-run`: its plan.
//!
//! The rotation decides (what is refused, what state the account is in, whether a rerun can
//! finish: [`RotationError::recovery`]); this module only words it for a shell.

use secrecy::{ExposeSecret, SecretString};
use vonage_secrets::{
    AccountState, Error, MakeRoom, NewSecretState, Recovery, Refusal, RotationError, Secrets,
};

use super::{Context, Outcome, login_lost_message, remind_to_store, secret_not_printed};
use crate::cli::NewSecretSource;
use crate::failure::{Exit, Failure, describe};
use crate::input;
use crate::output::{self, DryRunJson, RotationJson, ids_or_none, note, yes_no};
use crate::progress;
use crate::session::{Login, Session};

/// The command line of `rotate`.
pub struct Args<'a> {
    pub source: &'a NewSecretSource,
    pub revoke_old: bool,
    pub make_room: &'a str,
    pub dry_run: bool,
}

/// What `rotate` is asked to do, beyond the new secret.
struct Plan {
    /// The account is the one whose credentials the command holds.
    own: bool,
    login: Login,
    revoke_old: bool,
    make_room: MakeRoom,
}

pub fn run(ctx: &Context<'_>, args: &Args<'_>) -> Outcome {
    let make_room = parse_make_room(args.make_room)?;
    let chosen = input::new_secret(args.source)?;
    let session = ctx.connect()?;
    let secrets = session.secrets();
    let plan = Plan {
        own: session.own(&secrets),
        login: session.login(),
        revoke_old: args.revoke_old,
        make_room,
    };
    if args.dry_run {
        dry_run(ctx, &secrets, chosen, &plan)
    } else {
        rotate(ctx, &session, &secrets, chosen, &plan)
    }
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

fn rotation<'a>(
    secrets: &Secrets<'a>,
    chosen: Option<&SecretString>,
    plan: &Plan,
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
    ctx: &Context<'_>,
    session: &Session,
    secrets: &Secrets<'_>,
    chosen: Option<SecretString>,
    plan: &Plan,
) -> Outcome {
    let generated = chosen.is_none();
    let login = plan.login;
    if let (true, MakeRoom::Revoke(id)) = (plan.own, &plan.make_room) {
        note(&format!(
            "note: if account {} has two secrets, --make-room {id} revokes that one before the \
             new secret exists. It must not be {} (the API does not say which id that is): the \
             command checks afterwards that {} still works",
            secrets.account(),
            login.secret(),
            login.name()
        ));
    }
    let rotation = rotation(secrets, chosen.as_ref(), plan).on_event(progress::report);
    let report = match rotation.run() {
        Ok(report) => report,
        // Refused before anything was sent.
        Err(failed)
            if matches!(
                failed.error(),
                Error::Policy(_) | Error::Refused(Refusal::NewSecretIsLogin { .. })
            ) =>
        {
            return Err(refused(failed.error(), plan));
        }
        Err(failed) => return rotation_failed(ctx, &failed, generated, plan),
    };
    let shown = generated.then(|| report.new_secret.expose_secret());
    let revoked: Vec<&str> = report.revoked.iter().map(|id| id.as_str()).collect();
    let printed = if ctx.json() {
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
        let revoked: Vec<String> = revoked.iter().map(|id| (*id).to_owned()).collect();
        fields.push(("revoked", ids_or_none(&revoked)));
        output::print(&output::fields(&fields))
    };
    if generated {
        printed.map_err(|e| {
            secret_not_printed(e, session.login(), &report.account, &report.new_secret_id)
        })?;
        remind_to_store();
    } else {
        printed?;
    }
    match report.login_works {
        Some(false) => note(&format!(
            "{} no longer works on account {}: its secret was revoked; use the new secret from \
             now on",
            login.name(),
            report.account
        )),
        Some(true) => note(&format!("checked: {} still works", login.name())),
        _ => {}
    }
    if !plan.revoke_old {
        if login.is_sandbox() {
            note(
                "next, against a real account: deploy the new secret, then finish with the same \
                 command plus `--secret-stdin --revoke-old`, the new secret on stdin. The \
                 sandbox's state ends with this command: try both phases at once with \
                 `vonage-secrets --sandbox rotate --revoke-old`",
            );
        } else {
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
    }
    Ok(())
}

/// `rotate --dry-run`: what a run would do, changing nothing. Exits as the run would when it
/// would be refused.
fn dry_run(
    ctx: &Context<'_>,
    secrets: &Secrets<'_>,
    chosen: Option<SecretString>,
    plan: &Plan,
) -> Outcome {
    let found = rotation(secrets, chosen.as_ref(), plan).dry_run()?;
    let refusal = found.refused.as_ref().map(|e| refused_message(e, plan));
    let ids = |list: &[vonage_secrets::SecretId]| -> Vec<String> {
        list.iter().map(|id| id.to_string()).collect()
    };
    if ctx.json() {
        output::print_json(&DryRunJson {
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
        let account = if found.own_account {
            format!("{} ({})", found.account, plan.login.account())
        } else {
            found.account.clone()
        };
        let fields = vec![
            ("account", account),
            ("secrets", ids_or_none(&ids(&found.secrets))),
            ("resumes", yes_no(found.resumes).to_owned()),
            (
                "make room",
                found
                    .make_room
                    .as_ref()
                    .map_or("none".to_owned(), |id| format!("revoke {id}")),
            ),
            ("create", yes_no(found.creates).to_owned()),
            ("revoke old", ids_or_none(&ids(&found.revokes))),
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
fn refused(error: &Error, plan: &Plan) -> Failure {
    Failure::new(Exit::of(error), refused_message(error, plan))
}

fn refused_message(error: &Error, plan: &Plan) -> String {
    let login = plan.login;
    match error {
        Error::Refused(Refusal::NewSecretIsLogin { account }) if login.is_sandbox() => format!(
            "the secret on stdin is {}, the secret this command logs in to account {account} \
             with; it is not a new secret, and nothing was sent. Pipe another secret, or leave \
             out --secret-stdin to have one generated",
            login.one()
        ),
        Error::Refused(Refusal::NewSecretIsLogin { account }) => format!(
            "the secret on stdin is the one in VONAGE_API_SECRET, the secret this command logs in \
             to account {account} with; it is not a new secret, and nothing was sent. Pipe the \
             new secret (the one the first run printed) with the old secret still in \
             VONAGE_API_SECRET. If VONAGE_API_SECRET already holds the new secret, put the old \
             one back there for this run"
        ),
        Error::Refused(Refusal::OldestOnOwnAccount { account, secrets }) => format!(
            "account {account} already has 2 secrets ({}), and --make-room oldest is refused on \
             your own account: the API does not say which of them is {}, and if it is the \
             oldest, revoking it would lock this command out before the new secret exists. \
             Nothing changed. Find the id your programs do not use (never {}) and pass \
             --make-room ID, or revoke it with `vonage-secrets revoke ID`. For a secondary \
             account, --account KEY logs in as the primary account, and --make-room oldest is \
             safe there",
            secrets
                .iter()
                .map(|id| id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            login.secret(),
            login.secret()
        ),
        Error::LimitReached { api_key, .. } if plan.own => format!(
            "account {api_key} already has 2 secrets, the maximum. Nothing changed. To make room, \
             find the id your programs do not use (never {}; `vonage-secrets list` shows the \
             ids) and pass --make-room ID; --make-room oldest is refused on your own account, \
             because the API does not say which secret is {}",
            login.secret(),
            login.one()
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
fn rotation_failed(
    ctx: &Context<'_>,
    failed: &RotationError,
    generated: bool,
    plan: &Plan,
) -> Outcome {
    let (own, login) = (plan.own, plan.login);
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
        if ctx.json() {
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
                failed_step: Some(failed.step().as_str()),
            })?;
        } else {
            output::print(&format!("new secret: {secret}\n"))?;
        }
        remind_to_store();
    }
    let account = failed.account();
    let head = failed.headline();
    let remaining: Vec<String> = state
        .remaining
        .iter()
        .flatten()
        .map(|id| id.to_string())
        .collect();
    let exit = Exit::of(failed.error());

    let message = match failed.recovery() {
        Recovery::LoginLost => {
            let revoked = state.revoked.last().map_or("?", |id| id.as_str());
            let created = match &state.new_secret {
                NewSecretState::NotCreated => "No new secret was created.",
                _ => "The new secret did not work yet.",
            };
            format!(
                "{head}: {}",
                login_lost_message(login, account, revoked, &remaining, created)
            )
        }
        Recovery::NewSecretRevoked => {
            let id = match &state.new_secret {
                NewSecretState::Revoked { id } => id.as_str(),
                _ => "?",
            };
            let kept = remaining.join(", ");
            let who = match (own, state.login_works) {
                (true, Some(true)) => format!(
                    "{} still works, and its secret is the account's only one ({kept})",
                    login.name()
                ),
                (false, Some(true)) => format!(
                    "the credentials in {} still act on it; its only secret is {kept}",
                    login.name()
                ),
                _ => format!(
                    "the account's only secret is {kept}: only a program or person holding it \
                     can act on the account now"
                ),
            };
            format!(
                "{head}: the secret on stdin was {id}, the older secret, not the newest one: the \
                 command took {kept} for the new secret and revoked {id}, the secret on stdin \
                 itself, which no longer works. {who}. To rotate, run `vonage-secrets rotate` \
                 again without --secret-stdin (a new secret is generated)"
            )
        }
        // Refused before anything changed; so is a full account with nothing revoked.
        Recovery::FollowRefusal => format!("{head}: {}", refused_message(failed.error(), plan)),
        Recovery::RunAgain if matches!(failed.error(), Error::LimitReached { .. }) => {
            format!("{head}: {}", refused_message(failed.error(), plan))
        }
        recovery => {
            let mut message = format!(
                "{head}: {} State: {}.",
                describe(failed.error()),
                state_in_words(state, own, login)
            );
            if recovery == Recovery::Resume {
                message.push_str(&resume_advice(state, secret_shown));
                if own && !state.revoked.is_empty() && state.login_works.is_none() {
                    message.push_str(&format!(
                        " It could not be checked whether {} still works: run `vonage-secrets \
                         list` first; if it exits 4, the revoked secret was {}.",
                        login.name(),
                        login.one()
                    ));
                }
            } else {
                message.push_str(" Nothing changed: fix the cause and run the command again.");
            }
            message
        }
    };
    Err(Failure::new(exit, message))
}

/// How a rerun finishes, for the secret the operator has.
fn resume_advice(state: &AccountState, secret_shown: bool) -> String {
    if state.new_secret == NewSecretState::NotCreated {
        " No new secret was created: run the same command again (the account has room now); it \
         creates the new secret."
    } else if secret_shown {
        " To finish, run the same command again with the new secret printed on stdout piped to \
         --secret-stdin: it resumes and creates no second secret."
    } else {
        " To finish, run the same command again with the same secret on stdin: it resumes and \
         creates no second secret."
    }
    .to_owned()
}

/// The library's account state, with the login named as the operator knows it.
fn state_in_words(state: &AccountState, own: bool, login: Login) -> String {
    let text = state.to_string();
    if own {
        text.replace("the client's own credentials", login.name())
    } else {
        text.replace(
            "the client's own credentials",
            &format!("the credentials in {}", login.name()),
        )
    }
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
