// generated from openapi/secret-management.yaml; do not edit
// spec sha256: b98943fa26cede12559f1ce25bcaaef427c071bfc9693995824648da862e460b
// regenerate with `cargo xtask codegen`

//! Sans-IO operations, one per operationId: build an `http::Request`, parse an `http::Response`.

#![allow(clippy::all)]

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
/// What a response to [`RetrieveApiSecrets`] means: one variant per status the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum RetrieveApiSecretsOutcome {
    /// 200: The account's secrets.
    Ok(crate::types::SecretList),
    /// 401: The credentials are missing or wrong.
    Unauthorized(crate::types::Problem),
    /// 404: The api key in the path (type fragment `invalid-api-key`) or the secret id (type fragment `invalid-id`) is unknown.
    NotFound(crate::types::Problem),
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(crate::Unexpected),
}
impl crate::Operation for RetrieveApiSecrets {
    const OPERATION_ID: &'static str = "retrieveAPISecrets";
    const METHOD: ::http::Method = ::http::Method::GET;
    const PATH_TEMPLATE: &'static str = "/accounts/{api_key}/secrets";
    const IDEMPOTENT: bool = true;
    type Output = crate::types::SecretList;
    type Outcome = RetrieveApiSecretsOutcome;
    fn to_request(
        &self,
        base_url: &str,
    ) -> ::std::result::Result<::http::Request<::std::vec::Vec<u8>>, crate::BuildError> {
        crate::support::build_request(
            base_url,
            Self::METHOD,
            &[
                crate::support::Segment::Literal("accounts"),
                crate::support::Segment::Param {
                    name: "api_key",
                    value: &self.api_key,
                },
                crate::support::Segment::Literal("secrets"),
            ],
            ::std::option::Option::None,
        )
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        match response.status() {
            ::http::StatusCode::OK => {
                match crate::support::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveApiSecretsOutcome::Ok(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveApiSecretsOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::UNAUTHORIZED => {
                match crate::support::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveApiSecretsOutcome::Unauthorized(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveApiSecretsOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::NOT_FOUND => {
                match crate::support::decode_json(response) {
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
                    crate::support::undocumented(response),
                )
            }
        }
    }
    fn into_result(
        outcome: Self::Outcome,
    ) -> ::std::result::Result<Self::Output, crate::Failure> {
        match outcome {
            RetrieveApiSecretsOutcome::Ok(value) => ::std::result::Result::Ok(value),
            RetrieveApiSecretsOutcome::Unauthorized(problem) => {
                ::std::result::Result::Err(crate::Failure::Problem {
                    status: ::http::StatusCode::UNAUTHORIZED,
                    problem,
                })
            }
            RetrieveApiSecretsOutcome::NotFound(problem) => {
                ::std::result::Result::Err(crate::Failure::Problem {
                    status: ::http::StatusCode::NOT_FOUND,
                    problem,
                })
            }
            RetrieveApiSecretsOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(crate::Failure::Unexpected(unexpected))
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
/// What a response to [`CreateApiSecret`] means: one variant per status the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
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
    Unexpected(crate::Unexpected),
}
impl crate::Operation for CreateApiSecret {
    const OPERATION_ID: &'static str = "createAPISecret";
    const METHOD: ::http::Method = ::http::Method::POST;
    const PATH_TEMPLATE: &'static str = "/accounts/{api_key}/secrets";
    const IDEMPOTENT: bool = false;
    type Output = crate::types::Secret;
    type Outcome = CreateApiSecretOutcome;
    fn to_request(
        &self,
        base_url: &str,
    ) -> ::std::result::Result<::http::Request<::std::vec::Vec<u8>>, crate::BuildError> {
        crate::support::build_request(
            base_url,
            Self::METHOD,
            &[
                crate::support::Segment::Literal("accounts"),
                crate::support::Segment::Param {
                    name: "api_key",
                    value: &self.api_key,
                },
                crate::support::Segment::Literal("secrets"),
            ],
            ::std::option::Option::Some(crate::support::json_body(&self.body)?),
        )
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        match response.status() {
            ::http::StatusCode::CREATED => {
                match crate::support::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        CreateApiSecretOutcome::Created(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        CreateApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::BAD_REQUEST => {
                match crate::support::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        CreateApiSecretOutcome::BadRequest(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        CreateApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::UNAUTHORIZED => {
                match crate::support::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        CreateApiSecretOutcome::Unauthorized(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        CreateApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::FORBIDDEN => {
                match crate::support::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        CreateApiSecretOutcome::Forbidden(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        CreateApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::NOT_FOUND => {
                match crate::support::decode_json(response) {
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
                    crate::support::undocumented(response),
                )
            }
        }
    }
    fn into_result(
        outcome: Self::Outcome,
    ) -> ::std::result::Result<Self::Output, crate::Failure> {
        match outcome {
            CreateApiSecretOutcome::Created(value) => ::std::result::Result::Ok(value),
            CreateApiSecretOutcome::BadRequest(problem) => {
                ::std::result::Result::Err(crate::Failure::Problem {
                    status: ::http::StatusCode::BAD_REQUEST,
                    problem,
                })
            }
            CreateApiSecretOutcome::Unauthorized(problem) => {
                ::std::result::Result::Err(crate::Failure::Problem {
                    status: ::http::StatusCode::UNAUTHORIZED,
                    problem,
                })
            }
            CreateApiSecretOutcome::Forbidden(problem) => {
                ::std::result::Result::Err(crate::Failure::Problem {
                    status: ::http::StatusCode::FORBIDDEN,
                    problem,
                })
            }
            CreateApiSecretOutcome::NotFound(problem) => {
                ::std::result::Result::Err(crate::Failure::Problem {
                    status: ::http::StatusCode::NOT_FOUND,
                    problem,
                })
            }
            CreateApiSecretOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(crate::Failure::Unexpected(unexpected))
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
/// What a response to [`RetrieveApiSecret`] means: one variant per status the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum RetrieveApiSecretOutcome {
    /// 200: The secret.
    Ok(crate::types::Secret),
    /// 401: The credentials are missing or wrong.
    Unauthorized(crate::types::Problem),
    /// 404: The api key in the path (type fragment `invalid-api-key`) or the secret id (type fragment `invalid-id`) is unknown.
    NotFound(crate::types::Problem),
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(crate::Unexpected),
}
impl crate::Operation for RetrieveApiSecret {
    const OPERATION_ID: &'static str = "retrieveAPISecret";
    const METHOD: ::http::Method = ::http::Method::GET;
    const PATH_TEMPLATE: &'static str = "/accounts/{api_key}/secrets/{secret_id}";
    const IDEMPOTENT: bool = true;
    type Output = crate::types::Secret;
    type Outcome = RetrieveApiSecretOutcome;
    fn to_request(
        &self,
        base_url: &str,
    ) -> ::std::result::Result<::http::Request<::std::vec::Vec<u8>>, crate::BuildError> {
        crate::support::build_request(
            base_url,
            Self::METHOD,
            &[
                crate::support::Segment::Literal("accounts"),
                crate::support::Segment::Param {
                    name: "api_key",
                    value: &self.api_key,
                },
                crate::support::Segment::Literal("secrets"),
                crate::support::Segment::Param {
                    name: "secret_id",
                    value: &self.secret_id,
                },
            ],
            ::std::option::Option::None,
        )
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        match response.status() {
            ::http::StatusCode::OK => {
                match crate::support::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveApiSecretOutcome::Ok(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::UNAUTHORIZED => {
                match crate::support::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveApiSecretOutcome::Unauthorized(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::NOT_FOUND => {
                match crate::support::decode_json(response) {
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
                    crate::support::undocumented(response),
                )
            }
        }
    }
    fn into_result(
        outcome: Self::Outcome,
    ) -> ::std::result::Result<Self::Output, crate::Failure> {
        match outcome {
            RetrieveApiSecretOutcome::Ok(value) => ::std::result::Result::Ok(value),
            RetrieveApiSecretOutcome::Unauthorized(problem) => {
                ::std::result::Result::Err(crate::Failure::Problem {
                    status: ::http::StatusCode::UNAUTHORIZED,
                    problem,
                })
            }
            RetrieveApiSecretOutcome::NotFound(problem) => {
                ::std::result::Result::Err(crate::Failure::Problem {
                    status: ::http::StatusCode::NOT_FOUND,
                    problem,
                })
            }
            RetrieveApiSecretOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(crate::Failure::Unexpected(unexpected))
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
/// What a response to [`RevokeApiSecret`] means: one variant per status the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
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
    Unexpected(crate::Unexpected),
}
impl crate::Operation for RevokeApiSecret {
    const OPERATION_ID: &'static str = "revokeAPISecret";
    const METHOD: ::http::Method = ::http::Method::DELETE;
    const PATH_TEMPLATE: &'static str = "/accounts/{api_key}/secrets/{secret_id}";
    const IDEMPOTENT: bool = true;
    type Output = ();
    type Outcome = RevokeApiSecretOutcome;
    fn to_request(
        &self,
        base_url: &str,
    ) -> ::std::result::Result<::http::Request<::std::vec::Vec<u8>>, crate::BuildError> {
        crate::support::build_request(
            base_url,
            Self::METHOD,
            &[
                crate::support::Segment::Literal("accounts"),
                crate::support::Segment::Param {
                    name: "api_key",
                    value: &self.api_key,
                },
                crate::support::Segment::Literal("secrets"),
                crate::support::Segment::Param {
                    name: "secret_id",
                    value: &self.secret_id,
                },
            ],
            ::std::option::Option::None,
        )
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        match response.status() {
            ::http::StatusCode::NO_CONTENT => RevokeApiSecretOutcome::NoContent,
            ::http::StatusCode::UNAUTHORIZED => {
                match crate::support::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RevokeApiSecretOutcome::Unauthorized(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RevokeApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::FORBIDDEN => {
                match crate::support::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RevokeApiSecretOutcome::Forbidden(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RevokeApiSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::NOT_FOUND => {
                match crate::support::decode_json(response) {
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
                    crate::support::undocumented(response),
                )
            }
        }
    }
    fn into_result(
        outcome: Self::Outcome,
    ) -> ::std::result::Result<Self::Output, crate::Failure> {
        match outcome {
            RevokeApiSecretOutcome::NoContent => ::std::result::Result::Ok(()),
            RevokeApiSecretOutcome::Unauthorized(problem) => {
                ::std::result::Result::Err(crate::Failure::Problem {
                    status: ::http::StatusCode::UNAUTHORIZED,
                    problem,
                })
            }
            RevokeApiSecretOutcome::Forbidden(problem) => {
                ::std::result::Result::Err(crate::Failure::Problem {
                    status: ::http::StatusCode::FORBIDDEN,
                    problem,
                })
            }
            RevokeApiSecretOutcome::NotFound(problem) => {
                ::std::result::Result::Err(crate::Failure::Problem {
                    status: ::http::StatusCode::NOT_FOUND,
                    problem,
                })
            }
            RevokeApiSecretOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(crate::Failure::Unexpected(unexpected))
            }
        }
    }
}
/// Every operation the spec defines, in the spec's order.
pub const ALL: &[crate::OperationInfo] = &[
    crate::OperationInfo {
        operation_id: "retrieveAPISecrets",
        method: "GET",
        path_template: "/accounts/{api_key}/secrets",
        idempotent: true,
    },
    crate::OperationInfo {
        operation_id: "createAPISecret",
        method: "POST",
        path_template: "/accounts/{api_key}/secrets",
        idempotent: false,
    },
    crate::OperationInfo {
        operation_id: "retrieveAPISecret",
        method: "GET",
        path_template: "/accounts/{api_key}/secrets/{secret_id}",
        idempotent: true,
    },
    crate::OperationInfo {
        operation_id: "revokeAPISecret",
        method: "DELETE",
        path_template: "/accounts/{api_key}/secrets/{secret_id}",
        idempotent: true,
    },
];
