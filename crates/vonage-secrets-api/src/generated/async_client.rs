// generated from openapi/secret-management.yaml; do not edit
// spec sha256: a33326c4083bcfd06a175c76331e54635da1ac025a18c88241730f00bf687c67
// regenerate with `cargo xtask codegen`

//! progenitor's async reqwest client (feature `async`), over the same `types`.

#![allow(clippy::all, missing_docs, unused_imports)]

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// The model types, shared with the sans-IO operations.
pub use crate::types;
#[derive(Clone, Debug)]
/**Client for Secret Management API

Manage the API secrets of a Vonage account: list them, create a new one, look one up and revoke one. An account always holds at least 1 and at most 2 secrets, which lets a secret be rotated without downtime. Written for the vonage-secrets project from the public documentation of the API; it is the single source of truth for the generated client.

Version: 1.0.0*/
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
}
impl Client {
    /// Create a new client.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new(baseurl: &str) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let client = {
            let dur = ::std::time::Duration::from_secs(15u64);
            reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
        };
        #[cfg(target_arch = "wasm32")]
        let client = reqwest::ClientBuilder::new();
        Self::new_with_client(baseurl, client.build().unwrap())
    }
    /// Construct a new client with an existing `reqwest::Client`,
    /// allowing more control over its configuration.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new_with_client(baseurl: &str, client: reqwest::Client) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
        }
    }
}
impl ClientInfo<()> for Client {
    fn api_version() -> &'static str {
        "1.0.0"
    }
    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }
    fn client(&self) -> &reqwest::Client {
        &self.client
    }
    fn inner(&self) -> &() {
        &()
    }
}
impl ClientHooks<()> for &Client {}
#[allow(clippy::all)]
impl Client {
    /**Retrieve API secrets

List the API secrets of an account (one or two). Secret values are never returned.

Sends a `GET` request to `/accounts/{api_key}/secrets`

Arguments:
- `api_key`: The api key of the account whose secrets are managed: your own, or one of your secondary accounts'.
*/
    pub async fn retrieve_api_secrets<'a>(
        &'a self,
        api_key: &'a str,
    ) -> Result<ResponseValue<types::SecretList>, Error<types::Problem>> {
        let url = format!(
            "{}/accounts/{}/secrets", self.baseurl, encode_path(& api_key.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "retrieve_api_secrets",
        };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            401u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            404u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Create API secret

Create a new API secret for the account. The account may hold at most 2 secrets; a third is refused (documented as 400, observed as 403, with the `add-excess-secret` problem type). The new secret's value is not returned.

Sends a `POST` request to `/accounts/{api_key}/secrets`

Arguments:
- `api_key`: The api key of the account whose secrets are managed: your own, or one of your secondary accounts'.
- `body`
*/
    pub async fn create_api_secret<'a>(
        &'a self,
        api_key: &'a str,
        body: &'a types::CreateSecretRequest,
    ) -> Result<ResponseValue<types::Secret>, Error<types::Problem>> {
        let url = format!(
            "{}/accounts/{}/secrets", self.baseurl, encode_path(& api_key.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .json(&body)
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "create_api_secret",
        };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            201u16 => ResponseValue::from_response(response).await,
            400u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            401u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            403u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            404u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Retrieve one API secret

Fetch the metadata of one API secret by its id. The secret's value is never returned.

Sends a `GET` request to `/accounts/{api_key}/secrets/{secret_id}`

Arguments:
- `api_key`: The api key of the account whose secrets are managed: your own, or one of your secondary accounts'.
- `secret_id`: The id of the secret (usually a UUID; treat it as an opaque string).
*/
    pub async fn retrieve_api_secret<'a>(
        &'a self,
        api_key: &'a str,
        secret_id: &'a str,
    ) -> Result<ResponseValue<types::Secret>, Error<types::Problem>> {
        let url = format!(
            "{}/accounts/{}/secrets/{}", self.baseurl, encode_path(& api_key
            .to_string()), encode_path(& secret_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "retrieve_api_secret",
        };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            401u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            404u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Revoke an API secret

Revoke one API secret by its id. The last secret of an account cannot be revoked: the account must always keep at least 1 secret.

Sends a `DELETE` request to `/accounts/{api_key}/secrets/{secret_id}`

Arguments:
- `api_key`: The api key of the account whose secrets are managed: your own, or one of your secondary accounts'.
- `secret_id`: The id of the secret (usually a UUID; treat it as an opaque string).
*/
    pub async fn revoke_api_secret<'a>(
        &'a self,
        api_key: &'a str,
        secret_id: &'a str,
    ) -> Result<ResponseValue<()>, Error<types::Problem>> {
        let url = format!(
            "{}/accounts/{}/secrets/{}", self.baseurl, encode_path(& api_key
            .to_string()), encode_path(& secret_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
            .client
            .delete(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "revoke_api_secret",
        };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            204u16 => Ok(ResponseValue::empty(response)),
            401u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            403u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            404u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    #[allow(unused_imports)]
    pub use super::Client;
}
