//! What the command's test files share: the binary with a clean environment, and a finished
//! run's exit code and output.
// Each test file uses the part it needs.
#![allow(dead_code)]

use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// The binary with a clean environment: no credentials, base URL, proxy or CA bundle.
pub fn bare() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("vonage-secrets");
    for name in [
        "VONAGE_API_KEY",
        "VONAGE_API_SECRET",
        "VONAGE_API_BASE_URL",
        "VONAGE_CA_BUNDLE",
        "SSL_CERT_FILE",
        "RUST_LOG",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
    ] {
        cmd.env_remove(name);
    }
    cmd.timeout(Duration::from_secs(60));
    cmd
}

/// A finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the command to its end.
pub fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("the binary runs");
    Run {
        code: output.status.code().expect("exited normally"),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

impl Run {
    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn code(self, want: i32) -> Run {
        assert_eq!(
            self.code, want,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// Asserts that neither stream shows `secret`.
    #[track_caller]
    pub fn never_shows(&self, secret: &str) -> &Self {
        assert!(
            !self.stdout.contains(secret),
            "stdout shows it: {}",
            self.stdout
        );
        assert!(
            !self.stderr.contains(secret),
            "stderr shows it: {}",
            self.stderr
        );
        self
    }
}
