//! The steps of a rotation, reported on stderr.
//!
//! The facade's [`Rotation`](vonage_secrets::Rotation) reports each step as it completes
//! ([`vonage_secrets::Rotation::on_event`]); [`report`] turns those events into lines.

use std::io::Write;

use vonage_secrets::RotationEvent;

/// One step of a rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// A rerun found the given new secret already working (and it is not the login secret);
    /// the newest secret is taken for it.
    Resumed(&'a str),
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
        Step::Resumed(id) => format!(
            "resumed: the secret on stdin already works, and it is not the secret this command \
             logs in with, so it was created before; nothing is created, and the newest secret, \
             {id}, is taken for it"
        ),
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

/// Reports one step of the facade's rotation as it happens.
pub fn report(event: &RotationEvent, progress: &mut dyn Progress) {
    let step = match event {
        RotationEvent::Resumed { new_secret_id } => Step::Resumed(new_secret_id.as_str()),
        RotationEvent::Listed { .. } => Step::Listed,
        RotationEvent::MadeRoom { revoked } => Step::MadeRoom(revoked.as_str()),
        RotationEvent::Created { id } => Step::Created(id.as_str()),
        RotationEvent::Verified { verified } => Step::Verified(*verified),
        RotationEvent::Revoked { id } => Step::Revoked(id.as_str()),
        // A step added to the facade later: nothing to say about it yet.
        _ => return,
    };
    progress.step(step);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_read_as_documented() {
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
