//! https with a certificate made at start.

mod common;

use std::sync::Arc;

use common::*;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use vonage_secrets_sandbox::Sandbox;

fn trusting(pem: &str) -> ureq::Agent {
    let ca = Certificate::from_pem(pem.as_bytes()).expect("the CA is PEM");
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::Specific(Arc::new(vec![ca])))
                .build(),
        )
        .build()
        .into()
}

fn tls_sandbox() -> Sandbox {
    Sandbox::builder()
        .account(KEY, SECRET)
        .tls(true)
        .start()
        .expect("TLS sandbox starts")
}

#[test]
fn a_client_trusting_the_ca_gets_through() {
    let sb = tls_sandbox();
    assert!(sb.base_url().starts_with("https://127.0.0.1:"));
    let pem = sb.ca_certificate_pem().expect("a CA with TLS");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let agent = trusting(pem);
    let auth = basic(KEY, SECRET);
    let url = format!("{}/accounts/{KEY}/secrets", sb.base_url());
    let reply = call(&agent, "GET", &url, Some(&auth), None).unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(ids(&reply.json()).len(), 1);
    // By name as well as by address.
    let by_name = url.replace("127.0.0.1", "localhost");
    assert_eq!(
        call(&agent, "GET", &by_name, Some(&auth), None)
            .unwrap()
            .status,
        200
    );
    // And a create over TLS.
    let body = serde_json::json!({"secret": "Over-Tls-Secret-1"});
    assert_eq!(
        call(&agent, "POST", &url, Some(&auth), Some(&body))
            .unwrap()
            .status,
        201
    );
}

#[test]
fn a_client_not_trusting_it_fails() {
    let sb = tls_sandbox();
    let url = format!("{}/accounts/{KEY}/secrets", sb.base_url());
    // Default roots (the web PKI): the sandbox's CA is not among them.
    let err = call(&agent(), "GET", &url, Some(&basic(KEY, SECRET)), None)
        .expect_err("an untrusted certificate is refused");
    // The certificate is refused as issued by an unknown CA (not some other failure).
    assert!(format!("{err:?}").contains("UnknownIssuer"), "{err:?}");
    // Nor does trusting another sandbox's CA help: each start makes a new one.
    let other = tls_sandbox();
    let wrong = trusting(other.ca_certificate_pem().unwrap());
    assert!(call(&wrong, "GET", &url, Some(&basic(KEY, SECRET)), None).is_err());
    // Plain http to the TLS port gets no HTTP answer.
    let plain = url.replace("https://", "http://");
    assert!(call(&agent(), "GET", &plain, Some(&basic(KEY, SECRET)), None).is_err());
    // The server is still fine.
    let ok = trusting(sb.ca_certificate_pem().unwrap());
    assert_eq!(
        call(&ok, "GET", &url, Some(&basic(KEY, SECRET)), None)
            .unwrap()
            .status,
        200
    );
}
