//! `man [COMMAND]`: the manual page in roff, generated from the clap definitions.

use clap::CommandFactory;

use super::Outcome;
use crate::cli::Cli;
use crate::failure::Failure;
use crate::output;

pub fn run(command: Option<&str>) -> Outcome {
    let mut top = Cli::command();
    // Built, the subcommands carry their page names (`vonage-secrets-rotate`) and the version.
    top.build();
    let page = match command {
        None => top,
        Some(name) => top.find_subcommand(name).cloned().ok_or_else(|| {
            let names: Vec<&str> = top.get_subcommands().map(|s| s.get_name()).collect();
            Failure::usage(format!(
                "there is no command '{name}'; give one of {}, or none for the whole manual \
                     page",
                names.join(", ")
            ))
        })?,
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .source(format!("vonage-secrets {}", env!("CARGO_PKG_VERSION")))
        .render(&mut roff)?;
    output::print(&String::from_utf8_lossy(&roff))
}
