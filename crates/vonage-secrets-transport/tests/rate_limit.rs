//! A 429: retried after its `Retry-After` by default, given back at once to a caller that
//! shares one rate budget among its workers ([`Transport::rate_limits_to_caller`]).

use base64::Engine as _;
use http::HeaderValue;
use vonage_secrets_api::operations::RetrieveApiSecrets;
use vonage_secrets_runtime::BaseUrl;
use vonage_secrets_sandbox::{Fault, Sandbox};
use vonage_secrets_transport::{Auth, AuthError, Scrubber, Transport, retry};

struct Basic;

impl Auth for Basic {
    fn authorization(&self) -> Result<HeaderValue, AuthError> {
        let token = base64::engine::general_purpose::STANDARD.encode("abcd1234:Good-Secret-1");
        let mut value = HeaderValue::try_from(format!("Basic {token}"))?;
        value.set_sensitive(true);
        Ok(value)
    }

    fn add_secrets(&self, scrubber: &mut Scrubber) {
        scrubber.add("Good-Secret-1");
    }
}

fn sandbox() -> (Sandbox, Transport) {
    let sandbox = Sandbox::builder()
        .account("abcd1234", "Good-Secret-1")
        .start()
        .unwrap();
    let base = BaseUrl::parse(sandbox.base_url()).unwrap();
    let transport = Transport::builder(base).max_retries(2).build().unwrap();
    (sandbox, transport)
}

const LIST: fn() -> RetrieveApiSecrets = || RetrieveApiSecrets {
    api_key: "abcd1234".into(),
};

#[test]
fn a_429_is_retried_after_its_retry_after_by_default() {
    let (sandbox, transport) = sandbox();
    assert!(transport.retries_rate_limited());
    sandbox.inject(Fault::status(429).retry_after(1));
    let started = std::time::Instant::now();
    let answer = transport.execute_outcome(&LIST(), &Basic, &[]).unwrap();
    assert_eq!(answer.response.status(), 200);
    assert_eq!(sandbox.requests().len(), 2, "the 429, then the retry");
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
}

#[test]
fn a_transport_that_leaves_rate_limits_to_its_caller_gives_the_429_back_at_once() {
    let (sandbox, transport) = sandbox();
    let caller = transport.rate_limits_to_caller();
    assert!(!caller.retries_rate_limited());
    assert_eq!(caller.max_retries(), transport.max_retries());
    sandbox.inject(Fault::status(429).retry_after(3));
    let answer = caller.execute_outcome(&LIST(), &Basic, &[]).unwrap();
    assert_eq!(answer.response.status(), 429);
    assert_eq!(
        retry::retry_after(answer.response.headers()),
        Some(std::time::Duration::from_secs(3)),
        "the caller reads the server's Retry-After"
    );
    assert_eq!(sandbox.requests().len(), 1, "not retried");

    // Other failures are still retried.
    sandbox.inject(Fault::status(503).retry_after(0));
    let answer = caller.execute_outcome(&LIST(), &Basic, &[]).unwrap();
    assert_eq!(answer.response.status(), 200);
    assert_eq!(sandbox.requests().len(), 3);
}
