//! The what-if page in a real browser: `tiersim serve` on the shipped
//! baseline (the binary, on a free loopback port), headless Chromium
//! driven through Debian's `chromedriver` (WebDriver, with fantoccini).
//! A person adds two juniors at lunch and checks what they would: the
//! wait falls, marked better (significant), the service map is drawn, no
//! content-security violation or script error; the page's own "Save" body
//! re-runs with `tiersim run` to the numbers the page shows. A screenshot
//! is written to `output/serve-page.png` for the docs.
//!
//! Located as the report's browser test locates Chromium; without
//! Chromium and chromedriver it prints a notice and passes, unless
//! `CI=true` (where `.ci/run` installs both), where it fails.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::common::{scratch, text, tiersim};
use crate::report::chromium;
use crate::serve::{LUNCH, baseline};

/// Debian's chromedriver (or `$TIERSIM_CHROMEDRIVER`).
fn chromedriver() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TIERSIM_CHROMEDRIVER") {
        return Some(PathBuf::from(p));
    }
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// A child process killed when the test ends, passed or not.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port free on loopback just now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `tiersim serve` on the baseline; returns it and its address.
fn serve(out: &Path) -> (Killed, String) {
    // The file as a user names it from the checkout (the page's header shows it,
    // and the screenshot is docs/serve.png).
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiersim"))
        .current_dir(baseline().parent().unwrap().parent().unwrap())
        .args([
            "serve",
            "scenarios/baseline.toml",
            "--listen",
            "127.0.0.1:0",
        ])
        .args(["--threads", "2", "--out", out.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tiersim serve starts");
    let stdout = child.stdout.take().unwrap();
    let child = Killed(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line.trim().to_string();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "serve printed {line:?}"
    );
    (child, url)
}

/// Starts chromedriver on a free port; returns it and its address.
fn driver(path: &Path) -> (Killed, String) {
    let port = free_port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed().as_secs() < 30,
            "chromedriver does not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (Killed(child), format!("http://127.0.0.1:{port}"))
}

#[test]
fn serve_page_a_manager_adds_two_juniors_and_reads_the_answer() {
    let (Some(chromium), Some(chromedriver)) = (chromium(), chromedriver()) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "chromium or chromedriver is missing on CI: .ci/run should install Debian's chromium and chromium-driver"
            );
        }
        eprintln!(
            "\n\n!!!!!!!! NOTICE: chromium or chromedriver not found: the serve page was NOT checked in a browser. \
             Install them with `apt-get install chromium chromium-driver` (as .ci/run does). !!!!!!!!\n"
        );
        return;
    };
    let dir = scratch("serve-browser");
    let (_server, url) = serve(&dir.join("out"));
    let (_driver, webdriver) = driver(&chromedriver);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (shown, saved) = rt.block_on(drive(&chromium, &webdriver, &url, &dir));

    // The saved what-if re-runs to the page's numbers.
    let file = dir.join("saved.toml");
    std::fs::write(&file, &saved).unwrap();
    let out = dir.join("rerun");
    let o = tiersim(&[
        "run",
        file.to_str().unwrap(),
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let run: Value = serde_json::from_slice(&o.stdout).unwrap();
    let wait = run["scenarios"][0]["overall"]["wait_mean"]["mean"]
        .as_f64()
        .unwrap();
    let number = shown.trim_end_matches(" min");
    let decimals = number.split_once('.').map_or(0, |(_, d)| d.len());
    assert_eq!(
        format!("{wait:.decimals$}"),
        number,
        "the page showed {shown}, the run {wait}"
    );
}

/// What the person does and sees; returns the what-if's mean wait as the
/// page shows it and the page's "Save" file.
async fn drive(chromium: &Path, webdriver: &str, url: &str, dir: &Path) -> (String, String) {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1440,1100",
                     "--disable-background-networking", "--no-first-run",
                     format!("--user-data-dir={}", dir.join("profile").display())],
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(webdriver)
        .await
        .expect("a WebDriver session");
    c.goto(url).await.unwrap();
    // Any content-security violation or script error from now on is kept.
    c.execute(
        "window.__problems = [];
         document.addEventListener('securitypolicyviolation', e => window.__problems.push('CSP ' + e.violatedDirective + ' ' + e.blockedURI));
         window.addEventListener('error', e => window.__problems.push('error ' + e.message));",
        vec![],
    )
    .await
    .unwrap();
    let verdict = |c: &fantoccini::Client| {
        let c = c.clone();
        async move {
            c.find(Locator::Id("verdict"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    wait_until(
        &c,
        "the baseline's answer",
        "document.getElementById('verdict').textContent.startsWith('No change yet')",
    )
    .await;
    // Two more juniors on the 08:00 shift (break at 12:30): typed, as a
    // person types into the box beside the slider.
    let input = c
        .find(Locator::Css(&format!(
            "input[type=number][name=\"{LUNCH}\"]"
        )))
        .await
        .unwrap();
    input.clear().await.unwrap();
    input.send_keys("6\t").await.unwrap();
    wait_until(
        &c,
        "the what-if's answer",
        "document.querySelector('tr[data-metric=\"overall.wait_mean\"]') && document.getElementById('status').textContent.startsWith('Answered') && !document.getElementById('verdict').textContent.startsWith('No change')",
    )
    .await;
    let row = c
        .find(Locator::Css("tr[data-metric=\"overall.wait_mean\"]"))
        .await
        .unwrap();
    assert_eq!(
        row.attr("data-verdict").await.unwrap().as_deref(),
        Some("better")
    );
    let cells: Vec<String> = {
        let mut v = Vec::new();
        for td in row.find_all(Locator::Css("td")).await.unwrap() {
            v.push(td.text().await.unwrap());
        }
        v
    };
    let minutes = |s: &str| s.trim_end_matches(" min").parse::<f64>().unwrap();
    assert!(minutes(&cells[2]) < minutes(&cells[1]), "{cells:?}");
    assert_eq!(cells[4], "better", "{cells:?}");
    let v = verdict(&c).await;
    assert!(v.contains("better"), "{v}");
    // The service map is drawn, with every tier.
    let map = c.find(Locator::Css("#map svg.service-map")).await.unwrap();
    let boxes = map.find_all(Locator::Css("g.node")).await.unwrap();
    assert!(boxes.len() >= 7, "{} boxes", boxes.len());
    let problems = c
        .execute("return window.__problems;", vec![])
        .await
        .unwrap();
    assert_eq!(problems, json!([]), "{problems}");
    let shot = c.screenshot().await.unwrap();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("output");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("serve-page.png"), &shot).unwrap();
    println!("screenshot: {}", folder.join("serve-page.png").display());
    // What "Save" downloads for this state.
    let saved = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/api/save', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: body()})
               .then(r => r.text()).then(done);",
            vec![],
        )
        .await
        .unwrap();
    c.close().await.unwrap();
    (cells[2].clone(), saved.as_str().unwrap().to_string())
}

/// Waits (at most 90 s) until `condition` (JavaScript) holds in the page.
async fn wait_until(c: &fantoccini::Client, what: &str, condition: &str) {
    let started = Instant::now();
    loop {
        let ok = c
            .execute(&format!("return !!({condition});"), vec![])
            .await
            .unwrap();
        if ok == json!(true) {
            return;
        }
        if started.elapsed().as_secs() > 90 {
            let status = c
                .execute(
                    "return document.getElementById('status').textContent;",
                    vec![],
                )
                .await;
            panic!("{what}: not shown within 90 s; status: {status:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
