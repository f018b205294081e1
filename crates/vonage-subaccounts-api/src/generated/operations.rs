// generated from openapi/subaccounts.yaml; do not edit
// spec sha256: 4e7443d31132ecb7d7807ba1766ffe339944b01447f252d41426d4746ae4db53
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
/// Retrieve list of subaccounts
///
/// The primary account and every subaccount it owns. No pagination parameters are defined: the answer holds them all.
///
/// `GET /accounts/{api_key}/subaccounts` (operationId `retrieveSubaccountsList`). Build the request with [`Operation::to_request`](crate::Operation::to_request), parse the response with [`Operation::parse_response`](crate::Operation::parse_response).
#[derive(Debug, Clone, PartialEq)]
pub struct RetrieveSubaccountsList {
    /// The api key of the primary account.
    pub api_key: ::std::string::String,
}
/// What a response to [`RetrieveSubaccountsList`] means: one variant per response the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum RetrieveSubaccountsListOutcome {
    /// 200: The primary account and its subaccounts.
    Ok(crate::types::SubaccountList),
    /// 401: The credentials are missing or wrong (type fragment `unauthorized`).
    Unauthorized(crate::types::Problem),
    /// 403: The account may not use the Subaccounts API (type fragment `unprovisioned`), or the action is forbidden.
    Forbidden(crate::types::Problem),
    /// 404: The api key does not exist or the caller has no access to it (type fragment `invalid-api-key`).
    NotFound(crate::types::Problem),
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(::vonage_secrets_runtime::Unexpected),
}
impl ::vonage_secrets_runtime::Operation for RetrieveSubaccountsList {
    const METADATA: ::vonage_secrets_runtime::Metadata = ::vonage_secrets_runtime::Metadata {
        operation_id: "retrieveSubaccountsList",
        method: ::vonage_secrets_runtime::Method::Get,
        path_template: "/accounts/{api_key}/subaccounts",
        idempotent: true,
        auth: ::vonage_secrets_runtime::AuthScheme::Basic,
    };
    type Output = crate::types::SubaccountList;
    type Outcome = RetrieveSubaccountsListOutcome;
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
        request.literal("subaccounts");
        request.build()
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        match response.status() {
            ::http::StatusCode::OK => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveSubaccountsListOutcome::Ok(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveSubaccountsListOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::UNAUTHORIZED => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveSubaccountsListOutcome::Unauthorized(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveSubaccountsListOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::FORBIDDEN => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveSubaccountsListOutcome::Forbidden(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveSubaccountsListOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::NOT_FOUND => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveSubaccountsListOutcome::NotFound(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveSubaccountsListOutcome::Unexpected(unexpected)
                    }
                }
            }
            _ => {
                RetrieveSubaccountsListOutcome::Unexpected(
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
            RetrieveSubaccountsListOutcome::Ok(value) => ::std::result::Result::Ok(value),
            RetrieveSubaccountsListOutcome::Unauthorized(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::UNAUTHORIZED,
                    problem,
                })
            }
            RetrieveSubaccountsListOutcome::Forbidden(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::FORBIDDEN,
                    problem,
                })
            }
            RetrieveSubaccountsListOutcome::NotFound(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::NOT_FOUND,
                    problem,
                })
            }
            RetrieveSubaccountsListOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(
                    ::vonage_secrets_runtime::Failure::Unexpected(unexpected),
                )
            }
        }
    }
}
/// Retrieve a subaccount
///
/// One subaccount of the primary account, by its api key.
///
/// `GET /accounts/{api_key}/subaccounts/{subaccount_key}` (operationId `retrieveSubaccount`). Build the request with [`Operation::to_request`](crate::Operation::to_request), parse the response with [`Operation::parse_response`](crate::Operation::parse_response).
#[derive(Debug, Clone, PartialEq)]
pub struct RetrieveSubaccount {
    /// The api key of the primary account.
    pub api_key: ::std::string::String,
    /// The api key of the subaccount.
    pub subaccount_key: ::std::string::String,
}
/// What a response to [`RetrieveSubaccount`] means: one variant per response the spec documents, and [`Unexpected`](crate::Unexpected) for anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum RetrieveSubaccountOutcome {
    /// 200: The subaccount.
    Ok(crate::types::Subaccount),
    /// 401: The credentials are missing or wrong (type fragment `unauthorized`).
    Unauthorized(crate::types::Problem),
    /// 403: The account may not use the Subaccounts API (type fragment `unprovisioned`), or the action is forbidden.
    Forbidden(crate::types::Problem),
    /// 404: The api key does not exist or the caller has no access to it (type fragment `invalid-api-key`).
    NotFound(crate::types::Problem),
    /// A status the spec does not document, or a body that does not decode.
    Unexpected(::vonage_secrets_runtime::Unexpected),
}
impl ::vonage_secrets_runtime::Operation for RetrieveSubaccount {
    const METADATA: ::vonage_secrets_runtime::Metadata = ::vonage_secrets_runtime::Metadata {
        operation_id: "retrieveSubaccount",
        method: ::vonage_secrets_runtime::Method::Get,
        path_template: "/accounts/{api_key}/subaccounts/{subaccount_key}",
        idempotent: true,
        auth: ::vonage_secrets_runtime::AuthScheme::Basic,
    };
    type Output = crate::types::Subaccount;
    type Outcome = RetrieveSubaccountOutcome;
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
        request.literal("subaccounts");
        request.segment("subaccount_key", &self.subaccount_key)?;
        request.build()
    }
    fn parse_response(
        response: &::http::Response<::std::vec::Vec<u8>>,
    ) -> Self::Outcome {
        match response.status() {
            ::http::StatusCode::OK => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveSubaccountOutcome::Ok(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveSubaccountOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::UNAUTHORIZED => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveSubaccountOutcome::Unauthorized(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveSubaccountOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::FORBIDDEN => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveSubaccountOutcome::Forbidden(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveSubaccountOutcome::Unexpected(unexpected)
                    }
                }
            }
            ::http::StatusCode::NOT_FOUND => {
                match ::vonage_secrets_runtime::response::decode_json(response) {
                    ::std::result::Result::Ok(value) => {
                        RetrieveSubaccountOutcome::NotFound(value)
                    }
                    ::std::result::Result::Err(unexpected) => {
                        RetrieveSubaccountOutcome::Unexpected(unexpected)
                    }
                }
            }
            _ => {
                RetrieveSubaccountOutcome::Unexpected(
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
            RetrieveSubaccountOutcome::Ok(value) => ::std::result::Result::Ok(value),
            RetrieveSubaccountOutcome::Unauthorized(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::UNAUTHORIZED,
                    problem,
                })
            }
            RetrieveSubaccountOutcome::Forbidden(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::FORBIDDEN,
                    problem,
                })
            }
            RetrieveSubaccountOutcome::NotFound(problem) => {
                ::std::result::Result::Err(::vonage_secrets_runtime::Failure::Problem {
                    status: ::http::StatusCode::NOT_FOUND,
                    problem,
                })
            }
            RetrieveSubaccountOutcome::Unexpected(unexpected) => {
                ::std::result::Result::Err(
                    ::vonage_secrets_runtime::Failure::Unexpected(unexpected),
                )
            }
        }
    }
}
/// Every operation generated, in the spec's order.
pub const ALL: &[::vonage_secrets_runtime::Metadata] = &[
    <RetrieveSubaccountsList as ::vonage_secrets_runtime::Operation>::METADATA,
    <RetrieveSubaccount as ::vonage_secrets_runtime::Operation>::METADATA,
];
