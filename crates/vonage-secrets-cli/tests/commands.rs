//! The `vonage-secrets` binary against a sandbox started in the test process: every command in
//! human and JSON form, every exit code, no secret in any output, and rotation end to end.

mod support;

use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use support::{Run, bare, run};
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

    // The secret the command does not log in with.
    let human = run(cli(&sb).args(["revoke", &second])).code(0);
    assert_eq!(
        human.stdout,
        format!("revoked secret {second} of account {KEY}\n")
    );
    assert_eq!(ids(&sb, KEY), [first]);

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
    let created = ids(&sb, KEY).remove(1);
    let json = run(cli(&sb).args(["revoke", &created, "--json"]))
        .code(0)
        .json();
    assert_eq!(
        json,
        serde_json::json!({"account": KEY, "revoked": created})
    );
}

#[test]
fn revoking_the_login_secret_says_truthfully_what_remains_and_who_can_act() {
    let sb = sandbox();
    let login = ids(&sb, KEY).remove(0);
    let created = run(cli(&sb).args(["create", "--json"])).code(0).json();
    let other = created["id"].as_str().unwrap().to_owned();
    let other_secret = created["secret"].as_str().unwrap().to_owned();

    let out = run(cli(&sb).args(["revoke", &login])).code(4);
    // It did revoke (stdout says so), then found the login gone, and says so.
    assert_eq!(
        out.stdout,
        format!("revoked secret {login} of account {KEY}\n")
    );
    for said in [
        format!("secret {login} was the one in VONAGE_API_SECRET"),
        format!("The account's only secret now is {other}"),
        "cannot work".to_owned(),
    ] {
        assert!(out.stderr.contains(&said), "{said}: {}", out.stderr);
    }
    out.never_shows(&other_secret).never_shows(SECRET);
    // Each claim against the sandbox: the login is refused, the remaining secret is the only
    // one and acts on the account.
    assert_eq!(ids(&sb, KEY), std::slice::from_ref(&other));
    run(cli(&sb).arg("list")).code(4);
    run(cli_as(&sb, &other_secret).arg("list")).code(0);

    // A secondary account: the login is the primary's, nothing to check.
    let sub = ids(&sb, SUB).remove(0);
    run(cli_as(&sb, &other_secret).args(["--account", SUB, "create"])).code(0);
    run(cli_as(&sb, &other_secret).args(["--account", SUB, "revoke", &sub])).code(0);
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
    assert!(
        !bad.stderr.contains(".."),
        "words, not a Rust range: {}",
        bad.stderr
    );
    let bad = run(bare().args(["--timeout", "0", "list"])).code(2);
    assert!(
        bad.stderr.contains("above 0 and at most 3600"),
        "{}",
        bad.stderr
    );
    assert!(!bad.stderr.contains("<="), "{}", bad.stderr);
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

/// The binary with credentials, pointed at a port nothing listens on (taken from a sandbox,
/// then dropped).
fn unreachable() -> Command {
    let closed = {
        let sb = sandbox();
        sb.base_url().to_owned()
    };
    let mut cmd = bare();
    cmd.env("VONAGE_API_KEY", KEY)
        .env("VONAGE_API_SECRET", SECRET)
        .args(["--base-url", &closed, "--timeout", "5"]);
    cmd
}

#[test]
fn timeouts_and_transport_failures_exit_7() {
    let sb = sandbox();
    sb.inject(Fault::hang().always());
    let out = run(cli(&sb).args(["--timeout", "1", "list"])).code(7);
    assert!(out.stderr.contains("--timeout"), "{}", out.stderr);

    let out = run(unreachable().arg("list")).code(7);
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
fn a_failed_call_on_a_secondary_account_names_the_account() {
    let sb = sandbox();
    let id = ids(&sb, SUB).remove(0);
    sb.inject(Fault::status(500).on(Operation::Get));
    let out = run(cli(&sb).args(["--account", SUB, "get", &id])).code(1);
    assert!(
        out.stderr.starts_with(&format!(
            "error: account {SUB} (--account): getting a secret failed with HTTP 500"
        )),
        "{}",
        out.stderr
    );
    sb.inject(Fault::status(503).on(Operation::List).always());
    let out = run(cli(&sb).args(["--json", "--account", SUB, "list"])).code(1);
    let message: Value = serde_json::from_str(out.stderr.trim()).unwrap();
    let message = message["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!(
            "account {SUB} (--account): listing the secrets failed with HTTP 503"
        )),
        "{message}"
    );
    sb.clear_faults();

    sb.inject(Fault::hang().always());
    let out = run(cli(&sb).args(["--account", SUB, "--timeout", "1", "list"])).code(7);
    assert!(
        out.stderr.starts_with(&format!(
            "error: account {SUB} (--account): listing the secrets failed: no complete answer"
        )),
        "{}",
        out.stderr
    );
    // The own account needs no naming, and a message that names the account is left alone.
    let out = run(cli(&sb).args(["--timeout", "1", "list"])).code(7);
    assert!(!out.stderr.contains("(--account)"), "{}", out.stderr);
    sb.clear_faults();
    let out = run(cli(&sb).args(["--account", "nobody00", "list"])).code(5);
    assert!(
        out.stderr
            .starts_with("error: account nobody00 was not found"),
        "{}",
        out.stderr
    );
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
        vec!["list", leaked],
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
fn typos_get_the_parsers_error_and_its_suggestion_not_the_leak_warning() {
    for (args, said) in [
        (
            vec!["rotate", "--revoke-olds"],
            "a similar argument exists: '--revoke-old'",
        ),
        (vec!["create", "--foo"], "unexpected argument '--foo'"),
        (vec!["rotate", "oldest"], "unexpected argument 'oldest'"),
        (
            vec!["list", "--jsno"],
            "a similar argument exists: '--json'",
        ),
    ] {
        let out = run(bare().args(&args)).code(2);
        assert!(out.stderr.contains(said), "{args:?}: {}", out.stderr);
        assert!(
            !out.stderr.contains("never taken from an argument"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("leaked"), "{args:?}: {}", out.stderr);
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

// ---------------------------------------------------------------------------------------------
// rotate on the own account: no lockout, and every advice true for the state it describes

/// Only lists were sent: nothing that changes state.
fn only_lists(sandbox: &Sandbox) -> bool {
    sandbox
        .requests()
        .iter()
        .all(|r| r.method == "GET" && r.operation == Some(Operation::List))
}

/// A second secret on the primary account; returns its id and value.
fn second_secret(sb: &Sandbox) -> (String, String) {
    let json = run(cli(sb).args(["create", "--json"])).code(0).json();
    (
        json["id"].as_str().unwrap().to_owned(),
        json["secret"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn rotate_make_room_oldest_on_the_own_full_account_is_refused_and_changes_nothing() {
    let sb = sandbox();
    second_secret(&sb);
    let before = ids(&sb, KEY);
    sb.clear_requests();
    let out = run(cli(&sb).args(["rotate", "--make-room", "oldest", "--revoke-old"])).code(6);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    for said in [
        "--make-room oldest is refused on your own account",
        "Nothing changed",
        "--make-room ID",
        "--account KEY",
        before[0].as_str(),
    ] {
        assert!(out.stderr.contains(said), "{said}: {}", out.stderr);
    }
    assert!(
        !out.stderr.contains("run the same command again"),
        "{}",
        out.stderr
    );
    // "Nothing changed" is true: only lists were sent, and both secrets are still there.
    assert!(only_lists(&sb), "{:?}", sb.requests());
    assert_eq!(ids(&sb, KEY), before);
    run(cli(&sb).arg("list")).code(0);

    // The default (refuse) on the own account does not suggest `oldest`.
    let out = run(cli(&sb).arg("rotate")).code(6);
    assert!(out.stderr.contains("--make-room ID"), "{}", out.stderr);
    assert!(
        out.stderr.contains("--make-room oldest is refused"),
        "{}",
        out.stderr
    );
    assert_eq!(ids(&sb, KEY), before);
}

#[test]
fn rotate_make_room_oldest_on_a_full_secondary_account_is_safe_and_suggested() {
    let sb = sandbox();
    run(cli(&sb).args(["--account", SUB, "create"])).code(0);
    let before = ids(&sb, SUB);
    let refused = run(cli(&sb).args(["--account", SUB, "rotate"])).code(6);
    assert!(
        refused.stderr.contains("--make-room oldest"),
        "{}",
        refused.stderr
    );
    assert_eq!(ids(&sb, SUB), before);
    // The advice works.
    let json = run(cli(&sb).args([
        "--account",
        SUB,
        "rotate",
        "--make-room",
        "oldest",
        "--json",
    ]))
    .code(0)
    .json();
    assert_eq!(json["revoked"], serde_json::json!([before[0]]));
    assert_eq!(
        ids(&sb, SUB),
        [
            before[1].clone(),
            json["new_id"].as_str().unwrap().to_owned()
        ]
    );
}

#[test]
fn rotate_make_room_with_the_login_id_warns_first_then_says_who_can_act() {
    let sb = sandbox();
    let login = ids(&sb, KEY).remove(0);
    let (other, other_secret) = second_secret(&sb);
    let out = run(cli(&sb).args(["rotate", "--make-room", &login, "--revoke-old"])).code(4);
    let warning = out
        .stderr
        .find("must not be the secret in VONAGE_API_SECRET")
        .expect("warned before acting");
    let made_room = out
        .stderr
        .find(&format!("rotate: made room: revoked {login}"))
        .expect("made room");
    assert!(warning < made_room, "{}", out.stderr);
    for said in [
        format!("secret {login} was the one in VONAGE_API_SECRET"),
        "No new secret was created".to_owned(),
        format!("The account's only secret now is {other}"),
        "cannot work".to_owned(),
    ] {
        assert!(out.stderr.contains(&said), "{said}: {}", out.stderr);
    }
    assert!(
        !out.stderr.contains("run the same command again with"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "no secret to keep: {}", out.stdout);
    // Every claim against the sandbox.
    assert_eq!(ids(&sb, KEY), [other]);
    assert_eq!(
        count(&sb, Operation::Create),
        1,
        "only the test's own create"
    );
    run(cli(&sb).arg("list")).code(4);
    run(cli_as(&sb, &other_secret).arg("list")).code(0);
}

#[test]
fn rotate_make_room_with_the_other_id_checks_the_login_and_keeps_it() {
    let sb = sandbox();
    let login = ids(&sb, KEY).remove(0);
    let (other, _) = second_secret(&sb);
    let out = run(cli(&sb).args(["rotate", "--make-room", &other, "--json"])).code(0);
    assert!(
        out.stderr
            .contains("checked: VONAGE_API_SECRET still works"),
        "{}",
        out.stderr
    );
    let json = out.json();
    assert_eq!(
        ids(&sb, KEY),
        [login, json["new_id"].as_str().unwrap().to_owned()]
    );
    run(cli(&sb).arg("list")).code(0);
}

#[test]
fn rotate_with_the_login_secret_on_stdin_is_refused_before_any_request() {
    let sb = sandbox();
    // Phase 1, then phase 2 by mistake with the old secret on stdin.
    let phase1 = run(cli(&sb).args(["rotate", "--json"])).code(0).json();
    let new_secret = phase1["secret"].as_str().unwrap().to_owned();
    let before = ids(&sb, KEY);
    sb.clear_requests();
    let out = run(cli(&sb)
        .args(["rotate", "--secret-stdin", "--revoke-old"])
        .write_stdin(SECRET))
    .code(2);
    out.never_shows(SECRET);
    assert!(!out.stderr.contains("resumed"), "{}", out.stderr);
    for said in [
        "is the one in VONAGE_API_SECRET",
        "nothing was sent",
        "Pipe the new secret",
    ] {
        assert!(out.stderr.contains(said), "{said}: {}", out.stderr);
    }
    assert!(sb.requests().is_empty(), "{:?}", sb.requests());
    assert_eq!(ids(&sb, KEY), before);
    // The advice works: the new secret on stdin, the old one in VONAGE_API_SECRET.
    let done = run(cli(&sb)
        .args(["rotate", "--secret-stdin", "--revoke-old", "--json"])
        .write_stdin(new_secret.clone()))
    .code(0);
    assert!(
        done.stderr
            .contains("rotate: resumed: the secret on stdin already works"),
        "{}",
        done.stderr
    );
    assert!(
        done.stderr.contains("VONAGE_API_SECRET no longer works"),
        "{}",
        done.stderr
    );
    assert_eq!(ids(&sb, KEY), [phase1["new_id"].as_str().unwrap()]);
    run(cli(&sb).arg("list")).code(4);
    run(cli_as(&sb, &new_secret).arg("list")).code(0);
}

#[test]
fn rotate_resuming_with_the_older_secret_ends_truthfully() {
    let sb = sandbox();
    let seeded = ids(&sb, KEY).remove(0);
    let (newer, newer_secret) = second_secret(&sb);
    // VONAGE_API_SECRET already holds the newer secret; the older one is piped as "new".
    let out = run(cli_as(&sb, &newer_secret)
        .args(["rotate", "--secret-stdin", "--revoke-old"])
        .write_stdin(SECRET))
    .code(4);
    out.never_shows(SECRET).never_shows(&newer_secret);
    for said in [
        format!("the secret on stdin was {seeded}, the older secret"),
        format!(
            "VONAGE_API_SECRET still works, and its secret is the account's only one ({newer})"
        ),
        "without --secret-stdin".to_owned(),
    ] {
        assert!(out.stderr.contains(&said), "{said}: {}", out.stderr);
    }
    assert!(
        !out.stderr.contains("same secret on stdin"),
        "{}",
        out.stderr
    );
    assert_eq!(ids(&sb, KEY), [newer]);
    run(cli_as(&sb, &newer_secret).arg("list")).code(0);
    run(cli_as(&sb, SECRET).arg("list")).code(4);
    // The advice works.
    run(cli_as(&sb, &newer_secret).arg("rotate")).code(0);
}

#[test]
fn rotate_after_making_room_and_a_failed_create_says_to_run_again_and_that_works() {
    let sb = sandbox();
    let login = ids(&sb, KEY).remove(0);
    let (other, _) = second_secret(&sb);
    sb.inject(Fault::status(403).on(Operation::Create));
    let out = run(cli(&sb).args(["rotate", "--make-room", &other])).code(1);
    assert!(out.stdout.is_empty(), "nothing to keep: {}", out.stdout);
    assert!(
        out.stderr
            .contains("No new secret was created: run the same command again"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("same secret on stdin"),
        "{}",
        out.stderr
    );
    assert_eq!(ids(&sb, KEY), std::slice::from_ref(&login));
    sb.clear_faults();
    let json = run(cli(&sb).args(["rotate", "--make-room", &other, "--json"]))
        .code(0)
        .json();
    assert_eq!(
        ids(&sb, KEY),
        [login, json["new_id"].as_str().unwrap().to_owned()]
    );
}

// ---------------------------------------------------------------------------------------------
// rotate --dry-run

#[test]
fn rotate_dry_run_says_what_would_happen_and_changes_nothing() {
    let sb = sandbox();
    let old = ids(&sb, KEY);
    sb.clear_requests();
    let human = run(cli(&sb).args(["rotate", "--dry-run", "--revoke-old"])).code(0);
    assert_eq!(
        human.stdout,
        format!(
            "account     {KEY} (the account of VONAGE_API_KEY)\n\
             secrets     {id}\n\
             resumes     no\n\
             make room   none\n\
             create      yes\n\
             revoke old  {id}\n\
             refused     no\n",
            id = old[0]
        )
    );
    assert!(
        human.stderr.contains("nothing was changed"),
        "{}",
        human.stderr
    );
    let json = run(cli(&sb).args(["rotate", "--dry-run", "--json"]))
        .code(0)
        .json();
    assert_eq!(
        json,
        serde_json::json!({
            "account": KEY, "dry_run": true, "own_account": true, "secrets": old,
            "resumes": false, "make_room": null, "creates": true, "revokes": [],
            "refused": null
        })
    );
    assert!(only_lists(&sb), "{:?}", sb.requests());
    assert_eq!(ids(&sb, KEY), old);
}

#[test]
fn rotate_dry_run_shows_refusals_with_the_runs_exit_code() {
    let sb = sandbox();
    let (other, new_secret) = second_secret(&sb);
    let full = ids(&sb, KEY);
    sb.clear_requests();
    let out =
        run(cli(&sb).args(["rotate", "--dry-run", "--json", "--make-room", "oldest"])).code(6);
    let json = out.json();
    assert_eq!(json["creates"], false);
    assert_eq!(json["make_room"], Value::Null);
    assert!(
        json["refused"]
            .as_str()
            .unwrap()
            .contains("--make-room oldest is refused on your own account"),
        "{json}"
    );
    assert!(out.stderr.contains("would be refused"), "{}", out.stderr);

    // The login on stdin: refused, exit 2.
    let out = run(cli(&sb)
        .args(["rotate", "--dry-run", "--secret-stdin"])
        .write_stdin(SECRET))
    .code(2);
    assert!(out.stdout.contains("refused     yes"), "{}", out.stdout);
    out.never_shows(SECRET);

    // The other secret on stdin: a run would resume and revoke the rest.
    let json = run(cli(&sb)
        .args([
            "rotate",
            "--dry-run",
            "--secret-stdin",
            "--revoke-old",
            "--json",
        ])
        .write_stdin(new_secret))
    .code(0)
    .json();
    assert_eq!(json["resumes"], true);
    assert_eq!(json["creates"], false);
    assert_eq!(json["revokes"], serde_json::json!([full[0]]));

    // --make-room ID on the own account would revoke it and create.
    let json = run(cli(&sb).args(["rotate", "--dry-run", "--json", "--make-room", &other]))
        .code(0)
        .json();
    assert_eq!(json["make_room"], other.as_str());
    assert_eq!(json["creates"], true);

    // A secondary account, full, by age.
    run(cli(&sb).args(["--account", SUB, "create"])).code(0);
    let sub = ids(&sb, SUB);
    sb.clear_requests();
    let json = run(cli(&sb).args([
        "--account",
        SUB,
        "rotate",
        "--dry-run",
        "--json",
        "--make-room",
        "oldest",
    ]))
    .code(0)
    .json();
    assert_eq!(json["own_account"], false);
    assert_eq!(json["make_room"], sub[0].as_str());
    assert!(only_lists(&sb), "{:?}", sb.requests());
    assert_eq!(ids(&sb, KEY), full);
    assert_eq!(ids(&sb, SUB), sub);
}

// ---------------------------------------------------------------------------------------------
// a closed stdout

/// Runs `cmd` with a stdout whose reading end is already closed.
fn with_closed_stdout(cmd: &mut Command) -> Run {
    // The writing end of a pipe whose reader (a `true` process) has exited.
    let mut reader = std::process::Command::new("true")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("true runs");
    let writer = reader.stdin.take().expect("a pipe");
    reader.wait().expect("true exits");
    let mut std_cmd = std::process::Command::new(cmd.get_program());
    std_cmd
        .args(cmd.get_args())
        .env_clear()
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdin(std::process::Stdio::null())
        .stdout(writer);
    let output = std_cmd.output().expect("the binary runs");
    Run {
        code: output
            .status
            .code()
            .expect("exited normally, not by a signal"),
        stdout: String::new(),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

#[test]
fn a_closed_stdout_ends_quietly_without_a_panic() {
    let sb = sandbox();
    for args in [
        vec!["generate"],
        vec!["generate", "--json"],
        vec!["list"],
        vec!["--json", "list"],
        vec!["rotate", "--dry-run"],
    ] {
        let out = with_closed_stdout(cli(&sb).args(&args)).code(1);
        assert!(out.stderr.is_empty(), "{args:?}: {}", out.stderr);
    }
    assert_eq!(ids(&sb, KEY).len(), 1);
}

#[test]
fn a_generated_secret_that_could_not_be_printed_is_reported_with_true_advice() {
    let sb = sandbox();
    let out = with_closed_stdout(cli(&sb).arg("create")).code(1);
    let created = ids(&sb, KEY).remove(1);
    assert!(
        out.stderr.contains(&format!(
            "the new secret {created} of account {KEY} was created, but stdout is closed"
        )),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    // The advice: revoke it with a secret that still works.
    run(cli(&sb).args(["revoke", &created])).code(0);
    assert_eq!(ids(&sb, KEY).len(), 1);
}

#[test]
fn create_on_a_full_account_suggests_what_create_can_do() {
    let sb = sandbox();
    second_secret(&sb);
    let out = run(cli(&sb).arg("create")).code(6);
    assert!(!out.stderr.contains("--make-room"), "{}", out.stderr);
    assert!(
        out.stderr.contains("vonage-secrets revoke ID"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("vonage-secrets list"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// a secret typed at a terminal

/// Runs the binary with `args` on a pseudo-terminal (util-linux `script`), types `typed` once
/// the prompt is shown, and returns everything the terminal showed.
fn on_a_terminal(args: &str, typed: &str) -> String {
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};

    let bin = assert_cmd::cargo::cargo_bin!("vonage-secrets");
    let mut child = std::process::Command::new("script")
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .env_remove("VONAGE_API_KEY")
        .env_remove("VONAGE_API_SECRET")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("`script` (util-linux) runs: it gives the command a terminal");
    let shown = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let shown = Arc::clone(&shown);
        let mut stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 256];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                shown.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let text =
        |shown: &Mutex<Vec<u8>>| String::from_utf8_lossy(&shown.lock().unwrap()).into_owned();
    let start = std::time::Instant::now();
    while !text(&shown).contains("press Enter") {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no prompt: {}",
            text(&shown)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Typed the way a person types: after the prompt.
    std::thread::sleep(Duration::from_millis(300));
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{typed}\n").as_bytes()).unwrap();
    stdin.flush().unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    reader.join().unwrap();
    let shown = text(&shown);
    assert!(status.success(), "{status}: {shown}");
    shown
}

#[test]
fn a_secret_typed_at_a_terminal_is_not_echoed() {
    let typed = "Tq8vLz2Rk9WmXc4Hp7Yd";
    let shown = on_a_terminal("validate", typed);
    assert!(shown.contains("it is not shown"), "{shown}");
    assert!(
        shown.contains("valid: the secret meets every rule"),
        "{shown}"
    );
    assert!(!shown.contains(typed), "echoed: {shown}");

    let chosen = "Typed-Secret-9xQ";
    let shown = on_a_terminal("--sandbox create --secret-stdin", chosen);
    assert!(!shown.contains(chosen), "echoed: {shown}");
    assert!(shown.contains("CREATED"), "created: {shown}");
}

// ---------------------------------------------------------------------------------------------
// the remaining advice, each against the state it describes

#[test]
fn rotate_with_a_chosen_secret_failing_after_create_says_to_pipe_it_again_and_that_works() {
    let sb = sandbox();
    let old = ids(&sb, KEY).remove(0);
    let chosen = "Chosen-Again-7Rk";
    sb.inject(Fault::status(500).on(Operation::Revoke));
    let failed = run(cli(&sb)
        .args(["rotate", "--secret-stdin", "--revoke-old"])
        .write_stdin(chosen))
    .code(1);
    failed.never_shows(chosen);
    assert!(failed.stdout.is_empty(), "not printed: {}", failed.stdout);
    assert!(
        failed
            .stderr
            .contains("run the same command again with the same secret on stdin"),
        "{}",
        failed.stderr
    );
    assert_eq!(
        ids(&sb, KEY).len(),
        2,
        "the new secret exists, the old one too"
    );
    sb.clear_faults();
    let done = run(cli(&sb)
        .args(["rotate", "--secret-stdin", "--revoke-old", "--json"])
        .write_stdin(chosen))
    .code(0)
    .json();
    assert_eq!(done["resumed"], true);
    assert_eq!(done["revoked"], serde_json::json!([old]));
    assert_eq!(count(&sb, Operation::Create), 1);
}

#[test]
fn rotate_that_cannot_check_the_login_after_making_room_says_how_to_find_out() {
    let sb = sandbox();
    let login = ids(&sb, KEY).remove(0);
    let (other, _) = second_secret(&sb);
    // The revoke is slow; once the first list is answered (the revoke is in flight then), the
    // next list, the check of the login, fails once.
    sb.inject(Fault::delay(Duration::from_millis(1000)).on(Operation::Revoke));
    sb.clear_requests();
    let out = std::thread::scope(|scope| {
        let handle = scope.spawn(|| run(cli(&sb).args(["rotate", "--make-room", &other])));
        let start = std::time::Instant::now();
        while count(&sb, Operation::List) == 0 {
            assert!(start.elapsed() < Duration::from_secs(30), "no list seen");
            std::thread::sleep(Duration::from_millis(5));
        }
        sb.inject(Fault::status(500).on(Operation::List).times(1));
        handle.join().unwrap()
    })
    .code(1);
    for said in [
        "It could not be checked whether VONAGE_API_SECRET still works".to_owned(),
        "run `vonage-secrets list` first".to_owned(),
        "No new secret was created: run the same command again".to_owned(),
        format!("revoked: {other}"),
    ] {
        assert!(out.stderr.contains(&said), "{said}: {}", out.stderr);
    }
    sb.clear_faults();
    assert_eq!(ids(&sb, KEY), std::slice::from_ref(&login));
    // The advice, followed: the list works (the revoked secret was not the login's), and the
    // same command again finishes.
    run(cli(&sb).arg("list")).code(0);
    run(cli(&sb).args(["rotate", "--make-room", &other])).code(0);
    assert_eq!(ids(&sb, KEY).len(), 2);
}

#[test]
fn create_on_a_full_account_advice_works() {
    let sb = sandbox();
    let (other, _) = second_secret(&sb);
    run(cli(&sb).arg("create")).code(6);
    // `list` shows the ids; revoking the one no program uses makes room.
    let listed = run(cli(&sb).arg("list")).code(0);
    assert!(listed.stdout.contains(&other), "{}", listed.stdout);
    run(cli(&sb).args(["revoke", &other])).code(0);
    run(cli(&sb).arg("create")).code(0);
}

// ---------------------------------------------------------------------------------------------
// --json errors

/// The error of a `--json` run: the last line of stderr is one JSON object
/// `{"error": {"kind", "message", "exit_code"}}` with the run's exit code, and no line is in
/// the text form.
#[track_caller]
fn json_error(out: &Run, kind: &str) -> String {
    let last = out.stderr.lines().last().expect("stderr holds the error");
    let value: Value = serde_json::from_str(last)
        .unwrap_or_else(|e| panic!("the error is not one line of JSON ({e}): {}", out.stderr));
    assert_eq!(keys(&value), ["error"], "{last}");
    let error = &value["error"];
    assert_eq!(keys(error), ["exit_code", "kind", "message"], "{last}");
    assert_eq!(error["kind"], kind, "{last}");
    assert_eq!(error["exit_code"], out.code, "{last}");
    assert!(
        !out.stderr.lines().any(|l| l.starts_with("error: ")),
        "{}",
        out.stderr
    );
    let message = error["message"].as_str().expect("a message").to_owned();
    assert!(
        !message.is_empty() && !message.starts_with("error: "),
        "{last}"
    );
    message
}

/// Only the error on stderr: a script reads one object.
#[track_caller]
fn only_json_error(out: &Run, kind: &str) -> String {
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    json_error(out, kind)
}

#[test]
fn json_errors_of_usage_are_one_object_on_stderr() {
    let out = run(bare().args(["--json", "list"])).code(2);
    let message = only_json_error(&out, "usage");
    assert!(
        message.contains("VONAGE_API_KEY and VONAGE_API_SECRET are not set"),
        "{message}"
    );
    assert!(out.stdout.is_empty());

    // The parser's errors too, with its suggestion, wherever --json stands.
    let out = run(bare().args(["list", "--jsno", "--json"])).code(2);
    let message = only_json_error(&out, "usage");
    assert!(message.contains("a similar argument exists"), "{message}");

    // A secret as an argument: refused, not repeated, in JSON.
    let leaked = "Leaked-Secret-42x";
    for args in [
        vec!["--json", "create", "--secret", leaked],
        vec!["--json", "rotate", leaked],
    ] {
        let out = run(bare().args(&args)).code(2);
        out.never_shows(leaked);
        let message = only_json_error(&out, "usage");
        assert!(
            message.contains("never taken from an argument"),
            "{message}"
        );
    }

    // Help and version stay text on stdout.
    let help = run(bare().args(["--json", "--help"])).code(0);
    assert!(help.stdout.contains("Usage:"), "{}", help.stdout);
    assert!(help.stderr.is_empty());
}

#[test]
fn json_errors_of_policy_are_one_object_on_stderr() {
    let sb = sandbox();
    let out = run(cli(&sb)
        .args(["--json", "create", "--secret-stdin"])
        .write_stdin("short\n"))
    .code(3);
    let message = only_json_error(&out, "policy");
    assert!(message.contains("too short"), "{message}");
    assert_eq!(count(&sb, Operation::Create), 0);

    // validate: the result on stdout, the error on stderr, each one object.
    let out = run(bare().args(["validate", "--json"]).write_stdin("short\n")).code(3);
    assert_eq!(out.json()["valid"], false);
    only_json_error(&out, "policy");
}

#[test]
fn json_errors_of_unauthorized_not_found_and_limit_are_one_object_on_stderr() {
    let sb = sandbox();
    let out = run(cli_as(&sb, "Wrong-Secret-123").args(["--json", "list"])).code(4);
    out.never_shows("Wrong-Secret-123");
    let message = only_json_error(&out, "unauthorized");
    assert!(message.contains("VONAGE_API_SECRET"), "{message}");

    let out = run(cli(&sb).args(["--json", "get", "no-such-id"])).code(5);
    let message = only_json_error(&out, "not_found");
    assert!(message.contains("no-such-id"), "{message}");
    let out = run(cli(&sb).args(["--json", "--account", "nobody99", "list"])).code(5);
    only_json_error(&out, "not_found");

    let (second, second_value) = second_secret(&sb);
    let out = run(cli(&sb).args(["--json", "create"])).code(6);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let message = only_json_error(&out, "limit");
    assert!(message.contains("vonage-secrets revoke ID"), "{message}");
    let first = ids(&sb, KEY).remove(0);
    run(cli_as(&sb, &second_value).args(["revoke", &first])).code(0);
    let out = run(cli_as(&sb, &second_value).args(["--json", "revoke", &second])).code(6);
    let message = only_json_error(&out, "limit");
    assert!(message.contains("only secret"), "{message}");
}

#[test]
fn json_errors_of_timeouts_transport_and_others_are_one_object_on_stderr() {
    let out = run(unreachable().args(["--json", "list"])).code(7);
    let message = only_json_error(&out, "transport");
    assert!(message.contains("--base-url"), "{message}");

    let sb = sandbox();
    sb.inject(Fault::hang().always());
    let out = run(cli(&sb).args(["--json", "--timeout", "1", "list"])).code(7);
    only_json_error(&out, "transport");

    let sb = sandbox();
    sb.inject(Fault::status(500).on(Operation::List));
    let out = run(cli(&sb).args(["--json", "list"])).code(1);
    let message = only_json_error(&out, "other");
    assert!(message.contains("500"), "{message}");
}

#[test]
fn a_failed_json_rotation_keeps_the_secret_on_stdout_and_the_error_on_stderr() {
    let sb = sandbox();
    sb.inject(Fault::status(500).on(Operation::Revoke));
    let out = run(cli(&sb).args(["rotate", "--revoke-old", "--json"])).code(1);
    let json = out.json();
    assert_eq!(json["completed"], false);
    assert_eq!(json["failed_step"], "revoke_old");
    let secret = json["secret"].as_str().expect("the secret is kept");
    assert!(vonage_secrets_policy::validate(secret).is_ok());
    // The steps and the reminder stay text for people; the last line is the error.
    assert!(out.stderr.contains("rotate: created"), "{}", out.stderr);
    let message = json_error(&out, "other");
    assert!(!out.stderr.contains(secret), "{}", out.stderr);
    assert!(message.contains("--secret-stdin"), "{message}");
    assert!(message.starts_with(&format!(
        "rotating the secret of account {KEY} failed while revoking the old secrets"
    )));
}

// ---------------------------------------------------------------------------------------------
// --sandbox messages

#[test]
fn sandbox_messages_name_the_demo_credentials_not_the_environment() {
    // (arguments, stdin, exit code, a sentence the run prints)
    let cases: [(&[&str], &str, i32, &str); 5] = [
        (
            &["rotate", "--revoke-old"],
            "",
            0,
            "the demo account's built-in secret no longer works on account abcd1234",
        ),
        (
            &["rotate"],
            "",
            0,
            "The sandbox's state ends with this command",
        ),
        (
            &["rotate", "--make-room", "some-id"],
            "",
            0,
            "It must not be the demo account's built-in secret",
        ),
        (
            &["rotate", "--dry-run"],
            "",
            0,
            "abcd1234 (the demo account the command logs in as)",
        ),
        // The demo secret piped as the new one: refused in the sandbox's words.
        (
            &["rotate", "--secret-stdin"],
            "Sandbox-Secret-1\n",
            2,
            "Pipe another secret",
        ),
    ];
    for (args, stdin, code, said) in cases {
        let out = run(bare().arg("--sandbox").args(args).write_stdin(stdin)).code(code);
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(all.contains(said), "{args:?}: {all}");
        // --sandbox reads no credentials from the environment, and says none.
        for variable in ["VONAGE_API_KEY", "VONAGE_API_SECRET"] {
            assert!(!all.contains(variable), "{args:?} names {variable}: {all}");
        }
    }
}
