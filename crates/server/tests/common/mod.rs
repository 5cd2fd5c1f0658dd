//! What the server's tests share: a store of our example articles, a server on a free
//! loopback port, and a small HTTP/1.1 client over `std::net` (real sockets, no mocks).

#![allow(dead_code)]

use dateline_pipeline::Pipeline;
use dateline_server::{bind, Config};
use dateline_store::{Encoded, Store};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

pub const TOKEN: &str = "test-token-0123456789abcdef";

/// The bundled example articles, annotated and stored once per test binary, then copied for
/// each server so tests that write do not disturb the others.
fn example_store() -> &'static Path {
    static STORE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = STORE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("examples.db");
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let pipeline = Pipeline::standard();
        let mut docs = Vec::new();
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(&examples).expect("examples/").map(|e| e.expect("entry").path()).collect();
        entries.sort();
        for file in entries {
            for doc in dateline_ingest::read_path(&file) {
                let mut doc = doc.expect("example article reads");
                pipeline.annotate(&mut doc);
                docs.push(Encoded::new(doc));
            }
        }
        let mut store = Store::open(&path).expect("store");
        store.insert_batch(&docs, false).expect("insert");
        drop(store);
        (dir, path)
    });
    path
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub db: PathBuf,
    _dir: tempfile::TempDir,
}

/// A server over a fresh copy of the example store.
pub fn start(token: Option<&str>, max_body_bytes: usize) -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store.db");
    std::fs::copy(example_store(), &db).expect("copy store");
    let config = Config {
        db: db.clone(),
        addr: "127.0.0.1:0".parse().unwrap(),
        token: token.map(str::to_string),
        max_body_bytes,
        timeout: Duration::from_secs(30),
        threads: Some(2),
    };
    let server = bind(&config).expect("bind");
    let addr = server.local_addr().expect("address");
    std::thread::spawn(move || server.run_until(std::future::pending()));
    TestServer { addr, db, _dir: dir }
}

pub fn start_default() -> TestServer {
    start(Some(TOKEN), Config::DEFAULT_MAX_BODY_BYTES)
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// One HTTP/1.1 request on its own connection.
pub fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // A server may answer (413) before it has read a large body: a failed write is fine.
    let _ = stream.write_all(body);
    read_reply(&mut stream)
}

pub fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path, &[], &[])
}

/// Reads one reply: to its Content-Length, its last chunk, or the end of the connection
/// (a peer may keep the connection open whatever the request asked).
fn read_reply(stream: &mut TcpStream) -> Reply {
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let split = loop {
        if let Some(p) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = stream.read(&mut buf).expect("reading a reply");
        assert!(n > 0, "the connection closed before a reply head: {}", String::from_utf8_lossy(&raw));
        raw.extend_from_slice(&buf[..n]);
    };
    let head = std::str::from_utf8(&raw[..split]).expect("ASCII head").to_string();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_string(), v.trim().to_string())).collect();
    let find = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let mut body = raw[split + 4..].to_vec();
    let chunked = find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    let length: Option<usize> = find("content-length").and_then(|v| v.parse().ok());
    let complete = |body: &[u8]| match (chunked, length) {
        (true, _) => body.windows(5).any(|w| w == b"0\r\n\r\n"),
        (false, Some(n)) => body.len() >= n,
        (false, None) => false,
    };
    while !complete(&body) {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&buf[..n]),
        }
    }
    if chunked {
        body = dechunk(&body);
    }
    if let Some(n) = length {
        body.truncate(n);
    }
    Reply { status, headers, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().split(';').next().unwrap().trim(), 16)
            .expect("chunk size");
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// An article written for these tests whose text and title try to run script in a page.
pub const HOSTILE_TEXT: &str = "Council vote <script>window.__pwned = 1</script> stirs protest\n\n\
    LISBON - Members of the Harbour Council met on Tuesday with the transport minister Rui Tavares, \
    officials said. A note left at the door read <img src=x onerror=\"window.__pwned = 2\"> and a \
    poster showed <a href=\"javascript:window.__pwned=3\">click here</a> beside the logo.\n\n\
    \"We will not be moved by threats,\" Tavares said after the meeting.\n";

/// Posts an article with the token; returns the reply.
pub fn post_article(addr: SocketAddr, query: &str, content_type: &str, body: &[u8]) -> Reply {
    let auth = format!("Bearer {TOKEN}");
    request(
        addr,
        "POST",
        &format!("/api/documents{query}"),
        &[("Content-Type", content_type), ("Authorization", &auth)],
        body,
    )
}

/// Stores [`HOSTILE_TEXT`] with a `javascript:` source address; returns its id.
pub fn post_hostile(addr: SocketAddr) -> String {
    let body =
        serde_json::json!({"text": HOSTILE_TEXT, "url": "javascript:window.__pwned=4", "published": "2025-03-04"});
    let r = post_article(addr, "", "application/json", body.to_string().as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["documents"][0]["id"].as_str().unwrap().to_string()
}
