//! `list`: the account's secrets, oldest first.

use chrono::Utc;

use super::{Context, Outcome};
use crate::output::{self, SecretJson};
use crate::session::Session;

pub fn run(ctx: &Context<'_>, session: &Session) -> Outcome {
    let list = session.secrets().list()?;
    if ctx.json() {
        let json: Vec<SecretJson<'_>> = list.iter().map(|s| SecretJson::new(s, None)).collect();
        output::print_json(&json)
    } else {
        output::print(&output::secrets_table(&list, Utc::now()))
    }
}
