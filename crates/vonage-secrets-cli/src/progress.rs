//! The steps of a rotation, reported on stderr.
//!
//! The facade's [`Rotation`](vonage_secrets::Rotation) has no progress callback yet, so the
//! steps are reconstructed from its [`RotationReport`] or [`RotationError`] when it returns,
//! through [`Progress`]: when the facade gains a hook, pass it a [`Progress`] and drop the
//! `replay_*` functions; the messages stay the same.

use std::io::Write;

use vonage_secrets::{NewSecretState, RotationError, RotationReport, RotationStep};

/// One step of a rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// A rerun found the given new secret already working.
    Resumed,
    /// The account's secrets were listed.
    Listed,
    /// A secret was revoked to make room for the new one.
    MadeRoom(&'a str),
    /// The new secret was created.
    Created(&'a str),
    /// The new secret was tried: it works (`true`) or not yet (`false`).
    Verified(bool),
    /// An old secret was revoked.
    Revoked(&'a str),
}

/// Receives the steps of a rotation as they happen.
pub trait Progress {
    /// One step is done.
    fn step(&mut self, step: Step<'_>);
}

/// Writes each step as one line to stderr: `rotate: created 8a1f...`.
pub struct Stderr;

impl Progress for Stderr {
    fn step(&mut self, step: Step<'_>) {
        let line = describe(step);
        let _ = writeln!(std::io::stderr().lock(), "rotate: {line}");
    }
}

/// The line for a step.
pub fn describe(step: Step<'_>) -> String {
    match step {
        Step::Resumed => {
            "resumed: the new secret already works (an earlier run created it)".to_owned()
        }
        Step::Listed => "listed the account's secrets".to_owned(),
        Step::MadeRoom(id) => format!("made room: revoked {id}"),
        Step::Created(id) => format!("created {id}"),
        Step::Verified(true) => "verified: the new secret works".to_owned(),
        Step::Verified(false) => {
            "not verified: the new secret did not work within the time allowed; try it again \
             before revoking the old one"
                .to_owned()
        }
        Step::Revoked(id) => format!("revoked {id}"),
    }
}

/// Reports the steps a successful rotation took. `revoke_old` is what the rotation was asked.
pub fn replay_report(report: &RotationReport, revoke_old: bool, progress: &mut dyn Progress) {
    let revoked: Vec<&str> = report.revoked.iter().map(|id| id.as_str()).collect();
    if report.resumed {
        progress.step(Step::Resumed);
        for id in revoked {
            progress.step(Step::Revoked(id));
        }
        return;
    }
    progress.step(Step::Listed);
    // Room was made iff the account had two secrets: then, with revoke_old, the other old
    // secret is revoked too (two revocations); without it, only the one that made room.
    let made_room = if revoke_old {
        revoked.len() == 2
    } else {
        revoked.len() == 1
    };
    let (room, rest) = if made_room {
        revoked.split_at(1)
    } else {
        revoked.split_at(0)
    };
    if let Some(id) = room.first() {
        progress.step(Step::MadeRoom(id));
    }
    progress.step(Step::Created(report.new_secret_id.as_str()));
    progress.step(Step::Verified(report.verified));
    for id in rest {
        progress.step(Step::Revoked(id));
    }
}

/// Reports the steps a failed rotation completed before the step that failed.
pub fn replay_error(error: &RotationError, progress: &mut dyn Progress) {
    let state = error.state();
    let revoked: Vec<&str> = state.revoked.iter().map(|id| id.as_str()).collect();
    match error.step() {
        RotationStep::Check | RotationStep::List => {}
        RotationStep::MakeRoom => progress.step(Step::Listed),
        RotationStep::Create => {
            progress.step(Step::Listed);
            for id in revoked {
                progress.step(Step::MadeRoom(id));
            }
        }
        RotationStep::Verify => {
            progress.step(Step::Listed);
            for id in revoked {
                progress.step(Step::MadeRoom(id));
            }
            if let NewSecretState::Created { id, .. } = &state.new_secret {
                progress.step(Step::Created(id.as_str()));
            }
        }
        // Reached after creating and verifying, or straight after finding the new secret
        // working on a rerun; the revocations so far may include the one that made room.
        _ => {
            if let NewSecretState::Created { id, verified } = &state.new_secret {
                progress.step(Step::Created(id.as_str()));
                progress.step(Step::Verified(*verified));
            }
            for id in revoked {
                progress.step(Step::Revoked(id));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_read_as_the_issue_names_them() {
        assert_eq!(describe(Step::Listed), "listed the account's secrets");
        assert_eq!(describe(Step::MadeRoom("a")), "made room: revoked a");
        assert_eq!(describe(Step::Created("b")), "created b");
        assert_eq!(
            describe(Step::Verified(true)),
            "verified: the new secret works"
        );
        assert_eq!(describe(Step::Revoked("c")), "revoked c");
    }
}
