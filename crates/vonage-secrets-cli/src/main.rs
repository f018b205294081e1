//! `vonage-secrets`: list, create, revoke and rotate the API secrets of a Vonage account from a
//! shell, a cron job or a CI pipeline. See `vonage-secrets --help` and the crate's README.

mod cli;
mod commands;
mod deploy;
mod failure;
mod input;
mod output;
mod progress;
mod session;
mod vox_session;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::failure::Failure;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let json = cli::json_requested(&args);
    if let Some(flag) = cli::secret_flag(&args) {
        return input::secret_argument_refused(flag).report(json);
    }
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() && cli::secret_in_parse_error(&e.to_string(), &args) => {
            // The parser's error would repeat a value that looks like a secret.
            return input::secret_in_arguments().report(json);
        }
        Err(e) if e.use_stderr() && json => {
            return Failure::usage(cli::parse_error_message(&e)).report(json);
        }
        Err(e) => {
            // Help and version go to stdout with 0; usage errors (with the parser's own
            // suggestions) to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if cli.global.verbose {
        init_logging();
    }
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(json),
    }
}

/// `-v`: debug logging of this workspace's crates to stderr. Everything else (ureq, rustls,
/// hyper) stays at `warn`. `RUST_LOG` is deliberately not read: the log must never show a
/// secret, and only these crates are known not to log one.
fn init_logging() {
    let mut builder = env_logger::Builder::new();
    builder
        .filter_level(log::LevelFilter::Warn)
        .filter_module("vonage_secrets", log::LevelFilter::Debug)
        .filter_module("vonage_secrets_sandbox", log::LevelFilter::Debug)
        .filter_module("voximplant_secrets", log::LevelFilter::Debug)
        .format_timestamp_millis()
        .target(env_logger::Target::Stderr);
    let _ = builder.try_init();
}
