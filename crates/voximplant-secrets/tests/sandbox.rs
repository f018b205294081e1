//! The client against the workspace's sandbox, which serves the same five methods from its own
//! wire structures: both sides check each other (tokens, shapes, errors, paging).

use vonage_secrets_sandbox::Sandbox;
use voximplant_secrets::{
    Client, Credentials, Error, ExposeSecret, NewSecret, SecretString, SecretUpdate,
};

fn client_of(sandbox: &Sandbox) -> Client {
    let credentials =
        Credentials::from_json(sandbox.voximplant_credentials_json().expose_secret()).unwrap();
    Client::builder(credentials)
        .base_url(format!("{}/platform_api", sandbox.base_url()))
        .build()
        .unwrap()
}

#[test]
fn every_method_against_the_sandbox_in_both_result_shapes() {
    for array in [false, true] {
        let sandbox = Sandbox::builder()
            .voximplant_array_results(array)
            .start()
            .unwrap();
        let client = client_of(&sandbox);
        for secrets in [client.application(1), client.application("demo-app")] {
            let added = secrets
                .add(&NewSecret::new(
                    "db_password",
                    SecretString::from("p@ss w&rd=1"),
                ))
                .unwrap();
            let read = secrets.value("db_password").unwrap();
            assert_eq!(read.value.expose_secret(), "p@ss w&rd=1", "array {array}");
            assert_eq!(read.id, Some(added.id));
            secrets
                .update(
                    added.id,
                    &SecretUpdate::new()
                        .name("db_pass")
                        .value(SecretString::from("second value"))
                        .description("d".repeat(250)),
                )
                .unwrap();
            let read = secrets.value(added.id).unwrap();
            assert_eq!(read.value.expose_secret(), "second value");
            assert_eq!(read.name.as_deref(), Some("db_pass"));
            assert_eq!(read.description.map(|d| d.chars().count()), Some(200));
            secrets.delete_by_names(&["db_pass"]).unwrap();
            assert_eq!(secrets.list().count(), 0);
        }
    }
}

#[test]
fn paging_filtering_and_deleting_everything_against_the_sandbox() {
    let sandbox = Sandbox::builder().start().unwrap();
    let client = client_of(&sandbox);
    let secrets = client.application(1);
    for i in 0..250 {
        secrets
            .add(&NewSecret::new(
                format!("s_{i:03}"),
                SecretString::from("value"),
            ))
            .unwrap();
    }
    let all: Vec<_> = secrets
        .list()
        .page_size(60)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), 250);
    let mut names: Vec<_> = all.iter().map(|s| s.name.clone()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 250);
    assert_eq!(secrets.filter("s_1").count(), 100);
    let ids: Vec<i64> = all.iter().take(2).map(|s| s.id).collect();
    secrets.delete_by_ids(&ids).unwrap();
    assert_eq!(secrets.list().count(), 248);
    secrets.delete_all().unwrap();
    assert_eq!(secrets.list().count(), 0);
    assert_eq!(sandbox.voximplant_secret_names(1, 1), Some(vec![]));
}

#[test]
fn the_sandboxs_errors_keep_their_code_and_message() {
    let sandbox = Sandbox::builder().start().unwrap();
    let client = client_of(&sandbox);
    let error = client.application(99).list().next().unwrap().unwrap_err();
    assert!(matches!(error, Error::Api { code: 14, .. }), "{error:?}");
    // A key the sandbox does not know: authorization failed.
    let other = Sandbox::builder().start().unwrap();
    let stranger = Client::builder(
        Credentials::from_json(other.voximplant_credentials_json().expose_secret()).unwrap(),
    )
    .base_url(format!("{}/platform_api", sandbox.base_url()))
    .build()
    .unwrap();
    let error = stranger.application(1).list().next().unwrap().unwrap_err();
    assert!(
        matches!(error, Error::AuthorizationFailed { .. }),
        "{error:?}"
    );
}

#[test]
fn a_parent_acts_for_its_child_account_and_for_no_other() {
    const PARENT: u64 = 500;
    const CHILD: u64 = 501;
    const STRANGER: u64 = 502;
    let sandbox = Sandbox::builder()
        .voximplant_account(PARENT, "parent@example.com")
        .voximplant_child_account(PARENT, CHILD, "child@example.com")
        .voximplant_application(CHILD, 7, "child-app")
        .voximplant_account(STRANGER, "stranger@example.com")
        .voximplant_application(STRANGER, 8, "stranger-app")
        .start()
        .unwrap();
    let credentials_of = |id: u64| {
        Credentials::from_json(
            sandbox
                .voximplant_credentials_json_of(id)
                .unwrap()
                .expose_secret(),
        )
        .unwrap()
    };
    let acting_for = |key_of: u64, account: Option<u64>| {
        let mut builder = Client::builder(credentials_of(key_of))
            .base_url(format!("{}/platform_api", sandbox.base_url()));
        if let Some(account) = account {
            builder = builder.child_account(account as i64);
        }
        builder.build().unwrap()
    };

    // The parent's key, acting for the child, works on the child's application.
    let parent = acting_for(PARENT, Some(CHILD));
    parent
        .application("child-app")
        .add(&NewSecret::new(
            "token",
            SecretString::from("from the parent"),
        ))
        .unwrap();
    assert_eq!(
        sandbox.voximplant_secret_names(CHILD, 7).unwrap(),
        vec!["token".to_owned()]
    );
    // The child's own key sees what the parent stored.
    let child = acting_for(CHILD, None);
    let read = child.application(7).value("token").unwrap();
    assert_eq!(read.value.expose_secret(), "from the parent");

    // Not for an account that is not its child, and a child not for its parent.
    for (key_of, account) in [(PARENT, STRANGER), (CHILD, PARENT)] {
        let error = acting_for(key_of, Some(account))
            .application(1)
            .list()
            .next()
            .unwrap()
            .unwrap_err();
        assert!(
            matches!(error, Error::AuthorizationFailed { .. }),
            "{key_of} for {account}: {error:?}"
        );
    }
    assert!(
        sandbox
            .voximplant_secret_names(STRANGER, 8)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_child_of_an_unknown_parent_is_refused_at_start() {
    let error = Sandbox::builder()
        .voximplant_child_account(900, 901, "child@example.com")
        .start()
        .unwrap_err();
    let text = error.to_string();
    assert!(text.contains("901") && text.contains("900"), "{text}");
}
