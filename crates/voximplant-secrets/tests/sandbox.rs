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
