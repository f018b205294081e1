//! `accounts`: the primary account and its secondary accounts, with the number of secrets and
//! the age of the newest and oldest; `audit`: the same accounts judged against a maximum age.

use std::time::Duration;

use chrono::Utc;
use serde::Serialize;
use vonage_secrets::AuditEntry;

use super::{Context, Outcome};
use crate::failure::{Exit, Failure};
use crate::output::{self, age, table, yes_no};
use crate::session::Session;

/// Which accounts a fleet command takes: `all`, `due` (rotate only), or a list of keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    All,
    Due,
    Keys(Vec<String>),
}

impl Selection {
    pub fn parse(value: &str, due_allowed: bool) -> Result<Selection, Failure> {
        match value.trim() {
            "all" => Ok(Selection::All),
            "due" if due_allowed => Ok(Selection::Due),
            "due" => Err(Failure::usage(
                "--accounts due is for rotate; audit takes all or a comma-separated list of api \
                 keys",
            )),
            "" => Err(Failure::usage(
                "--accounts needs a value: all, due, or a comma-separated list of api keys",
            )),
            list => {
                // Each account once, in the order given.
                let mut keys: Vec<String> = Vec::new();
                for key in list.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                    if !keys.iter().any(|k| k == key) {
                        keys.push(key.to_owned());
                    }
                }
                if keys.is_empty() {
                    return Err(Failure::usage(
                        "--accounts needs at least one api key, or all",
                    ));
                }
                Ok(Selection::Keys(keys))
            }
        }
    }
}

/// `90d`, `12h`, `30m`, `45s` or a plain number of days.
pub fn parse_age(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let (number, unit) = match value.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => value.split_at(at),
        None => (value, "d"),
    };
    let n: u64 = number.parse().map_err(|_| {
        format!("'{value}' is not an age; give a number with d, h, m or s, such as 90d")
    })?;
    let unit = match unit {
        "d" => 86_400,
        "h" => 3_600,
        "m" => 60,
        "s" => 1,
        _ => {
            return Err(format!(
                "'{value}' has an unknown unit; use d (days), h, m or s, such as 90d"
            ));
        }
    };
    Ok(Duration::from_secs(n.saturating_mul(unit)))
}

/// The accounts of a selection for an audit: the primary itself and its secondary accounts
/// (`all`), or the keys given; with whether each is suspended.
pub fn audit_targets(
    session: &Session,
    selection: &Selection,
) -> Result<Vec<(String, bool)>, Failure> {
    let client = session.client();
    match selection {
        Selection::Keys(keys) => Ok(keys
            .iter()
            .map(|k| {
                let suspended = client
                    .subaccounts()
                    .get(k)
                    .map(|a| a.suspended)
                    .unwrap_or(false);
                (k.clone(), suspended)
            })
            .collect()),
        Selection::All | Selection::Due => {
            let list = client.subaccounts().list()?;
            Ok(std::iter::once(&list.primary)
                .chain(&list.secondaries)
                .map(|a| (a.api_key.clone(), a.suspended))
                .collect())
        }
    }
}

#[derive(Serialize)]
struct AccountsJson<'a> {
    accounts: &'a [AuditEntry],
}

pub fn run(ctx: &Context<'_>, session: &Session) -> Outcome {
    let targets = audit_targets(session, &Selection::All)?;
    let entries = session.client().fleet().audit(&targets, Duration::MAX);
    if ctx.json() {
        return output::print_json(&AccountsJson { accounts: &entries });
    }
    let now = Utc::now();
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.api_key.clone(),
                if e.primary { "primary" } else { "secondary" }.to_owned(),
                e.secrets.map_or("?".to_owned(), |n| n.to_string()),
                e.newest.map_or("-".to_owned(), |t| age(t, now)),
                e.oldest.map_or("-".to_owned(), |t| age(t, now)),
                yes_no(e.suspended).to_owned(),
                e.unreachable.clone().unwrap_or_default(),
            ]
        })
        .collect();
    output::print(&table(
        &[
            "ACCOUNT",
            "ROLE",
            "SECRETS",
            "NEWEST",
            "OLDEST",
            "SUSPENDED",
            "ERROR",
        ],
        &rows,
    ))
}

#[derive(Serialize)]
struct AuditJson<'a> {
    max_age_seconds: u64,
    accounts: &'a [AuditEntry],
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    accounts: usize,
    due: usize,
    two_secrets: usize,
    suspended: usize,
    unreachable: usize,
}

/// `audit`: exit 0 when nothing needs attention, [`Exit::Attention`] when a rotation is due,
/// a rotation was left half done, or an account could not be read.
pub fn audit(ctx: &Context<'_>, session: &Session, max_age: Duration, accounts: &str) -> Outcome {
    let selection = Selection::parse(accounts, false)?;
    let targets = audit_targets(session, &selection)?;
    let entries = session.client().fleet().audit(&targets, max_age);
    let summary = Summary {
        accounts: entries.len(),
        due: entries.iter().filter(|e| e.due).count(),
        two_secrets: entries.iter().filter(|e| e.two_secrets).count(),
        suspended: entries.iter().filter(|e| e.suspended).count(),
        unreachable: entries.iter().filter(|e| e.unreachable.is_some()).count(),
    };
    let attention = summary.due + summary.two_secrets + summary.unreachable > 0;
    if ctx.json() {
        output::print_json(&AuditJson {
            max_age_seconds: max_age.as_secs(),
            accounts: &entries,
            summary,
        })?;
    } else {
        let now = Utc::now();
        let rows: Vec<Vec<String>> = entries
            .iter()
            .map(|e| {
                let verdict = if let Some(why) = &e.unreachable {
                    format!("unreachable: {why}")
                } else if e.two_secrets {
                    "two secrets: a rotation not finished".to_owned()
                } else if e.due {
                    "rotation due".to_owned()
                } else {
                    "ok".to_owned()
                };
                vec![
                    e.api_key.clone(),
                    e.secrets.map_or("?".to_owned(), |n| n.to_string()),
                    e.newest.map_or("-".to_owned(), |t| age(t, now)),
                    yes_no(e.suspended).to_owned(),
                    verdict,
                ]
            })
            .collect();
        output::print(&table(
            &["ACCOUNT", "SECRETS", "NEWEST", "SUSPENDED", "VERDICT"],
            &rows,
        ))?;
        output::print(&format!(
            "{} accounts: {} due for rotation, {} with two secrets, {} suspended, {} \
             unreachable\n",
            summary.accounts,
            summary.due,
            summary.two_secrets,
            summary.suspended,
            summary.unreachable
        ))?;
    }
    if attention {
        return Err(Failure {
            quiet: ctx.json(),
            ..Failure::new(
                Exit::Attention,
                format!(
                    "{} of {} accounts need attention (a rotation due, a rotation not finished, \
                     or unreachable); rotate them with `vonage-secrets rotate --accounts due \
                     --deploy TARGET`",
                    entries
                        .iter()
                        .filter(|e| e.due || e.two_secrets || e.unreachable.is_some())
                        .count(),
                    entries.len()
                ),
            )
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_keys_names_each_account_once_in_order() {
        assert_eq!(
            Selection::parse("sub2, sub1,sub2,,sub1", true).unwrap(),
            Selection::Keys(vec!["sub2".to_owned(), "sub1".to_owned()])
        );
        assert_eq!(Selection::parse("all", false).unwrap(), Selection::All);
        assert_eq!(Selection::parse("due", true).unwrap(), Selection::Due);
        assert!(Selection::parse("due", false).is_err());
        assert!(Selection::parse(" , ", true).is_err());
    }
}
