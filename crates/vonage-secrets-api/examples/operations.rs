//! Prints the operations the spec defines, as the generated code knows them.
//!
//! `cargo run -p vonage-secrets-api --example operations`

fn main() {
    println!(
        "{:<20} {:<7} {:<42} idempotent",
        "operationId", "method", "path"
    );
    for info in vonage_secrets_api::operations::ALL {
        println!(
            "{:<20} {:<7} {:<42} {}",
            info.operation_id, info.method, info.path_template, info.idempotent
        );
    }
}
