//! The `vonage-secrets-sandbox` binary: flags, first stdout line, exit on SIGTERM/SIGINT.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_vonage-secrets-sandbox");

struct Running {
    child: Child,
    lines: Vec<String>,
}

/// Starts the binary and reads `n` lines of its stdout.
fn start(args: &[&str], n: usize) -> Running {
    start_with_stderr(args, n, Stdio::null())
}

fn start_with_stderr(args: &[&str], n: usize, stderr: Stdio) -> Running {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("the binary starts");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..n {
        let mut line = String::new();
        out.read_line(&mut line).expect("a line on stdout");
        lines.push(line.trim_end().to_owned());
    }
    Running { child, lines }
}

#[cfg(unix)]
fn signal_and_wait(mut r: Running, signal: &str) -> std::process::ExitStatus {
    let ok = Command::new("kill")
        .args([signal, &r.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(ok.success());
    r.child.wait().expect("the binary exits")
}

#[test]
#[cfg(unix)]
fn demo_account_then_sigterm_exits_zero() {
    let log_path = std::env::temp_dir().join(format!("sandbox-stderr-{}", std::process::id()));
    let log_file = std::fs::File::create(&log_path).unwrap();
    let r = start_with_stderr(&[], 3, Stdio::from(log_file));
    let url = r.lines[0].clone();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    let key = r.lines[1]
        .strip_prefix("VONAGE_API_KEY=")
        .expect("key line")
        .to_owned();
    let secret = r.lines[2]
        .strip_prefix("VONAGE_API_SECRET=")
        .expect("secret line")
        .to_owned();
    let c = Client::new(&url, &key, &secret);
    assert_eq!(c.list(&key).status, 200);
    assert_eq!(c.create(&key, "From-The-Test-1").status, 201);
    assert_eq!(ids(&c.list(&key).json()).len(), 2);
    let status = signal_and_wait(r, "-TERM");
    assert_eq!(status.code(), Some(0));
    // Requests are logged to stderr, without secret material.
    let log = std::fs::read_to_string(&log_path).unwrap();
    let _ = std::fs::remove_file(&log_path);
    assert!(
        log.contains(&format!("GET /accounts/{key}/secrets -> 200")),
        "{log}"
    );
    assert!(
        log.contains(&format!("POST /accounts/{key}/secrets -> 201")),
        "{log}"
    );
    assert!(
        !log.contains(&secret) && !log.contains("From-The-Test-1"),
        "{log}"
    );
}

#[test]
#[cfg(unix)]
fn seeded_accounts_tls_and_sigint() {
    let dir = std::env::temp_dir().join(format!("sandbox-bin-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    let r = start(
        &[
            "--tls",
            "--ca-out",
            ca.to_str().unwrap(),
            "--account",
            &format!("{KEY}:{SECRET}"),
            "--secondary",
            &format!("{KEY}:{SUB}:{SUB_SECRET}"),
            "--excess-secret-status",
            "400",
            "--quiet",
        ],
        1,
    );
    let url = r.lines[0].clone();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let pem = std::fs::read(&ca).expect("the CA was written");
    let cert = ureq::tls::Certificate::from_pem(&pem).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![cert])))
                .build(),
        )
        .build()
        .into();
    let c = Client {
        agent,
        base: url.clone(),
        auth: basic(KEY, SECRET),
    };
    assert_eq!(c.list(SUB).status, 200);
    assert_eq!(c.create(SUB, "Second-Sub-Secret-2").status, 201);
    assert_eq!(c.create(SUB, "Third-Sub-Secret-3").status, 400);
    let status = signal_and_wait(r, "-INT");
    assert_eq!(status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_flags_exit_2_with_usage() {
    let out = Command::new(BIN).arg("--nope").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage:"));
    let out = Command::new(BIN)
        .args([
            "--account",
            "a:Good-Secret-1",
            "--secondary",
            "x:y:Other-Secret-2",
        ])
        .output()
        .unwrap();
    // A secondary naming an unknown primary: bad flags, exit 2 like any other, no secret shown.
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid sandbox configuration"), "{err}");
    assert!(err.contains("\"x\""), "{err}");
    assert!(!err.contains("Other-Secret-2"), "{err}");
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--secondary PRIMARY:KEY:SECRET"));
}

#[test]
fn excess_secret_status_500_is_a_usage_error() {
    for value in ["500", "abc", "401"] {
        let out = Command::new(BIN)
            .args(["--excess-secret-status", value])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--excess-secret-status takes 400 or 403"),
            "{err}"
        );
        assert!(err.contains("Usage:"), "{err}");
    }
}

/// Runs the binary, which must exit by itself: one that starts serving instead is killed and
/// the test fails.
fn refused(args: &[&str]) -> std::process::Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    for _ in 0..600 {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let out = child.wait_with_output().expect("output");
    panic!(
        "{args:?} was accepted: the sandbox started ({})",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_seeded_secret_breaking_the_rules_is_refused_naming_the_account() {
    for args in [
        &["--account", "abcd1234:alllowercase1"][..],
        &[
            "--account",
            "abcd1234:Good-Secret-1",
            "--secondary",
            "abcd1234:sub00001:NOLOWERCASE1",
        ],
    ] {
        let out = refused(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        let account = if args.len() == 2 {
            "abcd1234"
        } else {
            "sub00001"
        };
        assert!(err.contains(&format!("account \"{account}\"")), "{err}");
        assert!(err.contains("rules refuse"), "{err}");
        for secret in ["alllowercase1", "NOLOWERCASE1", "Good-Secret-1"] {
            assert!(!err.contains(secret), "{err}");
        }
    }
}

#[test]
fn a_bind_error_says_it_once() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(BIN)
        .args(["--port", &port, "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("127.0.0.1").count(), 1, "{err}");
    assert!(err.contains("the port is already in use"), "{err}");
    assert!(err.contains("choose another port"), "{err}");
    // The operating system's own words, once.
    assert_eq!(err.matches("os error").count(), 1, "{err}");
}

#[test]
#[cfg(unix)]
fn log_lines_are_words_with_a_timestamp() {
    let log_path = std::env::temp_dir().join(format!("sandbox-log-lines-{}", std::process::id()));
    let log_file = std::fs::File::create(&log_path).unwrap();
    let r = start_with_stderr(
        &["--account", &format!("{KEY}:{SECRET}")],
        1,
        Stdio::from(log_file),
    );
    let c = Client::new(&r.lines[0], KEY, SECRET);
    assert_eq!(c.list(KEY).status, 200);
    assert_eq!(c.get(KEY, "nope").status, 404);
    let url = format!("{}/nowhere", r.lines[0]);
    assert_eq!(call(&agent(), "GET", &url, None, None).unwrap().status, 404);
    assert_eq!(signal_and_wait(r, "-TERM").code(), Some(0));
    let log = std::fs::read_to_string(&log_path).unwrap();
    let _ = std::fs::remove_file(&log_path);
    let requests: Vec<&str> = log.lines().filter(|l| l.contains(" -> ")).collect();
    assert_eq!(requests.len(), 3, "{log}");
    for line in &requests {
        let (time, _) = line.split_once(' ').unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(time).is_ok(),
            "no RFC 3339 time first: {line}"
        );
        assert!(!line.contains("Some(") && !line.contains("None"), "{line}");
    }
    assert!(
        requests[0].ends_with(&format!(
            "GET /accounts/{KEY}/secrets -> 200 (list secrets of account {KEY})"
        )),
        "{log}"
    );
    assert!(
        requests[1].ends_with(&format!(
            "GET /accounts/{KEY}/secrets/nope -> 404 (get a secret of account {KEY})"
        )),
        "{log}"
    );
    assert!(
        requests[2].ends_with("GET /nowhere -> 404 (not an API path)"),
        "{log}"
    );
}

#[test]
#[cfg(unix)]
fn prints_the_dashboard_url_and_the_control_token_after_the_base_url_lines() {
    let r = start(&[], 5);
    let base = r.lines[0].clone();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert!(r.lines[1].starts_with("VONAGE_API_KEY="));
    assert!(r.lines[2].starts_with("VONAGE_API_SECRET="));
    assert_eq!(
        r.lines[3],
        format!("SANDBOX_DASHBOARD_URL={base}/dashboard")
    );
    let token = r.lines[4]
        .strip_prefix("SANDBOX_CONTROL_TOKEN=")
        .expect("the token line")
        .to_owned();
    assert_eq!(token.len(), 64);
    let a = agent();
    let url = format!("{base}/_sandbox/state");
    let auth = format!("Bearer {token}");
    assert_eq!(
        call(&a, "GET", &url, Some(&auth), None).unwrap().status,
        200
    );
    let page = call(&a, "GET", &format!("{base}/dashboard"), None, None).unwrap();
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Sign in"));
    assert_eq!(signal_and_wait(r, "-TERM").code(), Some(0));

    // With seeded accounts: the base URL, then the dashboard and the token.
    let r = start(&["--account", &format!("{KEY}:{SECRET}"), "--quiet"], 3);
    assert!(r.lines[0].starts_with("http://127.0.0.1:"));
    assert!(r.lines[1].starts_with("SANDBOX_DASHBOARD_URL="));
    assert!(r.lines[2].starts_with("SANDBOX_CONTROL_TOKEN="));
    assert_eq!(signal_and_wait(r, "-TERM").code(), Some(0));
}

#[test]
#[cfg(unix)]
fn writes_the_voximplant_credentials_with_mode_0600_and_serves_array_results() {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::temp_dir().join(format!("sandbox-vox-creds-{}", std::process::id()));
    // An existing, world-readable file is tightened, not left as it was.
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = start(
        &[
            "--voximplant-credentials-out",
            path.to_str().unwrap(),
            "--voximplant-array-results",
            "--quiet",
        ],
        1,
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let creds: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(
        creds.as_object().unwrap().len(),
        4,
        "{:?}",
        creds.as_object().unwrap().keys()
    );
    assert_eq!(creds["account_id"], 1);
    assert!(creds["account_email"].is_string());
    assert!(creds["key_id"].is_string());
    assert!(
        creds["private_key"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    // A request without a token: an error body with code 100, status 200.
    let a = agent();
    let url = format!("{}/platform_api/GetSecrets", r.lines[0]);
    let reply = a
        .post(&url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send("application_id=1")
        .unwrap();
    assert_eq!(reply.status(), 200);
    let body: serde_json::Value =
        serde_json::from_str(&reply.into_body().read_to_string().unwrap()).unwrap();
    assert_eq!(body["error"]["code"], 100, "{body}");
    // With a token from the file: AddSecret's result is a list of one.
    let url = format!("{}/platform_api/AddSecret", r.lines[0]);
    let reply = a
        .post(&url)
        .header(
            "Authorization",
            &format!("Bearer {}", voximplant_token(&creds)),
        )
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send("application_id=1&secret_name=from_binary&secret_value=v")
        .unwrap();
    let body: serde_json::Value =
        serde_json::from_str(&reply.into_body().read_to_string().unwrap()).unwrap();
    assert!(body["result"][0]["secret_id"].is_u64(), "{body}");
    assert_eq!(signal_and_wait(r, "-TERM").code(), Some(0));
}

#[test]
#[cfg(unix)]
fn secondaries_latency_and_rate_limit_flags() {
    let r = start(
        &[
            "--quiet",
            "--secondaries",
            "3",
            "--latency",
            "30",
            "--rate-limit",
            "2",
        ],
        3,
    );
    let url = r.lines[0].clone();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    // base64("abcd1234:Sandbox-Secret-1"), the demo account's credentials.
    let basic = "Basic YWJjZDEyMzQ6U2FuZGJveC1TZWNyZXQtMQ==";
    let started = std::time::Instant::now();
    let mut statuses = Vec::new();
    let mut bodies = Vec::new();
    // Six requests span at most two one-second windows (at least 2 refused), unless the machine
    // is so loaded that they take over a second.
    for _ in 0..6 {
        let mut response = agent
            .get(&format!("{url}/accounts/abcd1234/subaccounts"))
            .header("Authorization", basic)
            .call()
            .unwrap();
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            assert_eq!(response.headers().get("retry-after").unwrap(), "1");
        }
        bodies.push(response.body_mut().read_to_string().unwrap());
    }
    // Every answer waited the latency.
    let elapsed = started.elapsed();
    println!("6 requests in {elapsed:?}");
    assert!(elapsed >= std::time::Duration::from_millis(180));
    let ok = statuses.iter().filter(|s| **s == 200).count();
    assert!(ok >= 2, "{statuses:?}");
    if elapsed < std::time::Duration::from_secs(1) {
        assert!(ok <= 4, "{statuses:?}");
        assert!(statuses.contains(&429), "{statuses:?}");
    }
    let list: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    let keys: Vec<&str> = list["_embedded"]["subaccounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["api_key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["sub00001", "sub00002", "sub00003"]);
    assert_eq!(list["_embedded"]["primary_account"]["api_key"], "abcd1234");
    assert!(signal_and_wait(r, "-TERM").success());
}
