//! `accounts`, `audit` and `rotate --accounts` against a sandbox started in the test process:
//! verdicts and exit codes, deploy targets, a failed deploy undone, no secret in any output.

use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use vonage_secrets_sandbox::{Operation, Sandbox, generated_secondary};

const KEY: &str = "abcd1234";
const SECRET: &str = "Initial-Secret-1";

fn cli(sandbox: &Sandbox) -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("vonage-secrets");
    cmd.env_remove("VONAGE_API_BASE_URL")
        .env_remove("RUST_LOG")
        .env("VONAGE_API_KEY", KEY)
        .env("VONAGE_API_SECRET", SECRET)
        .args(["--base-url", sandbox.base_url()])
        .timeout(Duration::from_secs(120));
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
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn works(sandbox: &Sandbox, key: &str, secret: &str) -> bool {
    vonage_secrets::Client::builder(key, secret)
        .base_url(sandbox.base_url())
        .build()
        .unwrap()
        .secrets()
        .list()
        .is_ok()
}

#[test]
fn audit_says_what_is_due_and_exits_8_only_when_something_needs_attention() {
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, 3)
        // A rotation not finished: two secrets.
        .secondary(KEY, "sub00002", "Second-Secret-22")
        .suspended("sub00003")
        .start()
        .unwrap();
    let r = run(cli(&sandbox).args(["--json", "audit", "--max-age", "90d"]));
    assert_eq!(r.code, 8, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let entry = |key: &str| {
        v["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["api_key"] == key)
            .unwrap()
            .clone()
    };
    assert_eq!(entry(KEY)["primary"], true);
    assert_eq!(entry("sub00001")["due"], false);
    assert_eq!(entry("sub00002")["two_secrets"], true);
    assert_eq!(entry("sub00002")["secrets"], 2);
    assert_eq!(entry("sub00003")["suspended"], true);
    assert_eq!(v["summary"]["accounts"], 4);
    assert_eq!(v["summary"]["two_secrets"], 1);
    assert_eq!(v["summary"]["due"], 0);

    // Nothing due among these: exit 0, with the summary line.
    sandbox.clear_requests();
    let r = run(cli(&sandbox).args(["audit", "--accounts", "sub00001,sub00003"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "2 accounts: 0 due for rotation, 0 with two secrets, 1 suspended, 0 unreachable"
        ),
        "{}",
        r.stdout
    );
    // One Subaccounts list says which are suspended, then one list of secrets per account.
    let mut paths: Vec<String> = sandbox.requests().into_iter().map(|r| r.path).collect();
    // The accounts are listed at once, in either order.
    paths[1..].sort();
    assert_eq!(
        paths,
        [
            format!("/accounts/{KEY}/subaccounts"),
            "/accounts/sub00001/secrets".to_owned(),
            "/accounts/sub00003/secrets".to_owned(),
        ],
        "{paths:?}"
    );
    // Everything is due at an age of 0 seconds.
    let r = run(cli(&sandbox).args(["audit", "--max-age", "0s", "--accounts", "sub00001"]));
    assert_eq!(r.code, 8);
    assert!(r.stdout.contains("rotation due"), "{}", r.stdout);
    // An unknown account is unreachable, said in words.
    let r = run(cli(&sandbox).args(["audit", "--accounts", "nobody1"]));
    assert_eq!(r.code, 8);
    assert!(
        r.stdout
            .contains("unreachable: account nobody1 was not found"),
        "{}",
        r.stdout
    );
    // A bad age is a usage error that says what to give.
    let r = run(cli(&sandbox).args(["audit", "--max-age", "90x"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("such as 90d"), "{}", r.stderr);

    let r = run(cli(&sandbox).args(["accounts"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("sub00002  secondary  2"), "{}", r.stdout);
}

#[test]
fn rotate_accounts_all_deploys_to_a_directory_and_revokes_the_old_secrets() {
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, 5)
        .start()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let out = dir.path().join("secrets");
    std::fs::create_dir(&out).unwrap();
    let deploy = format!("dir:{}", out.display());
    let r = run(cli(&sandbox).args([
        "--json",
        "rotate",
        "--accounts",
        "all",
        "--deploy",
        &deploy,
        "--revoke-old",
        "--journal",
        journal.to_str().unwrap(),
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["summary"]["done"], 5);
    let journal_text = std::fs::read_to_string(&journal).unwrap();
    for n in 1..=5 {
        let (key, old) = generated_secondary(n);
        let file = out.join(&key);
        let secret = std::fs::read_to_string(&file).unwrap();
        let secret = secret.trim_end();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{key}");
        }
        assert!(works(&sandbox, &key, secret), "{key}");
        assert!(
            !works(&sandbox, &key, &old),
            "{key}: the old secret is revoked"
        );
        assert_eq!(sandbox.secrets_of(&key).unwrap().len(), 1);
        for text in [&r.stdout, &r.stderr, &journal_text] {
            assert!(!text.contains(secret), "a secret was printed");
        }
    }
    // No partial files are left behind.
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 5);

    // A rerun with the same journal changes nothing.
    sandbox.clear_requests();
    let r = run(cli(&sandbox).args([
        "rotate",
        "--accounts",
        "all",
        "--deploy",
        &deploy,
        "--journal",
        journal.to_str().unwrap(),
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("0 rotated, 5 skipped, 0 failed"),
        "{}",
        r.stdout
    );
    assert!(
        !sandbox
            .requests()
            .iter()
            .any(|r| r.operation == Some(Operation::Create))
    );
}

#[test]
fn a_failing_exec_target_leaves_every_account_with_its_old_secret_alone() {
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, 3)
        .start()
        .unwrap();
    let r = run(cli(&sandbox).args([
        "rotate",
        "--accounts",
        "sub00001,sub00002",
        "--deploy",
        "exec:cat > /dev/null; exit 3",
        "--revoke-old",
    ]));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert!(
        r.stdout.contains("0 rotated, 0 skipped, 2 failed"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("new secret was revoked again"),
        "{}",
        r.stdout
    );
    for n in 1..=2 {
        let (key, old) = generated_secondary(n);
        assert_eq!(sandbox.secrets_of(&key).unwrap().len(), 1, "{key}");
        assert!(works(&sandbox, &key, &old), "{key}");
    }
}

#[test]
fn an_exec_target_gets_the_secret_on_stdin_and_the_key_in_its_environment() {
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, 2)
        .start()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!(
        "exec:test -z \"$VONAGE_API_SECRET\" && cat > '{}'/\"$VONAGE_API_KEY\"",
        dir.path().display()
    );
    let r = run(cli(&sandbox).args(["rotate", "--accounts", "all", "--deploy", &cmd]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for n in 1..=2 {
        let (key, old) = generated_secondary(n);
        let secret = std::fs::read_to_string(dir.path().join(&key)).unwrap();
        assert!(works(&sandbox, &key, secret.trim_end()), "{key}");
        // Without --revoke-old the old secret still works.
        assert!(works(&sandbox, &key, &old), "{key}");
        assert!(!r.stdout.contains(secret.trim_end()) && !r.stderr.contains(secret.trim_end()));
    }
}

#[test]
fn a_fleet_rotation_without_a_deploy_target_is_refused() {
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, 2)
        .start()
        .unwrap();
    let r = run(cli(&sandbox).args(["rotate", "--accounts", "all"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("needs --deploy"), "{}", r.stderr);
    assert!(sandbox.requests().is_empty());
    let r = run(cli(&sandbox).args(["rotate", "--accounts", "all", "--deploy", "ftp:x"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("exec:CMD"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn ctrl_c_finishes_the_accounts_in_flight_and_stops() {
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, 30)
        .latency(Duration::from_millis(50))
        .start()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_vonage-secrets"));
    cmd.env("VONAGE_API_KEY", KEY)
        .env("VONAGE_API_SECRET", SECRET)
        .args([
            "--base-url",
            sandbox.base_url(),
            "--json",
            "rotate",
            "--accounts",
            "all",
        ])
        .args(["--concurrency", "1", "--revoke-old"])
        .arg(format!("--deploy=dir:{}", dir.path().display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    // Wait for the first account to finish, then interrupt.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::fs::read_dir(dir.path()).unwrap().count() == 0 {
        assert!(std::time::Instant::now() < deadline, "no account rotated");
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(8));
    let v: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(v["summary"]["stopped"], true);
    let skipped = v["summary"]["skipped"].as_u64().unwrap();
    assert!(skipped > 0, "{v}");
    assert_eq!(v["summary"]["failed"], 0, "{v}");
    // Every account holds exactly one secret, and it works for whoever holds it: the target
    // for those rotated, the old one for those not started.
    for n in 1..=30 {
        let (key, old) = generated_secondary(n);
        assert_eq!(sandbox.secrets_of(&key).unwrap().len(), 1, "{key}");
        match std::fs::read_to_string(dir.path().join(&key)) {
            Ok(secret) => assert!(works(&sandbox, &key, secret.trim_end()), "{key}"),
            Err(_) => assert!(works(&sandbox, &key, &old), "{key}"),
        }
    }
}
