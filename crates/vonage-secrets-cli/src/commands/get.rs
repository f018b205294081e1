//! `get ID`: one secret's id and creation time.

use chrono::Utc;

use super::{Context, Outcome};
use crate::output::{self, SecretJson};
use crate::session::Session;

pub fn run(ctx: &Context<'_>, session: &Session, id: &str) -> Outcome {
    let secret = session.secrets().get(id)?;
    if ctx.json() {
        output::print_json(&SecretJson::new(&secret, None))
    } else {
        output::print(&output::secrets_table(
            std::slice::from_ref(&secret),
            Utc::now(),
        ))
    }
}
