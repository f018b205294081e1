//! End-to-end tests across the workspace's crates; they live in `tests/tests/`.
//!
//! `wire_contract.rs` carries the generated operations of `vonage-secrets-api` over real HTTP to
//! `vonage-secrets-sandbox`, whose wire format is written independently of the generated types:
//! every answer the sandbox gives must parse into the variant the spec documents for it, so the
//! spec, the generated code and the sandbox check each other.
