//! End-to-end tests across the workspace crates live in `tests/`.
