//! `rotate --accounts ... --deploy voximplant:APPLICATION/NAME` against a sandbox started here
//! (the Vonage and the Voximplant API on one listener) and the embedded one; and
//! `rotate --accounts KEY` without `--deploy`, which is `--account KEY rotate`.

mod support;

use std::path::PathBuf;

use assert_cmd::Command;
use secrecy::ExposeSecret;
use support::{bare, run};
use vonage_secrets_sandbox::{
    Fault, Operation, Sandbox, VOXIMPLANT_DEMO_ACCOUNT_ID, VOXIMPLANT_DEMO_APPLICATION_ID,
    generated_secondary,
};
use voximplant_secrets::{ApplicationRef, Credentials, SecretRef};

const KEY: &str = "abcd1234";
const SECRET: &str = "Initial-Secret-1";
const PER_ACCOUNT: &str = "voximplant:demo-app/vonage_{api_key}";

/// A sandbox with `n` secondary accounts and the demo Voximplant account's credentials.json in
/// a file.
struct Started {
    sandbox: Sandbox,
    credentials: PathBuf,
}

impl Started {
    fn new(n: usize) -> Started {
        Self::with(Sandbox::builder().account(KEY, SECRET).secondaries(KEY, n))
    }

    fn with(builder: vonage_secrets_sandbox::SandboxBuilder) -> Started {
        let sandbox = builder.start().expect("the sandbox starts");
        let credentials = std::env::temp_dir().join(format!(
            "vonage-secrets-voxdeploy-{}-{}.json",
            std::process::id(),
            sandbox.base_url().rsplit(':').next().unwrap()
        ));
        std::fs::write(
            &credentials,
            sandbox.voximplant_credentials_json().expose_secret(),
        )
        .unwrap();
        Started {
            sandbox,
            credentials,
        }
    }

    /// The command with the primary account's credentials and the Voximplant settings.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = bare();
        cmd.env("VONAGE_API_KEY", KEY)
            .env("VONAGE_API_SECRET", SECRET)
            .env("VOXIMPLANT_CREDENTIALS", &self.credentials)
            .env(
                "VOXIMPLANT_API_BASE_URL",
                format!("{}/platform_api", self.sandbox.base_url()),
            )
            .args(["--base-url", self.sandbox.base_url()])
            .args(args)
            .timeout(std::time::Duration::from_secs(120));
        cmd
    }

    /// The value stored under `name` in the demo application, read with the Voximplant client.
    fn stored(&self, name: &str) -> Option<String> {
        let client = voximplant_secrets::Client::builder(
            Credentials::from_json(self.sandbox.voximplant_credentials_json().expose_secret())
                .unwrap(),
        )
        .base_url(format!("{}/platform_api", self.sandbox.base_url()))
        .build()
        .unwrap();
        client
            .application(ApplicationRef::Name("demo-app".to_owned()))
            .value(SecretRef::Name(name.to_owned()))
            .ok()
            .map(|s| s.value.expose_secret().to_owned())
    }

    fn names(&self) -> Vec<String> {
        self.sandbox
            .voximplant_secret_names(VOXIMPLANT_DEMO_ACCOUNT_ID, VOXIMPLANT_DEMO_APPLICATION_ID)
            .expect("the demo application exists")
    }

    fn works(&self, key: &str, secret: &str) -> bool {
        vonage_secrets::Client::builder(key, secret)
            .base_url(self.sandbox.base_url())
            .build()
            .unwrap()
            .secrets()
            .list()
            .is_ok()
    }

    /// How many requests of `operation` the sandbox got.
    fn count(&self, operation: Operation) -> usize {
        self.sandbox
            .requests()
            .iter()
            .filter(|r| r.operation == Some(operation))
            .count()
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.credentials);
    }
}

#[test]
fn a_voximplant_deploy_stores_each_accounts_new_secret_under_its_name() {
    let s = Started::new(3);
    let r = run(&mut s.cmd(&[
        "--json",
        "rotate",
        "--accounts",
        "all",
        "--deploy",
        PER_ACCOUNT,
        "--revoke-old",
    ]))
    .code(0);
    let v = r.json();
    assert_eq!(v["summary"]["done"], 3, "{v}");
    let mut first = Vec::new();
    for n in 1..=3 {
        let (key, old) = generated_secondary(n);
        let stored = s
            .stored(&format!("vonage_{key}"))
            .unwrap_or_else(|| panic!("nothing stored for {key}"));
        // The stored value is the account's new secret: it works, it is the only one, and
        // the old one is revoked.
        assert!(s.works(&key, &stored), "{key}");
        assert!(!s.works(&key, &old), "{key}");
        assert_eq!(s.sandbox.secrets_of(&key).unwrap().len(), 1, "{key}");
        r.never_shows(&stored).never_shows(&old);
        first.push(stored);
    }
    // In the order the workers finished: any.
    let mut names = s.names();
    names.sort();
    assert_eq!(
        names,
        ["vonage_sub00001", "vonage_sub00002", "vonage_sub00003"]
    );

    // Again: the names exist now, and are changed in place; plain lines on stderr, and the
    // request log of -v, without a secret.
    let r = run(&mut s.cmd(&[
        "-v",
        "rotate",
        "--accounts",
        "sub00001,sub00003",
        "--deploy",
        PER_ACCOUNT,
        "--revoke-old",
    ]))
    .code(0);
    assert!(r.stderr.contains("sub00001: done\n"), "{}", r.stderr);
    assert!(r.stderr.contains("sub00003: done\n"), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("2 accounts: 2 rotated, 0 skipped, 0 failed"),
        "{}",
        r.stdout
    );
    for (n, before) in [(1, &first[0]), (3, &first[2])] {
        let (key, _) = generated_secondary(n);
        let stored = s.stored(&format!("vonage_{key}")).unwrap();
        assert_ne!(&stored, before, "{key}");
        assert!(s.works(&key, &stored), "{key}");
        assert!(!s.works(&key, before), "{key}");
        r.never_shows(&stored).never_shows(before);
    }
    assert_eq!(s.stored("vonage_sub00002").as_ref(), Some(&first[1]));
    assert_eq!(s.names().len(), 3, "changed, not added: {:?}", s.names());
}

#[test]
fn one_account_may_use_a_name_without_the_placeholder() {
    let s = Started::new(2);
    let r = run(&mut s.cmd(&[
        "rotate",
        "--accounts",
        "sub00002",
        "--deploy",
        "voximplant:1/vonage_api_secret",
    ]))
    .code(0);
    let (key, old) = generated_secondary(2);
    let stored = s.stored("vonage_api_secret").unwrap();
    assert!(s.works(&key, &stored));
    // Without --revoke-old the old secret still works.
    assert!(s.works(&key, &old));
    r.never_shows(&stored);
}

#[test]
fn the_embedded_sandbox_deploys_to_its_demo_application() {
    let mut cmd = bare();
    cmd.env_remove("VOXIMPLANT_CREDENTIALS").args([
        "--sandbox",
        "rotate",
        "--accounts",
        "all",
        "--deploy",
        "voximplant:/vonage_{api_key}",
        "--revoke-old",
    ]);
    let r = run(&mut cmd).code(0);
    assert!(
        r.stdout
            .contains("4 accounts: 4 rotated, 0 skipped, 0 failed"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_failing_voximplant_deploy_leaves_each_account_its_old_secret() {
    let s = Started::new(2);
    // The add is refused: nothing is stored.
    s.sandbox
        .inject(Fault::status(500).on(Operation::AddSecret).always());
    let r = run(&mut s.cmd(&[
        "rotate",
        "--accounts",
        "all",
        "--deploy",
        PER_ACCOUNT,
        "--revoke-old",
    ]))
    .code(8);
    assert!(
        r.stdout
            .contains("2 accounts: 0 rotated, 0 skipped, 2 failed"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("adding the secret failed"),
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
        assert_eq!(s.sandbox.secrets_of(&key).unwrap().len(), 1, "{key}");
        assert!(s.works(&key, &old), "{key}");
        r.never_shows(&old);
    }
    assert_eq!(s.count(Operation::Create), 2);
    assert_eq!(s.count(Operation::Revoke), 2, "each new secret revoked");
    assert!(s.names().is_empty(), "{:?}", s.names());

    // The add works but the read-back does not: the stored secret is deleted again.
    s.sandbox.clear_faults();
    s.sandbox
        .inject(Fault::invalid_json().on(Operation::GetSecretValue).always());
    let r = run(&mut s.cmd(&[
        "rotate",
        "--accounts",
        "all",
        "--deploy",
        PER_ACCOUNT,
        "--revoke-old",
    ]))
    .code(8);
    assert!(
        r.stdout
            .contains("stored, but then reading the secret's value failed"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("it was deleted again"), "{}", r.stdout);
    for n in 1..=2 {
        let (key, old) = generated_secondary(n);
        assert_eq!(s.sandbox.secrets_of(&key).unwrap().len(), 1, "{key}");
        assert!(s.works(&key, &old), "{key}");
    }
    assert!(s.names().is_empty(), "{:?}", s.names());
    s.sandbox.clear_faults();

    // A name that holds a value already gets it back when the change fails.
    run(&mut s.cmd(&[
        "rotate",
        "--accounts",
        "sub00001",
        "--deploy",
        PER_ACCOUNT,
        "--revoke-old",
    ]))
    .code(0);
    let before = s.stored("vonage_sub00001").unwrap();
    s.sandbox
        .inject(Fault::invalid_json().on(Operation::SetSecretInfo).times(1));
    let r = run(&mut s.cmd(&[
        "rotate",
        "--accounts",
        "sub00001",
        "--deploy",
        PER_ACCOUNT,
        "--revoke-old",
    ]))
    .code(8);
    assert!(
        r.stdout.contains("it holds its previous value again"),
        "{}",
        r.stdout
    );
    assert_eq!(s.stored("vonage_sub00001"), Some(before.clone()));
    assert!(s.works("sub00001", &before));
    assert_eq!(s.sandbox.secrets_of("sub00001").unwrap().len(), 1);
    r.never_shows(&before);
}

#[test]
fn an_unusable_application_or_credentials_file_is_refused_before_any_account_is_touched() {
    let s = Started::new(2);
    let r = run(&mut s.cmd(&[
        "rotate",
        "--accounts",
        "all",
        "--deploy",
        "voximplant:no_such_app/vonage_{api_key}",
    ]))
    // The API documents no code for "no such application": the server's error, exit 1.
    .code(1);
    assert!(r.stderr.contains("no_such_app"), "{}", r.stderr);
    assert!(
        r.stderr.contains("Check the application's name or id"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("No account was touched"), "{}", r.stderr);
    assert!(
        s.sandbox.requests().iter().all(|r| r.api_key.is_none()),
        "no Vonage request: {:?}",
        s.sandbox.requests()
    );

    let mut cmd = s.cmd(&[
        "rotate",
        "--accounts",
        "sub00001",
        "--deploy",
        "voximplant:demo-app/vonage",
    ]);
    cmd.env("VOXIMPLANT_CREDENTIALS", "/nonexistent/credentials.json");
    s.sandbox.clear_requests();
    let r = run(&mut cmd).code(2);
    assert!(
        r.stderr.contains("/nonexistent/credentials.json"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("No account was touched"), "{}", r.stderr);
    assert!(
        s.sandbox.requests().is_empty(),
        "{:?}",
        s.sandbox.requests()
    );

    // Without the application, only --sandbox has a default.
    let r = run(&mut s.cmd(&[
        "rotate",
        "--accounts",
        "sub00001",
        "--deploy",
        "voximplant:/vonage",
    ]))
    .code(2);
    assert!(
        r.stderr.contains("the application is missing"),
        "{}",
        r.stderr
    );
    assert!(
        s.sandbox.requests().is_empty(),
        "{:?}",
        s.sandbox.requests()
    );
    for n in 1..=2 {
        let (key, old) = generated_secondary(n);
        assert_eq!(s.sandbox.secrets_of(&key).unwrap().len(), 1, "{key}");
        assert!(s.works(&key, &old), "{key}");
    }
}

#[test]
fn several_accounts_under_one_name_are_refused_before_any_request() {
    let s = Started::new(2);
    for accounts in ["sub00001,sub00002", "all", "due"] {
        let r = run(&mut s.cmd(&[
            "rotate",
            "--accounts",
            accounts,
            "--deploy",
            "voximplant:demo-app/vonage",
        ]))
        .code(2);
        assert!(
            r.stderr.contains("put {api_key} in the name"),
            "{accounts}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("voximplant:demo-app/vonage_{api_key}"),
            "{}",
            r.stderr
        );
    }
    assert!(
        s.sandbox.requests().is_empty(),
        "{:?}",
        s.sandbox.requests()
    );
}

#[test]
fn names_are_checked_against_the_voximplant_rules_before_any_account_is_touched() {
    let s = Started::with(
        Sandbox::builder()
            .account(KEY, SECRET)
            .secondaries(KEY, 1)
            .secondary(KEY, "9abc1234", "Sub-Secret-9x"),
    );
    // As written: a character the rules refuse, and a mistyped placeholder.
    for (deploy, words) in [
        ("voximplant:demo-app/vonage-{api_key}", "not '-'"),
        (
            "voximplant:demo-app/vonage_{key}",
            "the placeholder for the account's api key is {api_key}",
        ),
        ("voximplant:demo-app", "voximplant:APPLICATION/NAME"),
        (
            "voximplant:demo-app/",
            "the secret's name after the / is missing",
        ),
    ] {
        let r = run(&mut s.cmd(&["rotate", "--accounts", "all", "--deploy", deploy])).code(2);
        assert!(r.stderr.contains(words), "{deploy}: {}", r.stderr);
    }
    assert!(
        s.sandbox.requests().is_empty(),
        "{:?}",
        s.sandbox.requests()
    );
    // With a key that makes a name starting with a digit: refused before any create, for
    // keys given (before any request) and keys listed.
    let r = run(&mut s.cmd(&[
        "rotate",
        "--accounts",
        "9abc1234",
        "--deploy",
        "voximplant:demo-app/{api_key}",
    ]))
    .code(2);
    assert!(r.stderr.contains("9abc1234"), "{}", r.stderr);
    assert!(
        s.sandbox.requests().is_empty(),
        "{:?}",
        s.sandbox.requests()
    );
    let r = run(&mut s.cmd(&[
        "rotate",
        "--accounts",
        "all",
        "--deploy",
        "voximplant:demo-app/{api_key}",
    ]))
    .code(2);
    assert!(r.stderr.contains("9abc1234"), "{}", r.stderr);
    assert!(r.stderr.contains("Nothing was rotated"), "{}", r.stderr);
    assert_eq!(s.count(Operation::Create), 0);
    assert!(s.names().is_empty());
}

/// The fields of `rotate`'s human output, without their values.
fn fields(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter_map(|l| l.split("  ").next())
        .collect()
}

#[test]
fn one_account_without_deploy_is_rotated_as_account_key_rotate_does() {
    let s = Started::new(3);
    let r = run(&mut s.cmd(&["rotate", "--accounts", "sub00001", "--revoke-old"])).code(0);
    let (_, old) = generated_secondary(1);
    let secret = r
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("new secret  "))
        .unwrap_or_else(|| panic!("no new secret printed: {}", r.stdout))
        .to_owned();
    assert_eq!(r.stdout.matches(&secret).count(), 1, "printed once");
    assert!(!r.stderr.contains(&secret));
    assert!(s.works("sub00001", &secret));
    assert!(!s.works("sub00001", &old));
    assert!(
        r.stderr.contains("rotate: created"),
        "the steps on stderr: {}",
        r.stderr
    );
    // The same output as `--account KEY rotate`.
    let plain = run(&mut s.cmd(&["--account", "sub00002", "rotate", "--revoke-old"])).code(0);
    assert_eq!(fields(&r.stdout), fields(&plain.stdout));
    let steps = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .collect()
    };
    assert_eq!(steps(&r.stderr), steps(&plain.stderr));

    // Its flags: --json, --secret-stdin, --dry-run.
    let r = run(&mut s.cmd(&["--json", "rotate", "--accounts", "sub00003", "--dry-run"])).code(0);
    assert_eq!(r.json()["account"], "sub00003", "{}", r.stdout);
    assert_eq!(s.sandbox.secrets_of("sub00003").unwrap().len(), 1);
    let chosen = "Chosen-Secret-77";
    let r = run(s
        .cmd(&[
            "--json",
            "rotate",
            "--accounts",
            "sub00003",
            "--secret-stdin",
            "--revoke-old",
        ])
        .write_stdin(format!("{chosen}\n")))
    .code(0);
    assert_eq!(r.json()["account"], "sub00003");
    assert!(
        r.json()["secret"].is_null(),
        "a secret from stdin is not printed"
    );
    r.never_shows(chosen);
    assert!(s.works("sub00003", chosen));
}

#[test]
fn without_deploy_more_than_one_account_is_refused_before_any_request() {
    let s = Started::new(3);
    let check = |args: &[&str], words: &[&str]| {
        let r = run(&mut s.cmd(args)).code(2);
        for w in words {
            assert!(r.stderr.contains(w), "{args:?}: {}", r.stderr);
        }
        r
    };
    check(
        &["rotate", "--accounts", "sub00001,sub00002,sub00003"],
        &["names 3 accounts", "needs --deploy", "--accounts KEY"],
    );
    for selection in ["all", "due"] {
        check(
            &["rotate", "--accounts", selection],
            &[
                "names no account by its key",
                "needs --deploy",
                "--accounts KEY",
            ],
        );
    }
    check(
        &["rotate", "--accounts", "sub00001", "--journal", "j.jsonl"],
        &["--journal", "--deploy"],
    );
    check(
        &["--account", "sub00002", "rotate", "--accounts", "sub00001"],
        &["different accounts"],
    );
    assert!(
        s.sandbox.requests().is_empty(),
        "{:?}",
        s.sandbox.requests()
    );
    // With --deploy, plain rotate's own flags mean nothing and are refused.
    for flag in [
        &["--dry-run"][..],
        &["--secret-stdin"],
        &["--make-room", "oldest"],
    ] {
        let mut args = vec!["rotate", "--accounts", "sub00001", "--deploy", PER_ACCOUNT];
        args.extend_from_slice(flag);
        let r = run(&mut s.cmd(&args)).code(2);
        assert!(
            r.stderr.contains("cannot be used with"),
            "{flag:?}: {}",
            r.stderr
        );
    }
    assert!(
        s.sandbox.requests().is_empty(),
        "{:?}",
        s.sandbox.requests()
    );
    // The same key twice is one account.
    run(&mut s.cmd(&["rotate", "--accounts", "sub00001,sub00001"])).code(0);
    assert_eq!(s.count(Operation::Create), 1);
}
