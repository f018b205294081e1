//! Conversions from the generated types of `vonage-secrets-api` to this crate's own.
//!
//! Kept in one place so that a change in the generated shapes touches one file.

use vonage_secrets_api::types;

use crate::model::{InvalidParameter, Problem, Secret, SecretId};

pub(crate) fn secret(s: types::Secret) -> Secret {
    Secret {
        id: SecretId::from(s.id),
        created_at: s.created_at,
    }
}

pub(crate) fn secret_list(list: types::SecretList) -> Vec<Secret> {
    list.embedded.secrets.into_iter().map(secret).collect()
}

pub(crate) fn problem(p: types::Problem) -> Problem {
    Problem {
        type_url: p.type_,
        title: p.title,
        detail: Some(p.detail).filter(|d| !d.is_empty()),
        instance: Some(p.instance).filter(|i| !i.is_empty()),
        invalid_parameters: p
            .invalid_parameters
            .into_iter()
            .map(|i| InvalidParameter::new(i.name, i.reason))
            .collect(),
    }
}
