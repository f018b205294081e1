//! Lists the secrets of an account.
//!
//! With `VONAGE_API_KEY` and `VONAGE_API_SECRET` set (and optionally `VONAGE_API_BASE_URL`),
//! talks to that account; otherwise starts a local sandbox with a demo account.
//!
//! ```text
//! cargo run -p vonage-secrets --example list [SECONDARY_API_KEY]
//! ```

use vonage_secrets::Client;
use vonage_secrets_sandbox::Sandbox;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the sandbox (if any) alive until the end of main.
    let (client, _sandbox) = client()?;
    let secrets = match std::env::args().nth(1) {
        Some(secondary) => client.secrets_of(secondary),
        None => client.secrets(),
    };
    let list = secrets.list()?;
    println!(
        "account {} has {} secret(s):",
        secrets.account(),
        list.len()
    );
    for secret in list {
        println!(
            "  {}  created {}",
            secret.id,
            secret.created_at.to_rfc3339()
        );
    }
    Ok(())
}

fn client() -> Result<(Client, Option<Sandbox>), Box<dyn std::error::Error>> {
    if std::env::var_os("VONAGE_API_KEY").is_some() {
        return Ok((Client::from_env()?, None));
    }
    eprintln!("VONAGE_API_KEY is not set: using a local sandbox");
    let sandbox = Sandbox::builder()
        .account("abcd1234", "Demo-Secret-1")
        .secondary("abcd1234", "sub00001", "Demo-Secret-2")
        .start()?;
    let client = Client::builder("abcd1234", "Demo-Secret-1")
        .base_url(sandbox.base_url())
        .build()?;
    Ok((client, Some(sandbox)))
}
