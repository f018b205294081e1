//! Secondary accounts (`Client::subaccounts`) and fleet operations (`Client::fleet`) against
//! the sandbox, and the Subaccounts API's refusals against httpmock.

use std::sync::Mutex;
use std::time::Duration;

use vonage_secrets::{Client, Error, ExposeSecret, FleetStatus, Journal, SecretString};
use vonage_secrets_sandbox::{Operation, Sandbox, generated_secondary};

const KEY: &str = "abcd1234";
const SECRET: &str = "Primary-Secret-1";

fn client(sandbox: &Sandbox) -> Client {
    Client::builder(KEY, SECRET)
        .base_url(sandbox.base_url())
        .build()
        .unwrap()
}

fn works(sandbox: &Sandbox, key: &str, secret: &str) -> bool {
    Client::builder(key, secret)
        .base_url(sandbox.base_url())
        .build()
        .unwrap()
        .secrets()
        .list()
        .is_ok()
}

#[test]
fn subaccounts_lists_and_gets_the_secondary_accounts() {
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, 3)
        .suspended("sub00002")
        .start()
        .unwrap();
    let client = client(&sandbox);
    let list = client.subaccounts().list().unwrap();
    assert_eq!(list.primary.api_key, KEY);
    let keys: Vec<_> = list
        .secondaries
        .iter()
        .map(|a| a.api_key.as_str())
        .collect();
    assert_eq!(keys, ["sub00001", "sub00002", "sub00003"]);
    assert!(list.secondaries[1].suspended);
    assert_eq!(
        list.secondaries[0].primary_account_api_key.as_deref(),
        Some(KEY)
    );
    assert!(client.subaccounts().get("sub00002").unwrap().suspended);
    let missing = client.subaccounts().get("nobody").unwrap_err();
    assert!(
        matches!(missing, Error::AccountNotFound { .. }),
        "{missing:?}"
    );
    // A secondary account cannot list secondary accounts.
    let (sub, sub_secret) = generated_secondary(1);
    let as_sub = Client::builder(&sub, &sub_secret)
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    assert!(as_sub.subaccounts().list().is_err());
}

#[test]
fn an_account_without_the_subaccounts_api_is_told_so() {
    let server = httpmock::MockServer::start();
    server.mock(|when, then| {
        when.method("GET")
            .path(format!("/accounts/{KEY}/subaccounts"));
        then.status(403)
            .header("content-type", "application/json")
            .json_body(serde_json::json!({
                "type": "https://developer.nexmo.com/api-errors#unprovisioned",
                "title": "Authorisation error",
                "detail": "Account is not provisioned to access Subaccount API",
                "instance": "trace-9",
            }));
    });
    let client = Client::builder(KEY, SECRET)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let e = client.subaccounts().list().unwrap_err();
    assert!(matches!(e, Error::Unprovisioned { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("not enabled"), "{text}");
    assert!(text.contains("Vonage support"), "{text}");
    assert!(!text.contains("retrieveSubaccountsList"), "{text}");
}

#[test]
fn a_fleet_rotation_deploys_before_it_revokes_and_undoes_a_failed_deploy() {
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, 6)
        .start()
        .unwrap();
    let client = client(&sandbox);
    let keys: Vec<String> = (1..=6).map(|n| generated_secondary(n).0).collect();
    let held = Mutex::new(std::collections::HashMap::<String, SecretString>::new());
    // sub00003 cannot be deployed to.
    let deploy = |key: &str, secret: &SecretString| {
        if key == "sub00003" {
            return Err("disk full".to_owned());
        }
        // The old secret is still there when the target gets the new one.
        assert_eq!(sandbox.secrets_of(key).unwrap().len(), 2);
        held.lock().unwrap().insert(key.to_owned(), secret.clone());
        Ok(())
    };
    let report = client
        .fleet()
        .revoke_old(true)
        .concurrency(3)
        .rotate(&keys, &deploy)
        .unwrap();
    assert_eq!(report.count(FleetStatus::Done), 5);
    let failed = &report.accounts[2];
    assert_eq!(failed.status, FleetStatus::Failed);
    assert_eq!(failed.failed_at, Some("deploy"));
    assert!(failed.state.contains("revoked again"), "{}", failed.state);
    // The failed account keeps its old secret, alone; the others hold only the deployed one.
    let (_, old) = generated_secondary(3);
    assert!(works(&sandbox, "sub00003", &old));
    assert_eq!(sandbox.secrets_of("sub00003").unwrap().len(), 1);
    let held = held.into_inner().unwrap();
    for (n, key) in keys.iter().enumerate() {
        if key == "sub00003" {
            continue;
        }
        assert_eq!(sandbox.secrets_of(key).unwrap().len(), 1, "{key}");
        assert!(works(&sandbox, key, held[key].expose_secret()), "{key}");
        assert!(
            !works(&sandbox, key, &generated_secondary(n + 1).1),
            "{key}"
        );
    }
}

#[test]
fn a_rerun_with_the_journal_revokes_what_a_crashed_run_created_and_creates_once_more() {
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, 3)
        .start()
        .unwrap();
    let client = client(&sandbox);
    let keys: Vec<String> = (1..=3).map(|n| generated_secondary(n).0).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal");
    // A run that finished sub00001 and crashed during sub00002's create, after the server
    // made the secret.
    let orig = sandbox.secrets_of("sub00002").unwrap()[0].id.clone();
    let orphan = client
        .secrets_of("sub00002")
        .create("Orphan-Secret-123")
        .unwrap();
    let first = client
        .fleet()
        .journal(Journal::open(&path).unwrap())
        .rotate(&keys[..1], &|_: &str, _: &SecretString| Ok(()))
        .unwrap();
    assert_eq!(first.count(FleetStatus::Done), 1);
    std::fs::write(
        &path,
        format!(
            "{}{{\"api_key\":\"sub00002\",\"step\":\"creating\",\"old_ids\":[\"{orig}\"]}}\n",
            std::fs::read_to_string(&path).unwrap()
        ),
    )
    .unwrap();
    sandbox.clear_requests();

    let held = Mutex::new(Vec::new());
    let report = client
        .fleet()
        .revoke_old(true)
        .journal(Journal::open(&path).unwrap())
        .rotate(&keys, &|key: &str, secret: &SecretString| {
            held.lock().unwrap().push((key.to_owned(), secret.clone()));
            Ok(())
        })
        .unwrap();
    assert_eq!(report.accounts[0].status, FleetStatus::Skipped);
    assert_eq!(report.accounts[1].status, FleetStatus::Done);
    assert_eq!(report.accounts[2].status, FleetStatus::Done);
    let log = sandbox.requests();
    for key in ["sub00002", "sub00003"] {
        let creates = log
            .iter()
            .filter(|r| r.operation == Some(Operation::Create) && r.api_key.as_deref() == Some(key))
            .count();
        assert_eq!(creates, 1, "{key}");
    }
    assert!(
        log.iter().any(|r| r.operation == Some(Operation::Revoke)
            && r.secret_id.as_deref() == Some(orphan.id.as_str())),
        "the orphan is revoked"
    );
    let journal = std::fs::read_to_string(&path).unwrap();
    for (key, secret) in held.into_inner().unwrap() {
        assert!(works(&sandbox, &key, secret.expose_secret()));
        assert_eq!(sandbox.secrets_of(&key).unwrap().len(), 1);
        assert!(!journal.contains(secret.expose_secret()));
    }
}

#[test]
fn every_429_is_answered_and_every_account_is_rotated() {
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, 8)
        .rate_limit(5)
        .start()
        .unwrap();
    let client = client(&sandbox);
    let keys: Vec<String> = (1..=8).map(|n| generated_secondary(n).0).collect();
    let started = std::time::Instant::now();
    let report = client
        .fleet()
        .revoke_old(true)
        .concurrency(4)
        .rotate(&keys, &|_: &str, _: &SecretString| Ok(()))
        .unwrap();
    println!("8 accounts at 5 requests/s: {:?}", started.elapsed());
    assert_eq!(report.count(FleetStatus::Done), 8, "{report:?}");
    let log = sandbox.requests();
    let limited = log.iter().filter(|r| r.status == Some(429)).count();
    assert!(limited > 0, "the limit was reached");
    for key in &keys {
        assert_eq!(sandbox.secrets_of(key).unwrap().len(), 1);
    }
    // At least 4 answered requests per account (list, create, verify, revoke). The sandbox
    // answers at most 5 in each one-second window of its clock, so N answers fill at least
    // ceil(N / 5) windows. The first may be cut short (the run starts late in it) and the last
    // too (the run ends early in it): the windows between them are whole, so the run took at
    // least ceil(N / 5) - 2 seconds. Unpaced, the same run takes a fraction of a second.
    let answered = log.iter().filter(|r| r.status != Some(429)).count() as u64;
    assert!(answered >= 32, "{answered} answered requests");
    let elapsed = started.elapsed();
    let whole = answered.div_ceil(5) - 2;
    assert!(
        elapsed >= Duration::from_secs(whole),
        "{answered} answered requests in {elapsed:?}, under {whole} s"
    );
}

#[test]
fn a_429_carries_the_servers_retry_after() {
    let sandbox = Sandbox::builder().account(KEY, SECRET).start().unwrap();
    let client = Client::builder(KEY, SECRET)
        .base_url(sandbox.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    sandbox.inject(vonage_secrets_sandbox::Fault::status(429).retry_after(7));
    let err = client.secrets().list().unwrap_err();
    assert!(
        matches!(&err, Error::Api { status, .. } if status.as_u16() == 429),
        "{err:?}"
    );
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    sandbox.inject(vonage_secrets_sandbox::Fault::status(429));
    assert_eq!(client.secrets().list().unwrap_err().retry_after(), None);
}

#[test]
fn every_worker_waits_out_the_retry_after_of_a_429() {
    // 60 accounts at 100 ms a request: four workers take 1.5 s for them, so a worker that
    // slept out its own 429 would leave the other three sending all through its 2 s.
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, 60)
        .latency(Duration::from_millis(100))
        .start()
        .unwrap();
    let client = client(&sandbox);
    let accounts: Vec<(String, bool)> = (1..=60)
        .map(|n| (generated_secondary(n).0, false))
        .collect();
    // The first request is refused with Retry-After: 2 (the other workers' first requests are
    // on their way at the same time).
    sandbox.inject(vonage_secrets_sandbox::Fault::status(429).retry_after(2));
    let entries = client
        .fleet()
        .concurrency(4)
        .audit(&accounts, Duration::MAX);
    assert!(
        entries.iter().all(|e| e.unreachable.is_none()),
        "{entries:?}"
    );
    let log = sandbox.requests();
    let limited: Vec<_> = log.iter().filter(|r| r.status == Some(429)).collect();
    assert_eq!(limited.len(), 1, "one 429, answered by a retry");
    assert_eq!(
        log.iter().filter(|r| r.status == Some(200)).count(),
        60,
        "every account listed once"
    );
    // Right after the 429 come the requests that were on their way, and any a worker sent
    // before it learnt of the 429 (a loaded machine can delay that by a few hundred ms).
    // Then nothing until the 2 s are over: no request at all from 1 s to 1.9 s after it.
    let since = |at: chrono::DateTime<chrono::Utc>| at - limited[0].at;
    let quiet: Vec<i64> = log
        .iter()
        .map(|r| since(r.at).num_milliseconds())
        .filter(|ms| (1001..1900).contains(ms))
        .collect();
    assert!(
        quiet.is_empty(),
        "requests during the pause, this many ms after the 429: {quiet:?}"
    );
    // And the run went on after it.
    assert!(
        log.iter()
            .any(|r| since(r.at) >= chrono::TimeDelta::milliseconds(1900)),
        "nothing after the pause"
    );
}

/// A target that holds one secret per account and can give back what it held before.
struct Restorable<'a> {
    sandbox: &'a Sandbox,
    held: Mutex<std::collections::HashMap<String, SecretString>>,
    previous: Mutex<std::collections::HashMap<String, Option<SecretString>>>,
    can_restore: bool,
}

impl vonage_secrets::Deploy for Restorable<'_> {
    fn deploy(&self, api_key: &str, secret: &SecretString) -> Result<(), String> {
        let before = self
            .held
            .lock()
            .unwrap()
            .insert(api_key.to_owned(), secret.clone());
        self.previous
            .lock()
            .unwrap()
            .insert(api_key.to_owned(), before);
        // The check that follows fails: the account's next list is refused.
        self.sandbox.inject(
            vonage_secrets_sandbox::Fault::status(400)
                .on(Operation::List)
                .times(1),
        );
        Ok(())
    }

    fn restore(&self, api_key: &str) -> Result<bool, String> {
        if !self.can_restore {
            return Ok(false);
        }
        let previous = self.previous.lock().unwrap().remove(api_key).flatten();
        let mut held = self.held.lock().unwrap();
        match previous {
            Some(secret) => held.insert(api_key.to_owned(), secret),
            None => held.remove(api_key),
        };
        Ok(true)
    }
}

#[test]
fn a_failed_check_after_the_deploy_never_revokes_what_the_target_holds() {
    for can_restore in [true, false] {
        let sandbox = Sandbox::builder()
            .account(KEY, SECRET)
            .secondaries(KEY, 1)
            .start()
            .unwrap();
        let client = client(&sandbox);
        let (key, old) = generated_secondary(1);
        let target = Restorable {
            sandbox: &sandbox,
            held: Mutex::new([(key.clone(), SecretString::from(old.clone()))].into()),
            previous: Mutex::default(),
            can_restore,
        };
        let path = std::env::temp_dir().join(format!(
            "vonage-secrets-fleet-check-{}-{can_restore}.journal",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&path);
        let report = client
            .fleet()
            .revoke_old(true)
            .journal(Journal::open(&path).unwrap())
            .rotate(std::slice::from_ref(&key), &target)
            .unwrap();
        let outcome = &report.accounts[0];
        assert_eq!(outcome.status, FleetStatus::Failed, "{outcome:?}");
        assert_eq!(outcome.failed_at, Some("verify"));
        // Whatever the target holds works, and the old secret still works.
        let held = target.held.lock().unwrap()[&key].clone();
        assert!(works(&sandbox, &key, held.expose_secret()), "{can_restore}");
        assert!(works(&sandbox, &key, &old), "{can_restore}");
        let secrets = sandbox.secrets_of(&key).unwrap();
        if can_restore {
            // The target has the old secret back, and the new one is gone.
            assert_eq!(held.expose_secret(), old);
            assert_eq!(secrets.len(), 1);
            assert!(outcome.state.contains("revoked again"), "{}", outcome.state);
        } else {
            // The target keeps the new secret, so the account does too.
            assert_ne!(held.expose_secret(), old);
            assert_eq!(secrets.len(), 2);
            let new_id = outcome.new_secret_id.as_ref().unwrap();
            assert!(secrets.iter().any(|s| s.id == new_id.as_str()));
            assert!(
                outcome.state.contains("holds two secrets"),
                "{}",
                outcome.state
            );
            assert!(!outcome.state.contains(held.expose_secret()));
            // A rerun with the journal revokes neither: it leaves the choice to a person.
            let again = client
                .fleet()
                .revoke_old(true)
                .journal(Journal::open(&path).unwrap())
                .rotate(std::slice::from_ref(&key), &|_: &str, _: &SecretString| {
                    Ok(())
                })
                .unwrap();
            assert_eq!(again.accounts[0].status, FleetStatus::Failed);
            assert!(
                again.accounts[0].state.contains("two secrets"),
                "{}",
                again.accounts[0].state
            );
            assert_eq!(sandbox.secrets_of(&key).unwrap().len(), 2);
            assert!(works(&sandbox, &key, held.expose_secret()));
        }
        let _ = std::fs::remove_file(&path);
    }
}

/// A target that holds one secret per account and can read it back; with `fail_checks`, the
/// list that follows each deploy (the new secret's check) is refused.
struct Readable<'a> {
    held: Mutex<std::collections::HashMap<String, SecretString>>,
    fail_checks: Option<&'a Sandbox>,
}

impl vonage_secrets::Deploy for Readable<'_> {
    fn deploy(&self, api_key: &str, secret: &SecretString) -> Result<(), String> {
        self.held
            .lock()
            .unwrap()
            .insert(api_key.to_owned(), secret.clone());
        if let Some(sandbox) = self.fail_checks {
            sandbox.inject(
                vonage_secrets_sandbox::Fault::status(400)
                    .on(Operation::List)
                    .times(1),
            );
        }
        Ok(())
    }

    fn recall(&self, api_key: &str) -> Option<SecretString> {
        self.held.lock().unwrap().get(api_key).cloned()
    }
}

#[test]
fn a_rerun_finishes_an_account_whose_new_secret_was_deployed_without_a_second_create() {
    let sandbox = Sandbox::builder()
        .account(KEY, SECRET)
        .secondaries(KEY, 3)
        .start()
        .unwrap();
    let client = client(&sandbox);
    let keys: Vec<String> = (1..=3).map(|n| generated_secondary(n).0).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal");
    // A run that stops after each deploy: every check fails, and the target (which cannot
    // restore) keeps the new secret, as does the account. Without the journal's `failed`
    // lines, that is what a crash right after the deploys leaves.
    let target = Readable {
        held: Mutex::default(),
        fail_checks: Some(&sandbox),
    };
    let first = client
        .fleet()
        .revoke_old(true)
        .concurrency(1)
        .journal(Journal::open(&path).unwrap())
        .rotate(&keys, &target)
        .unwrap();
    assert_eq!(first.count(FleetStatus::Failed), 3, "{first:?}");
    let journal = std::fs::read_to_string(&path).unwrap();
    assert!(journal.contains("\"step\":\"deployed\""), "{journal}");
    let crashed: String = journal
        .lines()
        .filter(|l| !l.contains("\"step\":\"failed\""))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, crashed).unwrap();
    let deployed: Vec<SecretString> = keys
        .iter()
        .map(|k| target.held.lock().unwrap()[k].clone())
        .collect();
    for (key, secret) in keys.iter().zip(&deployed) {
        assert_eq!(sandbox.secrets_of(key).unwrap().len(), 2, "{key}");
        // The journal holds no secret.
        assert!(!journal.contains(secret.expose_secret()));
    }
    // The second account's target lost the value; the third's was put back to the old secret
    // by hand, which still works, but is not what the journal says was deployed.
    let target = Readable {
        held: Mutex::new(target.held.into_inner().unwrap()),
        fail_checks: None,
    };
    target.held.lock().unwrap().remove(&keys[1]);
    target.held.lock().unwrap().insert(
        keys[2].clone(),
        SecretString::from(generated_secondary(3).1),
    );
    sandbox.clear_requests();

    let report = client
        .fleet()
        .revoke_old(true)
        .journal(Journal::open(&path).unwrap())
        .rotate(&keys, &target)
        .unwrap();
    assert_eq!(report.count(FleetStatus::Done), 3, "{report:?}");
    let log = sandbox.requests();
    let creates = |key: &str| {
        log.iter()
            .filter(|r| r.operation == Some(Operation::Create) && r.api_key.as_deref() == Some(key))
            .count()
    };
    // The first is finished from the deployed secret, with no second create; the others start
    // over, once each.
    assert_eq!(creates(&keys[0]), 0);
    assert_eq!(creates(&keys[1]), 1);
    assert_eq!(creates(&keys[2]), 1);
    let held = target.held.into_inner().unwrap();
    for (n, key) in keys.iter().enumerate() {
        assert_eq!(sandbox.secrets_of(key).unwrap().len(), 1, "{key}");
        assert!(works(&sandbox, key, held[key].expose_secret()), "{key}");
        assert!(
            !works(&sandbox, key, &generated_secondary(n + 1).1),
            "{key}"
        );
    }
    assert_eq!(held[&keys[0]].expose_secret(), deployed[0].expose_secret());
}
