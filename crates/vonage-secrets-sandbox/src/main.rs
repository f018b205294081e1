//! `vonage-secrets-sandbox`: runs the sandbox server for any client, Rust or not.
//!
//! The first line on stdout is the base URL, then (for the demo account) its credentials, the
//! dashboard's URL and the control API's token; the server runs until SIGINT or SIGTERM and then
//! exits 0.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use secrecy::ExposeSecret;
use vonage_secrets_sandbox::Sandbox;

const USAGE: &str = "\
Usage: vonage-secrets-sandbox [OPTIONS]

A stateful emulation of the Vonage Secret Management API on 127.0.0.1.
The first line on stdout is the base URL. Runs until SIGINT/SIGTERM.

Options:
  --port N                      listen on port N (default 0: a free port)
  --tls                         serve https with a certificate made at start
  --ca-out FILE                 with --tls: write the CA certificate (PEM) to FILE
  --account KEY:SECRET          seed a primary account (repeat the key for a 2nd secret)
  --secondary PRIMARY:KEY:SECRET
                                seed a secondary account owned by PRIMARY
  --excess-secret-status 400|403
                                status for a third secret (default 403)
  --voximplant-credentials-out FILE
                                write the demo Voximplant service account's
                                credentials.json to FILE (mode 0600)
  --voximplant-array-results    answer AddSecret and GetSecretValue with a list
                                of one result, as the official Node client expects
  --secondaries N               seed N secondary accounts of the first primary
                                (sub00001 with secret Sub-Secret-00001, ...)
  --latency MS                  add MS milliseconds to every API response
  --rate-limit N                answer 429 (Retry-After: 1) past N requests per
                                second per primary account
  --quiet                       do not log requests to stderr
  -h, --help                    print this help
  -V, --version                 print the version

With no --account, a demo account is seeded and its credentials are printed
on stdout after the URL, as VONAGE_API_KEY=... and VONAGE_API_SECRET=... lines.
Then come SANDBOX_DASHBOARD_URL=... (a web page: sign in with an account's
key and secret) and SANDBOX_CONTROL_TOKEN=... (for the JSON control API under
/_sandbox/, sent in an Authorization: Bearer header).

The Voximplant application secrets API is served under /platform_api too, for
the demo account 1 and its application demo-app (id 1); its clients sign
their tokens with the credentials.json of --voximplant-credentials-out.
";

const DEMO_KEY: &str = "abcd1234";
const DEMO_SECRET: &str = "Sandbox-Secret-1";

#[derive(Debug, Default)]
struct Options {
    port: u16,
    tls: bool,
    ca_out: Option<String>,
    /// (key, secret)
    accounts: Vec<(String, String)>,
    /// (primary, key, secret)
    secondaries: Vec<(String, String, String)>,
    excess_status: Option<u16>,
    quiet: bool,
    voximplant_credentials_out: Option<String>,
    voximplant_array_results: bool,
    generated_secondaries: usize,
    latency_ms: u64,
    rate_limit: Option<u32>,
}

enum Parsed {
    Run(Options),
    Help,
    Version,
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Parsed> {
    let mut o = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String> {
            match inline.clone().or_else(|| args.next()) {
                Some(v) => Ok(v),
                None => bail!("{name} needs a value"),
            }
        };
        // A switch takes no value: `--tls=false` must not silently turn TLS on.
        if inline.is_some()
            && matches!(
                flag.as_str(),
                "--help" | "--version" | "--tls" | "--quiet" | "--voximplant-array-results"
            )
        {
            bail!("{flag} takes no value");
        }
        match flag.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "-V" | "--version" => return Ok(Parsed::Version),
            "--port" => {
                let v = value("--port")?;
                o.port = v
                    .parse()
                    .with_context(|| format!("--port: {v:?} is not a port number"))?;
            }
            "--tls" => o.tls = true,
            "--quiet" => o.quiet = true,
            "--voximplant-array-results" => o.voximplant_array_results = true,
            "--voximplant-credentials-out" => {
                o.voximplant_credentials_out = Some(value("--voximplant-credentials-out")?);
            }
            "--ca-out" => o.ca_out = Some(value("--ca-out")?),
            "--account" => {
                let v = value("--account")?;
                let Some((key, secret)) = v.split_once(':') else {
                    bail!("--account takes KEY:SECRET");
                };
                o.accounts.push((key.to_owned(), secret.to_owned()));
            }
            "--secondary" => {
                let v = value("--secondary")?;
                let mut parts = v.splitn(3, ':');
                let (Some(primary), Some(key), Some(secret)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    bail!("--secondary takes PRIMARY:KEY:SECRET");
                };
                o.secondaries
                    .push((primary.to_owned(), key.to_owned(), secret.to_owned()));
            }
            "--secondaries" => {
                let v = value("--secondaries")?;
                o.generated_secondaries = v
                    .parse()
                    .with_context(|| format!("--secondaries: {v:?} is not a number of accounts"))?;
            }
            "--latency" => {
                let v = value("--latency")?;
                o.latency_ms = v
                    .parse()
                    .with_context(|| format!("--latency: {v:?} is not a number of milliseconds"))?;
            }
            "--rate-limit" => {
                let v = value("--rate-limit")?;
                match v.parse::<u32>() {
                    Ok(n) if n > 0 => o.rate_limit = Some(n),
                    _ => bail!(
                        "--rate-limit: {v:?} is not a number of requests per second (1 or more)"
                    ),
                }
            }
            "--excess-secret-status" => {
                let v = value("--excess-secret-status")?;
                match v.as_str() {
                    "400" => o.excess_status = Some(400),
                    "403" => o.excess_status = Some(403),
                    _ => bail!("--excess-secret-status takes 400 or 403, not {v:?}"),
                }
            }
            other => bail!("unknown argument {other:?}"),
        }
    }
    if o.ca_out.is_some() && !o.tls {
        bail!("--ca-out needs --tls");
    }
    Ok(Parsed::Run(o))
}

/// Prints the sandbox's request log (which never holds secret material) to stderr, one line
/// per request, each starting with its time (RFC 3339, UTC, milliseconds).
struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target().starts_with("vonage_secrets_sandbox")
            && metadata.level() <= log::Level::Info
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            eprintln!("{now} {}", record.args());
        }
    }

    fn flush(&self) {}
}

static LOGGER: StderrLogger = StderrLogger;

/// The stop signals, listened for from before the first line is printed: a signal sent as soon
/// as the base URL is read must stop the server, not kill it.
struct Signals {
    runtime: tokio::runtime::Runtime,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn listen() -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting the signal handler")?;
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let _entered = runtime.enter();
            let term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
            let int = signal(SignalKind::interrupt()).context("listening for SIGINT")?;
            drop(_entered);
            Ok(Signals { runtime, term, int })
        }
        #[cfg(not(unix))]
        Ok(Signals { runtime })
    }

    /// Waits for SIGINT or SIGTERM (Ctrl-C elsewhere).
    fn wait(self) -> Result<()> {
        #[cfg(unix)]
        {
            let Signals {
                runtime,
                mut term,
                mut int,
            } = self;
            runtime.block_on(async {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            });
            Ok(())
        }
        #[cfg(not(unix))]
        self.runtime.block_on(async {
            tokio::signal::ctrl_c()
                .await
                .context("listening for Ctrl-C")
        })
    }
}

/// Writes `contents` to a new or truncated file readable by its owner only (0600 on Unix).
fn write_private(path: &str, contents: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    // An existing file keeps its mode with `open`: set it.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    file.write_all(contents.as_bytes())
}

fn run(o: Options) -> Result<()> {
    if !o.quiet {
        log::set_logger(&LOGGER)
            .map(|()| log::set_max_level(log::LevelFilter::Info))
            .ok();
    }
    let demo = o.accounts.is_empty();
    // Nobody reads the log of a long-running server: keep only the latest entries.
    let mut builder = Sandbox::builder()
        .port(o.port)
        .tls(o.tls)
        .request_log_limit(1000)
        .voximplant_array_results(o.voximplant_array_results);
    if demo {
        builder = builder.account(DEMO_KEY, DEMO_SECRET);
    }
    for (key, secret) in &o.accounts {
        builder = builder.account(key, secret);
    }
    for (primary, key, secret) in &o.secondaries {
        builder = builder.secondary(primary, key, secret);
    }
    if let Some(status) = o.excess_status {
        builder = builder.excess_secret_status(status);
    }
    if o.generated_secondaries > 0 {
        let primary = o.accounts.first().map_or(DEMO_KEY, |(k, _)| k.as_str());
        builder = builder.secondaries(primary, o.generated_secondaries);
    }
    builder = builder.latency(std::time::Duration::from_millis(o.latency_ms));
    if let Some(n) = o.rate_limit {
        builder = builder.rate_limit(n);
    }
    let signals = Signals::listen()?;
    let sandbox = builder.start().context("starting the sandbox")?;
    if let (Some(path), Some(pem)) = (&o.ca_out, sandbox.ca_certificate_pem()) {
        std::fs::write(path, pem)
            .with_context(|| format!("writing the CA certificate to {path}"))?;
    }
    if let Some(path) = &o.voximplant_credentials_out {
        write_private(path, sandbox.voximplant_credentials_json().expose_secret())
            .with_context(|| format!("writing the Voximplant credentials to {path}"))?;
    }

    // One write, so that a reader of the first line alone (`| head -1`, a test) never
    // closes the pipe before the rest is written; and a reader gone early is not an error.
    let mut lines = format!("{}\n", sandbox.base_url());
    if demo {
        lines.push_str(&format!(
            "VONAGE_API_KEY={DEMO_KEY}\nVONAGE_API_SECRET={DEMO_SECRET}\n"
        ));
    }
    lines.push_str(&format!(
        "SANDBOX_DASHBOARD_URL={}\nSANDBOX_CONTROL_TOKEN={}\n",
        sandbox.dashboard_url(),
        sandbox.control_token()
    ));
    let mut out = std::io::stdout().lock();
    match out.write_all(lines.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(e).context("writing the base URL to stdout");
        }
        _ => {}
    }
    drop(out);
    if o.tls && o.ca_out.is_none() {
        eprintln!("note: --tls without --ca-out: clients will not be able to trust the server");
    }
    eprintln!(
        "vonage-secrets-sandbox: listening on {}; stop with Ctrl-C",
        sandbox.base_url()
    );

    signals.wait()?;
    drop(sandbox);
    Ok(())
}

fn main() -> ExitCode {
    match parse(std::env::args().skip(1)) {
        Ok(Parsed::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Parsed::Version) => {
            println!("vonage-secrets-sandbox {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Parsed::Run(o)) => match run(o) {
            Ok(()) => ExitCode::SUCCESS,
            // Seeds or options the sandbox refuses come from the flags: a usage error.
            Err(e)
                if matches!(
                    e.downcast_ref(),
                    Some(vonage_secrets_sandbox::Error::Config(_))
                ) =>
            {
                eprintln!("vonage-secrets-sandbox: {e:#}\n\n{USAGE}");
                ExitCode::from(2)
            }
            Err(e) => {
                eprintln!("vonage-secrets-sandbox: error: {e:#}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("vonage-secrets-sandbox: {e:#}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_all_flags() {
        let Parsed::Run(o) = parse(args(&[
            "--port",
            "8080",
            "--tls",
            "--ca-out=/tmp/ca.pem",
            "--account",
            "k1:Sec:ret-1",
            "--secondary",
            "k1:k2:Other-S3cret",
            "--excess-secret-status",
            "400",
            "--quiet",
        ]))
        .unwrap() else {
            panic!("expected Run");
        };
        assert_eq!(o.port, 8080);
        assert!(o.tls && o.quiet);
        assert_eq!(o.ca_out.as_deref(), Some("/tmp/ca.pem"));
        assert_eq!(o.accounts, [("k1".to_owned(), "Sec:ret-1".to_owned())]);
        assert_eq!(
            o.secondaries,
            [("k1".to_owned(), "k2".to_owned(), "Other-S3cret".to_owned())]
        );
        assert_eq!(o.excess_status, Some(400));
    }

    #[test]
    fn rejects_bad_arguments() {
        for bad in [
            &["--port"][..],
            &["--port", "x"],
            &["--account", "nocolon"],
            &["--secondary", "a:b"],
            &["--ca-out", "f"],
            &["--what"],
            &["--tls=false"],
            &["--quiet=no"],
            &["--excess-secret-status", "500"],
            &["--excess-secret-status", "x"],
        ] {
            assert!(parse(args(bad)).is_err(), "{bad:?}");
        }
        assert!(matches!(parse(args(&["-h"])), Ok(Parsed::Help)));
    }
}
