//! Rotation against the sandbox: the happy paths, `Refuse`, a fault at each step followed by a
//! rerun that completes, a failing verification, and `revoke_old`.

mod common;

use std::time::Duration;

use common::{PRIMARY, PRIMARY_SECRET, SECONDARY, SECONDARY_SECRET, client, primary, sandbox};
use vonage_secrets::{
    Error, ExposeSecret, MakeRoom, NewSecretState, Recovery, Refusal, RotationError, RotationStep,
    SecretId,
};
use vonage_secrets_sandbox::{Fault, Operation, Sandbox};

const NEW: &str = "Rotated-Secret-9";

fn rotation_error(e: RotationError) -> RotationError {
    e
}

fn creates(sandbox: &Sandbox) -> usize {
    sandbox
        .requests()
        .iter()
        .filter(|r| r.operation == Some(Operation::Create) && r.status.is_some_and(|s| s < 300))
        .count()
}

fn ids(sandbox: &Sandbox, account: &str) -> Vec<SecretId> {
    sandbox
        .secrets_of(account)
        .unwrap()
        .into_iter()
        .map(|s| SecretId::from(s.id))
        .collect()
}

#[test]
fn happy_path_own_account_keeps_the_old_secret() {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    let old = ids(&sandbox, PRIMARY);
    let report = client.rotation().run().unwrap();
    assert!(report.verified);
    assert!(!report.resumed);
    assert!(report.revoked.is_empty());
    assert_eq!(report.account, PRIMARY);
    let now = ids(&sandbox, PRIMARY);
    assert_eq!(now, [old[0].clone(), report.new_secret_id.clone()]);
    // Both secrets work.
    client.secrets().list().unwrap();
    common::client(&sandbox, PRIMARY, report.new_secret.expose_secret())
        .secrets()
        .list()
        .unwrap();
    // The generated secret obeys the rules and is never shown.
    assert!(vonage_secrets_policy::validate(report.new_secret.expose_secret()).is_ok());
    assert!(!format!("{report:?}").contains(report.new_secret.expose_secret()));
}

#[test]
fn happy_path_secondary_account_with_revoke_old() {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    let old = ids(&sandbox, SECONDARY);
    let report = client
        .secrets_of(SECONDARY)
        .rotation()
        .new_secret(NEW)
        .revoke_old(true)
        .run()
        .unwrap();
    assert!(report.verified);
    assert_eq!(report.revoked, old);
    assert_eq!(ids(&sandbox, SECONDARY), vec![report.new_secret_id.clone()]);
    // Verified and revoked with the secondary account's own key and the new secret.
    let new_client = common::client(&sandbox, SECONDARY, NEW);
    new_client.secrets().list().unwrap();
    let err = common::client(&sandbox, SECONDARY, SECONDARY_SECRET)
        .secrets()
        .list()
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
}

#[test]
fn revoke_old_with_own_account_revokes_everything_but_the_new_secret() {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    let report = client
        .rotation()
        .new_secret(NEW)
        .revoke_old(true)
        .run()
        .unwrap();
    assert_eq!(report.revoked.len(), 1);
    assert_eq!(ids(&sandbox, PRIMARY), vec![report.new_secret_id.clone()]);
    // A rerun is a no-op: nothing created, nothing revoked (it authenticates with the new
    // secret, since the old one is gone).
    let again = client
        .rotation()
        .new_secret(NEW)
        .revoke_old(true)
        .run()
        .unwrap();
    assert!(again.resumed);
    assert!(again.revoked.is_empty());
    assert_eq!(again.new_secret_id, report.new_secret_id);
    assert_eq!(creates(&sandbox), 1);
}

#[test]
fn refuse_with_two_secrets_changes_nothing() {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    client.secrets().create("Second-Secret-2").unwrap();
    let before = ids(&sandbox, PRIMARY);
    sandbox.clear_requests();
    let err = rotation_error(client.rotation().new_secret(NEW).run().unwrap_err());
    assert_eq!(err.step(), RotationStep::MakeRoom);
    assert!(err.state().is_unchanged());
    assert!(matches!(err.error(), Error::LimitReached { .. }));
    let text = err.to_string();
    assert!(text.contains("already has 2 secrets"), "{text}");
    assert!(text.contains("unchanged"), "{text}");
    assert!(!text.contains(NEW));
    assert_eq!(ids(&sandbox, PRIMARY), before);
    assert_eq!(creates(&sandbox), 0);
}

#[test]
fn make_room_revoke_oldest_and_revoke_id() {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    let secrets = client.secrets_of(SECONDARY);
    let second = secrets.create("Second-Secret-2").unwrap();
    let oldest = ids(&sandbox, SECONDARY)[0].clone();
    let report = secrets
        .rotation()
        .make_room(MakeRoom::RevokeOldest)
        .run()
        .unwrap();
    assert_eq!(report.revoked, [oldest]);
    assert_eq!(
        ids(&sandbox, SECONDARY),
        [second.id.clone(), report.new_secret_id.clone()]
    );

    let report2 = secrets
        .rotation()
        .make_room(MakeRoom::Revoke(report.new_secret_id.clone()))
        .run()
        .unwrap();
    assert_eq!(report2.revoked, vec![report.new_secret_id.clone()]);
    assert_eq!(ids(&sandbox, SECONDARY), [second.id, report2.new_secret_id]);

    let err = rotation_error(
        secrets
            .rotation()
            .make_room(MakeRoom::Revoke(SecretId::from("not-there")))
            .run()
            .unwrap_err(),
    );
    assert_eq!(err.step(), RotationStep::MakeRoom);
    assert!(err.state().is_unchanged());
}

#[test]
fn bad_new_secret_is_refused_before_any_io() {
    let sandbox = sandbox();
    sandbox.clear_requests();
    let err = primary(&sandbox)
        .rotation()
        .new_secret("weak")
        .run()
        .unwrap_err();
    assert!(matches!(err.error(), Error::Policy(_)), "{err:?}");
    assert!(err.state().is_unchanged());
    assert!(sandbox.requests().is_empty());
}

/// Injects `fault`, runs a rotation of the secondary account that fails at `step`, checks the
/// account still has a working secret the caller knows, then reruns with the same new secret.
fn fault_then_rerun(fault: Fault, step: RotationStep, two_secrets: bool, supplied: bool) {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    let secrets = client.secrets_of(SECONDARY);
    if two_secrets {
        secrets.create("Second-Secret-2").unwrap();
    }
    sandbox.inject(fault.clone());
    let mut rotation = secrets
        .rotation()
        .make_room(MakeRoom::RevokeOldest)
        .revoke_old(true);
    if supplied {
        rotation = rotation.new_secret(NEW);
    }
    let err = rotation_error(rotation.run().unwrap_err());
    assert_eq!(err.step(), step, "{fault:?}: {err}");
    let text = err.to_string();
    assert!(text.contains("State:"), "{text}");
    assert!(!text.contains(err.new_secret().expose_secret()), "{text}");
    // The advice matches the state: a rerun finishes (or, unchanged, simply runs again).
    let advice = if err.state().is_unchanged() {
        Recovery::RunAgain
    } else {
        Recovery::Resume
    };
    assert_eq!(err.recovery(), advice, "{fault:?}: {err}");
    assert!(text.starts_with(&err.headline()), "{text}");
    // The account has a working secret the caller knows: the new one, or the seeded one.
    let new_secret = err.new_secret().expose_secret().to_owned();
    let works = |secret: &str| client_works(&sandbox, secret);
    assert!(
        works(&new_secret) || works(SECONDARY_SECRET),
        "{fault:?}: no known secret works"
    );
    if let NewSecretState::Created { id, .. } = &err.state().new_secret {
        assert!(ids(&sandbox, SECONDARY).contains(id));
    }

    sandbox.clear_faults();
    let report = secrets
        .rotation()
        .new_secret(&new_secret)
        .make_room(MakeRoom::RevokeOldest)
        .revoke_old(true)
        .run()
        .unwrap();
    assert!(report.verified);
    assert_eq!(ids(&sandbox, SECONDARY), vec![report.new_secret_id.clone()]);
    assert!(works(&new_secret));
    assert_eq!(
        creates(&sandbox),
        1 + usize::from(two_secrets),
        "{fault:?}: a duplicate"
    );
}

fn client_works(sandbox: &Sandbox, secret: &str) -> bool {
    client(sandbox, SECONDARY, secret).secrets().list().is_ok()
}

#[test]
fn fault_at_check_then_rerun() {
    fault_then_rerun(
        Fault::status(500).on(Operation::List),
        RotationStep::Check,
        false,
        true,
    );
}

#[test]
fn fault_at_list_then_rerun() {
    fault_then_rerun(
        Fault::status(500).on(Operation::List),
        RotationStep::List,
        false,
        false,
    );
}

#[test]
fn fault_at_make_room_then_rerun() {
    fault_then_rerun(
        Fault::status(500).on(Operation::Revoke),
        RotationStep::MakeRoom,
        true,
        false,
    );
}

#[test]
fn fault_at_create_then_rerun() {
    for fault in [
        Fault::status(500),
        Fault::close_connection(),
        Fault::status(403),
    ] {
        fault_then_rerun(
            fault.on(Operation::Create),
            RotationStep::Create,
            false,
            false,
        );
    }
}

#[test]
fn fault_at_revoke_old_then_rerun() {
    fault_then_rerun(
        Fault::status(500).on(Operation::Revoke),
        RotationStep::RevokeOld,
        false,
        true,
    );
}

#[test]
fn an_ambiguous_create_that_succeeded_is_found_and_finished() {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    // The server creates the secret, then breaks the response.
    sandbox.inject(Fault::truncated_body().on(Operation::Create));
    let report = client
        .secrets_of(SECONDARY)
        .rotation()
        .new_secret(NEW)
        .run()
        .unwrap();
    assert!(report.verified);
    assert_eq!(ids(&sandbox, SECONDARY)[1], report.new_secret_id);
    assert_eq!(creates(&sandbox), 1);
}

#[test]
fn the_verify_step_failing() {
    for revoke_old in [false, true] {
        let sandbox = sandbox();
        let client = primary(&sandbox);
        // Slow the create down, and while it is in flight make every list fail with 401.
        sandbox.inject(Fault::delay(Duration::from_millis(1000)).on(Operation::Create));
        let run = std::thread::scope(|scope| {
            let handle = scope.spawn(|| {
                client
                    .secrets_of(SECONDARY)
                    .rotation()
                    .revoke_old(revoke_old)
                    .verify_for(Duration::from_millis(600))
                    .run()
            });
            // Once step 1's list is answered, the create is in flight for a second.
            let start = std::time::Instant::now();
            while !sandbox
                .requests()
                .iter()
                .any(|r| r.operation == Some(Operation::List))
            {
                assert!(start.elapsed() < Duration::from_secs(60), "no list seen");
                std::thread::sleep(Duration::from_millis(5));
            }
            sandbox.inject(Fault::status(401).on(Operation::List).always());
            handle.join().unwrap()
        });
        sandbox.clear_faults();
        let new_secret = match run {
            Ok(report) => {
                assert!(!revoke_old);
                assert!(!report.verified);
                report.new_secret
            }
            Err(e) => {
                assert!(revoke_old, "{e}");
                let e = rotation_error(e);
                assert_eq!(e.step(), RotationStep::Verify);
                assert!(matches!(
                    e.state().new_secret,
                    NewSecretState::Created {
                        verified: false,
                        ..
                    }
                ));
                assert!(e.state().revoked.is_empty());
                e.new_secret().clone()
            }
        };
        // Nothing was revoked; both secrets work; a rerun finishes.
        assert_eq!(ids(&sandbox, SECONDARY).len(), 2);
        assert!(client_works(&sandbox, SECONDARY_SECRET));
        let report = client
            .secrets_of(SECONDARY)
            .rotation()
            .new_secret(new_secret.expose_secret())
            .revoke_old(revoke_old)
            .run()
            .unwrap();
        assert!(report.resumed && report.verified);
        assert_eq!(creates(&sandbox), 1);
    }
}

#[test]
fn own_account_rotation_with_primary_credentials() {
    let sandbox = sandbox();
    let client = common::client(&sandbox, PRIMARY, PRIMARY_SECRET);
    let report = client.rotation().new_secret(NEW).run().unwrap();
    // Deploy, then finish: the rotation proves the new secret works and revokes the old one
    // with it. (A client that already authenticates with the new secret is refused that:
    // a_new_secret_equal_to_the_login_is_refused_before_any_request.)
    let done = client
        .rotation()
        .new_secret(NEW)
        .revoke_old(true)
        .run()
        .unwrap();
    assert_eq!(done.new_secret_id, report.new_secret_id);
    assert_eq!(ids(&sandbox, PRIMARY), [report.new_secret_id]);
}

// ---------------------------------------------------------------------------------------------
// The client's own account: never revoke the secret the client authenticates with.

/// Only lists were sent (nothing that changes state).
fn only_lists(sandbox: &Sandbox) -> bool {
    sandbox
        .requests()
        .iter()
        .all(|r| r.method == "GET" && r.operation == Some(Operation::List))
}

fn works(sandbox: &Sandbox, account: &str, secret: &str) -> bool {
    client(sandbox, account, secret).secrets().list().is_ok()
}

#[test]
fn own_account_full_make_room_oldest_is_refused_before_anything_changes() {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    client.secrets().create("Second-Secret-2").unwrap();
    let before = ids(&sandbox, PRIMARY);
    sandbox.clear_requests();
    let err = rotation_error(
        client
            .rotation()
            .make_room(MakeRoom::RevokeOldest)
            .run()
            .unwrap_err(),
    );
    assert_eq!(err.step(), RotationStep::MakeRoom);
    assert!(err.state().is_unchanged());
    assert!(!err.state().can_resume());
    match err.error() {
        Error::Refused(Refusal::OldestOnOwnAccount { account, secrets }) => {
            assert_eq!(account, PRIMARY);
            assert_eq!(secrets, &before);
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("Nothing changed"), "{text}");
    assert!(text.contains("MakeRoom::Revoke"), "{text}");
    assert!(!text.contains("run the rotation again"), "{text}");
    assert_eq!(ids(&sandbox, PRIMARY), before);
    assert!(only_lists(&sandbox), "{:?}", sandbox.requests());
    assert!(works(&sandbox, PRIMARY, PRIMARY_SECRET));
}

#[test]
fn own_account_with_room_make_room_oldest_revokes_nothing() {
    let sandbox = sandbox();
    let report = primary(&sandbox)
        .rotation()
        .make_room(MakeRoom::RevokeOldest)
        .run()
        .unwrap();
    assert!(report.revoked.is_empty());
    assert_eq!(report.login_works, None);
    assert_eq!(ids(&sandbox, PRIMARY).len(), 2);
}

#[test]
fn own_account_make_room_with_the_logins_id_stops_and_says_who_can_act() {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    let login_id = ids(&sandbox, PRIMARY).remove(0);
    let other = client.secrets().create("Second-Secret-2").unwrap().id;
    let err = rotation_error(
        client
            .rotation()
            .make_room(MakeRoom::Revoke(login_id.clone()))
            .run()
            .unwrap_err(),
    );
    assert_eq!(err.step(), RotationStep::MakeRoom);
    let state = err.state();
    assert_eq!(state.new_secret, NewSecretState::NotCreated);
    assert_eq!(state.revoked, [login_id]);
    assert_eq!(state.login_works, Some(false));
    assert_eq!(
        state.remaining.as_deref(),
        Some(std::slice::from_ref(&other))
    );
    assert!(state.login_lost() && !state.can_resume());
    assert!(matches!(err.error(), Error::Unauthorized { .. }));
    // The state it claims is the sandbox's.
    assert_eq!(ids(&sandbox, PRIMARY), std::slice::from_ref(&other));
    assert!(!works(&sandbox, PRIMARY, PRIMARY_SECRET));
    assert!(works(&sandbox, PRIMARY, "Second-Secret-2"));
    assert_eq!(creates(&sandbox), 1, "no new secret was created");
    let text = err.to_string();
    assert!(text.contains("cannot work"), "{text}");
    assert!(!text.contains("same new secret"), "{text}");
    assert!(text.contains(other.as_str()), "{text}");
}

#[test]
fn own_account_make_room_with_the_other_id_checks_that_the_login_still_works() {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    let login_id = ids(&sandbox, PRIMARY).remove(0);
    let other = client.secrets().create("Second-Secret-2").unwrap().id;
    let report = client
        .rotation()
        .make_room(MakeRoom::Revoke(other.clone()))
        .run()
        .unwrap();
    assert_eq!(report.revoked, [other]);
    assert_eq!(report.login_works, Some(true));
    assert_eq!(
        ids(&sandbox, PRIMARY),
        [login_id, report.new_secret_id.clone()]
    );
    assert!(works(&sandbox, PRIMARY, PRIMARY_SECRET));
}

#[test]
fn a_new_secret_equal_to_the_login_is_refused_before_any_request() {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    // Phase 1 created a new secret; phase 2 is run by mistake with the old secret.
    let phase1 = client.rotation().run().unwrap();
    let before = ids(&sandbox, PRIMARY);
    sandbox.clear_requests();
    let err = client
        .rotation()
        .new_secret(PRIMARY_SECRET)
        .revoke_old(true)
        .run()
        .unwrap_err();
    assert!(
        matches!(err.error(), Error::Refused(Refusal::NewSecretIsLogin { account }) if account == PRIMARY),
        "{err:?}"
    );
    assert!(!err.to_string().contains(PRIMARY_SECRET));
    assert!(sandbox.requests().is_empty(), "{:?}", sandbox.requests());
    assert_eq!(ids(&sandbox, PRIMARY), before);
    assert!(works(&sandbox, PRIMARY, PRIMARY_SECRET));
    assert!(works(&sandbox, PRIMARY, phase1.new_secret.expose_secret()));
}

#[test]
fn revoke_old_on_the_own_account_reports_that_the_old_login_is_gone() {
    let sandbox = sandbox();
    let report = primary(&sandbox)
        .rotation()
        .new_secret(NEW)
        .revoke_old(true)
        .run()
        .unwrap();
    assert_eq!(report.login_works, Some(false));
    assert!(!works(&sandbox, PRIMARY, PRIMARY_SECRET));
    assert!(works(&sandbox, PRIMARY, NEW));
}

#[test]
fn a_resume_with_an_older_secret_that_is_not_the_login_ends_truthfully() {
    let sandbox = sandbox();
    let seeded = ids(&sandbox, PRIMARY).remove(0);
    // The client already switched to the newer secret; the older one is given as "new".
    let newer = primary(&sandbox)
        .secrets()
        .create("Newer-Secret-2")
        .unwrap()
        .id;
    let client = common::client(&sandbox, PRIMARY, "Newer-Secret-2");
    let err = rotation_error(
        client
            .rotation()
            .new_secret(PRIMARY_SECRET)
            .revoke_old(true)
            .run()
            .unwrap_err(),
    );
    assert_eq!(err.step(), RotationStep::RevokeOld);
    let state = err.state();
    assert_eq!(
        state.new_secret,
        NewSecretState::Revoked { id: seeded.clone() }
    );
    assert_eq!(state.revoked, [seeded]);
    assert_eq!(state.login_works, Some(true));
    assert_eq!(
        state.remaining.as_deref(),
        Some(std::slice::from_ref(&newer))
    );
    assert!(!state.can_resume() && !state.login_lost());
    // What it says is what the sandbox holds: only the login's secret, which works.
    assert_eq!(ids(&sandbox, PRIMARY), [newer]);
    assert!(works(&sandbox, PRIMARY, "Newer-Secret-2"));
    assert!(!works(&sandbox, PRIMARY, PRIMARY_SECRET));
    let text = err.to_string();
    assert!(!text.contains("same new secret"), "{text}");
    assert!(text.contains("still work"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// dry_run

#[test]
fn dry_run_plans_without_changing_anything() {
    // A generated secret on an account with room, revoking the old one afterwards.
    let sandbox = sandbox();
    let client = primary(&sandbox);
    let old = ids(&sandbox, PRIMARY);
    sandbox.clear_requests();
    let plan = client.rotation().revoke_old(true).dry_run().unwrap();
    assert!(plan.own_account && plan.creates && !plan.resumes);
    assert_eq!(plan.secrets, old);
    assert_eq!(plan.make_room, None);
    assert_eq!(plan.revokes, old);
    assert!(plan.refused.is_none());
    assert!(only_lists(&sandbox));
    assert_eq!(ids(&sandbox, PRIMARY), old);

    // A full secondary account, making room by age: safe there.
    let secrets = client.secrets_of(SECONDARY);
    secrets.create("Second-Secret-2").unwrap();
    let full = ids(&sandbox, SECONDARY);
    sandbox.clear_requests();
    let plan = secrets
        .rotation()
        .make_room(MakeRoom::RevokeOldest)
        .revoke_old(true)
        .dry_run()
        .unwrap();
    assert!(!plan.own_account && plan.creates);
    assert_eq!(plan.make_room.as_ref(), Some(&full[0]));
    assert_eq!(plan.revokes, [full[1].clone()]);
    assert!(plan.refused.is_none());
    // Refused by default there.
    let plan = secrets.rotation().dry_run().unwrap();
    assert!(matches!(plan.refused, Some(Error::LimitReached { .. })));
    assert!(only_lists(&sandbox));
    assert_eq!(ids(&sandbox, SECONDARY), full);
}

#[test]
fn dry_run_says_when_a_run_would_be_refused_or_resume() {
    let sandbox = sandbox();
    let client = primary(&sandbox);
    sandbox.clear_requests();
    let plan = client
        .rotation()
        .new_secret(PRIMARY_SECRET)
        .dry_run()
        .unwrap();
    assert!(matches!(
        plan.refused,
        Some(Error::Refused(Refusal::NewSecretIsLogin { .. }))
    ));
    assert!(!plan.creates);
    let plan = client.rotation().new_secret("weak").dry_run().unwrap();
    assert!(matches!(plan.refused, Some(Error::Policy(_))));
    assert!(plan.own_account);

    let report = client.rotation().new_secret(NEW).run().unwrap();
    let full = ids(&sandbox, PRIMARY);
    sandbox.clear_requests();
    let plan = client
        .rotation()
        .make_room(MakeRoom::RevokeOldest)
        .dry_run()
        .unwrap();
    assert!(matches!(
        plan.refused,
        Some(Error::Refused(Refusal::OldestOnOwnAccount { .. }))
    ));
    let plan = client
        .rotation()
        .make_room(MakeRoom::Revoke(SecretId::from("not-there")))
        .dry_run()
        .unwrap();
    assert!(matches!(plan.refused, Some(Error::SecretNotFound { .. })));
    let plan = client
        .rotation()
        .new_secret(NEW)
        .revoke_old(true)
        .dry_run()
        .unwrap();
    assert!(plan.resumes && !plan.creates && plan.refused.is_none());
    assert_eq!(plan.revokes, [full[0].clone()]);
    assert_ne!(plan.revokes, [report.new_secret_id]);
    assert!(only_lists(&sandbox), "{:?}", sandbox.requests());
    assert_eq!(ids(&sandbox, PRIMARY), full);
}

#[test]
fn steps_have_stable_names_for_programs() {
    let steps = [
        (RotationStep::Check, "check"),
        (RotationStep::List, "list"),
        (RotationStep::MakeRoom, "make_room"),
        (RotationStep::Create, "create"),
        (RotationStep::Verify, "verify"),
        (RotationStep::RevokeOld, "revoke_old"),
    ];
    for (step, name) in steps {
        assert_eq!(step.as_str(), name);
        assert_ne!(step.to_string(), name, "Display says it in words");
    }
}
