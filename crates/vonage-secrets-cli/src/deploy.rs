//! The deploy targets of a fleet rotation (`--deploy TARGET`): `exec:CMD`, `dir:PATH` and
//! `voximplant:APPLICATION/NAME`.
//!
//! Rule: a target reports success only once it holds the secret; no error text holds it.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use secrecy::{ExposeSecret, SecretSlice, SecretString};
use vonage_secrets::Deploy;
use vonage_secrets_sandbox::Sandbox;
use voximplant_secrets::{NewSecret, SecretRef, SecretUpdate, rules};

use crate::cli::Global;
use crate::commands::Selection;
use crate::failure::{Exit, Failure};
use crate::vox_session::{VoxSession, application_text, exit_of};

/// What `voximplant:APPLICATION/NAME` replaces with each account's api key in NAME.
pub const API_KEY_PLACEHOLDER: &str = "{api_key}";

/// A parsed `--deploy` value.
#[derive(Debug)]
pub enum Target {
    /// `exec:CMD`: run CMD with `sh -c`, the secret on its stdin, `VONAGE_API_KEY` the
    /// account's key; exit 0 means deployed.
    Exec(String),
    /// `dir:PATH`: one file per account, named after its api key, mode 0600, written atomically.
    Dir(PathBuf),
    /// `voximplant:APPLICATION/NAME`: a secret of a Voximplant application, read back.
    Voximplant(VoxTarget),
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
        if let Some(rest) = value.strip_prefix("voximplant:") {
            return VoxTarget::parse(value, rest).map(Target::Voximplant);
        }
        Err(Failure::usage(format!(
            "--deploy {value:?} is not a deploy target; use exec:CMD (the secret on the \
             command's stdin), dir:PATH (one file per account) or voximplant:APPLICATION/NAME \
             (a secret of a Voximplant application)"
        )))
    }

    /// The refusals that depend on which accounts are rotated, before any request: see
    /// [`VoxTarget::check_selection`].
    pub fn check_selection(&self, selection: &Selection) -> Result<(), Failure> {
        match self {
            Target::Voximplant(vox) => vox.check_selection(selection),
            Target::Exec(_) | Target::Dir(_) => Ok(()),
        }
    }

    /// Makes the target ready to deploy: for `voximplant:` the client (credentials as the
    /// `voximplant` command gets them; with `--sandbox` the embedded sandbox's demo account,
    /// `embedded` when a session started it) and one request proving that the credentials
    /// work and the application exists. Called before any account is touched.
    pub fn connect(self, global: &Global, embedded: Option<&Sandbox>) -> Result<Deployer, Failure> {
        Ok(match self {
            Target::Exec(cmd) => Deployer::Exec(cmd),
            Target::Dir(dir) => Deployer::Dir(DirDeploy {
                dir,
                previous: Mutex::default(),
            }),
            Target::Voximplant(target) => {
                Deployer::Voximplant(Box::new(target.connect(global, embedded)?))
            }
        })
    }
}

/// `voximplant:APPLICATION/NAME`: the application (a name, or digits for an id; empty with
/// `--sandbox` for the demo application) and the secret's name, with [`API_KEY_PLACEHOLDER`]
/// standing for each account's api key.
#[derive(Debug)]
pub struct VoxTarget {
    /// The `--deploy` value as given, for messages.
    spec: String,
    application: Option<String>,
    name: String,
}

impl VoxTarget {
    fn parse(spec: &str, rest: &str) -> Result<VoxTarget, Failure> {
        let example = format!("for example voximplant:my_app/vonage_{API_KEY_PLACEHOLDER}");
        let Some((application, name)) = rest.split_once('/') else {
            return Err(Failure::usage(format!(
                "--deploy {spec}: give the application and the secret's name as \
                 voximplant:APPLICATION/NAME, {example}"
            )));
        };
        if name.is_empty() {
            return Err(Failure::usage(format!(
                "--deploy {spec}: the secret's name after the / is missing; {example}"
            )));
        }
        let target = VoxTarget {
            spec: spec.to_owned(),
            application: (!application.is_empty()).then(|| application.to_owned()),
            name: name.to_owned(),
        };
        // The rules on the name as written, with a stand-in for the api key (the name of each
        // account is checked again once its key is known).
        let stand_in = name.replace(API_KEY_PLACEHOLDER, "api_key");
        let violations = rules::check_name(&stand_in);
        if !violations.is_empty() {
            let braces = if name.contains(['{', '}']) && !target.has_placeholder() {
                format!(" (the placeholder for the account's api key is {API_KEY_PLACEHOLDER})")
            } else {
                String::new()
            };
            return Err(Failure::usage(format!(
                "--deploy {spec}: Voximplant refuses the secret name {name:?}{}: {}{braces}; \
                 give a name of Latin letters, digits and underscores, starting with a letter, \
                 {example}",
                if target.has_placeholder() {
                    format!(" (checked with api_key for {API_KEY_PLACEHOLDER})")
                } else {
                    String::new()
                },
                words(&violations),
            )));
        }
        Ok(target)
    }

    /// Whether NAME holds [`API_KEY_PLACEHOLDER`].
    fn has_placeholder(&self) -> bool {
        self.name.contains(API_KEY_PLACEHOLDER)
    }

    /// The secret's name for account `api_key`.
    fn name_for(&self, api_key: &str) -> String {
        self.name.replace(API_KEY_PLACEHOLDER, api_key)
    }

    /// Without the placeholder, one NAME holds every account's secret, each overwriting the
    /// one before: refused for more than one account, and for `all` and `due` (sets chosen by
    /// the server). For given keys, every account's name is checked against the rules.
    fn check_selection(&self, selection: &Selection) -> Result<(), Failure> {
        let several = match selection {
            Selection::Keys(keys) if keys.len() > 1 => Some(format!("{} accounts", keys.len())),
            Selection::Keys(keys) => {
                return self.check_keys(keys);
            }
            Selection::All => Some("every secondary account (--accounts all)".to_owned()),
            Selection::Due => Some("every account due (--accounts due)".to_owned()),
        };
        if let (Some(several), false) = (several, self.has_placeholder()) {
            return Err(Failure::usage(format!(
                "--deploy {}: the rotation of {several} would store every new secret under \
                 the one name {}, each overwriting the one before; put {API_KEY_PLACEHOLDER} in \
                 the name for each account's api key, for example voximplant:{}/{}_{API_KEY_PLACEHOLDER}. \
                 Nothing was rotated",
                self.spec,
                self.name,
                self.application.as_deref().unwrap_or(""),
                self.name
            )));
        }
        if let Selection::Keys(keys) = selection {
            self.check_keys(keys)?;
        }
        Ok(())
    }

    /// Every account's secret name against the rules.
    fn check_keys(&self, keys: &[String]) -> Result<(), Failure> {
        let refused: Vec<String> = keys
            .iter()
            .filter_map(|key| {
                let name = self.name_for(key);
                let violations = rules::check_name(&name);
                (!violations.is_empty()).then(|| format!("{key}: {}", words(&violations)))
            })
            .collect();
        if refused.is_empty() {
            return Ok(());
        }
        Err(Failure::usage(format!(
            "--deploy {}: Voximplant refuses the secret name of {} ({}). Nothing was \
             rotated; choose a NAME that makes a valid name for every account, for example \
             vonage_{API_KEY_PLACEHOLDER}",
            self.spec,
            if refused.len() == 1 {
                "one account".to_owned()
            } else {
                format!("{} accounts", refused.len())
            },
            refused.join("; ")
        )))
    }

    fn connect(self, global: &Global, embedded: Option<&Sandbox>) -> Result<VoxDeploy, Failure> {
        let spec = self.spec.clone();
        let session = VoxSession::connect(global, self.application.as_deref(), embedded).map_err(
            |e| match e {
                Some(f) => Failure::new(
                    f.exit,
                    format!("--deploy {spec}: {} No account was touched.", f.message),
                ),
                None => Failure::usage(format!(
                    "--deploy {spec}: the application is missing; give its name or id \
                         before the /, for example voximplant:my_app/{} (only --sandbox has \
                         a default, its demo application)",
                    self.name
                )),
            },
        )?;
        let deploy = VoxDeploy {
            target: self,
            session,
            previous: Mutex::default(),
        };
        deploy.check()?;
        Ok(deploy)
    }
}

/// The violations of a name, in words.
fn words(violations: &[rules::Violation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A target ready to deploy to.
pub enum Deployer {
    /// See [`Target::Exec`].
    Exec(String),
    /// See [`Target::Dir`].
    Dir(DirDeploy),
    /// See [`Target::Voximplant`].
    Voximplant(Box<VoxDeploy>),
}

impl Deployer {
    /// The refusals that depend on the accounts' api keys (for `all` and `due`, known only
    /// once listed), before any account is touched.
    pub fn check_keys(&self, keys: &[String]) -> Result<(), Failure> {
        match self {
            Deployer::Voximplant(vox) => vox.target.check_keys(keys),
            Deployer::Exec(_) | Deployer::Dir(_) => Ok(()),
        }
    }
}

impl Deploy for Deployer {
    fn deploy(&self, api_key: &str, secret: &SecretString) -> Result<(), String> {
        match self {
            Deployer::Exec(cmd) => exec(cmd, api_key, secret),
            Deployer::Dir(dir) => dir.deploy(api_key, secret),
            Deployer::Voximplant(vox) => vox.deploy(api_key, secret),
        }
    }

    /// `dir:` and `voximplant:` give back what they held before; `exec:` cannot.
    fn restore(&self, api_key: &str) -> Result<bool, String> {
        match self {
            Deployer::Exec(_) => Ok(false),
            Deployer::Dir(dir) => dir.restore(api_key),
            Deployer::Voximplant(vox) => vox.restore(api_key),
        }
    }

    /// `dir:` reads the account's file, `voximplant:` the name's value; `exec:` cannot.
    fn recall(&self, api_key: &str) -> Option<SecretString> {
        match self {
            Deployer::Exec(_) => None,
            Deployer::Dir(dir) => dir.recall(api_key),
            Deployer::Voximplant(vox) => vox.recall(api_key),
        }
    }
}

/// What a target held for one account before this run deployed to it: `None` for nothing.
type Previous<T> = Mutex<HashMap<String, Option<T>>>;

fn take_previous<T>(previous: &Previous<T>, api_key: &str) -> Option<Option<T>> {
    previous
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(api_key)
}

fn keep_previous<T>(previous: &Previous<T>, api_key: &str, value: Option<T>) {
    previous
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(api_key.to_owned(), value);
}

/// `dir:PATH`, remembering what each file held before this run replaced it (to give it back
/// should the new secret fail its check).
pub struct DirDeploy {
    dir: PathBuf,
    previous: Previous<SecretSlice<u8>>,
}

impl DirDeploy {
    fn deploy(&self, api_key: &str, secret: &SecretString) -> Result<(), String> {
        let name = file_name(api_key)?;
        let path = self.dir.join(name);
        let before = match std::fs::read(&path) {
            Ok(bytes) => Some(SecretSlice::from(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(format!(
                    "reading {} (to keep it should the new secret fail its check) failed:                      {e}; nothing was changed",
                    path.display()
                ));
            }
        };
        let mut content = secret.expose_secret().as_bytes().to_vec();
        content.push(b'\n');
        let written = write_atomically(&self.dir, name, &content);
        content.fill(0);
        written?;
        keep_previous(&self.previous, api_key, before);
        Ok(())
    }

    /// The secret in the account's file, as [`DirDeploy::deploy`] wrote it.
    fn recall(&self, api_key: &str) -> Option<SecretString> {
        let path = self.dir.join(file_name(api_key).ok()?);
        let text = std::fs::read_to_string(path).ok()?;
        let secret = text.strip_suffix('\n').unwrap_or(&text);
        (!secret.is_empty()).then(|| SecretString::from(secret))
    }

    fn restore(&self, api_key: &str) -> Result<bool, String> {
        let Some(before) = take_previous(&self.previous, api_key) else {
            return Ok(false);
        };
        let name = file_name(api_key)?;
        match before {
            Some(bytes) => write_atomically(&self.dir, name, bytes.expose_secret())?,
            None => match std::fs::remove_file(self.dir.join(name)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(format!(
                        "removing {} failed: {e}",
                        self.dir.join(name).display()
                    ));
                }
            },
        }
        Ok(true)
    }
}

/// `voximplant:` with its client: stores each secret under its name (added when absent,
/// changed when present), reads it back and compares. When that fails, the name gets back
/// what it held before (its previous value, or nothing), so that it never keeps a secret the
/// rotation revokes again.
pub struct VoxDeploy {
    target: VoxTarget,
    session: VoxSession,
    /// What each account's name held before this run stored the new secret there.
    previous: Previous<SecretString>,
}

impl VoxDeploy {
    fn application(&self) -> String {
        application_text(&self.session.application)
    }

    /// One request (the first page of one secret) proving the credentials and the application.
    fn check(&self) -> Result<(), Failure> {
        let Some(Err(error)) = self.session.secrets().list().page_size(1).next() else {
            return Ok(());
        };
        let application = self.application();
        let hint = match &error {
            // The API documents no code for "no such application": any code it reports here.
            voximplant_secrets::Error::Api { .. } => {
                format!(
                    "Check the application's name or id before the / (`vonage-secrets \
                     voximplant --application {application} list` tries it)"
                )
            }
            voximplant_secrets::Error::Timeout { .. } => {
                "Allow more time with --timeout SECS".to_owned()
            }
            _ => match exit_of(&error) {
                Exit::Unauthorized => "Check the service account's credentials.json in \
                                       VOXIMPLANT_CREDENTIALS"
                    .to_owned(),
                Exit::Network => "Check VOXIMPLANT_API_BASE_URL and the network".to_owned(),
                _ => "Check the application and the credentials".to_owned(),
            },
        };
        Err(Failure::new(
            exit_of(&error),
            format!(
                "--deploy {}: application {application} could not be used: {error}. No account \
                 was touched. {hint}",
                self.target.spec
            ),
        ))
    }

    fn deploy(&self, api_key: &str, secret: &SecretString) -> Result<(), String> {
        let name = self.target.name_for(api_key);
        let application = self.application();
        let violations = rules::check_name(&name);
        if !violations.is_empty() {
            return Err(format!(
                "Voximplant refuses the secret name {name:?}: {}",
                words(&violations)
            ));
        }
        let secrets = self.session.secrets();
        let previous = self
            .previous(&secrets, &name)
            .map_err(|e| format!("Voximplant secret {name} of application {application}: {e}"))?;
        let reference = || SecretRef::Name(name.clone());
        let written = match &previous {
            Some(_) => secrets
                .update(reference(), &SecretUpdate::new().value(secret.clone()))
                .map(drop)
                .map_err(|e| e.to_string()),
            None => secrets
                .add(
                    &NewSecret::new(name.as_str(), secret.clone()).description(format!(
                        "the API secret of Vonage account {api_key}, stored by vonage-secrets"
                    )),
                )
                .map(drop)
                .map_err(|e| e.to_string()),
        };
        let problem = match written {
            Err(problem) => problem,
            Ok(()) => match secrets.value(reference()) {
                Ok(found) if found.value.expose_secret() == secret.expose_secret() => {
                    keep_previous(&self.previous, api_key, previous);
                    return Ok(());
                }
                Ok(_) => "stored, but read back it holds a different value".to_owned(),
                Err(e) => format!("stored, but then {e}"),
            },
        };
        let undone = match undo(&secrets, &name, previous) {
            Ok(done) => done,
            Err(why) => {
                format!("{why}, which is revoked again: store a working secret under that name")
            }
        };
        Err(format!(
            "Voximplant secret {name} of application {application}: {problem}; {undone}"
        ))
    }

    /// The value stored under the account's name.
    fn recall(&self, api_key: &str) -> Option<SecretString> {
        let name = self.target.name_for(api_key);
        self.session
            .secrets()
            .value(SecretRef::Name(name))
            .ok()
            .map(|found| found.value)
    }

    /// Puts back what the account's name held before the deploy.
    fn restore(&self, api_key: &str) -> Result<bool, String> {
        let Some(before) = take_previous(&self.previous, api_key) else {
            return Ok(false);
        };
        let name = self.target.name_for(api_key);
        undo(&self.session.secrets(), &name, before)
            .map(|_| true)
            .map_err(|e| {
                format!(
                    "Voximplant secret {name} of application {}: {e}",
                    self.application()
                )
            })
    }

    /// What the name holds now: `None` when the application has no secret of that name.
    fn previous(
        &self,
        secrets: &voximplant_secrets::Secrets<'_>,
        name: &str,
    ) -> Result<Option<SecretString>, String> {
        if !exists(secrets, name).map_err(|e| format!("{e}; nothing was changed"))? {
            return Ok(None);
        }
        secrets
            .value(SecretRef::Name(name.to_owned()))
            .map(|found| Some(found.value))
            .map_err(|e| {
                format!(
                    "{e} (its present value, read to put it back should the deploy fail); \
                     nothing was changed"
                )
            })
    }
}

/// Whether the application has a secret named exactly `name` (the filter matches parts).
fn exists(
    secrets: &voximplant_secrets::Secrets<'_>,
    name: &str,
) -> Result<bool, voximplant_secrets::Error> {
    for info in secrets.filter(name) {
        if info?.name == name {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Puts back what `name` held before a deploy: `Ok` with what it holds now, or `Err` with
/// why it could not.
fn undo(
    secrets: &voximplant_secrets::Secrets<'_>,
    name: &str,
    previous: Option<SecretString>,
) -> Result<String, String> {
    let reference = SecretRef::Name(name.to_owned());
    match previous {
        Some(old) => match secrets.update(reference, &SecretUpdate::new().value(old)) {
            Ok(_) => Ok("it holds its previous value again".to_owned()),
            Err(e) => Err(format!(
                "putting its previous value back failed ({e}); it may still hold the new secret"
            )),
        },
        None => match exists(secrets, name) {
            Ok(false) => Ok("nothing was stored under that name".to_owned()),
            Ok(true) => match secrets.delete_by_names(&[name]) {
                Ok(()) => Ok("it was deleted again".to_owned()),
                Err(e) => Err(format!(
                    "deleting it failed ({e}); it may still hold the new secret"
                )),
            },
            Err(e) => Err(format!(
                "whether it was stored is not known ({e}); if it exists, it may hold the new \
                 secret"
            )),
        },
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

/// Writes `content` to `dir/name` (mode 0600) through a temporary file and a rename, so that
/// the file is never partial.
fn write_atomically(dir: &Path, name: &str, content: &[u8]) -> Result<(), String> {
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
        file.write_all(content)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_target(dir: &Path) -> Deployer {
        match Target::parse(&format!("dir:{}", dir.display())).unwrap() {
            Target::Dir(dir) => Deployer::Dir(DirDeploy {
                dir,
                previous: Mutex::default(),
            }),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_directory_gives_back_what_each_file_held_before() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir_target(dir.path());
        std::fs::write(dir.path().join("sub00001"), b"Old-Secret-1\n").unwrap();
        for key in ["sub00001", "sub00002"] {
            target
                .deploy(key, &SecretString::from("New-Secret-9"))
                .unwrap();
            assert_eq!(
                std::fs::read_to_string(dir.path().join(key)).unwrap(),
                "New-Secret-9\n"
            );
        }
        // A rerun reads back what the file holds.
        assert_eq!(
            target.recall("sub00002").unwrap().expose_secret(),
            "New-Secret-9"
        );
        assert_eq!(target.restore("sub00001"), Ok(true));
        assert_eq!(target.restore("sub00002"), Ok(true));
        assert!(target.recall("sub00002").is_none());
        // The file that was there holds its old content again; the one that was not is gone.
        assert_eq!(
            std::fs::read(dir.path().join("sub00001")).unwrap(),
            b"Old-Secret-1\n"
        );
        assert!(!dir.path().join("sub00002").exists());
        // Nothing else was left behind, and a second restore has nothing to give back.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["sub00001"]);
        assert_eq!(target.restore("sub00001"), Ok(false));
    }

    #[test]
    fn a_command_cannot_give_anything_back() {
        let target = Deployer::Exec("cat >/dev/null".to_owned());
        target
            .deploy("sub00001", &SecretString::from("New-Secret-9"))
            .unwrap();
        assert_eq!(target.restore("sub00001"), Ok(false));
        assert!(target.recall("sub00001").is_none());
    }
}
