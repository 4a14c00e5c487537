//! The HTML report in a real browser. Headless Chromium opens each example's
//! report from a `file://` URL, with every connection sent to a dead proxy
//! and every host name unresolvable, and the tests check what a teacher
//! opening it would get:
//!
//! - the page asks for nothing: Chromium's net log has no request that the
//!   page started (the browser's own background requests, an update check
//!   or a clock, are started by no page and are left out), and Chromium
//!   logs no console message (the report has no script, so any message is
//!   the browser's: a Content-Security-Policy violation is one);
//! - printed, the summary is one page and each section starts a page of its
//!   own: the report prints exactly as many pages as its summary and its
//!   sections do when each is printed alone;
//! - its screenshot is not blank: many times larger than the screenshot of
//!   an empty page of the same size.
//!
//! Each check is shown to fail when it should: a report with an image from
//! the web, with and without its Content-Security-Policy, and a report whose
//! sections do not start a page.
//!
//! Chromium is required, never skipped: without it these tests fail and say
//! how to install it (`.ci/run` does). `TIERPLAN_CHROMIUM` names another
//! binary.
//!
//! See: issue 14.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use crate::util::Test;

/// A hung browser fails the test after this long instead of hanging CI. A
/// guard, not a speed assertion: a run takes about 2 s.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The size of the screenshots.
const WINDOW: &str = "1200,1600";

/// The Chromium binary: `TIERPLAN_CHROMIUM`, or `chromium` on the `PATH`.
fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("TIERPLAN_CHROMIUM") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "TIERPLAN_CHROMIUM is {}, which is not a file",
            path.display()
        );
        return path;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromium"))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!(
                "the browser tests need Chromium, which is not on the PATH: install it \
                 (`apt-get install chromium` on Debian or Ubuntu) or set TIERPLAN_CHROMIUM \
                 to the browser's path"
            )
        })
}

/// What one run of headless Chromium left: its standard error and the
/// files it wrote, in a folder of its own.
struct Run {
    dir: TempDir,
    stderr: String,
}

impl Run {
    fn file(&self, name: &str) -> Vec<u8> {
        let path = self.dir.path().join(name);
        fs::read(&path).unwrap_or_else(|e| panic!("Chromium wrote no {}: {e}", path.display()))
    }
}

/// Open `url` in headless Chromium with `args`, cut off from any network,
/// with a new profile; `{dir}` in an argument is the run's folder. Fails
/// when Chromium fails or runs past [`TIMEOUT`].
fn chromium_run(url: &str, args: &[&str]) -> Run {
    let dir = tempfile::Builder::new()
        .prefix("tierplan-chromium-")
        .tempdir()
        .expect("create a folder for Chromium");
    let at = |arg: &str| arg.replace("{dir}", &dir.path().display().to_string());
    let stderr_path = dir.path().join("stderr.txt");
    let mut command = Command::new(chromium());
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Nothing can reach a network, even if the page asked.
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(at("--user-data-dir={dir}/profile"))
        .args(args.iter().map(|a| at(a)))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&stderr_path).expect("create Chromium's log"));
    let mut child = command.spawn().unwrap_or_else(|e| {
        panic!("cannot start Chromium ({e}): install it (`apt-get install chromium`)")
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for Chromium") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Chromium ran for more than {TIMEOUT:?} on {url}: killed");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = fs::read_to_string(&stderr_path).unwrap_or_default();
    assert!(
        status.success(),
        "Chromium failed on {url}: {status}\n{stderr}"
    );
    Run { dir, stderr }
}

/// The `file://` URL of a file.
fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// What loading a page did, and the page printed.
struct Visit {
    /// The URLs of the requests the page started.
    requests: Vec<String>,
    /// The console messages Chromium logged.
    console: Vec<String>,
    /// The page printed to PDF, Letter, without header and footer.
    pdf: Vec<u8>,
}

impl Visit {
    /// The page asked for nothing but its own file, and nothing complained.
    #[track_caller]
    fn assert_offline(&self, url: &str) {
        let other: Vec<&String> = self.requests.iter().filter(|r| *r != url).collect();
        assert!(other.is_empty(), "the page asked for {other:?}");
        assert!(
            self.console.is_empty(),
            "the browser's console has {:#?}",
            self.console
        );
    }
}

/// Load `url` with the net log and console logged, and print it to PDF.
fn visit(url: &str) -> Visit {
    let run = chromium_run(
        url,
        &[
            "--log-net-log={dir}/net.json",
            "--net-log-capture-mode=Default",
            "--enable-logging=stderr",
            "--v=0",
            "--print-to-pdf={dir}/page.pdf",
            "--no-pdf-header-footer",
        ],
    );
    let log = String::from_utf8(run.file("net.json")).expect("the net log is UTF-8");
    Visit {
        requests: page_requests(&log),
        console: console_messages(&run.stderr),
        pdf: run.file("page.pdf"),
    }
}

/// The URLs requested by a page, from a Chromium net log: the
/// `URL_REQUEST_START_JOB` events whose request has an initiator (the
/// page's origin, `null` for a file) or is keyed to a file page. The
/// browser's own requests have no initiator (`not an origin`) and a key of
/// their own. A `file://` page itself is read without the network and is
/// not in the log.
fn page_requests(log: &str) -> Vec<String> {
    let log: Value = serde_json::from_str(log).expect("the net log is JSON");
    let constant = |table: &str, name: &str| {
        log["constants"][table][name]
            .as_u64()
            .unwrap_or_else(|| panic!("the net log names no {table} {name}"))
    };
    let url_request = constant("logSourceType", "URL_REQUEST");
    let start_job = constant("logEventTypes", "URL_REQUEST_START_JOB");
    let events = log["events"].as_array().expect("the net log has events");
    events
        .iter()
        .filter(|e| e["source"]["type"].as_u64() == Some(url_request))
        .filter(|e| e["type"].as_u64() == Some(start_job))
        .filter_map(|e| {
            let params = &e["params"];
            let url = params["url"].as_str()?;
            let initiator = params["initiator"].as_str().unwrap_or_default();
            let key = params["network_isolation_key"].as_str().unwrap_or_default();
            (initiator != "not an origin" || key.contains("file://")).then(|| url.to_owned())
        })
        .collect()
}

/// The console messages in Chromium's log (`--enable-logging=stderr`):
/// `[...:INFO:CONSOLE:0] "message", source: URL (line)`. Chromium 156 logs
/// a Content-Security-Policy violation, an error in its developer tools, at
/// INFO too, so every message counts.
fn console_messages(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|line| line.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect()
}

/// The pages of a PDF: its `/Type /Page` objects (Chromium writes
/// `/Type /Page`; `/Type/Page` counts too), not the `/Type /Pages` tree.
fn pdf_pages(pdf: &[u8]) -> usize {
    let mut pages = 0;
    let mut at = 0;
    while let Some(found) = find(&pdf[at..], b"/Type") {
        at += found + b"/Type".len();
        let rest = &pdf[at..];
        let space = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let rest = &rest[space..];
        if rest.starts_with(b"/Page")
            && !rest
                .get(b"/Page".len())
                .is_some_and(u8::is_ascii_alphanumeric)
        {
            pages += 1;
        }
    }
    pages
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The pages `html` prints, written to `name` in the test folder.
fn printed_pages(t: &Test, name: &str, html: &str) -> usize {
    fs::write(t.path(name), html).expect("write a page");
    let run = chromium_run(
        &file_url(&t.path(name)),
        &["--print-to-pdf={dir}/page.pdf", "--no-pdf-header-footer"],
    );
    pdf_pages(&run.file("page.pdf"))
}

/// The report cut into pages of their own, each with the report's head:
/// the summary (all before the first section), then each section.
fn report_parts(html: &str) -> Vec<String> {
    let body = html.find("<body>").expect("a body") + "<body>".len();
    let end = html.rfind("</body>").expect("the body ends");
    let (head, tail) = (&html[..body], &html[end..]);
    let starts: Vec<usize> = html
        .match_indices("<section class=\"section\"")
        .map(|(at, _)| at)
        .collect();
    assert!(!starts.is_empty(), "the report has sections");
    let mut parts = vec![format!("{}{tail}", &html[..starts[0]])];
    for (i, &start) in starts.iter().enumerate() {
        let stop = starts.get(i + 1).copied().unwrap_or(end);
        parts.push(format!("{head}{}{tail}", &html[start..stop]));
    }
    parts
}

/// The summary prints on one page and each section starts a page: the
/// report prints as many pages as its parts do, each printed alone.
#[track_caller]
fn assert_printed_by_section(t: &Test, html: &str, pdf: &[u8]) {
    let parts: Vec<usize> = report_parts(html)
        .iter()
        .enumerate()
        .map(|(i, part)| printed_pages(t, &format!("part-{i}.html"), part))
        .collect();
    let pages = pdf_pages(pdf);
    assert_eq!(parts[0], 1, "the summary alone prints on one page");
    assert!(parts.iter().all(|&p| p >= 1), "each part prints: {parts:?}");
    assert_eq!(
        pages,
        parts.iter().sum::<usize>(),
        "the report prints as many pages as its summary and its sections alone ({parts:?}): \
         each section starts a page"
    );
}

/// A screenshot of `url` at [`WINDOW`], as PNG bytes, checked to be a PNG
/// of that size.
fn screenshot(url: &str) -> Vec<u8> {
    let run = chromium_run(
        url,
        &[
            "--screenshot={dir}/shot.png",
            &format!("--window-size={WINDOW}"),
        ],
    );
    let png = run.file("shot.png");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert_eq!(&png[12..16], b"IHDR");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!(format!("{width},{height}"), WINDOW, "the screenshot's size");
    png
}

/// The page's screenshot is not blank: it is many times larger than the
/// screenshot of an empty page of the same size (9 KB), as a page of
/// text, tables and charts is (about 200 KB).
#[track_caller]
fn assert_not_blank(t: &Test, url: &str) {
    let blank = t.path("blank.html");
    fs::write(
        &blank,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>blank</title></head><body></body></html>\n",
    )
    .expect("write an empty page");
    let blank = screenshot(&file_url(&blank)).len();
    let page = screenshot(url).len();
    assert!(
        page > 10 * blank,
        "the screenshot is {page} bytes, an empty page's {blank}: is it blank?"
    );
}

/// Write the report of `args` to `name` and check it in the browser.
fn check_report(t: &Test, args: &[&str], name: &str) {
    let mut all = vec!["plan"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", name]);
    t.run_with(&all).assert_stdout("");
    let html = t.read(name);
    let url = file_url(&t.path(name));
    let visit = visit(&url);
    visit.assert_offline(&url);
    assert_printed_by_section(t, &html, &visit.pdf);
    assert_not_blank(t, &url);
}

#[test]
fn the_example_report_asks_for_nothing_prints_a_page_per_section_and_shows() {
    let t = Test::new().quiz();
    check_report(&t, &["quiz.csv"], "plan.html");
}

#[test]
fn the_progress_report_asks_for_nothing_prints_a_page_per_section_and_shows() {
    let t = Test::new().file("progress.csv", include_str!("../examples/progress.csv"));
    check_report(&t, &["progress.csv"], "progress.html");
}

/// The example report with an image from the web just inside its body.
fn report_with_a_web_image(t: &Test) -> String {
    t.run_with(&["plan", "quiz.csv", "-o", "plan.html"]);
    t.read("plan.html").replacen(
        "<body>",
        "<body><img src=\"http://example.com/x.png\" alt=\"\">",
        1,
    )
}

#[test]
fn the_offline_check_sees_an_image_from_the_web() {
    let t = Test::new().quiz();
    let html = report_with_a_web_image(&t);
    // The report's Content-Security-Policy blocks it: no request, but the
    // console says so.
    fs::write(t.path("blocked.html"), &html).unwrap();
    let blocked = visit(&file_url(&t.path("blocked.html")));
    assert_eq!(blocked.requests, Vec::<String>::new());
    assert!(
        blocked.console.iter().any(|m| m
            .contains("Loading the image 'http://example.com/x.png' violates the following Content Security Policy directive")),
        "{:#?}",
        blocked.console
    );
    // Without the policy the page asks for it (and the dead proxy refuses).
    let policy = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">";
    assert!(html.contains(policy));
    fs::write(t.path("open.html"), html.replacen(policy, "", 1)).unwrap();
    let open = visit(&file_url(&t.path("open.html")));
    assert_eq!(open.requests, ["http://example.com/x.png"]);
    assert_eq!(open.console, Vec::<String>::new());
}

#[test]
fn the_page_count_sees_a_section_that_does_not_start_a_page() {
    let t = Test::new().quiz();
    t.run_with(&["plan", "quiz.csv", "-o", "plan.html"]);
    let rule = "section.section { break-before: page; page-break-before: always;";
    let html = t.read("plan.html");
    assert!(html.contains(rule));
    let html = html.replacen(rule, "section.section {", 1);
    let pages = printed_pages(&t, "flowing.html", &html);
    let parts: usize = report_parts(&html)
        .iter()
        .enumerate()
        .map(|(i, part)| printed_pages(&t, &format!("part-{i}.html"), part))
        .sum();
    assert!(
        pages < parts,
        "a report whose sections flow on prints {pages} pages, its parts {parts}"
    );
}
