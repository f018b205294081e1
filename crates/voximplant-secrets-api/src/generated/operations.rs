// generated from openapi/voximplant-secrets.yaml; do not edit
// spec sha256: 0e6ce75cfbcf7e0fcd2825f75913cfc92f3a0717b05368ed8c7e936fbbcf76bf
// regenerate with `cargo xtask codegen`

//! Sans-IO operations, one per operationId: build an `http::Request`, parse an `http::Response`.

#![allow(clippy::all)]

/// Shows the fields the spec names as the error's summary.
impl ::std::fmt::Display for crate::types::ApiError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(
            &::vonage_secrets_runtime::response::summary(
                self,
                &["/error/code", "/error/msg"],
            ),
        )
    }
}
/// The result of [`Operation::into_result`](crate::Operation::into_result) for this API: a documented error with its `ApiError` document, or an unexpected response.
pub type Failure = ::vonage_secrets_runtime::Failure<crate::types::ApiError>;
/// AddSecret
///
/// Adds a new secret to an application.
///
/// `POST /AddSecret` (operationId `AddSecret`). Build the request with [`Operation::to_request`](crate::Operation::to_request), parse the response with [`Operation::parse_response`](crate::Operation::parse_response).
#[derive(Debug, Clone, PartialEq)]
pub struct AddSecret {
    /// The parameters, form-encoded (the secret value must not travel in the URL).
    pub body: crate::types::AddSecretRequest,
}
/// What a response to [`AddSecret`] means: one variant per response the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum AddSecretOutcome {
    /// 200: The added secret's id.
    Ok(crate::types::AddSecretResponse),
    /// The body is the API's error document (`ApiError`), whatever the status: it is tried before the success schema, so an error never parses as success.
    Error {
        /// The response's status (often a success status).
        status: ::http::StatusCode,
        /// The decoded error document.
        error: crate::types::ApiError,
    },
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(::vonage_secrets_runtime::Unexpected),
}
impl ::vonage_secrets_runtime::Operation for AddSecret {
    const METADATA: ::vonage_secrets_runtime::Metadata = ::vonage_secrets_runtime::Metadata {
        operation_id: "AddSecret",
        method: ::vonage_secrets_runtime::Method::Post,
        path_template: "/AddSecret",
        idempotent: false,
        auth: ::vonage_secrets_runtime::AuthScheme::Bearer,
    };
    type Output = crate::types::AddSecretResponse;
    type Outcome = AddSecretOutcome;
    type ErrorBody = crate::types::ApiError;
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
        request.literal("AddSecret");
        request.form_body(&self.body)?;
        request.build()
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        if let ::std::option::Option::Some(error) = ::vonage_secrets_runtime::response::decode_error_body(
            response,
        ) {
            return AddSecretOutcome::Error {
                status: response.status(),
                error,
            };
        }
        match response.status() {
            ::http::StatusCode::OK => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => AddSecretOutcome::Ok(value),
                    ::std::result::Result::Err(unexpected) => {
                        AddSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            _ => {
                AddSecretOutcome::Unexpected(
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
            AddSecretOutcome::Ok(value) => ::std::result::Result::Ok(value),
            AddSecretOutcome::Error { status, error } => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status,
                    problem: error,
                })
            }
            AddSecretOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(
                    ::vonage_secrets_runtime::Failure::Unexpected(unexpected),
                )
            }
        }
    }
}
/// GetSecrets
///
/// Lists an application's secrets, without their values, a page at a time (`count` and `offset`; the answer's `total_count` says how many there are).
///
/// `POST /GetSecrets` (operationId `GetSecrets`). Build the request with [`Operation::to_request`](crate::Operation::to_request), parse the response with [`Operation::parse_response`](crate::Operation::parse_response).
#[derive(Debug, Clone, PartialEq)]
pub struct GetSecrets {
    /// The parameters, form-encoded.
    pub body: crate::types::GetSecretsRequest,
}
/// What a response to [`GetSecrets`] means: one variant per response the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum GetSecretsOutcome {
    /// 200: One page of the application's secrets.
    Ok(crate::types::GetSecretsResponse),
    /// The body is the API's error document (`ApiError`), whatever the status: it is tried before the success schema, so an error never parses as success.
    Error {
        /// The response's status (often a success status).
        status: ::http::StatusCode,
        /// The decoded error document.
        error: crate::types::ApiError,
    },
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(::vonage_secrets_runtime::Unexpected),
}
impl ::vonage_secrets_runtime::Operation for GetSecrets {
    const METADATA: ::vonage_secrets_runtime::Metadata = ::vonage_secrets_runtime::Metadata {
        operation_id: "GetSecrets",
        method: ::vonage_secrets_runtime::Method::Post,
        path_template: "/GetSecrets",
        idempotent: true,
        auth: ::vonage_secrets_runtime::AuthScheme::Bearer,
    };
    type Output = crate::types::GetSecretsResponse;
    type Outcome = GetSecretsOutcome;
    type ErrorBody = crate::types::ApiError;
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
        request.literal("GetSecrets");
        request.form_body(&self.body)?;
        request.build()
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        if let ::std::option::Option::Some(error) = ::vonage_secrets_runtime::response::decode_error_body(
            response,
        ) {
            return GetSecretsOutcome::Error {
                status: response.status(),
                error,
            };
        }
        match response.status() {
            ::http::StatusCode::OK => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => GetSecretsOutcome::Ok(value),
                    ::std::result::Result::Err(unexpected) => {
                        GetSecretsOutcome::Unexpected(unexpected)
                    }
                }
            }
            _ => {
                GetSecretsOutcome::Unexpected(
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
            GetSecretsOutcome::Ok(value) => ::std::result::Result::Ok(value),
            GetSecretsOutcome::Error { status, error } => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status,
                    problem: error,
                })
            }
            GetSecretsOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(
                    ::vonage_secrets_runtime::Failure::Unexpected(unexpected),
                )
            }
        }
    }
}
/// GetSecretValue
///
/// Reads the value of one secret, by id or by name.
///
/// `POST /GetSecretValue` (operationId `GetSecretValue`). Build the request with [`Operation::to_request`](crate::Operation::to_request), parse the response with [`Operation::parse_response`](crate::Operation::parse_response).
#[derive(Debug, Clone, PartialEq)]
pub struct GetSecretValue {
    /// The parameters, form-encoded.
    pub body: crate::types::GetSecretValueRequest,
}
/// What a response to [`GetSecretValue`] means: one variant per response the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum GetSecretValueOutcome {
    /// 200: The secret with its value.
    Ok(crate::types::GetSecretValueResponse),
    /// The body is the API's error document (`ApiError`), whatever the status: it is tried before the success schema, so an error never parses as success.
    Error {
        /// The response's status (often a success status).
        status: ::http::StatusCode,
        /// The decoded error document.
        error: crate::types::ApiError,
    },
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(::vonage_secrets_runtime::Unexpected),
}
impl ::vonage_secrets_runtime::Operation for GetSecretValue {
    const METADATA: ::vonage_secrets_runtime::Metadata = ::vonage_secrets_runtime::Metadata {
        operation_id: "GetSecretValue",
        method: ::vonage_secrets_runtime::Method::Post,
        path_template: "/GetSecretValue",
        idempotent: true,
        auth: ::vonage_secrets_runtime::AuthScheme::Bearer,
    };
    type Output = crate::types::GetSecretValueResponse;
    type Outcome = GetSecretValueOutcome;
    type ErrorBody = crate::types::ApiError;
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
        request.literal("GetSecretValue");
        request.form_body(&self.body)?;
        request.build()
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        if let ::std::option::Option::Some(error) = ::vonage_secrets_runtime::response::decode_error_body(
            response,
        ) {
            return GetSecretValueOutcome::Error {
                status: response.status(),
                error,
            };
        }
        match response.status() {
            ::http::StatusCode::OK => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => GetSecretValueOutcome::Ok(value),
                    ::std::result::Result::Err(unexpected) => {
                        GetSecretValueOutcome::Unexpected(unexpected)
                    }
                }
            }
            _ => {
                GetSecretValueOutcome::Unexpected(
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
            GetSecretValueOutcome::Ok(value) => ::std::result::Result::Ok(value),
            GetSecretValueOutcome::Error { status, error } => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status,
                    problem: error,
                })
            }
            GetSecretValueOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(
                    ::vonage_secrets_runtime::Failure::Unexpected(unexpected),
                )
            }
        }
    }
}
/// SetSecretInfo
///
/// Changes the name, the value or the description of one secret, by id or by name.
///
/// `POST /SetSecretInfo` (operationId `SetSecretInfo`). Build the request with [`Operation::to_request`](crate::Operation::to_request), parse the response with [`Operation::parse_response`](crate::Operation::parse_response).
#[derive(Debug, Clone, PartialEq)]
pub struct SetSecretInfo {
    /// The parameters, form-encoded (the secret value must not travel in the URL).
    pub body: crate::types::SetSecretInfoRequest,
}
/// What a response to [`SetSecretInfo`] means: one variant per response the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum SetSecretInfoOutcome {
    /// 200: The secret was changed (`result` is 1).
    Ok(crate::types::ResultResponse),
    /// The body is the API's error document (`ApiError`), whatever the status: it is tried before the success schema, so an error never parses as success.
    Error {
        /// The response's status (often a success status).
        status: ::http::StatusCode,
        /// The decoded error document.
        error: crate::types::ApiError,
    },
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(::vonage_secrets_runtime::Unexpected),
}
impl ::vonage_secrets_runtime::Operation for SetSecretInfo {
    const METADATA: ::vonage_secrets_runtime::Metadata = ::vonage_secrets_runtime::Metadata {
        operation_id: "SetSecretInfo",
        method: ::vonage_secrets_runtime::Method::Post,
        path_template: "/SetSecretInfo",
        idempotent: false,
        auth: ::vonage_secrets_runtime::AuthScheme::Bearer,
    };
    type Output = crate::types::ResultResponse;
    type Outcome = SetSecretInfoOutcome;
    type ErrorBody = crate::types::ApiError;
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
        request.literal("SetSecretInfo");
        request.form_body(&self.body)?;
        request.build()
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        if let ::std::option::Option::Some(error) = ::vonage_secrets_runtime::response::decode_error_body(
            response,
        ) {
            return SetSecretInfoOutcome::Error {
                status: response.status(),
                error,
            };
        }
        match response.status() {
            ::http::StatusCode::OK => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => SetSecretInfoOutcome::Ok(value),
                    ::std::result::Result::Err(unexpected) => {
                        SetSecretInfoOutcome::Unexpected(unexpected)
                    }
                }
            }
            _ => {
                SetSecretInfoOutcome::Unexpected(
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
            SetSecretInfoOutcome::Ok(value) => ::std::result::Result::Ok(value),
            SetSecretInfoOutcome::Error { status, error } => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status,
                    problem: error,
                })
            }
            SetSecretInfoOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(
                    ::vonage_secrets_runtime::Failure::Unexpected(unexpected),
                )
            }
        }
    }
}
/// DelSecret
///
/// Deletes secrets, by ids or by names.
///
/// `POST /DelSecret` (operationId `DelSecret`). Build the request with [`Operation::to_request`](crate::Operation::to_request), parse the response with [`Operation::parse_response`](crate::Operation::parse_response).
#[derive(Debug, Clone, PartialEq)]
pub struct DelSecret {
    /// The parameters, form-encoded.
    pub body: crate::types::DelSecretRequest,
}
/// What a response to [`DelSecret`] means: one variant per response the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum DelSecretOutcome {
    /// 200: The secrets were deleted (`result` is 1).
    Ok(crate::types::ResultResponse),
    /// The body is the API's error document (`ApiError`), whatever the status: it is tried before the success schema, so an error never parses as success.
    Error {
        /// The response's status (often a success status).
        status: ::http::StatusCode,
        /// The decoded error document.
        error: crate::types::ApiError,
    },
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(::vonage_secrets_runtime::Unexpected),
}
impl ::vonage_secrets_runtime::Operation for DelSecret {
    const METADATA: ::vonage_secrets_runtime::Metadata = ::vonage_secrets_runtime::Metadata {
        operation_id: "DelSecret",
        method: ::vonage_secrets_runtime::Method::Post,
        path_template: "/DelSecret",
        idempotent: false,
        auth: ::vonage_secrets_runtime::AuthScheme::Bearer,
    };
    type Output = crate::types::ResultResponse;
    type Outcome = DelSecretOutcome;
    type ErrorBody = crate::types::ApiError;
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
        request.literal("DelSecret");
        request.form_body(&self.body)?;
        request.build()
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        if let ::std::option::Option::Some(error) = ::vonage_secrets_runtime::response::decode_error_body(
            response,
        ) {
            return DelSecretOutcome::Error {
                status: response.status(),
                error,
            };
        }
        match response.status() {
            ::http::StatusCode::OK => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => DelSecretOutcome::Ok(value),
                    ::std::result::Result::Err(unexpected) => {
                        DelSecretOutcome::Unexpected(unexpected)
                    }
                }
            }
            _ => {
                DelSecretOutcome::Unexpected(
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
            DelSecretOutcome::Ok(value) => ::std::result::Result::Ok(value),
            DelSecretOutcome::Error { status, error } => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status,
                    problem: error,
                })
            }
            DelSecretOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(
                    ::vonage_secrets_runtime::Failure::Unexpected(unexpected),
                )
            }
        }
    }
}
/// Every operation generated, in the spec's order.
pub const ALL: &[::vonage_secrets_runtime::Metadata] = &[
    <AddSecret as ::vonage_secrets_runtime::Operation>::METADATA,
    <GetSecrets as ::vonage_secrets_runtime::Operation>::METADATA,
    <GetSecretValue as ::vonage_secrets_runtime::Operation>::METADATA,
    <SetSecretInfo as ::vonage_secrets_runtime::Operation>::METADATA,
    <DelSecret as ::vonage_secrets_runtime::Operation>::METADATA,
];
