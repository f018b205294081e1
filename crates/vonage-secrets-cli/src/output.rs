//! What the commands print: aligned tables for people, stable JSON for programs.
//!
//! The JSON shapes are documented in the crate's README; change them only compatibly (new
//! fields), never rename or remove one.

use std::io::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use vonage_secrets::Secret;

use crate::failure::Failure;

/// `list`: one element per secret; `get`: one of them; `create`: one, with `secret` when it was
/// generated.
#[derive(Debug, Serialize)]
pub struct SecretJson<'a> {
    pub id: &'a str,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<&'a str>,
}

impl<'a> SecretJson<'a> {
    pub fn new(secret: &'a Secret, value: Option<&'a str>) -> Self {
        SecretJson {
            id: secret.id.as_str(),
            created_at: timestamp(secret.created_at),
            secret: value,
        }
    }
}

/// `revoke`.
#[derive(Debug, Serialize)]
pub struct RevokedJson<'a> {
    pub account: &'a str,
    pub revoked: &'a str,
}

/// `rotate`, on success; and on a failure after which the new secret may exist (then `new_id`
/// may be null, `completed` is false and `failed_step` names the step).
#[derive(Debug, Serialize)]
pub struct RotationJson<'a> {
    pub account: &'a str,
    pub new_id: Option<&'a str>,
    /// The new secret when this run generated it; null when it was read from stdin.
    pub secret: Option<&'a str>,
    pub verified: bool,
    pub revoked: Vec<&'a str>,
    pub resumed: bool,
    pub completed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_step: Option<&'static str>,
}

/// `rotate --dry-run`: what a run would do; nothing was changed.
#[derive(Debug, Serialize)]
pub struct DryRunJson<'a> {
    pub account: &'a str,
    /// Always true: tells this shape from the result of a real run.
    pub dry_run: bool,
    /// The account is the one of VONAGE_API_KEY (not a secondary account).
    pub own_account: bool,
    /// The account's secrets, oldest first.
    pub secrets: Vec<String>,
    /// The secret on stdin already works: a run would create nothing.
    pub resumes: bool,
    /// The secret a run would revoke to make room.
    pub make_room: Option<String>,
    /// Whether a run would create the new secret.
    pub creates: bool,
    /// The secrets a run would revoke with --revoke-old.
    pub revokes: Vec<String>,
    /// Why a run would be refused (the error it would print), or null.
    pub refused: Option<String>,
}

/// `validate`.
#[derive(Debug, Serialize)]
pub struct ValidationJson {
    pub valid: bool,
    pub violations: Vec<ViolationJson>,
    pub advice: Vec<String>,
}

/// One broken rule.
#[derive(Debug, Serialize)]
pub struct ViolationJson {
    pub rule: &'static str,
    pub message: String,
}

/// `generate`.
#[derive(Debug, Serialize)]
pub struct GeneratedJson<'a> {
    pub secret: &'a str,
}

/// `--json`: a failed command's error, as one line on stderr.
#[derive(Debug, Serialize)]
pub struct ErrorJson<'a> {
    pub error: ErrorFields<'a>,
}

/// The fields of [`ErrorJson`].
#[derive(Debug, Serialize)]
pub struct ErrorFields<'a> {
    /// The exit code's family: `usage`, `policy`, `unauthorized`, `not_found`, `limit`,
    /// `transport` or `other` (the README's JSON section).
    pub kind: &'static str,
    /// The same message the text form prints after `error: `.
    pub message: &'a str,
    pub exit_code: u8,
}

/// Prints a value as one line of JSON on stdout.
pub fn print_json(value: &impl Serialize) -> Result<(), Failure> {
    let line = serde_json::to_string(value).map_err(anyhow::Error::from)?;
    print(&(line + "\n"))
}

/// Writes `text` to stdout and flushes it. A closed stdout (the reader went away, as in
/// `vonage-secrets generate | true`) is [`Failure::stdout_closed`], which ends the command
/// quietly; never a panic.
pub fn print(text: &str) -> Result<(), Failure> {
    write_to(&mut std::io::stdout().lock(), text)
}

fn write_to(out: &mut impl Write, text: &str) -> Result<(), Failure> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::stdout_closed()),
        Err(e) => Err(Failure::from(e)),
    }
}

/// A line on stderr for the operator (not part of the result).
pub fn note(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// RFC 3339, UTC, whole seconds, `Z`: the API's own format.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// How long ago `then` was, compactly: `42s`, `5m`, `3h 12m`, `12d 4h`, `800d`.
pub fn age(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds();
    if secs < 0 {
        return "in the future".to_owned();
    }
    let (m, h, d) = (secs / 60, secs / 3600, secs / 86_400);
    match secs {
        0..60 => format!("{secs}s"),
        60..3_600 => format!("{m}m"),
        3_600..86_400 if m % 60 == 0 => format!("{h}h"),
        3_600..86_400 => format!("{h}h {}m", m % 60),
        _ if d < 30 && h % 24 != 0 => format!("{d}d {}h", h % 24),
        _ => format!("{d}d"),
    }
}

/// A table with a header row, columns separated by two spaces, every column but the last
/// padded to its widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate().take(columns) {
            if i + 1 < columns {
                line.push_str(&format!("{cell:<w$}  ", w = widths[i]));
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The table of secrets: id, creation time, age.
pub fn secrets_table(secrets: &[Secret], now: DateTime<Utc>) -> String {
    let rows: Vec<Vec<String>> = secrets
        .iter()
        .map(|s| {
            vec![
                s.id.to_string(),
                timestamp(s.created_at),
                age(s.created_at, now),
            ]
        })
        .collect();
    table(&["ID", "CREATED", "AGE"], &rows)
}

/// `yes` or `no`.
pub fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// A list of ids, or `none`.
pub fn ids_or_none(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".to_owned()
    } else {
        ids.join(", ")
    }
}

/// Two aligned columns: a name and a value per line.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let rows: Vec<Vec<String>> = pairs
        .iter()
        .map(|(k, v)| vec![(*k).to_owned(), v.clone()])
        .collect();
    let width = rows.iter().map(|r| r[0].chars().count()).max().unwrap_or(0);
    rows.iter()
        .map(|r| {
            format!("{:<width$}  {}\n", r[0], r[1])
                .trim_end()
                .to_owned()
                + "\n"
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn ages_are_compact() {
        let cases = [
            (0, "0s"),
            (59, "59s"),
            (60, "1m"),
            (3_599, "59m"),
            (3_600, "1h"),
            (3_660, "1h 1m"),
            (86_400, "1d"),
            (86_400 + 7_200, "1d 2h"),
            (86_400 * 45 + 7_200, "45d"),
            (-5, "in the future"),
        ];
        for (secs, want) in cases {
            assert_eq!(age(at(0), at(secs)), want, "{secs}");
        }
    }

    #[test]
    fn tables_align_columns_and_trim_trailing_spaces() {
        let t = table(
            &["ID", "CREATED", "AGE"],
            &[
                vec!["a".into(), "2017-03-02T16:34:49Z".into(), "5m".into()],
                vec!["longer-id".into(), "x".into(), "".into()],
            ],
        );
        assert_eq!(
            t,
            "ID         CREATED               AGE\n\
             a          2017-03-02T16:34:49Z  5m\n\
             longer-id  x\n"
        );
    }

    #[test]
    fn fields_align_values() {
        assert_eq!(
            fields(&[("new id", "x".into()), ("verified", "yes".into())]),
            "new id    x\nverified  yes\n"
        );
    }

    #[test]
    fn a_closed_stdout_is_a_quiet_failure() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let failure = write_to(&mut Closed, "x\n").unwrap_err();
        assert!(failure.quiet);
        let mut buffer = Vec::new();
        write_to(&mut buffer, "x\n").unwrap();
        assert_eq!(buffer, b"x\n");
    }

    #[test]
    fn timestamps_are_the_apis_format() {
        assert_eq!(timestamp(at(0)), "2023-11-14T22:13:20Z");
    }
}
