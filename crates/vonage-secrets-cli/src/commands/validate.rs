//! `validate`: checks the secret on stdin against the rules; exit 0 when it is valid.

use secrecy::ExposeSecret;

use super::{Context, Outcome};
use crate::failure::{Exit, Failure};
use crate::input;
use crate::output::{self, note};

pub fn run(ctx: &Context<'_>) -> Outcome {
    let secret = input::secret_from_stdin()?;
    let violations = vonage_secrets_policy::validate(secret.expose_secret()).err();
    let advice: Vec<String> = if violations.is_none() {
        input::advice(secret.expose_secret())
    } else {
        Vec::new()
    };
    if ctx.json() {
        output::print_json(&output::ValidationJson {
            valid: violations.is_none(),
            violations: violations
                .iter()
                .flatten()
                .map(|v| output::ViolationJson {
                    rule: v.code(),
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
