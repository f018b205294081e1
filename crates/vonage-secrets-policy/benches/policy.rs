//! `cargo bench -p vonage-secrets-policy`: time per `validate` (a valid and an invalid
//! 25-character secret) and per `generate`.

use divan::black_box;
use secrecy::ExposeSecret;
use vonage_secrets_policy::{Generator, generate, validate};

fn main() {
    divan::main();
}

/// Valid: 25 characters, every class present.
const VALID: &str = "N3w-secret-value-2024-Abc";
/// Invalid: 25 characters, no digit, two spaces (two violations to build).
const INVALID: &str = "New secret value Abcdefgh";

#[divan::bench]
fn validate_valid_25() -> bool {
    validate(black_box(VALID)).is_ok()
}

#[divan::bench]
fn validate_invalid_25() -> usize {
    validate(black_box(INVALID)).map_or_else(|v| v.len(), |()| 0)
}

#[divan::bench]
fn generate_default_25() -> usize {
    generate().expose_secret().len()
}

#[divan::bench]
fn generate_length_8() -> usize {
    let generator = Generator::new().length(8).unwrap_or_default();
    generator.generate().map_or(0, |s| s.expose_secret().len())
}

#[cfg(feature = "strength")]
#[divan::bench]
fn advise_25() -> usize {
    vonage_secrets_policy::advise(black_box(VALID)).len()
}
