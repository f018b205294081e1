//! `--help` pinned: the credentials note and the exit codes are part of the interface.

use assert_cmd::Command;

fn help(args: &[&str]) -> String {
    let output = Command::new(assert_cmd::cargo::cargo_bin!("vonage-secrets"))
        .args(args)
        .env_remove("VONAGE_API_KEY")
        .env_remove("VONAGE_API_SECRET")
        .env("COLUMNS", "100")
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
    for command in [
        "list",
        "get",
        "create",
        "revoke",
        "rotate",
        "validate",
        "generate",
        "completions",
        "man",
    ] {
        insta::assert_snapshot!(format!("help_{command}"), help(&[command, "--help"]));
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
