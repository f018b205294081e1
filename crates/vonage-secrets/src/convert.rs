//! Conversions from the generated types of `vonage-secrets-api` and
//! `vonage-subaccounts-api` to this crate's own.
//!
//! Kept in one place so that a change in the generated shapes touches one file. Each API's
//! spec declares its own problem document, so each generated crate has its own `Problem`
//! type (the Subaccounts API leaves `detail` and the parameters' fields optional); both become
//! the one public [`Problem`] here.

use vonage_secrets_api::types;
use vonage_subaccounts_api::types as sub;

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

pub(crate) fn subaccounts_problem(p: sub::Problem) -> Problem {
    Problem {
        type_url: p.type_,
        title: p.title,
        detail: p.detail.filter(|d| !d.is_empty()),
        instance: p.instance.filter(|i| !i.is_empty()),
        invalid_parameters: p
            .invalid_parameters
            .into_iter()
            .map(|i| {
                InvalidParameter::new(i.name.unwrap_or_default(), i.reason.unwrap_or_default())
            })
            .collect(),
    }
}
