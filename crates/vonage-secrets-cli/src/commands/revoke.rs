//! `revoke ID`: revokes a secret; on the own account, checks that the login still works.

use vonage_secrets::Error;

use super::{Context, Outcome, login_lost_message};
use crate::failure::{Exit, Failure, describe};
use crate::output::{self, note};
use crate::session::Session;

pub fn run(ctx: &Context<'_>, session: &Session, id: &str) -> Outcome {
    let secrets = session.secrets();
    let own = session.own(&secrets);
    let login = session.login();
    // On the own account, the secrets before, to say which remain if the login goes.
    let before = if own { secrets.list().ok() } else { None };
    secrets.revoke(id)?;
    if ctx.json() {
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
    // The API does not say which secret the login is: check that it still works.
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
                login_lost_message(
                    login,
                    secrets.account(),
                    id,
                    &remaining,
                    "No secret was created.",
                ),
            ))
        }
        Err(e) => {
            note(&format!(
                "warning: could not check that {} still works after the revocation ({}); run \
                 `vonage-secrets list`: if it exits 4, the revoked secret was {}",
                login.name(),
                describe(&e),
                login.one()
            ));
            Ok(())
        }
    }
}
