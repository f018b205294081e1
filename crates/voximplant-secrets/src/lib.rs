#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod auth;
mod client;
pub mod codes;
mod credentials;
mod error;
pub mod rules;
mod token;

pub use client::{
    Added, ApplicationRef, Client, ClientBuilder, DEFAULT_MAX_RETRIES, DEFAULT_PAGE_SIZE,
    DEFAULT_TIMEOUT, NewSecret, Secret, SecretInfo, SecretList, SecretRef, SecretUpdate, Secrets,
};
pub use credentials::{BASE_URL_ENV, CREDENTIALS_ENV, Credentials, DEFAULT_BASE_URL};
pub use error::{Action, Error, TransportKind};
pub use secrecy::{ExposeSecret, SecretString};
pub use token::{DEFAULT_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME, sign_token};
pub use vonage_secrets_transport::{CaBundle, ProxySetting};
