// generated from openapi/secret-management.yaml; do not edit
// spec sha256: a33326c4083bcfd06a175c76331e54635da1ac025a18c88241730f00bf687c67
// regenerate with `cargo xtask codegen`

//! progenitor's typed httpmock helpers (feature `mock`).

#![allow(clippy::all, missing_docs, unused_imports)]

pub mod operations {
    //! [`When`](::httpmock::When) and [`Then`](::httpmock::Then)
    //! wrappers for each operation. Each can be converted to
    //! its inner type with a call to `into_inner()`. This can
    //! be used to explicitly deviate from permitted values.
    use crate::*;
    pub struct RetrieveApiSecretsWhen(::httpmock::When);
    impl RetrieveApiSecretsWhen {
        pub fn new(inner: ::httpmock::When) -> Self {
            Self(
                inner
                    .method(::httpmock::Method::GET)
                    .path_matches(
                        regex::Regex::new("^/accounts/[^/]*/secrets$").unwrap(),
                    ),
            )
        }
        pub fn into_inner(self) -> ::httpmock::When {
            self.0
        }
        pub fn api_key(self, value: &str) -> Self {
            let re = regex::Regex::new(
                    &format!("^/accounts/{}/secrets$", value.to_string()),
                )
                .unwrap();
            Self(self.0.path_matches(re))
        }
    }
    pub struct RetrieveApiSecretsThen(::httpmock::Then);
    impl RetrieveApiSecretsThen {
        pub fn new(inner: ::httpmock::Then) -> Self {
            Self(inner)
        }
        pub fn into_inner(self) -> ::httpmock::Then {
            self.0
        }
        pub fn ok(self, value: &types::SecretList) -> Self {
            Self(
                self
                    .0
                    .status(200u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn unauthorized(self, value: &types::Problem) -> Self {
            Self(
                self
                    .0
                    .status(401u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn not_found(self, value: &types::Problem) -> Self {
            Self(
                self
                    .0
                    .status(404u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
    }
    pub struct CreateApiSecretWhen(::httpmock::When);
    impl CreateApiSecretWhen {
        pub fn new(inner: ::httpmock::When) -> Self {
            Self(
                inner
                    .method(::httpmock::Method::POST)
                    .path_matches(
                        regex::Regex::new("^/accounts/[^/]*/secrets$").unwrap(),
                    ),
            )
        }
        pub fn into_inner(self) -> ::httpmock::When {
            self.0
        }
        pub fn api_key(self, value: &str) -> Self {
            let re = regex::Regex::new(
                    &format!("^/accounts/{}/secrets$", value.to_string()),
                )
                .unwrap();
            Self(self.0.path_matches(re))
        }
        pub fn body(self, value: &types::CreateSecretRequest) -> Self {
            Self(self.0.json_body_obj(value))
        }
    }
    pub struct CreateApiSecretThen(::httpmock::Then);
    impl CreateApiSecretThen {
        pub fn new(inner: ::httpmock::Then) -> Self {
            Self(inner)
        }
        pub fn into_inner(self) -> ::httpmock::Then {
            self.0
        }
        pub fn created(self, value: &types::Secret) -> Self {
            Self(
                self
                    .0
                    .status(201u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn bad_request(self, value: &types::Problem) -> Self {
            Self(
                self
                    .0
                    .status(400u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn unauthorized(self, value: &types::Problem) -> Self {
            Self(
                self
                    .0
                    .status(401u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn forbidden(self, value: &types::Problem) -> Self {
            Self(
                self
                    .0
                    .status(403u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn not_found(self, value: &types::Problem) -> Self {
            Self(
                self
                    .0
                    .status(404u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
    }
    pub struct RetrieveApiSecretWhen(::httpmock::When);
    impl RetrieveApiSecretWhen {
        pub fn new(inner: ::httpmock::When) -> Self {
            Self(
                inner
                    .method(::httpmock::Method::GET)
                    .path_matches(
                        regex::Regex::new("^/accounts/[^/]*/secrets/[^/]*$").unwrap(),
                    ),
            )
        }
        pub fn into_inner(self) -> ::httpmock::When {
            self.0
        }
        pub fn api_key(self, value: &str) -> Self {
            let re = regex::Regex::new(
                    &format!("^/accounts/{}/secrets/.*$", value.to_string()),
                )
                .unwrap();
            Self(self.0.path_matches(re))
        }
        pub fn secret_id(self, value: &str) -> Self {
            let re = regex::Regex::new(
                    &format!("^/accounts/.*/secrets/{}$", value.to_string()),
                )
                .unwrap();
            Self(self.0.path_matches(re))
        }
    }
    pub struct RetrieveApiSecretThen(::httpmock::Then);
    impl RetrieveApiSecretThen {
        pub fn new(inner: ::httpmock::Then) -> Self {
            Self(inner)
        }
        pub fn into_inner(self) -> ::httpmock::Then {
            self.0
        }
        pub fn ok(self, value: &types::Secret) -> Self {
            Self(
                self
                    .0
                    .status(200u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn unauthorized(self, value: &types::Problem) -> Self {
            Self(
                self
                    .0
                    .status(401u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn not_found(self, value: &types::Problem) -> Self {
            Self(
                self
                    .0
                    .status(404u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
    }
    pub struct RevokeApiSecretWhen(::httpmock::When);
    impl RevokeApiSecretWhen {
        pub fn new(inner: ::httpmock::When) -> Self {
            Self(
                inner
                    .method(::httpmock::Method::DELETE)
                    .path_matches(
                        regex::Regex::new("^/accounts/[^/]*/secrets/[^/]*$").unwrap(),
                    ),
            )
        }
        pub fn into_inner(self) -> ::httpmock::When {
            self.0
        }
        pub fn api_key(self, value: &str) -> Self {
            let re = regex::Regex::new(
                    &format!("^/accounts/{}/secrets/.*$", value.to_string()),
                )
                .unwrap();
            Self(self.0.path_matches(re))
        }
        pub fn secret_id(self, value: &str) -> Self {
            let re = regex::Regex::new(
                    &format!("^/accounts/.*/secrets/{}$", value.to_string()),
                )
                .unwrap();
            Self(self.0.path_matches(re))
        }
    }
    pub struct RevokeApiSecretThen(::httpmock::Then);
    impl RevokeApiSecretThen {
        pub fn new(inner: ::httpmock::Then) -> Self {
            Self(inner)
        }
        pub fn into_inner(self) -> ::httpmock::Then {
            self.0
        }
        pub fn no_content(self) -> Self {
            Self(self.0.status(204u16))
        }
        pub fn unauthorized(self, value: &types::Problem) -> Self {
            Self(
                self
                    .0
                    .status(401u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn forbidden(self, value: &types::Problem) -> Self {
            Self(
                self
                    .0
                    .status(403u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
        pub fn not_found(self, value: &types::Problem) -> Self {
            Self(
                self
                    .0
                    .status(404u16)
                    .header("content-type", "application/json")
                    .json_body_obj(value),
            )
        }
    }
}
/// An extension trait for [`MockServer`](::httpmock::MockServer) that
/// adds a method for each operation. These are the equivalent of
/// type-checked [`mock()`](::httpmock::MockServer::mock) calls.
pub trait MockServerExt {
    fn retrieve_api_secrets<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(
            operations::RetrieveApiSecretsWhen,
            operations::RetrieveApiSecretsThen,
        );
    fn create_api_secret<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::CreateApiSecretWhen, operations::CreateApiSecretThen);
    fn retrieve_api_secret<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::RetrieveApiSecretWhen, operations::RetrieveApiSecretThen);
    fn revoke_api_secret<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::RevokeApiSecretWhen, operations::RevokeApiSecretThen);
}
impl MockServerExt for ::httpmock::MockServer {
    fn retrieve_api_secrets<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(
            operations::RetrieveApiSecretsWhen,
            operations::RetrieveApiSecretsThen,
        ),
    {
        self.mock(|when, then| {
            config_fn(
                operations::RetrieveApiSecretsWhen::new(when),
                operations::RetrieveApiSecretsThen::new(then),
            )
        })
    }
    fn create_api_secret<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::CreateApiSecretWhen, operations::CreateApiSecretThen),
    {
        self.mock(|when, then| {
            config_fn(
                operations::CreateApiSecretWhen::new(when),
                operations::CreateApiSecretThen::new(then),
            )
        })
    }
    fn retrieve_api_secret<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::RetrieveApiSecretWhen, operations::RetrieveApiSecretThen),
    {
        self.mock(|when, then| {
            config_fn(
                operations::RetrieveApiSecretWhen::new(when),
                operations::RetrieveApiSecretThen::new(then),
            )
        })
    }
    fn revoke_api_secret<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
    where
        F: FnOnce(operations::RevokeApiSecretWhen, operations::RevokeApiSecretThen),
    {
        self.mock(|when, then| {
            config_fn(
                operations::RevokeApiSecretWhen::new(when),
                operations::RevokeApiSecretThen::new(then),
            )
        })
    }
}
