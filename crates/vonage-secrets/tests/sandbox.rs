//! Every method and every error variant against the stateful sandbox, over real HTTP and HTTPS,
//! for the client's own account and for a secondary account.

mod common;

use std::time::{Duration, Instant};

use common::{PRIMARY, PRIMARY_SECRET, SECONDARY, SECONDARY_SECRET, client, primary, sandbox};
use vonage_secrets::{Client, Error, SecretId, TransportErrorKind};
use vonage_secrets_sandbox::{Fault, Operation, Sandbox};

/// Runs `check` for the primary's own account and for its secondary account.
fn for_both_accounts(check: impl Fn(&Sandbox, &Client, &str)) {
    for account in [PRIMARY, SECONDARY] {
        let sandbox = sandbox();
        let client = primary(&sandbox);
        check(&sandbox, &client, account);
    }
}

#[test]
fn list_get_create_revoke() {
    for_both_accounts(|sandbox, client, account| {
        let secrets = client.secrets_of(account);
        let before = secrets.list().unwrap();
        assert_eq!(before.len(), 1);
        assert_eq!(
            before[0].id.as_str(),
            sandbox.secrets_of(account).unwrap()[0].id
        );

        let created = secrets.create("N3w-Secret-Value").unwrap();
        assert_eq!(secrets.get(&created.id).unwrap(), created);
        assert_eq!(secrets.get(created.id.as_str()).unwrap(), created);
        let as_string: String = created.id.clone().into();
        assert_eq!(secrets.get(as_string).unwrap(), created);

        let after = secrets.list().unwrap();
        assert_eq!(after.len(), 2);
        assert_eq!(after[0].id, before[0].id, "oldest first");
        assert_eq!(after[1].id, created.id);

        // (Revoking the older one would revoke the client's own credentials for PRIMARY.)
        secrets.revoke(&created.id).unwrap();
        let ids: Vec<SecretId> = secrets.list().unwrap().into_iter().map(|s| s.id).collect();
        assert_eq!(ids, [before[0].id.clone()]);
    });
}

#[test]
fn own_account_through_secrets() {
    let sandbox = sandbox();
    let client = client(&sandbox, SECONDARY, SECONDARY_SECRET);
    assert_eq!(client.secrets().account(), SECONDARY);
    assert_eq!(client.secrets().list().unwrap().len(), 1);
    // A secondary account cannot manage its primary.
    let err = client.secrets_of(PRIMARY).list().unwrap_err();
    assert!(matches!(err, Error::AccountNotFound { .. }), "{err:?}");
}

#[test]
fn unauthorized() {
    for_both_accounts(|sandbox, _, account| {
        let client = client(sandbox, PRIMARY, "Wrong-Secret-1");
        let err = client.secrets_of(account).list().unwrap_err();
        match &err {
            Error::Unauthorized { problem, .. } => {
                assert_eq!(problem.as_ref().unwrap().kind(), "unauthorized");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(err.to_string().contains("refused"), "{err}");
        assert!(!err.to_string().contains("Wrong-Secret-1"));
        assert!(!err.is_retryable());
    });
}

#[test]
fn account_not_found() {
    let sandbox = sandbox();
    let err = primary(&sandbox).secrets_of("nobody99").list().unwrap_err();
    match &err {
        Error::AccountNotFound { api_key, problem } => {
            assert_eq!(api_key, "nobody99");
            assert_eq!(problem.as_ref().unwrap().kind(), "invalid-api-key");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("nobody99"), "{err}");
}

#[test]
fn secret_not_found() {
    for_both_accounts(|_, client, account| {
        for err in [
            client.secrets_of(account).get("no-such-id").unwrap_err(),
            client.secrets_of(account).revoke("no-such-id").unwrap_err(),
        ] {
            match &err {
                Error::SecretNotFound {
                    api_key,
                    secret_id,
                    problem,
                } => {
                    assert_eq!(api_key, account);
                    assert_eq!(secret_id.as_str(), "no-such-id");
                    assert_eq!(problem.as_ref().unwrap().kind(), "invalid-id");
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    });
}

#[test]
fn limit_reached_as_403_and_as_400() {
    for status in [403, 400] {
        for account in [PRIMARY, SECONDARY] {
            let sandbox = Sandbox::builder()
                .account(PRIMARY, PRIMARY_SECRET)
                .secondary(PRIMARY, SECONDARY, SECONDARY_SECRET)
                .excess_secret_status(status)
                .start()
                .unwrap();
            let secrets = primary(&sandbox);
            let secrets = secrets.secrets_of(account);
            secrets.create("Second-Secret-2").unwrap();
            let err = secrets.create("Third-Secret-3").unwrap_err();
            match &err {
                Error::LimitReached { api_key, problem } => {
                    assert_eq!(api_key, account);
                    assert_eq!(problem.as_ref().unwrap().kind(), "add-excess-secret");
                }
                other => panic!("status {status}: unexpected {other:?}"),
            }
            assert_eq!(
                err.to_string(),
                format!(
                    "account {account} already has 2 secrets, the maximum; revoke one first (server said: {})",
                    err.problem().unwrap()
                )
            );
        }
    }
}

#[test]
fn last_secret() {
    for_both_accounts(|sandbox, client, account| {
        let id = sandbox.secrets_of(account).unwrap()[0].id.clone();
        let err = client.secrets_of(account).revoke(&id).unwrap_err();
        match &err {
            Error::LastSecret {
                secret_id, problem, ..
            } => {
                assert_eq!(secret_id.as_str(), id);
                assert_eq!(problem.as_ref().unwrap().kind(), "delete-last-secret");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(
            err.to_string().contains("create a new secret first"),
            "{err}"
        );
    });
}

#[test]
fn rejected_and_policy() {
    for_both_accounts(|sandbox, client, account| {
        // Caught locally: nothing is sent.
        sandbox.clear_requests();
        let err = client
            .secrets_of(account)
            .create("no-digits-here")
            .unwrap_err();
        assert!(matches!(err, Error::Policy(_)), "{err:?}");
        assert!(!err.to_string().contains("no-digits-here"));
        assert!(sandbox.requests().is_empty());
    });
    // The server's own refusal: served by a fault-free sandbox only for secrets that pass
    // the local rules, so forge one with a raw server.
    let body = r#"{"type":"https://developer.nexmo.com/api-errors/account/secret-management#validation","title":"Bad Request","detail":"The request failed due to secret validation errors","instance":"t-2","invalid_parameters":[{"name":"secret","reason":"Does not meet complexity requirements"}]}"#;
    let server = common::RawServer::start(vec![common::json(400, body)]);
    let client = Client::builder(PRIMARY, PRIMARY_SECRET)
        .base_url(&server.base_url)
        .build()
        .unwrap();
    let err = client.secrets().create("Valid-Locally-1").unwrap_err();
    match &err {
        Error::Rejected {
            invalid_parameters,
            problem,
            ..
        } => {
            assert_eq!(invalid_parameters.len(), 1);
            assert_eq!(invalid_parameters[0].name, "secret");
            assert_eq!(problem.as_ref().unwrap().instance.as_deref(), Some("t-2"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("Does not meet complexity requirements")
    );
    assert!(!err.to_string().contains("Valid-Locally-1"));
}

#[test]
fn api_error_for_other_statuses() {
    let sandbox = sandbox();
    sandbox.inject(Fault::status(500).on(Operation::Get));
    let client = primary(&sandbox);
    let err = client.secrets().get("some-id").unwrap_err();
    assert!(
        matches!(&err, Error::Api { status, .. } if status.as_u16() == 500),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    // The problem document of an undocumented status is kept.
    assert_eq!(err.problem().unwrap().type_url, "about:blank");
    assert_eq!(sandbox.requests().len(), 1, "500 is not retried");
}

#[test]
fn decode_error_for_invalid_json() {
    let sandbox = sandbox();
    sandbox.inject(Fault::invalid_json().on(Operation::Get));
    let client = primary(&sandbox);
    let id = sandbox.secrets_of(PRIMARY).unwrap()[0].id.clone();
    let err = client.secrets().get(&id).unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[test]
fn idempotent_calls_are_retried_the_configured_number_of_times() {
    for (max_retries, fault) in [
        (2, Fault::status(503)),
        (1, Fault::status(429)),
        (3, Fault::status(502)),
        (2, Fault::status(504)),
        (2, Fault::close_connection()),
        (0, Fault::status(503)),
    ] {
        let sandbox = sandbox();
        let client = Client::builder(PRIMARY, PRIMARY_SECRET)
            .base_url(sandbox.base_url())
            .max_retries(max_retries)
            .build()
            .unwrap();
        let id = sandbox.secrets_of(PRIMARY).unwrap()[0].id.clone();
        sandbox.inject(fault.clone().always());
        let err = client.secrets().list().unwrap_err();
        assert!(err.is_retryable(), "{err:?}");
        let err = client.secrets().get(&id).unwrap_err();
        assert!(err.is_retryable(), "{err:?}");
        let err = client.secrets().revoke(&id).unwrap_err();
        assert!(err.is_retryable(), "{err:?}");
        let log = sandbox.requests();
        for op in [Operation::List, Operation::Get, Operation::Revoke] {
            let n = log.iter().filter(|r| r.operation == Some(op)).count();
            assert_eq!(n, 1 + max_retries as usize, "{fault:?} {op:?}");
        }

        // The same fault, transient: the retry succeeds.
        sandbox.clear_faults();
        sandbox.clear_requests();
        if max_retries > 0 {
            sandbox.inject(fault.times(1));
            assert_eq!(client.secrets().list().unwrap().len(), 1);
            assert_eq!(sandbox.requests().len(), 2);
        }
    }
}

#[test]
fn create_is_never_retried() {
    for fault in [
        Fault::status(503),
        Fault::status(429),
        Fault::close_connection(),
    ] {
        let sandbox = sandbox();
        sandbox.inject(fault.on(Operation::Create).always());
        let err = primary(&sandbox)
            .secrets()
            .create("N3w-Secret-Value")
            .unwrap_err();
        assert!(err.is_retryable(), "{err:?}");
        assert_eq!(sandbox.requests().len(), 1, "{err:?}");
    }
}

#[test]
fn retry_after_is_honoured() {
    let sandbox = sandbox();
    sandbox.inject(Fault::status(503).retry_after(1).on(Operation::List));
    let start = Instant::now();
    primary(&sandbox).secrets().list().unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(sandbox.requests().len(), 2);
}

#[test]
fn a_hanging_sandbox_times_out_within_bounds() {
    let sandbox = sandbox();
    sandbox.inject(Fault::hang().always());
    let client = Client::builder(PRIMARY, PRIMARY_SECRET)
        .base_url(sandbox.base_url())
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.secrets().list().unwrap_err();
    let took = start.elapsed();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    // At the budget's end, not the hang's: generous above (a loaded machine).
    println!("a hanging sandbox: the call returned after {took:?} (budget 1 s)");
    assert!(took >= Duration::from_millis(950), "{took:?}");
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn truncated_bodies_are_retried_for_idempotent_calls() {
    let sandbox = sandbox();
    sandbox.inject(Fault::truncated_body().on(Operation::List));
    assert_eq!(primary(&sandbox).secrets().list().unwrap().len(), 1);
    assert_eq!(sandbox.requests().len(), 2);
}

#[test]
fn https_with_the_sandbox_ca_as_an_extra_root() {
    let sandbox = Sandbox::builder()
        .account(PRIMARY, PRIMARY_SECRET)
        .secondary(PRIMARY, SECONDARY, SECONDARY_SECRET)
        .tls(true)
        .start()
        .unwrap();
    assert!(sandbox.base_url().starts_with("https://"));
    let client = Client::builder(PRIMARY, PRIMARY_SECRET)
        .base_url(sandbox.base_url())
        .root_certificate(sandbox.ca_certificate_pem().unwrap())
        .build()
        .unwrap();
    assert_eq!(client.secrets().list().unwrap().len(), 1);
    let created = client
        .secrets_of(SECONDARY)
        .create("N3w-Secret-Value")
        .unwrap();
    client.secrets_of(SECONDARY).revoke(&created.id).unwrap();

    // Without the CA, verification fails: it is always on.
    let untrusting = Client::builder(PRIMARY, PRIMARY_SECRET)
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    let err = untrusting.secrets().list().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Tls,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_retryable());
}

#[test]
fn clones_share_the_client_and_work_across_threads() {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || client.secrets().list().unwrap().len())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 1);
    }
}
