//! The auth hook: one more attempt with fresh credentials when the provider asks for it.

use std::sync::Mutex;

use base64::Engine as _;
use http::HeaderValue;
use vonage_secrets_api::operations::{CreateApiSecret, RetrieveApiSecrets};
use vonage_secrets_api::types::CreateSecretRequest;
use vonage_secrets_runtime::BaseUrl;
use vonage_secrets_sandbox::Sandbox;
use vonage_secrets_transport::{Auth, AuthError, Error, Scrubber, Transport};

/// Hands out the passwords in turn (a token that expired, then a fresh one) and asks for a
/// refresh on every 401.
struct Rotating {
    passwords: Mutex<Vec<&'static str>>,
    asked: Mutex<u32>,
    refresh: bool,
}

impl Rotating {
    fn new(passwords: &[&'static str], refresh: bool) -> Self {
        let mut passwords = passwords.to_vec();
        passwords.reverse();
        Rotating {
            passwords: Mutex::new(passwords),
            asked: Mutex::new(0),
            refresh,
        }
    }
}

impl Auth for Rotating {
    fn authorization(&self) -> Result<HeaderValue, AuthError> {
        *self.asked.lock().unwrap() += 1;
        let mut passwords = self.passwords.lock().unwrap();
        let password = if passwords.len() > 1 {
            passwords.pop().unwrap()
        } else {
            passwords[0]
        };
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("abcd1234:{password}"));
        Ok(HeaderValue::try_from(format!("Basic {token}"))?)
    }

    fn add_secrets(&self, scrubber: &mut Scrubber) {
        for password in self.passwords.lock().unwrap().iter() {
            scrubber.add(password);
        }
    }

    fn refresh_after(&self, response: &http::Response<Vec<u8>>) -> bool {
        self.refresh && response.status() == http::StatusCode::UNAUTHORIZED
    }
}

fn sandbox() -> (Sandbox, Transport) {
    let sandbox = Sandbox::builder()
        .account("abcd1234", "Good-Secret-1")
        .start()
        .unwrap();
    let base = BaseUrl::parse(sandbox.base_url()).unwrap();
    let transport = Transport::builder(base).max_retries(0).build().unwrap();
    (sandbox, transport)
}

#[test]
fn a_refused_credential_is_refreshed_once_and_the_request_sent_again() {
    let (_sandbox, transport) = sandbox();
    let auth = Rotating::new(&["Expired-Secret-1", "Good-Secret-1"], true);
    let list = RetrieveApiSecrets {
        api_key: "abcd1234".into(),
    };
    let secrets = transport.execute(&list, &auth, &[]).unwrap();
    assert_eq!(secrets.embedded.secrets.len(), 1);
    assert_eq!(*auth.asked.lock().unwrap(), 2);

    // Also for a request that is never retried: the server refused it unread.
    let auth = Rotating::new(&["Expired-Secret-1", "Good-Secret-1"], true);
    let create = CreateApiSecret {
        api_key: "abcd1234".into(),
        body: CreateSecretRequest::try_new("N3w-Secret-Value").unwrap(),
    };
    transport
        .execute(&create, &auth, &["N3w-Secret-Value"])
        .unwrap();
    assert_eq!(*auth.asked.lock().unwrap(), 2);
}

#[test]
fn a_refresh_is_asked_for_once_per_call_and_never_without_the_hook() {
    let (_sandbox, transport) = sandbox();
    let list = RetrieveApiSecrets {
        api_key: "abcd1234".into(),
    };
    // Refreshed once, refused again: the failure comes back.
    let auth = Rotating::new(&["Expired-Secret-1", "Still-Wrong-1"], true);
    let error = transport.execute(&list, &auth, &[]).unwrap_err().error;
    assert!(matches!(error, Error::Failure { .. }), "{error:?}");
    assert_eq!(*auth.asked.lock().unwrap(), 2);

    // Without the hook: one attempt.
    let auth = Rotating::new(&["Expired-Secret-1", "Good-Secret-1"], false);
    let error = transport.execute(&list, &auth, &[]).unwrap_err().error;
    assert_eq!(error.status(), Some(http::StatusCode::UNAUTHORIZED));
    assert_eq!(*auth.asked.lock().unwrap(), 1);
}
