//! `--help` pinned: the credentials note and the exit codes are part of the interface. And
//! what is generated from the same definitions: shell completions and the manual page, each
//! produced, naming every command, and offering none of the refused secret flags.

use assert_cmd::Command;

/// Every command of `vonage-secrets`, in the order `--help` lists them.
const COMMANDS: [&str; 12] = [
    "list",
    "get",
    "create",
    "revoke",
    "rotate",
    "accounts",
    "audit",
    "validate",
    "generate",
    "voximplant",
    "completions",
    "man",
];

/// The commands of `vonage-secrets voximplant`.
const VOXIMPLANT_COMMANDS: [&str; 5] = ["list", "add", "get", "set", "delete"];

/// The widest line a help text may have (the width the tests ask clap for).
const COLUMNS: usize = 100;

fn help(args: &[&str]) -> String {
    let output = Command::new(assert_cmd::cargo::cargo_bin!("vonage-secrets"))
        .args(args)
        .env_remove("VONAGE_API_KEY")
        .env_remove("VONAGE_API_SECRET")
        .env("COLUMNS", COLUMNS.to_string())
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(0), "{args:?}");
    assert!(output.stderr.is_empty(), "{args:?}");
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn long_help() {
    let text = help(&["--help"]);
    for must in [
        "VONAGE_API_KEY",
        "VONAGE_API_SECRET",
        "never from arguments",
        "7  timeout or transport",
    ] {
        assert!(text.contains(must), "{must}");
    }
    insta::assert_snapshot!("help", text);
}

#[test]
fn short_help() {
    insta::assert_snapshot!("h", help(&["-h"]));
}

#[test]
fn subcommand_help() {
    for command in COMMANDS {
        insta::assert_snapshot!(format!("help_{command}"), help(&[command, "--help"]));
    }
    for command in VOXIMPLANT_COMMANDS {
        insta::assert_snapshot!(
            format!("help_voximplant_{command}"),
            help(&["voximplant", command, "--help"])
        );
    }
}

#[test]
fn the_help_lists_every_command_with_a_one_line_description() {
    let text = help(&["--help"]);
    let listed: Vec<&str> = text
        .split_once("Commands:\n")
        .expect("a command list")
        .1
        .lines()
        .take_while(|line| line.starts_with("  "))
        .map(|line| line.split_whitespace().next().unwrap())
        .filter(|name| *name != "help")
        .collect();
    assert_eq!(listed, COMMANDS, "{text}");
    let text = help(&["voximplant", "--help"]);
    let listed: Vec<&str> = text
        .split_once("Commands:\n")
        .expect("a command list")
        .1
        .lines()
        .take_while(|line| line.starts_with("  "))
        .map(|line| line.split_whitespace().next().unwrap())
        .filter(|name| *name != "help")
        .collect();
    assert_eq!(listed, VOXIMPLANT_COMMANDS, "{text}");
}

#[test]
fn every_help_line_fits_in_the_terminal() {
    let mut texts = vec![help(&["--help"]), help(&["-h"])];
    for command in COMMANDS {
        texts.push(help(&[command, "--help"]));
        texts.push(help(&[command, "-h"]));
    }
    for command in VOXIMPLANT_COMMANDS {
        texts.push(help(&["voximplant", command, "--help"]));
    }
    for text in texts {
        for line in text.lines() {
            assert!(
                line.chars().count() <= COLUMNS,
                "{} columns: {line}",
                line.chars().count()
            );
        }
    }
}

#[test]
fn version() {
    let text = help(&["--version"]);
    assert_eq!(
        text,
        format!("vonage-secrets {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn completions_for_each_shell_name_every_command_and_flag() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = help(&["completions", shell]);
        assert!(script.lines().count() > 20, "{shell}: {script}");
        for word in COMMANDS.iter().chain(&[
            "revoke-old",
            "make-room",
            "secret-stdin",
            "dry-run",
            "sandbox",
        ]) {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
        // The refused flags are no part of the command line, so nothing offers them.
        assert!(!script.contains("api-secret"), "{shell}");
        for line in script.lines() {
            assert!(
                !line.contains("--secret ") && !line.contains("-l secret "),
                "{shell} offers --secret: {line}"
            );
        }
    }
}

#[test]
fn the_bash_script_is_valid_bash() {
    let script = help(&["completions", "bash"]);
    let path = std::env::temp_dir().join(format!("vonage-secrets-{}.bash", std::process::id()));
    std::fs::write(&path, &script).unwrap();
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash runs");
    let _ = std::fs::remove_file(&path);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn completing_a_command_name_offers_it() {
    // What bash's completion function answers for `vonage-secrets ro<TAB>`.
    let script = help(&["completions", "bash"]);
    let run = format!(
        "{script}\nCOMP_WORDS=(vonage-secrets ro); COMP_CWORD=1; COMP_LINE='vonage-secrets ro'; \
         COMP_POINT=${{#COMP_LINE}}; _vonage__secrets vonage-secrets ro vonage-secrets; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\""
    );
    let output = std::process::Command::new("bash")
        .args(["-c", &run])
        .output()
        .expect("bash runs");
    let offered = String::from_utf8_lossy(&output.stdout);
    assert_eq!(offered.trim(), "rotate", "{offered}");
}

#[test]
fn the_man_page_renders_every_command_and_the_exit_codes() {
    let roff = help(&["man"]);
    assert!(
        roff.contains(&format!(
            ".TH vonage-secrets 1  \"vonage-secrets {}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "{roff}"
    );
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH SUBCOMMANDS",
    ] {
        assert!(roff.contains(section), "{section}");
    }
    for command in COMMANDS {
        assert!(
            roff.contains(&format!(
                "vonage\\-secrets\\-{}",
                command.replace('-', "\\-")
            )),
            "{command}"
        );
    }
    assert!(roff.contains("Exit codes:"), "{roff}");
    assert!(roff.contains("VONAGE_API_SECRET"), "{roff}");
    assert!(!roff.contains("api\\-secret"), "{roff}");
}

#[test]
fn each_command_has_its_own_page() {
    let roff = help(&["man", "rotate"]);
    assert!(roff.contains(".TH vonage-secrets-rotate 1"), "{roff}");
    assert!(roff.contains("\\-\\-revoke\\-old"), "{roff}");
    assert!(roff.contains("\\-\\-make\\-room"), "{roff}");

    let output = Command::new(assert_cmd::cargo::cargo_bin!("vonage-secrets"))
        .args(["man", "rotat"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("there is no command 'rotat'"), "{stderr}");
    assert!(stderr.contains("rotate"), "{stderr}");
}
