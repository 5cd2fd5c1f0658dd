//! The web UI in a real browser: Debian's chromium, driven through chromedriver's W3C
//! WebDriver protocol (JSON over HTTP, spoken here over `std::net`). Screenshots of each page
//! go to `target/test-output/screenshots/`.
//!
//! Without chromedriver on the machine the test says so and passes, unless
//! `DATELINE_BROWSER_TESTS=required` (as `.ci/run` sets it), when it fails.

mod common;

use common::{enc, get, post_hostile, request, start_default};
use serde_json::{json, Value};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A program named by an environment variable, else the first of the usual places it is in.
fn program(env: &str, places: &[&str]) -> Option<PathBuf> {
    std::env::var_os(env).map(PathBuf::from).into_iter().chain(places.iter().map(PathBuf::from)).find(|p| p.is_file())
}

struct Driver {
    child: Child,
    addr: SocketAddr,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = request(self.addr, "DELETE", &format!("/session/{}", self.session), &[], &[]);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(driver: &Path, browser: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let started = Instant::now();
        loop {
            if std::net::TcpStream::connect(addr).is_ok() && get(addr, "/status").json()["value"]["ready"] == true {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not become ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": browser.display().to_string(),
                // The flags that keep Chromium off the network on a machine without one.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=1280,1600", format!("--user-data-dir={}", profile.path().display())],
            }
        }}});
        let r = post(addr, "/session", &caps);
        let session = r["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {r}")).to_string();
        Driver { child, addr, session, _profile: profile }
    }

    fn cmd(&self, method: &str, path: &str, body: &Value) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let v = if method == "GET" { get(self.addr, &path).json() } else { post(self.addr, &path, body) };
        assert!(v["value"].get("error").is_none(), "{method} {path}: {v}");
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", &json!({ "url": url }));
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", &Value::Null).as_str().unwrap().to_string()
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        let v = self.cmd("POST", "/elements", &json!({"using": "css selector", "value": css}));
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap_or_else(|| panic!("{css}: {v}")).to_string())
            .collect()
    }

    /// The first element that matches, waiting up to 10 s for it (a click may have started a
    /// navigation the driver does not wait for).
    fn find(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            if let Some(e) = self.find_all(css).into_iter().next() {
                return e;
            }
            if started.elapsed() > Duration::from_secs(10) {
                panic!("no element matches {css} on {}", self.url());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn text(&self, element: &str) -> String {
        self.cmd("GET", &format!("/element/{element}/text"), &Value::Null).as_str().unwrap_or("").to_string()
    }

    fn attr(&self, element: &str, name: &str) -> Option<String> {
        self.cmd("GET", &format!("/element/{element}/attribute/{name}"), &Value::Null).as_str().map(str::to_string)
    }

    fn click(&self, element: &str) {
        self.cmd("POST", &format!("/element/{element}/click"), &json!({}));
    }

    fn type_into(&self, element: &str, text: &str) {
        self.cmd("POST", &format!("/element/{element}/clear"), &json!({}));
        self.cmd("POST", &format!("/element/{element}/value"), &json!({ "text": text }));
    }

    fn script(&self, js: &str) -> Value {
        self.cmd("POST", "/execute/sync", &json!({"script": js, "args": []}))
    }

    fn screenshot(&self, name: &str) {
        let png = base64_decode(self.cmd("GET", "/screenshot", &Value::Null).as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../test-output/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

fn post(addr: SocketAddr, path: &str, body: &Value) -> Value {
    let body = body.to_string();
    request(addr, "POST", path, &[("Content-Type", "application/json")], body.as_bytes()).json()
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let v: Vec<u32> = chunk.iter().map(|&c| value(c) as u32).collect();
        let n = v.iter().enumerate().fold(0u32, |acc, (i, x)| acc | (x << (18 - 6 * i)));
        out.push((n >> 16) as u8);
        if v.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if v.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}

#[test]
fn the_ui_in_a_real_browser() {
    let driver = program("CHROMEDRIVER", &["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]);
    let browser = program("CHROMIUM", &["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
    let (Some(driver), Some(browser)) = (driver, browser) else {
        if std::env::var("DATELINE_BROWSER_TESTS").as_deref() == Ok("required") {
            panic!("DATELINE_BROWSER_TESTS=required, but chromium or chromedriver is missing (apt-get install chromium chromium-driver)");
        }
        eprintln!("skipped: no chromium/chromedriver here (apt-get install chromium chromium-driver to run it)");
        return;
    };
    let s = start_default();
    let base = format!("http://{}", s.addr);
    let d = Driver::start(&driver, &browser);

    // The article list, then an example article by search.
    d.go(&format!("{base}/"));
    assert!(d.find_all("table.list tbody tr").len() >= 10);
    d.screenshot("articles");
    // "/" focuses the search box.
    d.script("document.dispatchEvent(new KeyboardEvent('keydown', {key: '/', bubbles: true}));");
    assert_eq!(d.script("return document.activeElement && document.activeElement.id;"), "q");
    let q = d.find("#q");
    d.type_into(&q, "dock workers Rotterdam");
    d.click(&d.find("form.search button"));
    d.find("#sd-h");
    d.click(&d.find("ol.results li a"));
    d.find(".article-text");
    assert!(d.url().contains("/doc/"), "{}", d.url());

    // Marked names, dates, quotes and events, with a legend.
    assert!(!d.find_all(".article-text .m-PERSON").is_empty(), ".article-text .m-PERSON");
    assert!(!d.find_all(".article-text .m-PLACE").is_empty(), ".article-text .m-PLACE");
    assert!(!d.find_all(".article-text .t").is_empty(), ".article-text .t");
    assert!(!d.find_all(".article-text .q").is_empty(), ".article-text .q");
    assert_eq!(d.find_all(".legend span").len(), 7);
    d.screenshot("article");
    // An event trigger opens its card: codes, actors, time, status and who says so.
    let trigger = d.find(".article-text a[data-event]");
    let tip = d.attr(&trigger, "title").unwrap();
    assert!(tip.starts_with("CAMEO "), "{tip}");
    assert!(["asserted", "negated", "planned", "hypothetical"].iter().any(|s| tip.contains(s)), "status in {tip}");
    assert!(tip.contains("according to") || tip.contains("stated by the reporter"), "attribution in {tip}");
    let href = d.attr(&trigger, "href").unwrap();
    d.click(&trigger);
    let card_id = href.rsplit('#').next().unwrap().to_string();
    assert!(d.url().ends_with(&format!("#{card_id}")));
    let card = d.text(&d.find(&format!("#{card_id}")));
    for field in ["CAMEO", "Who", "To whom", "When", "According to", "Evidence"] {
        assert!(card.contains(field), "{field} missing from the card: {card}");
    }
    assert_eq!(
        d.script(&format!("return getComputedStyle(document.getElementById('{card_id}')).borderTopColor;")),
        "rgb(179, 38, 30)",
        "the opened card stands out"
    );
    d.screenshot("article-event");

    // Follow an actor link from the text.
    let person = d.find(".article-text a.m-PERSON");
    let name = d.text(&person);
    d.click(&person);
    d.find("table.aliases");
    assert!(d.url().contains("/actor/"));
    assert!(d.text(&d.find("h1")).contains(name.split_whitespace().last().unwrap()), "actor page of {name}");
    assert!(d.text(&d.find("table.aliases")).contains("first seen here") || d.find_all("table.aliases tr").len() > 1);
    d.screenshot("actor");

    // Filter events by type.
    d.go(&format!("{base}/events"));
    let all = d.text(&d.find("#event-count"));
    d.type_into(&d.find("#f-type"), "CONSULT");
    d.click(&d.find("#event-filters button[type=submit]"));
    let started = Instant::now();
    while !d.url().contains("type=CONSULT") && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(d.url().contains("type=CONSULT"));
    d.find("#event-count");
    let filtered = d.text(&d.find("#event-count"));
    assert_ne!(all, filtered, "the filter changed the list");
    for cell in d.find_all("table.events .plover") {
        assert_eq!(d.text(&cell), "CONSULT");
    }
    assert!(!d.find_all(".timeline rect").is_empty(), "a timeline by day");
    d.screenshot("events-consult");

    // The network, every kind of event.
    d.go(&format!("{base}/network?type="));
    assert!(!d.find_all("svg#network circle").is_empty());
    assert!(!d.find_all("svg#network a.edge").is_empty());
    d.screenshot("network");
    let edge = d.attr(&d.find("svg#network a.edge"), "href").unwrap();
    assert!(edge.contains("#event-"), "{edge}");

    // An article made to run script: it shows as text and nothing runs.
    let id = post_hostile(s.addr);
    d.go(&format!("{base}/doc/{id}"));
    assert!(d.text(&d.find(".article-text")).contains("<script>window.__pwned = 1</script>"));
    assert!(d.text(&d.find("h1")).contains("<script>"));
    for link in d.find_all("a") {
        let h = d.attr(&link, "href").unwrap_or_default();
        assert!(!h.to_ascii_lowercase().starts_with("javascript:"), "a javascript: link: {h}");
    }
    assert_eq!(d.find_all(".article-text img, .article-text script").len(), 0);
    d.go(&format!("{base}/search?q={}", enc("pwned")));
    assert_eq!(d.script("return typeof window.__pwned;"), "undefined", "no script from an article ran");
    d.go(&format!("{base}/doc/{id}"));
    assert_eq!(d.script("return typeof window.__pwned;"), "undefined", "no script from an article ran");
    d.screenshot("hostile-article");
}
