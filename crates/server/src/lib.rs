//! `dateline serve`: the HTTP JSON API, the web UI and the exports, over one store.
//!
//! Owns: routes, request limits, the write token, the pool of store connections, and every
//! byte of HTML and JSON a client receives (pages in [`pages`], the API in [`api`], the
//! network drawing's layout in [`layout`]).
//!
//! Must never: annotate or store by its own rules (a posted article goes through
//! `dateline-ingest` and the standard pipeline into `Store::insert_batch`, exactly as
//! `dateline ingest` does), write article text into a page without escaping it (all HTML goes
//! through [`html::Html`]), fetch anything at run time (styles and scripts are compiled in),
//! or accept a write without the token.

mod api;
pub mod html;
pub mod layout;
mod pages;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use dateline_pipeline::Pipeline;
use dateline_store::{Store, StoreError};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// The token a write must present (`Authorization: Bearer …`); without one, the server
    /// takes no writes at all.
    pub token: Option<String>,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Longest a request may take before it is answered 408.
    pub timeout: Duration,
    /// Worker threads for the runtime (default: all cores).
    pub threads: Option<usize>,
}

impl Config {
    pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What every handler shares.
pub(crate) struct AppState {
    db: PathBuf,
    /// Read-only connections, reused: a handler takes one, or opens one when none is free.
    readers: Mutex<Vec<Store>>,
    /// The one writing connection (SQLite takes one writer at a time).
    writer: Mutex<Store>,
    /// Loaded on the first posted article: a server that only reads never pays for models.
    pipeline: OnceLock<Pipeline>,
    token: Option<String>,
    max_body_bytes: usize,
}

/// Readers kept for reuse; more may be open at once under load, and are closed after use.
const KEPT_READERS: usize = 16;

impl AppState {
    /// Runs `f` on a read-only connection, off the async workers.
    pub(crate) async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Store) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let taken = state.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let store = match taken {
                Some(s) => s,
                None => Store::open_read_only(&state.db)?,
            };
            let out = f(&store);
            let mut readers = state.readers.lock().unwrap_or_else(|p| p.into_inner());
            if readers.len() < KEPT_READERS {
                readers.push(store);
            }
            out
        })
        .await
        .map_err(|e| Error::internal(format!("a request's worker failed: {e}")))?
    }

    /// Runs `f` on the writing connection, off the async workers.
    pub(crate) async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Store, &Models) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = state.writer.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut store, &Models(&state.pipeline))
        })
        .await
        .map_err(|e| Error::internal(format!("a request's worker failed: {e}")))?
    }
}

/// The pipeline, loaded when a write first needs it (an identity merge does not).
pub(crate) struct Models<'a>(&'a OnceLock<Pipeline>);

impl Models<'_> {
    pub fn pipeline(&self) -> &Pipeline {
        self.0.get_or_init(Pipeline::standard)
    }
}

/// An error as a client sees it: a status and a message (JSON for the API, a page for the UI).
#[derive(Debug)]
pub(crate) struct Error {
    pub status: StatusCode,
    pub message: String,
}

impl Error {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Error {
        Error { status, message: message.into() }
    }
    pub fn bad_request(message: impl Into<String>) -> Error {
        Error::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn not_found(message: impl Into<String>) -> Error {
        Error::new(StatusCode::NOT_FOUND, message)
    }
    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            // A request the store refuses (an unknown identity, a merge of one with itself).
            StoreError::Invalid(why) => Error::new(StatusCode::UNPROCESSABLE_ENTITY, why),
            // An id prefix that names several documents, or none at all.
            e @ (StoreError::Ambiguous { .. } | StoreError::EmptyId) => Error::bad_request(e.to_string()),
            e => Error::internal(e.to_string()),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        (self.status, axum::Json(serde_json::json!({ "error": self.message }))).into_response()
    }
}

/// A server bound to its address, not yet serving.
pub struct Server {
    listener: std::net::TcpListener,
    router: Router,
    runtime: tokio::runtime::Runtime,
}

/// Opens the store (creating it, so an empty server works) and binds the address.
pub fn bind(config: &Config) -> Result<Server, ServeError> {
    // The writer opens (and migrates) the store first, so read-only connections find it.
    let writer = Store::open(&config.db)?;
    let state = Arc::new(AppState {
        db: config.db.clone(),
        readers: Mutex::new(Vec::new()),
        writer: Mutex::new(writer),
        pipeline: OnceLock::new(),
        token: config.token.clone().filter(|t| !t.is_empty()),
        max_body_bytes: config.max_body_bytes,
    });
    let listener =
        std::net::TcpListener::bind(config.addr).map_err(|source| ServeError::Bind { addr: config.addr, source })?;
    listener.set_nonblocking(true)?;
    let threads = config.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(threads).enable_all().build()?;
    Ok(Server { listener, router: router(state, config.timeout), runtime })
}

impl Server {
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until the process is interrupted (Ctrl-C), finishing requests in flight.
    pub fn run(self) -> Result<(), ServeError> {
        self.run_until(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }

    /// Serves until `stop` completes.
    pub fn run_until(self, stop: impl std::future::Future<Output = ()> + Send + 'static) -> Result<(), ServeError> {
        let Server { listener, router, runtime } = self;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, router).with_graceful_shutdown(stop).await?;
            Ok(())
        })
    }
}

fn router(state: Arc<AppState>, timeout: Duration) -> Router {
    let max_body = state.max_body_bytes;
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .route(
            "/assets/style.css",
            get(|| async { asset("text/css; charset=utf-8", include_str!("../assets/style.css")) }),
        )
        .route(
            "/assets/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", include_str!("../assets/app.js")) }),
        )
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), require_token_for_writes))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .with_state(state)
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "max-age=3600")], body).into_response()
}

/// Every method but GET and HEAD is a write, and needs `Authorization: Bearer <token>`.
async fn require_token_for_writes(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    match &state.token {
        None => Error::new(
            StatusCode::FORBIDDEN,
            "this server takes no writes: start it with --token (or DATELINE_TOKEN) to allow them",
        )
        .into_response(),
        Some(token) if bearer(request.headers()).is_some_and(|t| same_secret(t.as_bytes(), token.as_bytes())) => {
            next.run(request).await
        }
        Some(_) => {
            let mut r = Error::new(StatusCode::UNAUTHORIZED, "a write needs the header Authorization: Bearer <token>")
                .into_response();
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            r
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")
}

/// Compares two secrets in time that does not depend on where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Pages run no script but our own, load nothing from elsewhere, and cannot be framed.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}
