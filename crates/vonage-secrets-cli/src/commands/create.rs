//! `create`: a new secret, generated (printed once) or read from stdin.

use chrono::Utc;
use secrecy::ExposeSecret;

use super::{Context, Outcome, remind_to_store, secret_not_printed};
use crate::cli::NewSecretSource;
use crate::input;
use crate::output::{self, SecretJson};

pub fn run(ctx: &Context<'_>, source: &NewSecretSource) -> Outcome {
    // The secret on stdin is read and checked before anything connects.
    let chosen = input::new_secret(source)?;
    let session = ctx.connect()?;
    let secrets = session.secrets();
    let generated = chosen.is_none();
    let value = chosen.unwrap_or_else(vonage_secrets_policy::generate);
    let created = secrets.create(value.expose_secret())?;
    let shown = generated.then(|| value.expose_secret());
    let printed = if ctx.json() {
        output::print_json(&SecretJson::new(&created, shown))
    } else {
        let mut text = output::secrets_table(std::slice::from_ref(&created), Utc::now());
        if let Some(secret) = shown {
            text.push_str(&format!("new secret: {secret}\n"));
        }
        output::print(&text)
    };
    if generated {
        printed
            .map_err(|e| secret_not_printed(e, session.login(), secrets.account(), &created.id))?;
        remind_to_store();
    } else {
        printed?;
    }
    Ok(())
}
