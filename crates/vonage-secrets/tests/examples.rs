//! The examples, run as users run them (against their own sandbox): what they print is words
//! and ids, never Rust syntax such as `[SecretId("...")]` or `Some(..)`.

use std::path::PathBuf;
use std::process::Command;

/// The built example, beside this test's own binary (`cargo test` builds the examples).
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    let path = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is not built: run `cargo test -p vonage-secrets`, which builds the examples",
        path.display()
    );
    path
}

fn run(name: &str) -> String {
    let output = Command::new(example(name))
        .env_remove("VONAGE_API_KEY")
        .env_remove("VONAGE_API_SECRET")
        .env_remove("VONAGE_API_BASE_URL")
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        output.status.success(),
        "{name}: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn examples_print_words_and_ids_not_rust_syntax() {
    for name in ["rotate", "list"] {
        let stdout = run(name);
        assert!(!stdout.is_empty(), "{name} printed nothing");
        for rust in ["SecretId(", "Some(", "[\"", "..=", "\\\""] {
            assert!(!stdout.contains(rust), "{name} prints {rust:?}: {stdout}");
        }
    }
    let rotate = run("rotate");
    let revoked = rotate
        .lines()
        .find_map(|l| l.strip_prefix("revoked "))
        .expect("the rotate example revokes the old secret");
    let id = revoked.split(';').next().unwrap();
    assert!(
        !id.is_empty() && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'),
        "{revoked}"
    );
}
