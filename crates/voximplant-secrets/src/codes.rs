//! The API's error codes this client tells apart (`error.code` of the error document).

/// Authorization failed: the key is unknown, revoked, or lacks the rights.
pub const AUTHORIZATION_FAILED: i64 = 100;
/// The token is not a well-formed JWT.
pub const INVALID_TOKEN_FORMAT: i64 = 447;
/// The token's lifetime (`exp - iat`) is refused.
pub const INVALID_TOKEN_LIFETIME: i64 = 454;
/// The token's `iat` is after the server's clock.
pub const TOKEN_ISSUED_IN_FUTURE: i64 = 455;
/// The token has expired.
pub const TOKEN_EXPIRED: i64 = 456;
