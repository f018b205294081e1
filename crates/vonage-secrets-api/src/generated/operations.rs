// generated from openapi/secret-management.yaml; do not edit
// spec sha256: a33326c4083bcfd06a175c76331e54635da1ac025a18c88241730f00bf687c67
// regenerate with `cargo xtask codegen`

//! Sans-IO operations, one per operationId: build an `http::Request`, parse an `http::Response`.

#![allow(clippy::all)]

/// Shows the fields the spec names as the error's summary.
impl ::std::fmt::Display for crate::types::Problem {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(
            &::vonage_secrets_runtime::response::summary(self, &["/title", "/detail"]),
        )
    }
}
/// The result of [`Operation::into_result`](crate::Operation::into_result) for this API: a documented error with its `Problem` document, or an unexpected response.
pub type Failure = ::vonage_secrets_runtime::Failure<crate::types::Problem>;
/// Retrieve API secrets
///
/// List the API secrets of an account (one or two). Secret values are never returned.
///
/// `GET /accounts/{api_key}/secrets` (operationId `retrieveAPISecrets`). Build the request with [`Operation::to_request`](crate::Operation::to_request), parse the response with [`Operation::parse_response`](crate::Operation::parse_response).
#[derive(Debug, Clone, PartialEq)]
pub struct RetrieveApiSecrets {
    /// The api key of the account whose secrets are managed: your own, or one of your secondary accounts'.
    pub api_key: ::std::string::String,
}
/// What a response to [`RetrieveApiSecrets`] means: one variant per response the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum RetrieveApiSecretsOutcome {
    /// 200: The account's secrets.
    Ok(crate::types::SecretList),
    /// 401: The credentials are missing or wrong.
    Unauthorized(crate::types::Problem),
    /// 404: The api key in the path (type fragment `invalid-api-key`) or the secret id (type fragment `invalid-id`) is unknown.
    NotFound(crate::types::Problem),
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(::vonage_secrets_runtime::Unexpected),
}
impl ::vonage_secrets_runtime::Operation for RetrieveApiSecrets {
    const METADATA: ::vonage_secrets_runtime::Metadata = ::vonage_secrets_runtime::Metadata {
        operation_id: "retrieveAPISecrets",
        method: ::vonage_secrets_runtime::Method::Get,
        path_template: "/accounts/{api_key}/secrets",
        idempotent: true,
        auth: ::vonage_secrets_runtime::AuthScheme::Basic,
    };
    type Output = crate::types::SecretList;
    type Outcome = RetrieveApiSecretsOutcome;
    type ErrorBody = crate::types::Problem;
    fn build_request(
        &self,
        base_url: ::vonage_secrets_runtime::BaseUrlRef<'_>,
    ) -> ::std::result::Result<
        ::http::Request<::std::vec::Vec<u8>>,
        ::vonage_secrets_runtime::BuildError,
    > {
        let mut request = ::vonage_secrets_runtime::RequestBuilder::new(
            base_url,
            &Self::METADATA,
        );
        request.literal("accounts");
        request.segment("api_key", &self.api_key)?;
        request.literal("secrets");
        request.build()
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        match response.status() {
            ::http::StatusCode::OK => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveApiSecretsOutcome::Ok(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveApiSecretsOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::UNAUTHORIZED => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveApiSecretsOutcome::Unauthorized(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveApiSecretsOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::NOT_FOUND => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveApiSecretsOutcome::NotFound(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveApiSecretsOutcome::Unexpected(unexpected)
                    }
                }
            }
            _ => {
                RetrieveApiSecretsOutcome::Unexpected(
                    ::vonage_secrets_runtime::response::undocumented(response),
                )
            }
        }
    }
    fn into_result(
        outcome: Self::Outcome,
    ) -> ::std::result::Result<
        Self::Output,
        ::vonage_secrets_runtime::Failure<Self::ErrorBody>,
    > {
        match outcome {
            RetrieveApiSecretsOutcome::Ok(value) => ::std::result::Result::Ok(value),
            RetrieveApiSecretsOutcome::Unauthorized(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::UNAUTHORIZED,
                    problem,
                })
            }
            RetrieveApiSecretsOutcome::NotFound(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::NOT_FOUND,
                    problem,
                })
            }
            RetrieveApiSecretsOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(
                    ::vonage_secrets_runtime::Failure::Unexpected(unexpected),
                )
            }
        }
    }
}
/// Create API secret
///
/// Create a new API secret for the account. The account may hold at most 2 secrets; a third is refused (documented as 400, observed as 403, with the `add-excess-secret` problem type). The new secret's value is not returned.
///
/// `POST /accounts/{api_key}/secrets` (operationId `createAPISecret`). Build the request with [`Operation::to_request`](crate::Operation::to_request), parse the response with [`Operation::parse_response`](crate::Operation::parse_response).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateApiSecret {
    /// The api key of the account whose secrets are managed: your own, or one of your secondary accounts'.
    pub api_key: ::std::string::String,
    /// The request body (`CreateSecretRequest`), sent as JSON.
    pub body: crate::types::CreateSecretRequest,
}
/// What a response to [`CreateApiSecret`] means: one variant per response the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum CreateApiSecretOutcome {
    /// 201: The secret was created.
    Created(crate::types::Secret),
    /// 400: The secret breaks the rules (type fragment `validation`), or the account already holds 2 secrets (type fragment `add-excess-secret`, as the public description documents it).
    BadRequest(crate::types::Problem),
    /// 401: The credentials are missing or wrong.
    Unauthorized(crate::types::Problem),
    /// 403: The account already holds 2 secrets (type fragment `add-excess-secret`, as an official SDK's tests record it).
    Forbidden(crate::types::Problem),
    /// 404: The api key in the path (type fragment `invalid-api-key`) or the secret id (type fragment `invalid-id`) is unknown.
    NotFound(crate::types::Problem),
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(::vonage_secrets_runtime::Unexpected),
}
impl ::vonage_secrets_runtime::Operation for CreateApiSecret {
    const METADATA: ::vonage_secrets_runtime::Metadata = ::vonage_secrets_runtime::Metadata {
        operation_id: "createAPISecret",
        method: ::vonage_secrets_runtime::Method::Post,
        path_template: "/accounts/{api_key}/secrets",
        idempotent: false,
        auth: ::vonage_secrets_runtime::AuthScheme::Basic,
    };
    type Output = crate::types::Secret;
    type Outcome = CreateApiSecretOutcome;
    type ErrorBody = crate::types::Problem;
    fn build_request(
        &self,
        base_url: ::vonage_secrets_runtime::BaseUrlRef<'_>,
    ) -> ::std::result::Result<
        ::http::Request<::std::vec::Vec<u8>>,
        ::vonage_secrets_runtime::BuildError,
    > {
        let mut request = ::vonage_secrets_runtime::RequestBuilder::new(
            base_url,
            &Self::METADATA,
        );
        request.literal("accounts");
        request.segment("api_key", &self.api_key)?;
        request.literal("secrets");
        request.json_body(&self.body)?;
        request.build()
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        match response.status() {
            ::http::StatusCode::CREATED => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        CreateApiSecretOutcome::Created(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        CreateApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::BAD_REQUEST => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        CreateApiSecretOutcome::BadRequest(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        CreateApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::UNAUTHORIZED => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        CreateApiSecretOutcome::Unauthorized(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        CreateApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::FORBIDDEN => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        CreateApiSecretOutcome::Forbidden(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        CreateApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::NOT_FOUND => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        CreateApiSecretOutcome::NotFound(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        CreateApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            _ => {
                CreateApiSecretOutcome::Unexpected(
                    ::vonage_secrets_runtime::response::undocumented(response),
                )
            }
        }
    }
    fn into_result(
        outcome: Self::Outcome,
    ) -> ::std::result::Result<
        Self::Output,
        ::vonage_secrets_runtime::Failure<Self::ErrorBody>,
    > {
        match outcome {
            CreateApiSecretOutcome::Created(value) => ::std::result::Result::Ok(value),
            CreateApiSecretOutcome::BadRequest(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::BAD_REQUEST,
                    problem,
                })
            }
            CreateApiSecretOutcome::Unauthorized(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::UNAUTHORIZED,
                    problem,
                })
            }
            CreateApiSecretOutcome::Forbidden(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::FORBIDDEN,
                    problem,
                })
            }
            CreateApiSecretOutcome::NotFound(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::NOT_FOUND,
                    problem,
                })
            }
            CreateApiSecretOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(
                    ::vonage_secrets_runtime::Failure::Unexpected(unexpected),
                )
            }
        }
    }
}
/// Retrieve one API secret
///
/// Fetch the metadata of one API secret by its id. The secret's value is never returned.
///
/// `GET /accounts/{api_key}/secrets/{secret_id}` (operationId `retrieveAPISecret`). Build the request with [`Operation::to_request`](crate::Operation::to_request), parse the response with [`Operation::parse_response`](crate::Operation::parse_response).
#[derive(Debug, Clone, PartialEq)]
pub struct RetrieveApiSecret {
    /// The api key of the account whose secrets are managed: your own, or one of your secondary accounts'.
    pub api_key: ::std::string::String,
    /// The id of the secret (usually a UUID; treat it as an opaque string).
    pub secret_id: ::std::string::String,
}
/// What a response to [`RetrieveApiSecret`] means: one variant per response the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum RetrieveApiSecretOutcome {
    /// 200: The secret.
    Ok(crate::types::Secret),
    /// 401: The credentials are missing or wrong.
    Unauthorized(crate::types::Problem),
    /// 404: The api key in the path (type fragment `invalid-api-key`) or the secret id (type fragment `invalid-id`) is unknown.
    NotFound(crate::types::Problem),
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(::vonage_secrets_runtime::Unexpected),
}
impl ::vonage_secrets_runtime::Operation for RetrieveApiSecret {
    const METADATA: ::vonage_secrets_runtime::Metadata = ::vonage_secrets_runtime::Metadata {
        operation_id: "retrieveAPISecret",
        method: ::vonage_secrets_runtime::Method::Get,
        path_template: "/accounts/{api_key}/secrets/{secret_id}",
        idempotent: true,
        auth: ::vonage_secrets_runtime::AuthScheme::Basic,
    };
    type Output = crate::types::Secret;
    type Outcome = RetrieveApiSecretOutcome;
    type ErrorBody = crate::types::Problem;
    fn build_request(
        &self,
        base_url: ::vonage_secrets_runtime::BaseUrlRef<'_>,
    ) -> ::std::result::Result<
        ::http::Request<::std::vec::Vec<u8>>,
        ::vonage_secrets_runtime::BuildError,
    > {
        let mut request = ::vonage_secrets_runtime::RequestBuilder::new(
            base_url,
            &Self::METADATA,
        );
        request.literal("accounts");
        request.segment("api_key", &self.api_key)?;
        request.literal("secrets");
        request.segment("secret_id", &self.secret_id)?;
        request.build()
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        match response.status() {
            ::http::StatusCode::OK => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveApiSecretOutcome::Ok(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::UNAUTHORIZED => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveApiSecretOutcome::Unauthorized(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::NOT_FOUND => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveApiSecretOutcome::NotFound(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            _ => {
                RetrieveApiSecretOutcome::Unexpected(
                    ::vonage_secrets_runtime::response::undocumented(response),
                )
            }
        }
    }
    fn into_result(
        outcome: Self::Outcome,
    ) -> ::std::result::Result<
        Self::Output,
        ::vonage_secrets_runtime::Failure<Self::ErrorBody>,
    > {
        match outcome {
            RetrieveApiSecretOutcome::Ok(value) => ::std::result::Result::Ok(value),
            RetrieveApiSecretOutcome::Unauthorized(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::UNAUTHORIZED,
                    problem,
                })
            }
            RetrieveApiSecretOutcome::NotFound(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::NOT_FOUND,
                    problem,
                })
            }
            RetrieveApiSecretOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(
                    ::vonage_secrets_runtime::Failure::Unexpected(unexpected),
                )
            }
        }
    }
}
/// Revoke an API secret
///
/// Revoke one API secret by its id. The last secret of an account cannot be revoked: the account must always keep at least 1 secret.
///
/// `DELETE /accounts/{api_key}/secrets/{secret_id}` (operationId `revokeAPISecret`). Build the request with [`Operation::to_request`](crate::Operation::to_request), parse the response with [`Operation::parse_response`](crate::Operation::parse_response).
#[derive(Debug, Clone, PartialEq)]
pub struct RevokeApiSecret {
    /// The api key of the account whose secrets are managed: your own, or one of your secondary accounts'.
    pub api_key: ::std::string::String,
    /// The id of the secret (usually a UUID; treat it as an opaque string).
    pub secret_id: ::std::string::String,
}
/// What a response to [`RevokeApiSecret`] means: one variant per response the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum RevokeApiSecretOutcome {
    /// 204: The secret was revoked; no body.
    NoContent,
    /// 401: The credentials are missing or wrong.
    Unauthorized(crate::types::Problem),
    /// 403: The secret is the account's last one (type fragment `delete-last-secret`).
    Forbidden(crate::types::Problem),
    /// 404: The api key in the path (type fragment `invalid-api-key`) or the secret id (type fragment `invalid-id`) is unknown.
    NotFound(crate::types::Problem),
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(::vonage_secrets_runtime::Unexpected),
}
impl ::vonage_secrets_runtime::Operation for RevokeApiSecret {
    const METADATA: ::vonage_secrets_runtime::Metadata = ::vonage_secrets_runtime::Metadata {
        operation_id: "revokeAPISecret",
        method: ::vonage_secrets_runtime::Method::Delete,
        path_template: "/accounts/{api_key}/secrets/{secret_id}",
        idempotent: true,
        auth: ::vonage_secrets_runtime::AuthScheme::Basic,
    };
    type Output = ();
    type Outcome = RevokeApiSecretOutcome;
    type ErrorBody = crate::types::Problem;
    fn build_request(
        &self,
        base_url: ::vonage_secrets_runtime::BaseUrlRef<'_>,
    ) -> ::std::result::Result<
        ::http::Request<::std::vec::Vec<u8>>,
        ::vonage_secrets_runtime::BuildError,
    > {
        let mut request = ::vonage_secrets_runtime::RequestBuilder::new(
            base_url,
            &Self::METADATA,
        );
        request.literal("accounts");
        request.segment("api_key", &self.api_key)?;
        request.literal("secrets");
        request.segment("secret_id", &self.secret_id)?;
        request.build()
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        match response.status() {
            ::http::StatusCode::NO_CONTENT => RevokeApiSecretOutcome::NoContent,
            ::http::StatusCode::UNAUTHORIZED => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RevokeApiSecretOutcome::Unauthorized(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RevokeApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::FORBIDDEN => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RevokeApiSecretOutcome::Forbidden(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RevokeApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::NOT_FOUND => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RevokeApiSecretOutcome::NotFound(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RevokeApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            _ => {
                RevokeApiSecretOutcome::Unexpected(
                    ::vonage_secrets_runtime::response::undocumented(response),
                )
            }
        }
    }
    fn into_result(
        outcome: Self::Outcome,
    ) -> ::std::result::Result<
        Self::Output,
        ::vonage_secrets_runtime::Failure<Self::ErrorBody>,
    > {
        match outcome {
            RevokeApiSecretOutcome::NoContent => ::std::result::Result::Ok(()),
            RevokeApiSecretOutcome::Unauthorized(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::UNAUTHORIZED,
                    problem,
                })
            }
            RevokeApiSecretOutcome::Forbidden(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::FORBIDDEN,
                    problem,
                })
            }
            RevokeApiSecretOutcome::NotFound(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::NOT_FOUND,
                    problem,
                })
            }
            RevokeApiSecretOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(
                    ::vonage_secrets_runtime::Failure::Unexpected(unexpected),
                )
            }
        }
    }
}
/// Every operation generated, in the spec's order.
pub const ALL: &[::vonage_secrets_runtime::Metadata] = &[
    <RetrieveApiSecrets as ::vonage_secrets_runtime::Operation>::METADATA,
    <CreateApiSecret as ::vonage_secrets_runtime::Operation>::METADATA,
    <RetrieveApiSecret as ::vonage_secrets_runtime::Operation>::METADATA,
    <RevokeApiSecret as ::vonage_secrets_runtime::Operation>::METADATA,
];
