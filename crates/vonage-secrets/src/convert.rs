//! Conversions from the generated types of `vonage-secrets-api` and
//! `vonage-subaccounts-api` to this crate's own.
//!
//! Kept in one place so that a change in the generated shapes touches one file. Each API's
//! spec declares its own problem document, so each generated crate has its own `Problem`
//! type (the Subaccounts API leaves `detail` and the parameters' fields optional); both become
//! the one public [`Problem`] here, and so does a problem document read from a body the spec
//! does not document one for ([`problem_in_body`]): the same document is the same
//! [`Problem`] whichever way it came.
//!
//! The public [`Problem`] is the facade's own type rather than a re-export of a generated
//! one: there are two generated types, and the public one keeps names and shapes callers
//! use (`type_url`, `detail` and `instance` as `Option`, [`Problem::kind`], its `Display`,
//! `#[non_exhaustive]`) that a generated type cannot have without editing generated code.

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

/// An empty text the server sent is no text.
fn text(t: Option<String>) -> Option<String> {
    t.filter(|t| !t.is_empty())
}

pub(crate) fn problem(p: types::Problem) -> Problem {
    Problem {
        type_url: p.type_,
        title: p.title,
        detail: text(Some(p.detail)),
        instance: text(Some(p.instance)),
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
        detail: text(p.detail),
        instance: text(p.instance),
        invalid_parameters: p
            .invalid_parameters
            .into_iter()
            .map(|i| {
                InvalidParameter::new(i.name.unwrap_or_default(), i.reason.unwrap_or_default())
            })
            .collect(),
    }
}

/// A problem document in a body whose status the spec documents no problem for: read with the
/// public type's own (lenient) shape, then held to the same rules as the generated ones.
pub(crate) fn problem_in_body(body: &[u8]) -> Option<Problem> {
    let mut p: Problem = serde_json::from_slice(body).ok()?;
    p.detail = text(p.detail);
    p.instance = text(p.instance);
    Some(p)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn texts() -> impl Strategy<Value = String> {
        prop_oneof![Just(String::new()), "\\PC{0,12}"]
    }

    fn optional() -> impl Strategy<Value = Option<String>> {
        prop::option::of(texts())
    }

    proptest! {
        /// The same document is the same public `Problem`, documented or not.
        #[test]
        fn a_secret_management_problem_reads_the_same_from_any_status(
            type_ in texts(), title in texts(), detail in texts(), instance in texts(),
            params in prop::collection::vec((texts(), texts()), 0..3),
        ) {
            let generated = types::Problem {
                type_, title, detail, instance,
                invalid_parameters: params
                    .into_iter()
                    .map(|(name, reason)| types::InvalidParameter { name, reason })
                    .collect(),
            };
            let body = serde_json::to_vec(&generated).unwrap();
            prop_assert_eq!(problem_in_body(&body), Some(problem(generated)));
        }

        #[test]
        fn a_subaccounts_problem_reads_the_same_from_any_status(
            type_ in texts(), title in texts(), detail in optional(), instance in optional(),
            params in prop::collection::vec((texts(), texts()), 0..3),
        ) {
            let generated = sub::Problem {
                type_, title, detail, instance,
                invalid_parameters: params
                    .into_iter()
                    .map(|(name, reason)| sub::InvalidParameter {
                        name: Some(name),
                        reason: Some(reason),
                    })
                    .collect(),
            };
            let body = serde_json::to_vec(&generated).unwrap();
            prop_assert_eq!(problem_in_body(&body), Some(subaccounts_problem(generated)));
        }
    }
}
