//! The retry policy: which failures are worth another attempt, and how long to wait first.
//!
//! Only idempotent operations ([`Metadata::idempotent`](vonage_secrets_runtime::Metadata)) are
//! retried, after a connection failure or one of the statuses below, with exponential backoff
//! and full jitter, honouring `Retry-After`, within the call's budget.

use std::time::Duration;

use http::StatusCode;

/// The longest `Retry-After` the transport honours.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(30);
/// The first backoff step (before jitter); doubled on each retry.
const BACKOFF_BASE: Duration = Duration::from_millis(250);
/// The largest backoff step (before jitter).
const BACKOFF_CAP: Duration = Duration::from_secs(8);

/// Whether a status says the caller sent too many requests (429): the answer a shared
/// back-off across several workers waits on.
pub fn is_rate_limited(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
}

/// Whether a status says "try again later": 429 Too Many Requests, 502 Bad Gateway, 503
/// Service Unavailable and 504 Gateway Timeout. The generic policy of any HTTP API, not a
/// status the specs document.
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// The server's `Retry-After` in seconds, if it sent one (the HTTP-date form is not read).
pub fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    headers
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// How long to wait before the next attempt, or `None` when the budget does not allow one.
///
/// Full jitter: a uniform random delay between zero and `base * 2^(attempt-1)` (capped). A
/// `Retry-After` from the server replaces it (capped at [`RETRY_AFTER_CAP`]); when that is
/// longer than the remaining budget, the transport gives up at once instead of sleeping into
/// a timeout.
pub fn retry_delay(
    attempt: u32,
    retry_after: Option<Duration>,
    budget_left: Duration,
) -> Option<Duration> {
    let delay = match retry_after {
        Some(after) => after.min(RETRY_AFTER_CAP),
        None => {
            let ceiling = BACKOFF_BASE
                .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
                .min(BACKOFF_CAP);
            let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
            Duration::from_millis(fastrand::u64(0..=millis))
        }
    };
    // Keep some of the budget for the attempt itself.
    if delay >= budget_left {
        None
    } else {
        Some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delay_is_full_jitter_within_the_exponential_ceiling() {
        for attempt in 1..=6 {
            let ceiling = BACKOFF_BASE
                .saturating_mul(1 << (attempt - 1))
                .min(BACKOFF_CAP);
            for _ in 0..200 {
                let d = retry_delay(attempt, None, Duration::from_secs(60)).unwrap();
                assert!(d <= ceiling, "attempt {attempt}: {d:?} > {ceiling:?}");
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_capped_and_never_beyond_the_budget() {
        let budget = Duration::from_secs(60);
        assert_eq!(
            retry_delay(1, Some(Duration::from_secs(2)), budget),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            retry_delay(1, Some(Duration::from_secs(3600)), budget),
            Some(RETRY_AFTER_CAP)
        );
        assert_eq!(
            retry_delay(1, Some(Duration::from_secs(5)), Duration::from_secs(4)),
            None
        );
    }
}
