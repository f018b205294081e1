//! Clients in other languages against the sandbox's Voximplant routes over https: the official
//! Node client (`@voximplant/apiclient-nodejs`, unchanged, with the array results it expects)
//! and a Python client (requests + PyJWT) that signs its own tokens.
//!
//! `.ci/run` installs them under `target/`: the npm package into `target/voximplant-node`
//! (or `VOXIMPLANT_NODE_MODULES`, a `node_modules` folder) and a venv into
//! `target/voximplant-py` (or `VOXIMPLANT_PYTHON`, an interpreter). Without them a test prints
//! that it skipped, except under CI (`CI=true`), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use secrecy::ExposeSecret;
use vonage_secrets_sandbox::Sandbox;

fn workspace_target() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../target"))
}

/// Fails under CI, otherwise says why the test did not run.
fn missing(what: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what} (CI=true: this test must run; .ci/run installs it)");
    }
    eprintln!("skipped: {what}");
}

/// A sandbox over https with its CA and credentials written to a temporary folder.
struct Setup {
    sandbox: Sandbox,
    dir: PathBuf,
}

impl Setup {
    fn new(name: &str, array_results: bool) -> Self {
        let sandbox = Sandbox::builder()
            .tls(true)
            .voximplant_array_results(array_results)
            .start()
            .unwrap();
        let dir = std::env::temp_dir().join(format!("sandbox-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ca.pem"), sandbox.ca_certificate_pem().unwrap()).unwrap();
        std::fs::write(
            dir.join("credentials.json"),
            sandbox.voximplant_credentials_json().expose_secret(),
        )
        .unwrap();
        Setup { sandbox, dir }
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(mut command: Command) -> (bool, String) {
    let started = std::time::Instant::now();
    let out = command.output().expect("the client runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("client took {:?}:\n{text}", started.elapsed());
    (out.status.success(), text)
}

fn node_modules() -> Option<PathBuf> {
    let dir = std::env::var_os("VOXIMPLANT_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_target().join("voximplant-node/node_modules"));
    dir.join("@voximplant/apiclient-nodejs")
        .is_dir()
        .then_some(dir)
}

fn node_command(setup: &Setup, modules: &Path) -> Command {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/node_client.js");
    let mut c = Command::new("node");
    c.arg(script)
        .env("NODE_PATH", modules)
        .env("NODE_EXTRA_CA_CERTS", setup.dir.join("ca.pem"))
        .env("VOXIMPLANT_CREDENTIALS", setup.dir.join("credentials.json"))
        .env(
            "SANDBOX_HOST",
            setup.sandbox.base_url().trim_start_matches("https://"),
        );
    c
}

fn node_ready() -> Option<PathBuf> {
    if Command::new("node").arg("--version").output().is_err() {
        missing("node is not installed");
        return None;
    }
    let Some(modules) = node_modules() else {
        missing("@voximplant/apiclient-nodejs is not installed under target/voximplant-node");
        return None;
    };
    Some(modules)
}

#[test]
fn the_official_node_client_works_with_array_results() {
    let Some(modules) = node_ready() else { return };
    let setup = Setup::new("node", true);
    let (ok, text) = run(node_command(&setup, &modules));
    assert!(ok && text.contains("node client: ok"), "{text}");
    // What it did, in the sandbox's own log.
    let methods: Vec<_> = setup
        .sandbox
        .requests()
        .iter()
        .map(|r| r.operation.and_then(|o| o.voximplant_method()))
        .collect();
    assert_eq!(methods.len(), 8, "{methods:?}");
    assert!(methods.iter().all(Option::is_some));
    assert!(
        setup
            .sandbox
            .requests()
            .iter()
            .all(|r| r.path == "/platform_api")
    );
}

#[test]
fn the_official_node_client_fails_on_the_published_result_shape() {
    let Some(modules) = node_ready() else { return };
    // The default answers as the published description says; the Node client then breaks on
    // AddSecret's object result, which is why --voximplant-array-results exists.
    let setup = Setup::new("node-object", false);
    let (ok, text) = run(node_command(&setup, &modules));
    assert!(!ok, "{text}");
    assert!(text.contains("map is not a function"), "{text}");
}

#[test]
fn a_python_client_signing_its_own_tokens_works() {
    let python = std::env::var_os("VOXIMPLANT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_target().join("voximplant-py/bin/python"));
    let has_libs = Command::new(&python)
        .args(["-c", "import jwt, requests, cryptography"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_libs {
        missing("no Python with requests, PyJWT and cryptography under target/voximplant-py");
        return;
    }
    let setup = Setup::new("python", false);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/python_client.py");
    let mut c = Command::new(&python);
    c.arg(script)
        .arg(setup.sandbox.base_url())
        .arg(setup.dir.join("credentials.json"))
        .arg(setup.dir.join("ca.pem"));
    let (ok, text) = run(c);
    assert!(ok && text.contains("python client: ok"), "{text}");
    assert_eq!(setup.sandbox.requests().len(), 6);
}
