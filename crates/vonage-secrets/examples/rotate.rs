//! Rotates the secret of an account safely: creates a new secret, verifies it, and prints it
//! once. The old secret is kept until you pass `--revoke-old`: run again after deploying the
//! new secret, with the new secret in `NEW_SECRET` and the old one still in
//! `VONAGE_API_SECRET`, to revoke the old one without creating a duplicate.
//!
//! With `VONAGE_API_KEY` and `VONAGE_API_SECRET` set (and optionally `VONAGE_API_BASE_URL`),
//! rotates that account; otherwise starts a local sandbox and shows the whole procedure.
//!
//! ```text
//! cargo run -p vonage-secrets --example rotate [-- --revoke-old]
//! ```

use vonage_secrets::{Client, ExposeSecret, NewSecretState};
use vonage_secrets_sandbox::Sandbox;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let revoke_old = std::env::args().any(|a| a == "--revoke-old");
    if std::env::var_os("VONAGE_API_KEY").is_some() {
        let client = Client::from_env()?;
        let mut rotation = client.rotation().revoke_old(revoke_old);
        let new_secret = std::env::var("NEW_SECRET").ok();
        if let Some(secret) = &new_secret {
            rotation = rotation.new_secret(secret);
        }
        return match rotation.run() {
            Ok(report) => {
                println!(
                    "new secret {} (verified: {})",
                    report.new_secret_id, report.verified
                );
                if new_secret.is_none() {
                    println!("value (shown once): {}", report.new_secret.expose_secret());
                }
                for id in &report.revoked {
                    println!("revoked {id}");
                }
                Ok(())
            }
            Err(failure) => {
                // The new secret may exist: a generated one must not be lost, so that the
                // rotation can be finished by running again with it in NEW_SECRET.
                if new_secret.is_none() && failure.state().new_secret != NewSecretState::NotCreated
                {
                    eprintln!(
                        "the new secret may exist; store it and run again with it in NEW_SECRET: {}",
                        failure.new_secret().expose_secret()
                    );
                }
                Err(failure.into())
            }
        };
    }

    eprintln!("VONAGE_API_KEY is not set: demonstrating with a local sandbox");
    let sandbox = Sandbox::builder()
        .account("abcd1234", "Old-Secret-1")
        .start()?;
    let client = Client::builder("abcd1234", "Old-Secret-1")
        .base_url(sandbox.base_url())
        .build()?;

    // 1. Create and verify a new secret; the old one keeps working.
    let report = client.rotation().run()?;
    println!(
        "created {} (verified: {}); deploy it now, the old secret still works",
        report.new_secret_id, report.verified
    );

    // 2. After deploying: the same rotation with the same new secret resumes, proves the new
    //    secret works, and revokes the old secret with it.
    let done = client
        .rotation()
        .new_secret(report.new_secret.expose_secret())
        .revoke_old(true)
        .run()?;
    let revoked: Vec<&str> = done.revoked.iter().map(|id| id.as_str()).collect();
    println!("revoked {}; the account now has:", revoked.join(", "));
    let new_client = Client::builder("abcd1234", report.new_secret.expose_secret())
        .base_url(sandbox.base_url())
        .build()?;
    for secret in new_client.secrets().list()? {
        println!(
            "  {}  created {}",
            secret.id,
            secret.created_at.to_rfc3339()
        );
    }
    Ok(())
}
