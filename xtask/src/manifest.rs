//! `openapi/codegen.toml`: the targets `cargo xtask codegen` generates.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The manifest, relative to the workspace root.
pub const MANIFEST_PATH: &str = "openapi/codegen.toml";

/// The manifest: one [`Target`] per API.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The targets, in the order they are generated.
    #[serde(rename = "target")]
    pub targets: Vec<Target>,
}

/// One API: a spec file and the crate it generates into.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Target {
    /// The generated crate's package name; names the target in messages.
    pub name: String,
    /// The spec, relative to the workspace root (OpenAPI 3.0 or 3.1, YAML or JSON).
    pub spec: String,
    /// The crate's folder, relative to the workspace root; the files go to `src/generated/` in it.
    #[serde(rename = "crate")]
    pub crate_dir: String,
    /// The operationIds to generate, in any order (the spec's order is kept). A spec may hold
    /// more operations than the crate wants.
    pub operations: Vec<String>,
    /// Also generate progenitor's async reqwest client (`async_client.rs`, feature `async`).
    #[serde(default)]
    pub async_client: bool,
    /// Also generate progenitor's typed httpmock helpers (`httpmock.rs`, feature `mock`).
    #[serde(default)]
    pub mocks: bool,
}

impl Target {
    /// Where the generated files go, relative to the workspace root.
    pub fn generated_dir(&self) -> String {
        format!("{}/src/generated", self.crate_dir.trim_end_matches('/'))
    }
}

impl Manifest {
    /// Parses a manifest's text.
    pub fn parse(text: &str) -> Result<Self> {
        let manifest: Manifest = toml::from_str(text).context("the manifest is not valid")?;
        let mut names = std::collections::BTreeSet::new();
        for target in &manifest.targets {
            if !names.insert(&target.name) {
                bail!("the manifest names the target `{}` twice", target.name);
            }
            if target.operations.is_empty() {
                bail!(
                    "target `{}`: `operations` is empty; list the operationIds to generate",
                    target.name
                );
            }
        }
        if manifest.targets.is_empty() {
            bail!("the manifest has no [[target]]");
        }
        Ok(manifest)
    }

    /// Reads `openapi/codegen.toml` under `root`.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(MANIFEST_PATH);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("in {MANIFEST_PATH}"))
    }
}
