//! The command against hostile and unusual networks: a server that echoes the request (no
//! credential may reach the terminal, with or without -v), proxy variables (never used for
//! loopback; used for https as configured), and CA bundles (--ca-bundle, VONAGE_CA_BUNDLE,
//! SSL_CERT_FILE) against the TLS sandbox.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

mod support;

use assert_cmd::Command;
use support::{bare, run};
use vonage_secrets_sandbox::Sandbox;

const KEY: &str = "abcd1234";
/// With characters that every encoding writes differently.
const SECRET: &str = "Api\"Secret/ 100%+é";
const NEW_SECRET: &str = "N3w-\"Secret\"/%+";

/// What an echoing server does with the request it read.
#[derive(Clone, Copy)]
enum Echo {
    /// A 401 problem whose `detail` quotes the request (head and body).
    ProblemDetail,
    /// A 500 HTML page that dumps the request.
    ErrorPage,
}

/// A server that answers every request with an echo of it.
fn echo_server(echo: Echo) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut writer = stream;
                loop {
                    let mut request = String::new();
                    let mut length = 0;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap();
                        }
                        request.push_str(&line);
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).unwrap();
                    request.push_str(&String::from_utf8_lossy(&body));
                    let (status, kind, body) = match echo {
                        Echo::ProblemDetail => (
                            "401 Unauthorized",
                            "application/problem+json",
                            serde_json::json!({
                                "type": "https://developer.nexmo.com/api-errors#unauthorized",
                                "title": "Invalid credentials supplied",
                                "detail": format!("you sent: {request}"),
                                "instance": "797a8f199c45014ab7b08bfe9cc1c12c",
                            })
                            .to_string(),
                        ),
                        Echo::ErrorPage => (
                            "500 Internal Server Error",
                            "text/html",
                            format!("<html><pre>{request}</pre></html>"),
                        ),
                    };
                    let response = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if writer.write_all(response.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    base_url
}

#[test]
fn a_server_echoing_the_request_puts_no_credential_on_the_terminal() {
    use base64::Engine as _;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"));
    let credentials = [SECRET, NEW_SECRET, token.trim_end_matches('=')];
    for echo in [Echo::ProblemDetail, Echo::ErrorPage] {
        let base_url = echo_server(echo);
        for verbose in [false, true] {
            for create in [false, true] {
                let mut cmd = bare();
                cmd.env("VONAGE_API_KEY", KEY)
                    .env("VONAGE_API_SECRET", SECRET)
                    .args(["--base-url", &base_url, "--timeout", "10"]);
                if verbose {
                    cmd.arg("-v");
                }
                if create {
                    cmd.args(["create", "--secret-stdin"])
                        .write_stdin(format!("{NEW_SECRET}\n"));
                } else {
                    cmd.arg("list");
                }
                let run = run(&mut cmd);
                assert_ne!(run.code, 0, "{}", run.stderr);
                // The echo did reach the command: the message quotes the rest of it.
                assert!(run.stderr.contains("you sent") || run.stderr.contains("HTTP 500"));
                for credential in credentials {
                    assert!(
                        !run.stderr.contains(credential) && !run.stdout.contains(credential),
                        "{credential:?} shown (verbose {verbose}, create {create}):\n{}\n{}",
                        run.stdout,
                        run.stderr
                    );
                }
                assert!(run.stderr.contains("[REDACTED]"), "{}", run.stderr);
            }
        }
    }
}

/// A listener that counts connections and records the first line of each; it answers none.
fn fake_proxy() -> (String, Arc<AtomicUsize>, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let lines = Arc::new(Mutex::new(Vec::new()));
    let (count, seen) = (Arc::clone(&connections), Arc::clone(&lines));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            count.fetch_add(1, Ordering::SeqCst);
            let mut line = String::new();
            let _ = BufReader::new(&stream).read_line(&mut line);
            seen.lock().unwrap().push(line);
            // No answer: the client gives up.
        }
    });
    (url, connections, lines)
}

fn with_every_proxy_variable(cmd: &mut Command, proxy: &str) {
    for name in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env(name, proxy);
    }
}

#[test]
fn proxy_variables_are_never_used_for_loopback() {
    let (proxy, connections, _) = fake_proxy();
    let mut cmd = bare();
    with_every_proxy_variable(&mut cmd, &proxy);
    run(cmd.args(["--sandbox", "list"])).code(0);

    let sandbox = Sandbox::builder()
        .account(KEY, "Sandbox-Secret-1")
        .start()
        .unwrap();
    let mut cmd = bare();
    with_every_proxy_variable(&mut cmd, &proxy);
    run(cmd
        .env("VONAGE_API_KEY", KEY)
        .env("VONAGE_API_SECRET", "Sandbox-Secret-1")
        .args(["--base-url", sandbox.base_url(), "list"]))
    .code(0);
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}

#[test]
fn https_goes_through_the_proxy_of_the_environment_unless_no_proxy_names_the_host() {
    let (proxy, connections, lines) = fake_proxy();
    let mut cmd = bare();
    run(cmd
        .env("VONAGE_API_KEY", KEY)
        .env("VONAGE_API_SECRET", SECRET)
        .env("HTTPS_PROXY", &proxy)
        .args([
            "--base-url",
            "https://api.vonage-secrets.test",
            "--timeout",
            "2",
        ])
        .args(["list"]))
    .code(7);
    // One connection per attempt (list is retried), each asking for a tunnel to the host.
    let through_proxy = connections.load(Ordering::SeqCst);
    assert!(through_proxy >= 1);
    for line in lines.lock().unwrap().iter() {
        assert!(
            line.starts_with("CONNECT api.vonage-secrets.test:443"),
            "{line}"
        );
    }

    // HTTP_PROXY is for http, which goes to loopback only: never used.
    let mut cmd = bare();
    run(cmd
        .env("VONAGE_API_KEY", KEY)
        .env("VONAGE_API_SECRET", SECRET)
        .env("HTTP_PROXY", &proxy)
        .env("HTTPS_PROXY", &proxy)
        .env("NO_PROXY", "localhost,.vonage-secrets.test")
        .args([
            "--base-url",
            "https://api.vonage-secrets.test",
            "--timeout",
            "2",
        ])
        .args(["list"]))
    .code(7);
    assert_eq!(
        connections.load(Ordering::SeqCst),
        through_proxy,
        "NO_PROXY was ignored"
    );
}

/// A TLS sandbox and its CA certificate in a file.
fn tls_sandbox(dir: &std::path::Path) -> (Sandbox, PathBuf) {
    let sandbox = Sandbox::builder()
        .account(KEY, "Sandbox-Secret-1")
        .tls(true)
        .start()
        .unwrap();
    let ca = dir.join("sandbox-ca.pem");
    std::fs::write(&ca, sandbox.ca_certificate_pem().unwrap()).unwrap();
    (sandbox, ca)
}

fn tls_list(sandbox: &Sandbox) -> Command {
    let mut cmd = bare();
    cmd.env("VONAGE_API_KEY", KEY)
        .env("VONAGE_API_SECRET", "Sandbox-Secret-1")
        .args(["--base-url", sandbox.base_url(), "--timeout", "10", "list"]);
    cmd
}

#[test]
fn ca_bundles_from_the_flag_or_the_environment_reach_the_tls_sandbox() {
    let dir = std::env::temp_dir().join(format!("vonage-cli-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (sandbox, ca) = tls_sandbox(&dir);
    let missing = dir.join("missing.pem");

    // Without the bundle the sandbox's certificate is not trusted.
    let failed = run(&mut tls_list(&sandbox)).code(7);
    assert!(failed.stderr.contains("TLS"), "{}", failed.stderr);

    run(tls_list(&sandbox).arg("--ca-bundle").arg(&ca)).code(0);
    run(tls_list(&sandbox).env("VONAGE_CA_BUNDLE", &ca)).code(0);
    run(tls_list(&sandbox).env("SSL_CERT_FILE", &ca)).code(0);
    // Precedence: the flag, then VONAGE_CA_BUNDLE, then SSL_CERT_FILE.
    run(tls_list(&sandbox)
        .arg("--ca-bundle")
        .arg(&ca)
        .env("VONAGE_CA_BUNDLE", &missing))
    .code(0);
    run(tls_list(&sandbox)
        .env("VONAGE_CA_BUNDLE", &ca)
        .env("SSL_CERT_FILE", &missing))
    .code(0);

    // A bundle that cannot be read is a usage error that names it.
    let bad = run(tls_list(&sandbox).arg("--ca-bundle").arg(&missing)).code(2);
    assert!(bad.stderr.contains("missing.pem"), "{}", bad.stderr);
    assert!(bad.stderr.contains("could not be read"), "{}", bad.stderr);
    let bad = run(tls_list(&sandbox).env("SSL_CERT_FILE", &missing)).code(2);
    assert!(bad.stderr.contains("SSL_CERT_FILE"), "{}", bad.stderr);
    let not_pem = dir.join("not-pem.txt");
    std::fs::write(&not_pem, "hello").unwrap();
    let bad = run(tls_list(&sandbox).arg("--ca-bundle").arg(&not_pem)).code(2);
    assert!(bad.stderr.contains("no PEM certificate"), "{}", bad.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}
