//! The commands, one file each, and what they share: [`Context`] (the global flags) and the
//! messages more than one command prints.
//!
//! Each command module has one entry point, `run`, taking what it needs: the context, the
//! [`Session`] of a command that talks to an account, its own arguments. Whatever the facade can say (errors, steps, rule
//! names, the credentials from the environment) comes from the facade; a command only words it
//! for a shell.

mod accounts;
mod completions;
mod create;
mod fleet;
mod generate;
mod get;
mod list;
mod man;
mod revoke;
mod rotate;
mod validate;
pub mod voximplant;

pub use accounts::{Selection, parse_age};

use crate::cli::{Cli, Command, Global};
use crate::failure::Failure;
use crate::output::note;
use crate::session::{Login, Session};

/// What every command returns: nothing on success (the output is printed), or the failure.
pub type Outcome = Result<(), Failure>;

/// What every command gets: the global flags.
pub struct Context<'a> {
    pub global: &'a Global,
}

impl Context<'_> {
    /// `--json`: the result as JSON on stdout.
    pub fn json(&self) -> bool {
        self.global.json
    }

    /// The client of an account command (or the embedded sandbox's).
    pub fn connect(&self) -> Result<Session, Failure> {
        Session::connect(self.global)
    }
}

/// Runs the parsed command line. A failure of a command on one secondary account
/// (`--account KEY`) names that account when the facade's message does not.
pub fn run(cli: Cli) -> Outcome {
    let outcome = dispatch(&cli);
    match (&cli.global.account, &cli.command) {
        (Some(account), Command::List | Command::Get { .. } | Command::Create { .. })
        | (Some(account), Command::Revoke { .. } | Command::Rotate { accounts: None, .. }) => {
            outcome.map_err(|f| f.on_account(account))
        }
        _ => outcome,
    }
}

fn dispatch(cli: &Cli) -> Outcome {
    let ctx = Context {
        global: &cli.global,
    };
    match &cli.command {
        Command::List => list::run(&ctx, &ctx.connect()?),
        Command::Get { id } => get::run(&ctx, &ctx.connect()?, id),
        Command::Create { source } => create::run(&ctx, source),
        Command::Revoke { id } => revoke::run(&ctx, &ctx.connect()?, id),
        Command::Rotate {
            source,
            revoke_old,
            make_room,
            dry_run,
            accounts: Some(accounts),
            deploy,
            concurrency,
            journal,
            max_age,
        } => fleet::run(
            &ctx,
            &fleet::Args {
                accounts,
                deploy: deploy.as_deref(),
                revoke_old: *revoke_old,
                concurrency: *concurrency,
                journal: journal.as_ref(),
                max_age: *max_age,
                source,
                make_room,
                dry_run: *dry_run,
            },
        ),
        Command::Rotate {
            source,
            revoke_old,
            make_room,
            dry_run,
            ..
        } => rotate::run(
            &ctx,
            &rotate::Args {
                source,
                revoke_old: *revoke_old,
                make_room,
                dry_run: *dry_run,
            },
        ),
        Command::Accounts => accounts::run(&ctx, &ctx.connect()?),
        Command::Audit { max_age, accounts } => {
            accounts::audit(&ctx, &ctx.connect()?, *max_age, accounts)
        }
        Command::Validate => validate::run(&ctx),
        Command::Generate { length, symbols } => generate::run(&ctx, *length, *symbols),
        Command::Completions { shell } => completions::run(*shell),
        Command::Man { command } => man::run(command.as_deref()),
        Command::Voximplant(command) => voximplant::run(&ctx, command),
    }
}

/// After printing a generated secret: store it now.
fn remind_to_store() {
    note(
        "store the new secret now: it was printed once, on stdout, and Vonage never shows a \
         secret again",
    );
}

/// A generated secret exists on the account but could not be printed (stdout is closed).
fn secret_not_printed(
    failure: Failure,
    login: Login,
    account: &str,
    id: &vonage_secrets::SecretId,
) -> Failure {
    let next = if login.is_sandbox() {
        "The sandbox's state ends with this command, so nothing is left behind: run it again with \
         stdout open"
            .to_owned()
    } else {
        format!(
            "Revoke it with `vonage-secrets revoke {id}` (with a secret that still works in \
             VONAGE_API_SECRET) and rotate again with stdout open"
        )
    };
    Failure::new(
        failure.exit,
        format!(
            "the new secret {id} of account {account} was created, but stdout is closed and its \
             value could not be printed; nobody has it. {next}"
        ),
    )
}

/// What to say when the login's secret was revoked before a new secret the operator holds was
/// proven to work: what happened, which secrets remain, who can still act.
fn login_lost_message(
    login: Login,
    account: &str,
    revoked: &str,
    remaining: &[String],
    created: &str,
) -> String {
    let remaining = match remaining {
        [] => "The command does not know which secret the account still has".to_owned(),
        [only] => format!("The account's only secret now is {only}"),
        many => format!("The account's secrets now are {}", many.join(", ")),
    };
    format!(
        "secret {revoked} was {}: it is revoked, and these credentials no longer work on account \
         {account}. {created} {remaining}: only a program or person holding that secret can act \
         on the account now (for example `vonage-secrets rotate` with it in VONAGE_API_SECRET), \
         or the primary account's credentials with --account {account}, if {account} is a \
         secondary account. Running this command again with the same {} cannot work",
        login.one(),
        login.name()
    )
}
