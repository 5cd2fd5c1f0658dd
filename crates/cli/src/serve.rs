//! `dateline serve`: the web UI and the JSON API over a store (the server itself lives in
//! `dateline-server`).

use anyhow::{bail, Result};
use clap::Args;
use dateline_server::{bind, Config};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args)]
pub struct ServeArgs {
    /// SQLite database file (created if missing: an empty store serves empty pages).
    #[arg(long, default_value = "dateline.db", env = "DATELINE_DB")]
    db: PathBuf,
    /// Address to listen on. Loopback by default; another address exposes the store to the
    /// network, so give it a --token and put TLS in front.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The secret every write must present as `Authorization: Bearer <token>`. Without one the
    /// server takes no writes (POST /api/documents answers 403).
    #[arg(long, env = "DATELINE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Largest request body, in bytes (a posted article).
    #[arg(long, default_value_t = Config::DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// Longest a request may take, in seconds, before it is answered 408.
    #[arg(long, default_value_t = Config::DEFAULT_TIMEOUT.as_secs())]
    timeout_secs: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

pub fn run(a: ServeArgs) -> Result<ExitCode> {
    if a.timeout_secs == 0 {
        bail!("--timeout-secs must be at least 1");
    }
    if a.token.as_deref().is_some_and(|t| t.len() < 16) {
        bail!("--token is too short to be a secret: give at least 16 characters (e.g. `openssl rand -hex 16`)");
    }
    let config = Config {
        db: a.db.clone(),
        addr: a.addr,
        token: a.token.clone(),
        max_body_bytes: a.max_body_bytes,
        timeout: Duration::from_secs(a.timeout_secs),
        threads: a.threads,
    };
    let server = bind(&config)?;
    let addr = server.local_addr()?;
    eprintln!(
        "dateline: serving {} at http://{addr}/ ({}); the API is described at http://{addr}/api/openapi.json. Ctrl-C stops.",
        a.db.display(),
        if a.token.is_some() { "writes need the token" } else { "read-only: no --token given" }
    );
    if !addr.ip().is_loopback() {
        eprintln!("warning: {addr} is not a loopback address: anyone who can reach it can read this store");
    }
    server.run()?;
    eprintln!("dateline: stopped");
    Ok(ExitCode::SUCCESS)
}
