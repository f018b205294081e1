//! What the command reads besides its arguments: a secret on stdin (never echoed at a
//! terminal), and the refusal of arguments that would carry a secret.

use std::io::{IsTerminal, Read};

use secrecy::{ExposeSecret, SecretString};
use vonage_secrets::Error;

use crate::cli::NewSecretSource;
use crate::failure::{Exit, Failure};
use crate::output::note;

/// The refusal of a secret given as an argument (`what` names it without repeating it):
/// `--secret`, `--api-secret`, or a plain argument that looks like a secret.
pub fn secret_argument_refused(what: &str) -> Failure {
    Failure::usage(format!(
        "a secret is never taken from an argument ({what}): arguments leak through `ps` and \
         shell history. Pipe it on stdin with --secret-stdin (or let the command generate one \
         with --generate); credentials come from VONAGE_API_KEY and VONAGE_API_SECRET. If that \
         argument was a real secret, consider it leaked and rotate it"
    ))
}

/// The error for a command line the parser refused because of a value that looks like a
/// secret: it says why, and does not repeat the value.
pub fn secret_in_arguments() -> Failure {
    secret_argument_refused("an argument that looks like a secret")
}

/// The secret chosen on stdin (`--secret-stdin`), checked against the rules and with the
/// policy crate's advice on stderr if it is weak; `None` when the command is to generate one.
pub fn new_secret(source: &NewSecretSource) -> Result<Option<SecretString>, Failure> {
    if !source.secret_stdin {
        return Ok(None);
    }
    let secret = secret_from_stdin()?;
    if let Err(violations) = vonage_secrets_policy::validate(secret.expose_secret()) {
        return Err(Failure::from(Error::Policy(violations)));
    }
    for advice in advice(secret.expose_secret()) {
        note(&format!("warning: the new secret is weak: {advice}"));
    }
    Ok(Some(secret))
}

/// One line from stdin, without its line ending.
pub fn secret_from_stdin() -> Result<SecretString, Failure> {
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
pub fn advice(secret: &str) -> Vec<String> {
    vonage_secrets_policy::advise(secret)
        .iter()
        .map(|a| {
            a.to_string()
                .replace("`generate()`", "`vonage-secrets generate` or --generate")
        })
        .collect()
}
