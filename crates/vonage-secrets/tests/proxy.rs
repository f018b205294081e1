//! The explicit proxy setting: https requests go through it, loopback never does. (The
//! environment's proxy variables are tested through the command, in a process of its own.)

use std::io::{BufRead as _, BufReader};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use vonage_secrets::Client;

/// A listener that records the first line of each connection and answers none.
fn fake_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&lines);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let mut line = String::new();
            let _ = BufReader::new(&stream).read_line(&mut line);
            seen.lock().unwrap().push(line);
        }
    });
    (url, lines)
}

#[test]
fn https_requests_go_through_the_explicit_proxy_as_a_tunnel() {
    let (proxy, lines) = fake_proxy();
    let client = Client::builder("abcd1234", "Secret-123")
        .base_url("https://api.vonage-secrets.test")
        .proxy(&proxy)
        .timeout(Duration::from_secs(2))
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.secrets().list().unwrap_err();
    // The fake proxy hangs up without answering.
    assert!(
        matches!(
            err,
            vonage_secrets::Error::Transport { .. } | vonage_secrets::Error::Timeout { .. }
        ),
        "{err:?}"
    );
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    // A tunnel: the credentials travel inside TLS, not to the proxy.
    assert!(
        lines[0].starts_with("CONNECT api.vonage-secrets.test:443 "),
        "{lines:?}"
    );
}

#[test]
fn loopback_requests_never_go_through_the_explicit_proxy() {
    let (proxy, lines) = fake_proxy();
    let sandbox = vonage_secrets_sandbox::Sandbox::builder()
        .account("abcd1234", "Secret-123")
        .start()
        .unwrap();
    let client = Client::builder("abcd1234", "Secret-123")
        .base_url(sandbox.base_url())
        .proxy(&proxy)
        .build()
        .unwrap();
    assert_eq!(client.secrets().list().unwrap().len(), 1);
    assert!(lines.lock().unwrap().is_empty());
}
