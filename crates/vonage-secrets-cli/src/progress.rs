//! The steps of a rotation, as lines on stderr: the words for the facade's
//! [`RotationEvent`]s ([`vonage_secrets::Rotation::on_event`]), nothing of their own.

use vonage_secrets::RotationEvent;

use crate::output::note;

/// Writes the line for one step, `rotate: created 8a1f...`, as it happens.
pub fn report(event: &RotationEvent) {
    if let Some(line) = line(event) {
        note(&format!("rotate: {line}"));
    }
}

/// The line for a step; `None` for a step added to the facade later (nothing to say yet).
pub fn line(event: &RotationEvent) -> Option<String> {
    Some(match event {
        RotationEvent::Resumed { new_secret_id } => format!(
            "resumed: the secret on stdin already works, and it is not the secret this command \
             logs in with, so it was created before; nothing is created, and the newest secret, \
             {new_secret_id}, is taken for it"
        ),
        RotationEvent::Listed { .. } => "listed the account's secrets".to_owned(),
        RotationEvent::MadeRoom { revoked } => format!("made room: revoked {revoked}"),
        RotationEvent::Created { id } => format!("created {id}"),
        RotationEvent::Verified { verified: true } => "verified: the new secret works".to_owned(),
        RotationEvent::Verified { verified: false } => {
            "not verified: the new secret did not work within the time allowed; try it again \
             before revoking the old one"
                .to_owned()
        }
        RotationEvent::Revoked { id } => format!("revoked {id}"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use vonage_secrets::SecretId;

    #[test]
    fn steps_read_as_documented() {
        let id = |s: &str| SecretId::from(s);
        let cases = [
            (
                RotationEvent::Listed {
                    secrets: vec![id("a")],
                },
                "listed the account's secrets",
            ),
            (
                RotationEvent::MadeRoom { revoked: id("a") },
                "made room: revoked a",
            ),
            (RotationEvent::Created { id: id("b") }, "created b"),
            (
                RotationEvent::Verified { verified: true },
                "verified: the new secret works",
            ),
            (RotationEvent::Revoked { id: id("c") }, "revoked c"),
        ];
        for (event, want) in cases {
            assert_eq!(line(&event).as_deref(), Some(want), "{event:?}");
        }
    }
}
