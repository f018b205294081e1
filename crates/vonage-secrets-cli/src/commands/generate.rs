//! `generate`: a new random secret that meets the rules (no account needed).

use secrecy::ExposeSecret;
use vonage_secrets_policy::{Alphabet, Generator};

use super::{Context, Outcome};
use crate::failure::{Exit, Failure};
use crate::output;

pub fn run(ctx: &Context<'_>, length: usize, symbols: bool) -> Outcome {
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
    if ctx.json() {
        output::print_json(&output::GeneratedJson {
            secret: secret.expose_secret(),
        })
    } else {
        output::print(&format!("{}\n", secret.expose_secret()))
    }
}
