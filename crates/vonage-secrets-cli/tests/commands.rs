//! The `vonage-secrets` binary against a sandbox started in the test process: every command in
//! human and JSON form, every exit code, no secret in any output, and rotation end to end.

use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use vonage_secrets_sandbox::{Fault, Operation, Sandbox};

const KEY: &str = "abcd1234";
const SECRET: &str = "Initial-Secret-1";
const SUB: &str = "sub00001";
const SUB_SECRET: &str = "Sub-Account-Secret-1";

fn sandbox() -> Sandbox {
    Sandbox::builder()
        .account(KEY, SECRET)
        .secondary(KEY, SUB, SUB_SECRET)
        .start()
        .expect("sandbox starts")
}

/// The binary with a clean environment: no credentials, no base URL.
fn bare() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("vonage-secrets");
    cmd.env_remove("VONAGE_API_KEY")
        .env_remove("VONAGE_API_SECRET")
        .env_remove("VONAGE_API_BASE_URL")
        .env_remove("RUST_LOG")
        .timeout(Duration::from_secs(60));
    cmd
}

/// The binary pointed at `sandbox` with the primary account's credentials.
fn cli(sandbox: &Sandbox) -> Command {
    cli_as(sandbox, SECRET)
}

fn cli_as(sandbox: &Sandbox, secret: &str) -> Command {
    let mut cmd = bare();
    cmd.env("VONAGE_API_KEY", KEY)
        .env("VONAGE_API_SECRET", secret)
        .args(["--base-url", sandbox.base_url()]);
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("the binary runs");
    Run {
        code: output.status.code().expect("exited normally"),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

impl Run {
    #[track_caller]
    fn code(self, want: i32) -> Run {
        assert_eq!(
            self.code, want,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    #[track_caller]
    fn never_shows(&self, secret: &str) -> &Self {
        assert!(
            !self.stdout.contains(secret),
            "stdout shows it: {}",
            self.stdout
        );
        assert!(
            !self.stderr.contains(secret),
            "stderr shows it: {}",
            self.stderr
        );
        self
    }
}

fn ids(sandbox: &Sandbox, key: &str) -> Vec<String> {
    sandbox
        .secrets_of(key)
        .expect("account exists")
        .into_iter()
        .map(|s| s.id)
        .collect()
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn count(sandbox: &Sandbox, op: Operation) -> usize {
    sandbox
        .requests()
        .iter()
        .filter(|r| r.operation == Some(op))
        .count()
}

// ---------------------------------------------------------------------------------------------
// list, get

#[test]
fn list_prints_a_table_and_json() {
    let sb = sandbox();
    let existing = sb.secrets_of(KEY).unwrap();

    let human = run(cli(&sb).arg("list")).code(0);
    let lines: Vec<&str> = human.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", human.stdout);
    assert!(lines[0].starts_with("ID"), "{}", lines[0]);
    let (id_col, created_col) = (lines[0].find("ID"), lines[0].find("CREATED"));
    assert_eq!(lines[1].find(existing[0].id.as_str()), id_col);
    let created = existing[0]
        .created_at
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    assert_eq!(
        lines[1].find(&created),
        created_col,
        "aligned: {}",
        human.stdout
    );
    assert!(lines[0].ends_with("AGE"));
    human.never_shows(SECRET);

    let json = run(cli(&sb).args(["list", "--json"])).code(0).json();
    let list = json.as_array().expect("an array");
    assert_eq!(list.len(), 1);
    assert_eq!(keys(&list[0]), ["created_at", "id"]);
    assert_eq!(list[0]["id"], existing[0].id.as_str());
    assert_eq!(list[0]["created_at"], created.as_str());
}

#[test]
fn get_prints_one_secret_and_unknown_ids_exit_5() {
    let sb = sandbox();
    let id = ids(&sb, KEY).remove(0);

    let human = run(cli(&sb).args(["get", &id])).code(0);
    assert_eq!(human.stdout.lines().count(), 2);
    assert!(human.stdout.lines().nth(1).unwrap().starts_with(&id));

    let json = run(cli(&sb).args(["--json", "get", &id])).code(0).json();
    assert_eq!(keys(&json), ["created_at", "id"]);
    assert_eq!(json["id"], id.as_str());

    let missing = run(cli(&sb).args(["get", "no-such-id"])).code(5);
    assert!(missing.stdout.is_empty());
    assert!(missing.stderr.contains("no-such-id"), "{}", missing.stderr);
    assert!(
        missing.stderr.contains("list the account's secrets"),
        "{}",
        missing.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// create

#[test]
fn create_generates_by_default_and_prints_the_secret_once_on_stdout() {
    let sb = sandbox();
    let human = run(cli(&sb).arg("create")).code(0);
    let secret_line = human
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("new secret: "))
        .expect("the secret is printed");
    let secret = secret_line.to_owned();
    assert!(vonage_secrets_policy::validate(&secret).is_ok());
    assert_eq!(human.stdout.matches(&secret).count(), 1);
    assert!(!human.stderr.contains(&secret), "{}", human.stderr);
    assert!(
        human.stderr.contains("store the new secret now"),
        "{}",
        human.stderr
    );
    assert_eq!(ids(&sb, KEY).len(), 2);
    // The printed secret is the one created: it authenticates.
    run(cli_as(&sb, &secret).arg("list")).code(0);
    // A third secret is refused: limit reached.
    let third = run(cli(&sb).args(["create", "--generate"])).code(6);
    assert!(
        third.stderr.contains("revoke one first"),
        "{}",
        third.stderr
    );
    assert!(
        third.stdout.is_empty(),
        "no secret printed: {}",
        third.stdout
    );
}

#[test]
fn create_json_carries_the_secret_only_when_generated() {
    let sb = sandbox();
    let json = run(cli(&sb).args(["create", "--json"])).code(0).json();
    assert_eq!(keys(&json), ["created_at", "id", "secret"]);
    let secret = json["secret"].as_str().unwrap();
    assert!(ids(&sb, KEY).contains(&json["id"].as_str().unwrap().to_owned()));
    run(cli_as(&sb, secret).arg("list")).code(0);

    let sb = sandbox();
    let chosen = "Chosen-Secret-7xQ";
    let json = run(cli(&sb)
        .args(["create", "--secret-stdin", "--json"])
        .write_stdin(format!("{chosen}\n")))
    .code(0);
    json.never_shows(chosen);
    assert_eq!(keys(&json.json()), ["created_at", "id"]);
    run(cli_as(&sb, chosen).arg("list")).code(0);
}

#[test]
fn a_weak_chosen_secret_gets_advice_and_a_bad_one_exits_3_without_a_request() {
    let sb = sandbox();
    let weak = run(cli(&sb)
        .args(["create", "--secret-stdin"])
        .write_stdin("Password1\n"))
    .code(0);
    assert!(weak.stderr.contains("weak"), "{}", weak.stderr);
    assert!(
        weak.stderr.contains("common password pattern"),
        "{}",
        weak.stderr
    );
    weak.never_shows("Password1");

    let sb = sandbox();
    let bad = run(cli(&sb)
        .args(["create", "--secret-stdin"])
        .write_stdin("short"))
    .code(3);
    assert!(bad.stderr.contains("too short"), "{}", bad.stderr);
    bad.never_shows("short\n");
    assert!(sb.requests().is_empty(), "nothing was sent");

    let empty = run(cli(&sb).args(["create", "--secret-stdin"]).write_stdin("")).code(2);
    assert!(empty.stderr.contains("stdin is empty"), "{}", empty.stderr);
    let two = run(cli(&sb)
        .args(["create", "--secret-stdin"])
        .write_stdin("Abcdefg123\nAbcdefg456\n"))
    .code(2);
    assert!(two.stderr.contains("more than one line"), "{}", two.stderr);
    two.never_shows("Abcdefg123");
}

#[test]
fn a_secret_breaking_the_projects_own_rule_exits_3_before_any_request() {
    // The local check runs before any request, so the server's own refusal cannot be provoked
    // through the CLI (its mapping to 3 is a unit test). The project's own rule (printable
    // ASCII only), which the sandbox would accept, is refused locally with the same code.
    let sb = sandbox();
    let run = run(cli(&sb)
        .args(["create", "--secret-stdin"])
        .write_stdin("Abc 12345678"))
    .code(3);
    assert!(run.stderr.contains("printable ASCII"), "{}", run.stderr);
    assert!(sb.requests().is_empty(), "nothing was sent");
}

// ---------------------------------------------------------------------------------------------
// revoke

#[test]
fn revoke_in_both_forms_and_the_last_secret_exits_6() {
    let sb = sandbox();
    let first = ids(&sb, KEY).remove(0);
    run(cli(&sb).arg("create")).code(0);
    let second = ids(&sb, KEY).remove(1);

    let human = run(cli(&sb).args(["revoke", &first])).code(0);
    assert_eq!(
        human.stdout,
        format!("revoked secret {first} of account {KEY}\n")
    );
    assert_eq!(ids(&sb, KEY), [second]);

    // The last secret cannot be revoked (a fresh account, whose one secret the test knows).
    let sb = sandbox();
    let only = ids(&sb, KEY).remove(0);
    let last = run(cli(&sb).args(["--json", "revoke", &only])).code(6);
    assert!(last.stdout.is_empty());
    assert!(
        last.stderr.contains("create a new secret first"),
        "{}",
        last.stderr
    );

    run(cli(&sb).args(["revoke", "nope"])).code(5);

    run(cli(&sb).arg("create")).code(0);
    let json = run(cli(&sb).args(["revoke", &only, "--json"]))
        .code(0)
        .json();
    assert_eq!(json, serde_json::json!({"account": KEY, "revoked": only}));
}

// ---------------------------------------------------------------------------------------------
// secondary accounts

#[test]
fn account_acts_on_a_secondary_account_with_the_primarys_credentials() {
    let sb = sandbox();
    let sub_ids = ids(&sb, SUB);
    let json = run(cli(&sb).args(["--account", SUB, "list", "--json"]))
        .code(0)
        .json();
    assert_eq!(json[0]["id"], sub_ids[0].as_str());

    let rotated = run(cli(&sb).args(["--account", SUB, "rotate", "--revoke-old", "--json"]))
        .code(0)
        .json();
    assert_eq!(rotated["account"], SUB);
    assert_eq!(rotated["revoked"], serde_json::json!([sub_ids[0]]));
    assert_eq!(ids(&sb, SUB), [rotated["new_id"].as_str().unwrap()]);
    // The primary account is untouched.
    assert_eq!(ids(&sb, KEY).len(), 1);

    run(cli(&sb).args(["--account", "nobody00", "list"])).code(5);
}

// ---------------------------------------------------------------------------------------------
// rotate

#[test]
fn rotate_reports_each_step_on_stderr_and_the_result_on_stdout() {
    let sb = sandbox();
    let old = ids(&sb, KEY).remove(0);
    let human = run(cli(&sb).args(["rotate", "--revoke-old"])).code(0);
    let steps: Vec<&str> = human
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("rotate: "))
        .collect();
    let new = ids(&sb, KEY).remove(0);
    assert_ne!(new, old);
    assert_eq!(
        steps,
        [
            "listed the account's secrets".to_owned(),
            format!("created {new}"),
            "verified: the new secret works".to_owned(),
            format!("revoked {old}"),
        ]
    );
    let secret = human
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("new secret"))
        .expect("the new secret is shown")
        .trim()
        .to_owned();
    assert!(
        human.stdout.contains(&format!("new id      {new}")),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("verified    yes"), "{}", human.stdout);
    assert!(!human.stderr.contains(&secret));
    human.never_shows(SECRET);
    run(cli_as(&sb, &secret).arg("list")).code(0);
    run(cli(&sb).arg("list")).code(4);
}

#[test]
fn rotate_json_and_making_room() {
    let sb = sandbox();
    let json = run(cli(&sb).args(["rotate", "--json"])).code(0).json();
    assert_eq!(
        keys(&json),
        [
            "account",
            "completed",
            "new_id",
            "resumed",
            "revoked",
            "secret",
            "verified"
        ]
    );
    assert_eq!(json["verified"], true);
    assert_eq!(json["revoked"], serde_json::json!([]));
    assert_eq!(json["completed"], true);
    let before = ids(&sb, KEY);
    assert_eq!(before.len(), 2);

    // Two secrets: refused by default, and nothing changes.
    let refused = run(cli(&sb).args(["rotate"])).code(6);
    assert!(refused.stderr.contains("--make-room"), "{}", refused.stderr);
    assert!(refused.stdout.is_empty());
    assert_eq!(ids(&sb, KEY), before);

    // --make-room with an id: that one goes. Keep the env's own secret (before[0]).
    let made = run(cli(&sb).args(["rotate", "--json", "--make-room", &before[1]])).code(0);
    assert!(
        made.stderr
            .contains(&format!("rotate: made room: revoked {}", before[1])),
        "{}",
        made.stderr
    );
    let json = made.json();
    assert_eq!(json["revoked"], serde_json::json!([before[1]]));
    assert_eq!(
        ids(&sb, KEY),
        [
            before[0].clone(),
            json["new_id"].as_str().unwrap().to_owned()
        ]
    );

    run(cli(&sb).args(["rotate", "--make-room", "not-an-id"])).code(5);
}

#[test]
fn rotate_with_a_chosen_secret_prints_no_secret() {
    let sb = sandbox();
    let chosen = "Chosen-Rotation-9zK";
    let out = run(cli(&sb)
        .args(["rotate", "--secret-stdin", "--json"])
        .write_stdin(chosen))
    .code(0);
    out.never_shows(chosen);
    assert_eq!(out.json()["secret"], Value::Null);
}

#[test]
fn rotate_reruns_after_an_injected_failure_without_a_second_secret() {
    let sb = sandbox();
    let old = ids(&sb, KEY).remove(0);
    // Every revoke fails with 500 (not retried): the rotation stops after creating and
    // verifying the new secret.
    sb.inject(Fault::status(500).on(Operation::Revoke));
    let failed = run(cli(&sb).args(["rotate", "--revoke-old", "--json"])).code(1);
    let json = failed.json();
    assert_eq!(json["completed"], false);
    assert_eq!(json["failed_step"], "revoke_old");
    assert_eq!(json["verified"], true);
    let secret = json["secret"]
        .as_str()
        .expect("the secret is kept")
        .to_owned();
    let new_id = json["new_id"].as_str().unwrap().to_owned();
    assert!(
        failed.stderr.contains("--secret-stdin"),
        "{}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains(&format!("rotate: created {new_id}")),
        "{}",
        failed.stderr
    );
    assert!(!failed.stderr.contains(&secret));
    assert_eq!(ids(&sb, KEY), [old.clone(), new_id.clone()]);

    // The rerun with the same secret on stdin resumes and finishes.
    let rerun = run(cli(&sb)
        .args(["rotate", "--revoke-old", "--secret-stdin", "--json"])
        .write_stdin(format!("{secret}\n")))
    .code(0);
    rerun.never_shows(&secret);
    let json = rerun.json();
    assert_eq!(json["resumed"], true);
    assert_eq!(json["new_id"], new_id.as_str());
    assert_eq!(json["revoked"], serde_json::json!([old]));
    assert!(rerun.stderr.contains("rotate: resumed"), "{}", rerun.stderr);
    assert_eq!(ids(&sb, KEY), [new_id]);
    assert_eq!(
        count(&sb, Operation::Create),
        1,
        "no second secret was created"
    );
}

#[test]
fn rotate_failing_before_creating_says_nothing_changed() {
    let sb = sandbox();
    sb.inject(Fault::status(500).on(Operation::List));
    let failed = run(cli(&sb).args(["rotate"])).code(1);
    assert!(
        failed.stdout.is_empty(),
        "no secret to keep: {}",
        failed.stdout
    );
    assert!(
        failed.stderr.contains("Nothing changed"),
        "{}",
        failed.stderr
    );
    assert_eq!(ids(&sb, KEY).len(), 1);
}

// ---------------------------------------------------------------------------------------------
// --sandbox

#[test]
fn the_embedded_sandbox_shows_the_whole_procedure_without_an_account() {
    let out = run(bare().args(["--sandbox", "rotate", "--revoke-old"])).code(0);
    for step in ["listed", "created", "verified", "revoked"] {
        assert!(
            out.stderr.contains(&format!("rotate: {step}")),
            "{}",
            out.stderr
        );
    }
    assert!(out.stdout.contains("verified    yes"), "{}", out.stdout);
    let json = run(bare().args(["--sandbox", "--json", "--account", "abcd5678", "list"]))
        .code(0)
        .json();
    assert_eq!(json.as_array().unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// validate, generate

#[test]
fn validate_prints_each_violation_and_exits_3_or_0() {
    let bad = run(bare().arg("validate").write_stdin("abc\n")).code(3);
    let listed: Vec<&str> = bad.stdout.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(listed.len(), 3, "{}", bad.stdout);
    assert!(listed[0].contains("too short"));
    let json = run(bare().args(["validate", "--json"]).write_stdin("abc"))
        .code(3)
        .json();
    let rules: Vec<&str> = json["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["too_short", "missing_uppercase", "missing_digit"]);
    assert_eq!(json["valid"], false);

    let good = run(bare().arg("validate").write_stdin("Tq8vLz2Rk9WmXc4Hp7Yd\n")).code(0);
    assert_eq!(good.stdout, "valid: the secret meets every rule\n");
    let json = run(bare().args(["validate", "--json"]).write_stdin("Password1"))
        .code(0)
        .json();
    assert_eq!(json["valid"], true);
    assert!(!json["advice"].as_array().unwrap().is_empty());
}

#[test]
fn generate_prints_valid_secrets() {
    let out = run(bare().arg("generate")).code(0);
    let secret = out.stdout.trim_end();
    assert_eq!(secret.len(), 25);
    assert!(vonage_secrets_policy::validate(secret).is_ok());
    let json = run(bare().args(["generate", "--json", "--length", "12", "--symbols"]))
        .code(0)
        .json();
    assert_eq!(json["secret"].as_str().unwrap().len(), 12);
    let bad = run(bare().args(["generate", "--length", "7"])).code(2);
    assert!(bad.stderr.contains("8 to 25"), "{}", bad.stderr);
}

// ---------------------------------------------------------------------------------------------
// exit codes and errors

#[test]
fn usage_errors_exit_2() {
    run(bare().arg("--no-such-flag")).code(2);
    run(&mut bare()).code(2);
    run(bare().args(["get"])).code(2);
    run(bare().args(["--timeout", "0", "list"])).code(2);
    run(bare().args(["--sandbox", "--base-url", "http://127.0.0.1:9", "list"])).code(2);
    run(bare().args(["--version"])).code(0);
    let plain_http = run(bare()
        .env("VONAGE_API_KEY", KEY)
        .env("VONAGE_API_SECRET", SECRET)
        .args(["--base-url", "http://example.com", "list"]))
    .code(2);
    assert!(plain_http.stderr.contains("https"), "{}", plain_http.stderr);
}

#[test]
fn missing_credentials_say_how_to_set_them_or_try_the_sandbox() {
    let out = run(bare().arg("list")).code(2);
    for hint in ["VONAGE_API_KEY", "VONAGE_API_SECRET", "--sandbox"] {
        assert!(out.stderr.contains(hint), "{hint}: {}", out.stderr);
    }
    let out = run(bare().env("VONAGE_API_KEY", KEY).arg("list")).code(2);
    assert!(
        out.stderr.contains("VONAGE_API_SECRET is not set"),
        "{}",
        out.stderr
    );
}

#[test]
fn refused_credentials_exit_4() {
    let sb = sandbox();
    let out = run(cli_as(&sb, "Wrong-Secret-123").arg("list")).code(4);
    assert!(out.stderr.contains("VONAGE_API_SECRET"), "{}", out.stderr);
    out.never_shows("Wrong-Secret-123");
}

#[test]
fn timeouts_and_transport_failures_exit_7() {
    let sb = sandbox();
    sb.inject(Fault::hang().always());
    let out = run(cli(&sb).args(["--timeout", "1", "list"])).code(7);
    assert!(out.stderr.contains("--timeout"), "{}", out.stderr);

    // A port nothing listens on: take one from a sandbox, then drop it.
    let closed = {
        let sb = sandbox();
        sb.base_url().to_owned()
    };
    let out = run(bare()
        .env("VONAGE_API_KEY", KEY)
        .env("VONAGE_API_SECRET", SECRET)
        .args(["--base-url", &closed, "--timeout", "5", "list"]))
    .code(7);
    assert!(out.stderr.contains("--base-url"), "{}", out.stderr);
}

#[test]
fn unexpected_server_errors_exit_1() {
    let sb = sandbox();
    sb.inject(Fault::status(500).on(Operation::Get));
    let id = ids(&sb, KEY).remove(0);
    let out = run(cli(&sb).args(["get", &id])).code(1);
    assert!(out.stderr.contains("500"), "{}", out.stderr);
    assert!(out.stderr.contains("Retry later"), "{}", out.stderr);
}

#[test]
fn base_url_comes_from_the_environment_too() {
    let sb = sandbox();
    run(bare()
        .env("VONAGE_API_KEY", KEY)
        .env("VONAGE_API_SECRET", SECRET)
        .env("VONAGE_API_BASE_URL", sb.base_url())
        .arg("list"))
    .code(0);
}

// ---------------------------------------------------------------------------------------------
// secrets never shown

#[test]
fn secrets_given_as_arguments_are_refused_without_being_repeated() {
    let leaked = "Leaked-Secret-42x";
    for args in [
        vec!["create", "--secret", leaked],
        vec!["create", &format!("--secret={leaked}")],
        vec!["create", leaked],
        vec!["rotate", leaked],
        vec!["validate", leaked],
        vec!["--api-secret", leaked, "list"],
        vec!["list", "--api-secret", leaked],
    ]
    .iter()
    .map(|a| a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    {
        let out = run(bare().args(&args)).code(2);
        out.never_shows(leaked);
        assert!(
            out.stderr.contains("never taken from an argument"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn the_debug_log_shows_requests_but_never_a_secret() {
    let sb = sandbox();
    let out = run(cli(&sb).args(["-v", "rotate", "--revoke-old", "--json"])).code(0);
    let secret = out.json()["secret"].as_str().unwrap().to_owned();
    assert!(
        out.stderr.contains("DEBUG"),
        "logging is on: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("/accounts/abcd1234/secrets"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(&secret), "{}", out.stderr);
    assert!(!out.stderr.contains(SECRET), "{}", out.stderr);
    // Basic credentials, base64-encoded, do not appear either.
    assert!(!out.stderr.contains("Basic "), "{}", out.stderr);
    assert!(!out.stdout.contains(SECRET));

    let chosen = "Chosen-Secret-Log-5";
    let out = run(cli_as(&sb, &secret)
        .args(["-v", "create", "--secret-stdin"])
        .write_stdin(chosen))
    .code(0);
    out.never_shows(chosen).never_shows(&secret);

    let out = run(cli_as(&sb, "Wrong-Secret-123").args(["-v", "list"])).code(4);
    out.never_shows("Wrong-Secret-123");
}
