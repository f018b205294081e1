//! `cargo xtask`: the project's automation. See the `xtask` library for the steps.

use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask codegen [--check]\n\n\
    codegen          regenerate every target of openapi/codegen.toml from its spec\n\
    codegen --check  fail with a unified diff when a checked-in file is stale";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let check = match args.as_slice() {
        ["codegen"] => false,
        ["codegen", "--check"] => true,
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        _ => {
            eprintln!("{USAGE}");
            return Ok(ExitCode::from(2));
        }
    };
    let root = xtask::workspace_root();
    let started = Instant::now();
    let files = xtask::generate(&root)?;
    if check {
        let diffs = xtask::check(&root, &files)?;
        if !diffs.is_empty() {
            eprintln!("{}", xtask::stale_message(&diffs));
            return Ok(ExitCode::FAILURE);
        }
        println!(
            "{} generated files are fresh ({:.2?})",
            files.len(),
            started.elapsed()
        );
    } else {
        for path in xtask::write(&root, &files)? {
            println!("wrote {path}");
        }
        for path in xtask::scaffold(&root, &files)? {
            println!("scaffolded {path} (a new crate: check it and commit it)");
        }
        println!("codegen took {:.2?}", started.elapsed());
    }
    Ok(ExitCode::SUCCESS)
}
