//! The deploy targets of a fleet rotation (`--deploy TARGET`): `exec:CMD` and `dir:PATH`.
//!
//! Rule: a target reports success only once it holds the secret; no error text holds it.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use secrecy::{ExposeSecret, SecretString};
use vonage_secrets::Deploy;

use crate::failure::Failure;

/// A parsed `--deploy` value.
#[derive(Debug)]
pub enum Target {
    /// `exec:CMD`: run CMD with `sh -c`, the secret on its stdin, `VONAGE_API_KEY` the
    /// account's key; exit 0 means deployed.
    Exec(String),
    /// `dir:PATH`: one file per account, named after its api key, mode 0600, written atomically.
    Dir(PathBuf),
}

impl Target {
    pub fn parse(value: &str) -> Result<Target, Failure> {
        if let Some(cmd) = value.strip_prefix("exec:") {
            if cmd.trim().is_empty() {
                return Err(Failure::usage("--deploy exec: needs a command after exec:"));
            }
            return Ok(Target::Exec(cmd.to_owned()));
        }
        if let Some(dir) = value.strip_prefix("dir:") {
            let path = PathBuf::from(dir);
            if !path.is_dir() {
                return Err(Failure::usage(format!(
                    "--deploy dir:{dir}: no such directory; create it (readable by the programs \
                     that use the secrets, by nobody else) and run again"
                )));
            }
            return Ok(Target::Dir(path));
        }
        if value.starts_with("voximplant:") {
            return Err(Failure::usage(
                "--deploy voximplant: is not available in this version; use exec:CMD or dir:PATH",
            ));
        }
        Err(Failure::usage(format!(
            "--deploy {value:?} is not a deploy target; use exec:CMD (the secret on the \
             command's stdin) or dir:PATH (one file per account)"
        )))
    }
}

impl Deploy for Target {
    fn deploy(&self, api_key: &str, secret: &SecretString) -> Result<(), String> {
        match self {
            Target::Exec(cmd) => exec(cmd, api_key, secret),
            Target::Dir(dir) => write_file(dir, api_key, secret),
        }
    }
}

fn exec(cmd: &str, api_key: &str, secret: &SecretString) -> Result<(), String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .env("VONAGE_API_KEY", api_key)
        // The primary account's secret is not the command's business.
        .env_remove("VONAGE_API_SECRET")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("the command could not be started: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that exits without reading is judged by its exit status alone.
        let _ = stdin.write_all(secret.expose_secret().as_bytes());
        let _ = stdin.write_all(b"\n");
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for the command failed: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the command exited with {status}"))
    }
}

/// Whether an api key can name a file: no separator, no dot file, nothing but the key.
fn file_name(api_key: &str) -> Result<&str, String> {
    let ok = !api_key.is_empty()
        && !api_key.starts_with('.')
        && api_key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(api_key)
    } else {
        Err(format!(
            "api key {api_key:?} cannot name a file (letters, digits, - and _ only)"
        ))
    }
}

fn write_file(dir: &Path, api_key: &str, secret: &SecretString) -> Result<(), String> {
    let name = file_name(api_key)?;
    let target = dir.join(name);
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut file = options.open(&temp)?;
        file.write_all(secret.expose_secret().as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, &target)?;
        // The rename is durable once the directory is.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        format!("writing {} failed: {e}", target.display())
    })
}
