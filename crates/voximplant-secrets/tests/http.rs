//! Every method and error over real HTTP against the loopback test server.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{ACCOUNT_ID, KEY_ID, Reply, Server, Shape};
use serde_json::json;
use voximplant_secrets::rules::{Violation, Warning};
use voximplant_secrets::{
    Action, Client, Error, ExposeSecret, NewSecret, SecretString, SecretUpdate, TransportKind,
};

fn secret(name: &str, value: &str) -> NewSecret {
    NewSecret::new(name, SecretString::from(value))
}

#[test]
fn add_read_update_and_delete_round_trip_in_both_result_shapes() {
    for shape in [Shape::Object, Shape::Array] {
        let (server, store) = Server::emulator(shape);
        let client = server.client();
        let secrets = client.application(7);

        let added = secrets
            .add(&secret("db_password", "p@ss word&=x").description("the database"))
            .unwrap();
        assert_eq!(added.id, 1, "{shape:?}");
        assert!(added.warnings.is_empty());

        let read = secrets.value("db_password").unwrap();
        assert_eq!(read.value.expose_secret(), "p@ss word&=x", "{shape:?}");
        assert_eq!(read.id, Some(1));
        let read = secrets.value(1).unwrap();
        assert_eq!(read.name.as_deref(), Some("db_password"));
        assert_eq!(read.description.as_deref(), Some("the database"));

        secrets
            .update(
                1,
                &SecretUpdate::new()
                    .name("db_pass")
                    .value(SecretString::from("new value"))
                    .description("changed"),
            )
            .unwrap();
        let stored = store.lock().unwrap().secrets[0].clone();
        assert_eq!(
            (stored.name.as_str(), stored.value.as_str()),
            ("db_pass", "new value")
        );
        assert_eq!(stored.description.as_deref(), Some("changed"));

        secrets.delete_by_names(&["db_pass"]).unwrap();
        assert!(store.lock().unwrap().secrets.is_empty());

        let requests = server.requests();
        let methods: Vec<&str> = requests.iter().map(|r| r.method_name()).collect();
        assert_eq!(
            methods,
            [
                "AddSecret",
                "GetSecretValue",
                "GetSecretValue",
                "SetSecretInfo",
                "DelSecret"
            ]
        );
        for r in &requests {
            assert_eq!(r.method, "POST");
            // Parameters travel in the body, never in the URL.
            assert!(!r.target.contains('?'), "{}", r.target);
            assert_eq!(r.field("application_id"), Some("7"));
            assert_eq!(
                r.header("content-type"),
                Some("application/x-www-form-urlencoded")
            );
        }
        assert_eq!(requests[0].field("secret_value"), Some("p@ss word&=x"));
        assert_eq!(requests[1].field("secret_name"), Some("db_password"));
        assert_eq!(requests[2].field("secret_id"), Some("1"));
        assert_eq!(requests[3].field("new_secret_name"), Some("db_pass"));
        assert_eq!(requests[4].field("secret_name"), Some("db_pass"));
    }
}

#[test]
fn an_application_is_chosen_by_name() {
    let (server, _) = Server::emulator(Shape::Object);
    let client = server.client();
    client
        .application("my_app")
        .add(&secret("token", "abc"))
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.field("application_name"), Some("my_app"));
    assert_eq!(r.field("application_id"), None);
}

#[test]
fn list_pages_through_250_secrets_until_the_total() {
    let (server, store) = Server::emulator(Shape::Object);
    store.lock().unwrap().seed(250);
    let client = server.client();
    let all: Vec<_> = client
        .application(1)
        .list()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), 250);
    let ids: Vec<i64> = all.iter().map(|s| s.id).collect();
    assert_eq!(ids, (1..=250).collect::<Vec<_>>());
    assert_eq!(all[0].created.as_deref(), Some("2024-05-10 14:22:35"));
    let pages: Vec<(String, String)> = server
        .requests()
        .iter()
        .map(|r| {
            (
                r.field("count").unwrap().to_owned(),
                r.field("offset").unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [("100", "0"), ("100", "100"), ("100", "200")]
        .iter()
        .map(|(c, o)| (c.to_string(), o.to_string()))
        .collect();
    assert_eq!(pages, expected);

    // Another page size; the total is known after the first page.
    let mut list = client.application(1).list().page_size(7);
    assert_eq!(list.total_count(), None);
    assert!(list.next().unwrap().is_ok());
    assert_eq!(list.total_count(), Some(250));
    assert_eq!(list.count(), 249);
    assert_eq!(server.requests().len(), 3 + 250usize.div_ceil(7));
}

#[test]
fn filter_sends_the_name_part() {
    let (server, store) = Server::emulator(Shape::Object);
    store.lock().unwrap().seed(30);
    let client = server.client();
    let found: Vec<String> = client
        .application(1)
        .filter("secret_01")
        .map(|s| s.unwrap().name)
        .collect();
    assert_eq!(found.len(), 10);
    assert!(found.iter().all(|n| n.starts_with("secret_01")));
    assert_eq!(
        server.requests()[0].field("secret_name_part"),
        Some("secret_01")
    );
}

#[test]
fn an_empty_application_lists_nothing_with_one_request() {
    let (server, _) = Server::emulator(Shape::Object);
    assert_eq!(server.client().application(1).list().count(), 0);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_list_error_ends_the_iteration() {
    let server = Server::start(|_, _| Reply::error(200, 100, "Authorization failed"));
    let client = server.client();
    let mut list = client.application(1).list();
    assert!(matches!(
        list.next(),
        Some(Err(Error::AuthorizationFailed {
            action: Action::List,
            ..
        }))
    ));
    assert!(list.next().is_none());
}

#[test]
fn delete_by_ids_by_names_and_all() {
    let (server, store) = Server::emulator(Shape::Object);
    store.lock().unwrap().seed(5);
    let client = server.client();
    let secrets = client.application(1);
    secrets.delete_by_ids(&[1, 2]).unwrap();
    secrets
        .delete_by_names(&["secret_002", "secret_003"])
        .unwrap();
    assert_eq!(store.lock().unwrap().secrets.len(), 1);
    secrets.delete_all().unwrap();
    assert!(store.lock().unwrap().secrets.is_empty());
    let requests = server.requests();
    assert_eq!(requests[0].field("secret_id"), Some("1;2"));
    assert_eq!(
        requests[1].field("secret_name"),
        Some("secret_002;secret_003")
    );
    assert_eq!(requests[2].field("secret_id"), Some("all"));

    // An empty list is not "everything": nothing is sent.
    let error = secrets.delete_by_ids(&[]).unwrap_err();
    assert!(matches!(&error, Error::Rules(v) if v.0 == [Violation::NothingToDelete]));
    assert!(error.to_string().contains("delete_all"), "{error}");
    let names: [&str; 0] = [];
    assert!(matches!(
        secrets.delete_by_names(&names),
        Err(Error::Rules(_))
    ));
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn rules_are_checked_before_anything_is_sent_and_all_at_once() {
    let (server, _) = Server::emulator(Shape::Object);
    let client = server.client();
    let secrets = client.application(1);
    let error = secrets
        .add(&secret("1bad-name", &"v".repeat(8193)))
        .unwrap_err();
    let Error::Rules(violations) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(violations.0.len(), 3, "{violations:?}");
    assert!(
        violations
            .0
            .contains(&Violation::ValueTooLong { chars: 8193 })
    );
    let text = error.to_string();
    assert!(text.contains("nothing was sent"), "{text}");
    assert!(text.contains("Latin letter"), "{text}");
    assert!(matches!(
        secrets.update("ok_name", &SecretUpdate::new()),
        Err(Error::Rules(v)) if v.0 == [Violation::NothingToUpdate]
    ));
    assert!(matches!(
        client.application("").add(&secret("ok", "v")),
        Err(Error::Rules(_))
    ));
    assert!(matches!(
        client.application("").list().next(),
        Some(Err(Error::Rules(_)))
    ));
    assert!(server.requests().is_empty());

    // A long description is sent, with a warning.
    let added = secrets
        .add(&secret("ok_name", "v").description("d".repeat(201)))
        .unwrap();
    assert_eq!(
        added.warnings,
        [Warning::DescriptionTruncated { chars: 201 }]
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn error_codes_become_typed_errors_whatever_the_status() {
    type Check = fn(&Error) -> bool;
    let cases: [(i64, Check); 5] = [
        (100, |e| matches!(e, Error::AuthorizationFailed { .. })),
        (447, |e| matches!(e, Error::InvalidTokenFormat { .. })),
        (454, |e| matches!(e, Error::InvalidTokenLifetime { .. })),
        (455, |e| matches!(e, Error::TokenIssuedInFuture { .. })),
        (456, |e| matches!(e, Error::TokenExpired { .. })),
    ];
    for status in [200, 401, 500] {
        for (code, is) in cases {
            let server = Server::start(move |_, _| Reply::error(status, code, "server message"));
            let error = server.client().application(1).value("x").unwrap_err();
            assert!(is(&error), "{status} {code}: {error:?}");
            assert_eq!(error.code(), Some(code));
            assert!(error.to_string().contains("server message"), "{error}");
            assert!(
                error
                    .to_string()
                    .starts_with("reading the secret's value failed"),
                "{error}"
            );
        }
        let server = Server::start(move |_, _| Reply::error(status, 123, "Something else"));
        let error = server
            .client()
            .application(1)
            .list()
            .next()
            .unwrap()
            .unwrap_err();
        assert!(
            matches!(&error, Error::Api { code: 123, message, action: Action::List } if message == "Something else"),
            "{error:?}"
        );
    }
}

#[test]
fn a_missing_secret_is_not_found() {
    let (server, _) = Server::emulator(Shape::Array);
    let error = server.client().application(1).value("missing").unwrap_err();
    assert!(
        matches!(&error, Error::NotFound { what, .. } if what.contains("\"missing\"")),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "reading the secret's value failed: the secret named \"missing\" was not found"
    );
}

#[test]
fn undecodable_answers_are_unexpected() {
    let server = Server::start(|_, _| Reply::Raw(502, vec![], "<html>bad gateway</html>".into()));
    let client = Client::builder(common::credentials())
        .base_url(&server.base_url)
        .max_retries(0)
        .build()
        .unwrap();
    let error = client.application(1).list().next().unwrap().unwrap_err();
    assert!(
        matches!(&error, Error::Unexpected { status, .. } if status.as_u16() == 502),
        "{error:?}"
    );
    assert!(error.to_string().contains("bad gateway"), "{error}");

    // A value's answer that does not decode is reported without its body.
    let server = Server::start(|_, _| {
        Reply::ok(json!({"result": {"secret_value": 5, "note": "hidden-part"}}))
    });
    let error = server.client().application(1).value(1).unwrap_err();
    assert!(matches!(error, Error::Unexpected { .. }), "{error:?}");
    assert!(
        !format!("{error} {error:?}").contains("hidden-part"),
        "{error}"
    );
}

#[test]
fn an_answer_without_confirmation_is_not_confirmed() {
    let server = Server::start(|request, _| match request.method_name() {
        "AddSecret" => Reply::ok(json!({"result": []})),
        _ => Reply::ok(json!({"result": 0})),
    });
    let client = server.client();
    let secrets = client.application(1);
    let error = secrets.add(&secret("name", "value")).unwrap_err();
    assert!(
        matches!(
            error,
            Error::NotConfirmed {
                action: Action::Add,
                ..
            }
        ),
        "{error:?}"
    );
    let error = secrets.delete_by_ids(&[3]).unwrap_err();
    assert!(
        matches!(&error, Error::NotConfirmed { action: Action::Delete, reason } if reason.contains("result 0")),
        "{error:?}"
    );
    assert!(error.to_string().contains("list the secrets"), "{error}");
    let error = secrets
        .update(3, &SecretUpdate::new().description("d"))
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::NotConfirmed {
                action: Action::Update,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn reads_are_retried_and_changes_are_not() {
    // A busy server for the first request of each method, then the emulator.
    let (emulator, _) = Server::emulator(Shape::Object);
    let _ = emulator;
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    let server = Server::start(move |request, _| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        if n == 0 {
            return Reply::Raw(503, vec![("Retry-After".into(), "0".into())], "busy".into());
        }
        match request.method_name() {
            "GetSecrets" => Reply::ok(json!({"result": [], "count": 0, "total_count": 0})),
            _ => Reply::ok(json!({"result": 1})),
        }
    });
    let client = server.client();
    assert_eq!(client.application(1).list().count(), 0);
    assert_eq!(server.requests().len(), 2, "the read was retried once");

    seen.store(0, Ordering::SeqCst);
    let error = client.application(1).delete_by_ids(&[1]).unwrap_err();
    assert!(matches!(error, Error::Unexpected { .. }), "{error:?}");
    assert_eq!(server.requests().len(), 3, "the change was sent once");

    // A connection closed without an answer: a read is tried again, a change is not.
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    let server = Server::start(move |request, _| {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            return Reply::Close;
        }
        match request.method_name() {
            "GetSecretValue" => Reply::ok(json!({"result": {"secret_value": "v"}})),
            _ => Reply::ok(json!({"result": {"secret_id": 9}})),
        }
    });
    let client = server.client();
    assert_eq!(
        client
            .application(1)
            .value(1)
            .unwrap()
            .value
            .expose_secret(),
        "v"
    );
    assert_eq!(server.requests().len(), 2);
    seen.store(0, Ordering::SeqCst);
    let error = client.application(1).add(&secret("a", "b")).unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Io,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_silent_server_ends_in_a_timeout() {
    let server = Server::start(|_, _| Reply::Hang);
    let client = Client::builder(common::credentials())
        .base_url(&server.base_url)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let start = Instant::now();
    let error = client.application(1).value(1).unwrap_err();
    println!("timed out after {:?}", start.elapsed());
    assert!(
        matches!(
            error,
            Error::Timeout {
                action: Action::ReadValue,
                request_sent: true,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn nothing_listens_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/platform_api", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder(common::credentials())
        .base_url(url)
        .max_retries(0)
        .build()
        .unwrap();
    let error = client.application(1).delete_all().unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn the_configuration_is_checked() {
    let build = |url: &str| Client::builder(common::credentials()).base_url(url).build();
    assert!(matches!(
        build("http://api.example.com"),
        Err(Error::Config(_))
    ));
    assert!(matches!(build("ftp://127.0.0.1"), Err(Error::Config(_))));
    assert!(build("https://api.voximplant.com/platform_api").is_ok());
    assert!(build("http://[::1]:9/platform_api").is_ok());
    let lifetime = Client::builder(common::credentials())
        .token_lifetime(Duration::from_secs(3601))
        .build();
    assert!(matches!(lifetime, Err(Error::Config(m)) if m.contains("3600")));
    let bundle = Client::builder(common::credentials())
        .ca_bundle(voximplant_secrets::CaBundle::File {
            path: "/nonexistent/vox13-ca.pem".into(),
            origin: None,
        })
        .build();
    assert!(
        matches!(&bundle, Err(Error::Config(m)) if m.contains("vox13-ca.pem")),
        "{bundle:?}"
    );
    let _ = (ACCOUNT_ID, KEY_ID);
}

/// A server that refuses every change and read of a value with an error code the API
/// documents no meaning for, and lists the secrets `held` (`GetSecrets`), or refuses the list
/// too when `held` is `None`.
fn refusing_server(held: Option<Vec<(i64, &'static str)>>) -> Server {
    Server::start(move |request, _| {
        if request.method_name() != "GetSecrets" {
            return Reply::error(200, 321, "Something is wrong");
        }
        match &held {
            None => Reply::error(200, 654, "No such thing"),
            Some(held) => {
                let part = request.field("secret_name_part").unwrap_or("");
                let result: Vec<_> = held
                    .iter()
                    .filter(|(_, name)| name.contains(part))
                    .map(|(id, name)| json!({"secret_id": id, "secret_name": name}))
                    .collect();
                let total = result.len();
                Reply::ok(json!({"result": result, "count": total, "total_count": total}))
            }
        }
    })
}

#[test]
fn an_undocumented_code_for_a_secret_the_list_does_not_hold_is_not_found() {
    let server = refusing_server(Some(vec![(5, "db_password"), (6, "db_password_old")]));
    let secrets_of = || server.client();
    let client = secrets_of();
    let secrets = client.application(1);
    let error = secrets.value("db").unwrap_err();
    assert!(
        matches!(&error, Error::NotFound { action: Action::ReadValue, what } if what == "the secret named \"db\""),
        "{error:?}"
    );
    assert_eq!(error.code(), None);
    let error = secrets
        .update(77, &SecretUpdate::new().description("x"))
        .unwrap_err();
    assert!(
        matches!(&error, Error::NotFound { action: Action::Update, what } if what == "the secret with id 77"),
        "{error:?}"
    );
    let error = secrets
        .delete_by_names(&["db_password", "gone"])
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "deleting the secrets failed: the secret named \"gone\" was not found"
    );
    let error = secrets.delete_by_ids(&[5, 6, 8]).unwrap_err();
    assert!(
        matches!(&error, Error::NotFound { what, .. } if what == "the secret with id 8"),
        "{error:?}"
    );
    // The name was looked up with the filter, the ids with the whole list.
    let lists: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method_name() == "GetSecrets")
        .map(|r| r.field("secret_name_part").map(str::to_owned))
        .collect();
    assert_eq!(
        lists,
        [Some("db".to_owned()), None, None, None],
        "{lists:?}"
    );
}

#[test]
fn an_undocumented_code_keeps_its_code_and_message_when_the_secrets_exist() {
    let server = refusing_server(Some(vec![(5, "db_password")]));
    let client = server.client();
    let secrets = client.application(1);
    for error in [
        secrets.value("db_password").unwrap_err(),
        secrets.value(5).unwrap_err(),
        secrets
            .update("db_password", &SecretUpdate::new().description("x"))
            .unwrap_err(),
        secrets.delete_by_ids(&[5]).unwrap_err(),
    ] {
        assert!(
            matches!(&error, Error::Api { code: 321, message, .. } if message == "Something is wrong"),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .ends_with("the server reported error 321: Something is wrong"),
            "{error}"
        );
    }
    // Deleting every secret names none: nothing to look up.
    let before = server.requests().len();
    let error = secrets.delete_all().unwrap_err();
    assert!(matches!(error, Error::Api { code: 321, .. }), "{error:?}");
    assert_eq!(server.requests().len(), before + 1);
}

#[test]
fn an_undocumented_code_stands_when_the_list_fails_too() {
    let server = refusing_server(None);
    let client = server.client();
    let error = client.application("no_such_app").value("x").unwrap_err();
    assert!(
        matches!(&error, Error::Api { code: 321, .. }),
        "the call's own error, not the list's: {error:?}"
    );
    let error = client
        .application("no_such_app")
        .list()
        .next()
        .unwrap()
        .unwrap_err();
    assert!(matches!(&error, Error::Api { code: 654, .. }), "{error:?}");
}

#[test]
fn no_undocumented_code_means_not_found_by_itself() {
    // The sandbox's own codes for "no such application" and "no such secret" are not the
    // API's: from another server they are just codes.
    for code in [14, 15] {
        let server = Server::start(move |_, _| Reply::error(200, code, "whatever"));
        let error = server
            .client()
            .application(1)
            .list()
            .next()
            .unwrap()
            .unwrap_err();
        assert!(
            matches!(&error, Error::Api { code: c, .. } if *c == code),
            "{error:?}"
        );
    }
}
