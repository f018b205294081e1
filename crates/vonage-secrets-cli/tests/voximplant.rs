//! `vonage-secrets voximplant ...`: every command, human and `--json`, against the embedded
//! sandbox (`--sandbox`) and against a sandbox started here (`VOXIMPLANT_CREDENTIALS`).

mod support;

use std::path::PathBuf;

use assert_cmd::Command;
use secrecy::ExposeSecret;
use serde_json::Value;
use support::{Run, bare, run};
use vonage_secrets_sandbox::{Sandbox, VOXIMPLANT_DEMO_ACCOUNT_ID, VOXIMPLANT_DEMO_APPLICATION_ID};

const VALUE: &str = "Vox-value-Zq81-not-for-logs";
const NEW_VALUE: &str = "Vox-second-value-Kp22";

/// A sandbox started for one test, with the demo account's credentials.json in a file.
struct Started {
    sandbox: Sandbox,
    credentials: PathBuf,
}

impl Started {
    fn new() -> Started {
        Self::with_credentials(|json| json.to_owned())
    }

    /// With the credentials file changed by `edit`.
    fn with_credentials(edit: impl Fn(&str) -> String) -> Started {
        let sandbox = Sandbox::builder().start().expect("the sandbox starts");
        let credentials = std::env::temp_dir().join(format!(
            "vonage-secrets-vox-{}-{}.json",
            std::process::id(),
            sandbox.base_url().rsplit(':').next().unwrap()
        ));
        std::fs::write(
            &credentials,
            edit(sandbox.voximplant_credentials_json().expose_secret()),
        )
        .unwrap();
        Started {
            sandbox,
            credentials,
        }
    }

    /// `vonage-secrets voximplant --application demo-app ARGS` against this sandbox.
    fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_for("demo-app", args)
    }

    /// `vonage-secrets voximplant --application APPLICATION ARGS` against this sandbox.
    fn cmd_for(&self, application: &str, args: &[&str]) -> Command {
        let mut cmd = vox();
        cmd.env("VOXIMPLANT_CREDENTIALS", &self.credentials)
            .env(
                "VOXIMPLANT_API_BASE_URL",
                format!("{}/platform_api", self.sandbox.base_url()),
            )
            .args(["voximplant", "--application", application])
            .args(args);
        cmd
    }

    fn names(&self) -> Vec<String> {
        self.sandbox
            .voximplant_secret_names(VOXIMPLANT_DEMO_ACCOUNT_ID, VOXIMPLANT_DEMO_APPLICATION_ID)
            .expect("the demo application exists")
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.credentials);
    }
}

/// The binary without any Voximplant setting from the environment.
fn vox() -> Command {
    let mut cmd = bare();
    cmd.env_remove("VOXIMPLANT_CREDENTIALS")
        .env_remove("VOXIMPLANT_API_BASE_URL");
    cmd
}

fn with_stdin(mut cmd: Command, input: &str) -> Run {
    run(cmd.write_stdin(input.to_owned()))
}

/// The `--json` error on stderr: its kind and exit code, with the message checked for words.
#[track_caller]
fn json_error(r: &Run, kind: &str, code: i64) -> String {
    let line: Value = serde_json::from_str(r.stderr.lines().last().unwrap_or(""))
        .unwrap_or_else(|e| panic!("stderr's last line is not JSON ({e}): {}", r.stderr));
    assert_eq!(line["error"]["kind"], kind, "{line}");
    assert_eq!(line["error"]["exit_code"], code, "{line}");
    line["error"]["message"].as_str().unwrap().to_owned()
}

#[test]
fn the_whole_cycle_against_a_started_sandbox_human_and_json() {
    let s = Started::new();

    let r = with_stdin(
        s.cmd(&["add", "db_password", "--description", "the db"]),
        &format!("{VALUE}\n"),
    )
    .code(0);
    r.never_shows(VALUE);
    assert!(r.stdout.contains("db_password"), "{}", r.stdout);
    let r = with_stdin(s.cmd(&["--json", "add", "api_token"]), VALUE).code(0);
    r.never_shows(VALUE);
    let added = r.json();
    assert_eq!(added["application"], "demo-app");
    let token_id = added["added"].as_i64().expect("an id");
    assert_eq!(s.names(), ["db_password", "api_token"]);

    // list: names, no values.
    let r = run(&mut s.cmd(&["list"])).code(0);
    r.never_shows(VALUE);
    assert!(r.stdout.starts_with("ID  "), "{}", r.stdout);
    assert!(r.stdout.contains("db_password") && r.stdout.contains("the db"));
    let r = run(&mut s.cmd(&["--json", "list", "--filter", "api"])).code(0);
    r.never_shows(VALUE);
    let list = r.json();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["name"], "api_token");
    assert_eq!(list[0]["id"], token_id);

    // get: metadata only, unless --reveal.
    let r = run(&mut s.cmd(&["get", "db_password"])).code(0);
    r.never_shows(VALUE);
    assert!(r.stdout.contains("--reveal"), "{}", r.stdout);
    let r = run(&mut s.cmd(&["--json", "get", &token_id.to_string()])).code(0);
    r.never_shows(VALUE);
    assert_eq!(r.json()["name"], "api_token");
    assert!(r.json().get("value").is_none());
    let r = run(&mut s.cmd(&["get", "db_password", "--reveal"])).code(0);
    assert_eq!(r.stdout, format!("{VALUE}\n"));
    assert!(!r.stderr.contains(VALUE), "{}", r.stderr);
    let r = run(&mut s.cmd(&["--json", "get", "db_password", "--reveal"])).code(0);
    assert_eq!(r.json()["value"], VALUE);
    assert!(!r.stderr.contains(VALUE));

    // set: the value from stdin, a new name, a description.
    let r = with_stdin(s.cmd(&["set", "db_password", "--value-stdin"]), NEW_VALUE).code(0);
    r.never_shows(NEW_VALUE);
    let r = run(&mut s.cmd(&["get", "db_password", "--reveal"])).code(0);
    assert_eq!(r.stdout, format!("{NEW_VALUE}\n"));
    let r = run(&mut s.cmd(&["--json", "set", "db_password", "--rename", "db_main"])).code(0);
    assert_eq!(r.json()["changed"], "db_password");
    assert_eq!(s.names(), ["db_main", "api_token"]);

    // delete: by name (human), by id (JSON), then --all.
    let r = run(&mut s.cmd(&["delete", "db_main"])).code(0);
    assert_eq!(r.stdout, "deleted db_main\n");
    assert_eq!(s.names(), ["api_token"]);
    let r = run(&mut s.cmd(&["--json", "delete", &token_id.to_string()])).code(0);
    assert_eq!(r.json()["deleted"][0], token_id.to_string());
    assert!(s.names().is_empty());
    with_stdin(s.cmd(&["add", "a1"]), VALUE).code(0);
    with_stdin(s.cmd(&["add", "a2"]), VALUE).code(0);
    let r = run(&mut s.cmd(&["--json", "delete", "--all"])).code(0);
    assert_eq!(r.json()["deleted_all"], true);
    assert!(s.names().is_empty());
    let r = run(&mut s.cmd(&["--json", "list"])).code(0);
    assert_eq!(r.json(), serde_json::json!([]));
}

#[test]
fn delete_needs_names_or_ids_or_its_own_flag_for_everything() {
    let s = Started::new();
    with_stdin(s.cmd(&["add", "keep_me"]), VALUE).code(0);
    let r = run(&mut s.cmd(&["delete"])).code(2);
    assert!(r.stderr.contains("--all"), "{}", r.stderr);
    run(&mut s.cmd(&["delete", "keep_me", "--all"])).code(2);
    assert_eq!(s.names(), ["keep_me"]);
}

#[test]
fn every_command_works_with_the_embedded_sandbox() {
    let sandbox = |args: &[&str]| {
        let mut cmd = vox();
        cmd.arg("--sandbox").arg("voximplant").args(args);
        cmd
    };
    let r = with_stdin(sandbox(&["add", "db_password"]), VALUE).code(0);
    r.never_shows(VALUE);
    assert!(r.stderr.contains("demo-app"), "{}", r.stderr);
    let r = with_stdin(sandbox(&["--json", "add", "db_password"]), VALUE).code(0);
    assert!(r.json()["added"].is_i64(), "{}", r.stdout);
    let r = run(&mut sandbox(&["list"])).code(0);
    assert_eq!(r.stdout, "ID  NAME  MODIFIED  DESCRIPTION\n");
    let r = run(&mut sandbox(&["--json", "list"])).code(0);
    assert_eq!(r.json(), serde_json::json!([]));
    // The sandbox's state ends with each command: the secret is gone again.
    let r = run(&mut sandbox(&["get", "db_password"])).code(5);
    assert!(r.stderr.contains("db_password"), "{}", r.stderr);
    json_error(
        &run(&mut sandbox(&["--json", "get", "db_password"])).code(5),
        "not_found",
        5,
    );
    let r = with_stdin(sandbox(&["set", "db_password", "--value-stdin"]), VALUE).code(5);
    r.never_shows(VALUE);
    json_error(
        &run(&mut sandbox(&["--json", "delete", "db_password"])).code(5),
        "not_found",
        5,
    );
    let r = run(&mut sandbox(&["delete", "--all"])).code(0);
    assert_eq!(r.stdout, "deleted every secret of application demo-app\n");
    run(&mut sandbox(&["--application", "1", "--json", "list"])).code(0);
}

#[test]
fn rule_violations_exit_3_and_send_nothing() {
    let s = Started::new();
    s.sandbox.clear_requests();
    let r = with_stdin(s.cmd(&["add", "9lives"]), VALUE).code(3);
    r.never_shows(VALUE);
    assert!(
        r.stderr.contains("must start with a Latin letter"),
        "{}",
        r.stderr
    );
    let long = "x".repeat(8193);
    let r = with_stdin(s.cmd(&["--json", "add", "ok_name"]), &long).code(3);
    let message = json_error(&r, "policy", 3);
    assert!(message.contains("8193 characters"), "{message}");
    let r = run(&mut s.cmd(&["set", "ok_name", "--rename", "bad-name"])).code(3);
    assert!(r.stderr.contains("bad-name"), "{}", r.stderr);
    run(&mut s.cmd(&["set", "ok_name"])).code(3);
    run(&mut s.cmd(&["get", "bad name"])).code(3);
    run(&mut s.cmd(&["delete", "ok_name", "bad.name"])).code(3);
    assert!(
        s.sandbox.requests().is_empty(),
        "{:?}",
        s.sandbox.requests()
    );
    assert!(s.names().is_empty());
}

#[test]
fn unknown_secrets_exit_5() {
    let s = Started::new();
    let r = run(&mut s.cmd(&["get", "missing"])).code(5);
    assert!(
        r.stderr.contains(
            "reading the secret's value failed: the secret named \"missing\" was not found"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("list` shows the secrets"), "{}", r.stderr);
    run(&mut s.cmd(&["get", "77"])).code(5);
    json_error(
        &run(&mut s.cmd(&["--json", "delete", "missing"])).code(5),
        "not_found",
        5,
    );
    let r = with_stdin(s.cmd(&["set", "missing", "--value-stdin"]), VALUE).code(5);
    r.never_shows(VALUE);
}

#[test]
fn an_unknown_application_is_the_servers_error_with_its_code_and_message() {
    // The API documents no error code for "no such application", so the command does not
    // guess: the server's code and message, exit 1.
    let s = Started::new();
    let r = run(&mut s.cmd_for("no_such_app", &["list"])).code(1);
    assert!(
        r.stderr.contains("the server reported error"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("no_such_app"), "{}", r.stderr);
    assert!(r.stderr.contains("--application NAME|ID"), "{}", r.stderr);
    json_error(
        &run(&mut s.cmd_for("999", &["--json", "get", "x"])).code(1),
        "other",
        1,
    );
}

#[test]
fn the_value_never_reaches_stderr_or_the_verbose_log() {
    let s = Started::new();
    let r = with_stdin(s.cmd(&["-v", "add", "db_password"]), VALUE).code(0);
    assert!(
        r.stderr
            .contains("[DEBUG vonage_secrets_transport::run] POST /platform_api/AddSecret"),
        "{}",
        r.stderr
    );
    r.never_shows(VALUE);
    let r = with_stdin(
        s.cmd(&["-v", "set", "db_password", "--value-stdin"]),
        NEW_VALUE,
    )
    .code(0);
    r.never_shows(NEW_VALUE);
    let r = run(&mut s.cmd(&["-v", "get", "db_password"])).code(0);
    r.never_shows(NEW_VALUE);
    let r = run(&mut s.cmd(&["-v", "get", "db_password", "--reveal"])).code(0);
    assert_eq!(r.stdout, format!("{NEW_VALUE}\n"));
    assert!(!r.stderr.contains(NEW_VALUE), "{}", r.stderr);
    let r = run(&mut s.cmd(&["-v", "--json", "list"])).code(0);
    r.never_shows(NEW_VALUE);
}

#[test]
fn credentials_and_connection_errors_have_their_families() {
    // No credentials, no application: usage (2), saying what to set.
    let r = run(vox().args(["voximplant", "-a", "app", "list"])).code(2);
    assert!(r.stderr.contains("VOXIMPLANT_CREDENTIALS"), "{}", r.stderr);
    let r = run(vox().args(["--json", "voximplant", "list"])).code(2);
    assert!(json_error(&r, "usage", 2).contains("--application"));

    // A key the server does not know: unauthorized (4).
    let s = Started::with_credentials(|json| {
        let mut v: Value = serde_json::from_str(json).unwrap();
        v["key_id"] = Value::from("not-a-key-of-this-account");
        v.to_string()
    });
    let r = run(&mut s.cmd(&["--json", "list"])).code(4);
    json_error(&r, "unauthorized", 4);

    // Nothing listening: transport (7).
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let ok = Started::new();
    let mut cmd = ok.cmd(&["--json", "--timeout", "5", "list"]);
    cmd.env(
        "VOXIMPLANT_API_BASE_URL",
        format!("http://127.0.0.1:{port}/platform_api"),
    );
    json_error(&run(&mut cmd).code(7), "transport", 7);
}

#[test]
fn values_come_whole_from_stdin_and_an_empty_stdin_is_refused() {
    let s = Started::new();
    let pem = "-----BEGIN KEY-----\nAbc123\n-----END KEY-----";
    with_stdin(s.cmd(&["add", "tls_key"]), &format!("{pem}\n")).code(0);
    let r = run(&mut s.cmd(&["get", "tls_key", "--reveal"])).code(0);
    assert_eq!(r.stdout, format!("{pem}\n"));
    s.sandbox.clear_requests();
    let r = with_stdin(s.cmd(&["add", "empty"]), "").code(2);
    assert!(r.stderr.contains("stdin is empty"), "{}", r.stderr);
    assert!(r.stderr.contains("voximplant"), "{}", r.stderr);
    with_stdin(s.cmd(&["set", "tls_key", "--value-stdin"]), "\n").code(2);
    assert!(s.sandbox.requests().is_empty());
    let long = format!("{}\n", "v".repeat(8192));
    with_stdin(s.cmd(&["add", "longest"]), &long).code(0);
    let r = with_stdin(
        s.cmd(&["add", "described", "--description", &"d".repeat(250)]),
        VALUE,
    )
    .code(0);
    assert!(
        r.stderr
            .contains("warning: the description has 250 characters"),
        "{}",
        r.stderr
    );
    assert_eq!(s.names(), ["tls_key", "longest", "described"]);
}
