//! `tiersim serve` through its API, in-process (the axum router called
//! directly, no socket): the page and its headers, the controls read from
//! the scenario, a what-if against the baseline on common random numbers
//! (no change is exactly no difference; two more juniors cut the wait,
//! marked significant), refusals placed at their control with the CLI's
//! message, malformed and oversized requests, a newer change cancelling
//! the run in progress, and "Save" writing a file that extends the
//! original with only the changes and re-runs to the page's numbers.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use tiersim::serve::{App, Changes, MAX_BODY, Runner, Session, router};
use tower::ServiceExt;

use crate::common::{scratch, text, tiersim};

/// The shipped baseline.
pub(crate) fn baseline() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml")
}

/// The app of scenario `file`, its baseline run, writing under `out`.
pub(crate) fn app(file: &Path, out: &Path) -> Arc<App> {
    let session = Session::load(file).unwrap();
    Arc::new(App {
        runner: Runner::new(session, Some(2)).unwrap(),
        out: out.to_path_buf(),
        tiersim: PathBuf::from(env!("CARGO_BIN_EXE_tiersim")),
        planning: tokio::sync::Mutex::new(()),
    })
}

/// The status, headers and body of `request` answered by `app`.
fn call(app: &Arc<App>, request: Request<Body>) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let r = router(app.clone()).oneshot(request).await.unwrap();
        let (parts, body) = r.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        (parts.status, parts.headers, bytes.to_vec())
    })
}

fn get(app: &Arc<App>, path: &str) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    call(app, Request::get(path).body(Body::empty()).unwrap())
}

fn post(app: &Arc<App>, path: &str, body: impl Into<Body>) -> (StatusCode, Vec<u8>) {
    let r = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap();
    let (s, _, b) = call(app, r);
    (s, b)
}

fn post_json(app: &Arc<App>, path: &str, body: &Value) -> (StatusCode, Value) {
    let (s, b) = post(app, path, body.to_string());
    let v = serde_json::from_slice(&b)
        .unwrap_or_else(|e| panic!("{path}: {e}: {}", String::from_utf8_lossy(&b)));
    (s, v)
}

/// The item `group.metric` of an answer.
fn item<'a>(answer: &'a Value, group: &str, metric: &str) -> &'a Value {
    answer["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["group"] == group && i["metric"] == metric)
        .unwrap_or_else(|| panic!("no item {group}.{metric}: {answer:#}"))
}

/// Two more juniors on the first shift that works through lunch.
pub(crate) const LUNCH: &str = "tier.junior.shifts.2.servers";

#[test]
fn the_page_and_the_controls_come_from_the_scenario() {
    let dir = scratch("serve-page");
    let app = app(&baseline(), &dir);
    let (status, headers, body) = get(&app, "/");
    assert_eq!(status, StatusCode::OK);
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.starts_with("default-src 'none'; connect-src 'self'"),
        "{csp}"
    );
    // Self-contained: nothing fetched from anywhere but this server (the
    // SVG namespace is a name, not a fetch).
    let page = text(&body).replace("\"http://www.w3.org/2000/svg\"", "");
    for bad in [
        "http://", "https://", "<link", "src=\"", "@import", "url(http",
    ] {
        assert!(!page.contains(bad), "the page refers to `{bad}`");
    }
    let (status, _, body) = get(&app, "/api/scenario");
    assert_eq!(status, StatusCode::OK);
    let s: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(s["replications"], 30);
    let paths: Vec<&str> = s["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    // A roster: a control per shift, none for `servers`.
    assert!(paths.contains(&LUNCH), "{paths:?}");
    assert!(!paths.contains(&"tier.junior.servers"));
    assert!(paths.contains(&"volume") && paths.contains(&"levers.kpi_pressure"));
    let lunch = s["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == LUNCH)
        .unwrap();
    assert_eq!(lunch["value"], 4.0);
    assert_eq!(lunch["integer"], true);
    let (status, _, body) = get(&app, "/nowhere");
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(text(&body).contains("/api/run"));
}

/// A chatbot's uptake per request type is a control: sending half of the
/// product-advice clients of the case study's pessimistic reading to a bot
/// that resolves no advice adds a hand-off to each of them, so
/// satisfaction falls, significantly.
#[test]
fn a_chatbot_uptake_is_a_control() {
    let dir = scratch("serve-uptake");
    let app = app(Path::new("scenarios/case-study/after.toml"), &dir);
    let (_, _, body) = get(&app, "/api/scenario");
    let s: Value = serde_json::from_slice(&body).unwrap();
    let path = "request.product_advice.bot_uptake.chatbot";
    let control = s["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == path)
        .unwrap_or_else(|| panic!("no {path} in {s:#}"));
    assert_eq!(
        (control["value"].as_f64(), control["group"].as_str()),
        (Some(0.0), Some("chatbot"))
    );
    let (status, answer) = post_json(&app, "/api/run", &json!({"set": {path: 0.5}}));
    assert_eq!(status, StatusCode::OK, "{answer:#}");
    let satisfaction = item(&answer, "overall", "satisfaction_mean");
    assert!(
        satisfaction["difference"].as_f64().unwrap() + satisfaction["ci95"].as_f64().unwrap() < 0.0,
        "{satisfaction:#}"
    );
    assert_eq!(satisfaction["verdict"], "worse");
}

#[test]
fn a_what_if_is_paired_with_the_baseline_on_the_same_clients() {
    let dir = scratch("serve-whatif");
    let app = app(&baseline(), &dir);
    // No change: the same scenario on the same clients, so every paired
    // difference is exactly zero.
    let (status, same) = post_json(&app, "/api/run", &json!({}));
    assert_eq!(status, StatusCode::OK, "{same:#}");
    for i in same["items"].as_array().unwrap() {
        assert_eq!(i["difference"].as_f64().unwrap_or(0.0), 0.0, "{i:#}");
        assert_eq!(i["verdict"], "no detectable change", "{i:#}");
    }
    assert!(same["map"].as_str().unwrap().starts_with("<svg"));
    // Two more juniors at lunch: the wait falls, and significantly.
    let (status, more) = post_json(&app, "/api/run", &json!({"set": {LUNCH: 6}}));
    assert_eq!(status, StatusCode::OK, "{more:#}");
    let wait = item(&more, "overall", "wait_mean");
    assert!(
        wait["difference"].as_f64().unwrap() + wait["ci95"].as_f64().unwrap() < 0.0,
        "{wait:#}"
    );
    assert_eq!(wait["verdict"], "better");
    assert_eq!(wait["significant"], true);
    let cost = more["staff_cost_per_hour"].as_array().unwrap();
    assert!(
        cost[1]["mean"].as_f64() > cost[0]["mean"].as_f64(),
        "{cost:?}"
    );
    assert_eq!(more["replications"], 30);
    let day = &more["day"];
    assert!(!day["labels"].as_array().unwrap().is_empty());
    // The baseline's numbers are the unchanged run's, every time.
    assert_eq!(wait["a"], item(&same, "overall", "wait_mean")["a"]);
}

#[test]
fn bad_requests_get_a_4xx_and_a_clear_body() {
    let dir = scratch("serve-bad");
    let app = app(&baseline(), &dir);
    let (status, b) = post(&app, "/api/run", "{not json");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text(&b).contains("malformed request"), "{}", text(&b));
    let (status, b) = post(&app, "/api/run", r#"{"sets": {}}"#);
    assert_eq!(status, StatusCode::BAD_REQUEST, "{}", text(&b));
    let (status, b) = post(&app, "/api/run", vec![b' '; MAX_BODY + 1]);
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(text(&b).contains("over"), "{}", text(&b));
    // Not a control, an unknown remedy, a number that is not finite.
    let (status, v) = post_json(
        &app,
        "/api/run",
        &json!({"set": {"tier.nobody.servers": 1}, "remedies": ["magic"]}),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{v:#}");
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("no remedy named `magic`")
    );
    assert!(
        problems[1]["message"]
            .as_str()
            .unwrap()
            .contains("not a control")
    );
    // A negative staffing: the CLI's message, at its control.
    let (status, v) = post_json(&app, "/api/run", &json!({"set": {LUNCH: -1}}));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    let p = &v["problems"][0];
    assert_eq!(p["control"], LUNCH, "{v:#}");
    let saved = std::fs::read_to_string(baseline()).unwrap().replacen(
        "08:00\", end = \"16:30\", servers = 4",
        "08:00\", end = \"16:30\", servers = -1",
        1,
    );
    let file = dir.join("negative.toml");
    std::fs::write(&file, saved).unwrap();
    let o = tiersim(&["check", file.to_str().unwrap()]);
    assert!(!o.status.success());
    let cli = text(&o.stderr);
    let message = p["message"].as_str().unwrap();
    assert!(cli.contains(message), "page: {message}\ncli: {cli}");
    // A share over 1.
    let (status, v) = post_json(
        &app,
        "/api/run",
        &json!({"set": {"levers.kpi_pressure": 1.5}}),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["problems"][0]["control"], "levers.kpi_pressure", "{v:#}");
    // Save refuses the same.
    let (status, _) = post_json(&app, "/api/save", &json!({"set": {LUNCH: -1}}));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[test]
fn a_newer_change_cancels_the_run_in_progress() {
    let dir = scratch("serve-cancel");
    // Many replications, so that the first run is surely still going.
    let file = dir.join("long.toml");
    let source = std::fs::read_to_string(baseline()).unwrap().replacen(
        "replications = 30",
        "replications = 400",
        1,
    );
    std::fs::write(&file, source).unwrap();
    let session = Session::load(&file).unwrap();
    let runner = Arc::new(Runner::new(session, Some(2)).unwrap());
    let first = {
        let r = runner.clone();
        std::thread::spawn(move || {
            let mut c = Changes::default();
            c.set.insert(LUNCH.into(), 5.0);
            r.what_if(&c)
        })
    };
    // Wait until it runs (progress moves), then change again.
    let started = std::time::Instant::now();
    loop {
        let p = runner.progress();
        if p.generation == 1 && p.done > 0 {
            assert!(p.done < p.total, "{p:?}");
            break;
        }
        assert!(started.elapsed().as_secs() < 120, "no progress: {p:?}");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut c = Changes::default();
    c.set.insert(LUNCH.into(), 6.0);
    let second = runner.what_if(&c);
    let first = first.join().unwrap();
    assert!(
        matches!(first, tiersim::serve::Outcome::Superseded),
        "{first:?}"
    );
    let tiersim::serve::Outcome::Answer(a) = second else {
        panic!("{second:?}");
    };
    assert_eq!(a.generation, 2);
    assert_eq!(a.replications, 400);
    let p = runner.progress();
    assert_eq!((p.generation, p.done, p.total), (2, 400, 400));
}

/// The keys of a TOML table, sorted.
fn keys(t: &toml::Table) -> Vec<&str> {
    t.keys().map(String::as_str).collect()
}

#[test]
fn save_extends_the_original_with_only_the_changes_and_reruns_to_the_same_numbers() {
    let dir = scratch("serve-save");
    let app = app(&baseline(), &dir);
    let changes = json!({"set": {LUNCH: 6, "levers.kpi_pressure": 0.5}});
    let (status, answer) = post_json(&app, "/api/run", &changes);
    assert_eq!(status, StatusCode::OK, "{answer:#}");
    let (status, body) = post(&app, "/api/save", changes.to_string());
    assert_eq!(status, StatusCode::OK);
    let saved = text(&body);
    let table: toml::Table = toml::from_str(&saved).unwrap();
    // Only the changes: the tier's roster (an array is replaced whole) and
    // the lever, beside `extends` and the name.
    assert_eq!(
        keys(&table),
        ["extends", "levers", "name", "tier"],
        "{saved}"
    );
    assert_eq!(keys(table["levers"].as_table().unwrap()), ["kpi_pressure"]);
    let tiers = table["tier"].as_array().unwrap();
    assert_eq!(tiers.len(), 1);
    assert_eq!(keys(tiers[0].as_table().unwrap()), ["name", "shifts"]);
    let file = dir.join("whatif.toml");
    std::fs::write(&file, &saved).unwrap();

    // It expands to the scenario changed by hand.
    let by_hand = std::fs::read_to_string(baseline()).unwrap().replacen(
        "08:00\", end = \"16:30\", servers = 4",
        "08:00\", end = \"16:30\", servers = 6",
        1,
    );
    let by_hand = format!("{by_hand}\n[levers]\nkpi_pressure = 0.5\n");
    let hand = dir.join("by-hand.toml");
    std::fs::write(&hand, by_hand).unwrap();
    let expand = |f: &Path| -> toml::Table {
        let o = tiersim(&["check", f.to_str().unwrap(), "--expand"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let mut t: toml::Table = toml::from_str(&text(&o.stdout)).unwrap();
        t.remove("name");
        t
    };
    assert_eq!(expand(&file), expand(&hand));

    // `tiersim run` of the saved file gives the page's numbers.
    let o = tiersim(&[
        "run",
        file.to_str().unwrap(),
        "--json",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let run: Value = serde_json::from_slice(&o.stdout).unwrap();
    let wait = &run["scenarios"][0]["overall"]["wait_mean"]["mean"];
    assert_eq!(*wait, answer["what_if"]["overall"]["wait_mean"]["mean"]);
    assert_eq!(item(&answer, "overall", "wait_mean")["b"], *wait);
}

#[test]
fn serve_refuses_bad_input_before_it_listens() {
    let dir = scratch("serve-cli");
    // A bad address: clap's message, exit 2.
    let o = tiersim(&["serve", "scenarios/baseline.toml", "--listen", "localhost"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("invalid value 'localhost' for '--listen"),
        "{}",
        text(&o.stderr)
    );
    // A missing file.
    let o = tiersim(&["serve", "scenarios/nowhere.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("scenarios/nowhere.toml"),
        "{}",
        text(&o.stderr)
    );
    // A bad scenario: exactly what `check` says, exit 2.
    let bad = "tests/bad/154-queue-capacity-negative.toml";
    let (o, c) = (tiersim(&["serve", bad]), tiersim(&["check", bad]));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(text(&o.stderr), text(&c.stderr));
    // A sweep: one scenario at a time.
    let o = tiersim(&["serve", "scenarios/sweeps/staffing.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("has a [sweep]; serve takes a scenario without one"),
        "{}",
        text(&o.stderr)
    );
    // An address already taken.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = dir.join("out");
    let o = tiersim(&[
        "serve",
        "scenarios/two-tier.toml",
        "--listen",
        &addr,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains(&format!("cannot listen on {addr}")),
        "{}",
        text(&o.stderr)
    );
    // Nothing was written.
    assert!(!out.exists());
}

#[test]
fn plan_runs_tiersim_plan_on_the_current_state_inside_the_output_folder() {
    let dir = scratch("serve-plan");
    let out = dir.join("out");
    let app = app(&baseline(), &out);
    let (status, v) = post_json(&app, "/api/plan", &json!({"set": {LUNCH: -3}}));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert!(!out.exists(), "a refused plan wrote {}", out.display());
    let (status, v) = post_json(&app, "/api/plan", &json!({"set": {LUNCH: 6}}));
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert!(v["table"].as_str().unwrap().contains("verdict:"), "{v:#}");
    assert_eq!(v["plan"]["tool"], "tiersim");
    let folder = PathBuf::from(v["folder"].as_str().unwrap());
    assert!(folder.starts_with(&out) && folder.join("plan.json").exists());
    // What was planned is the whole what-if, beside the plan.
    let saved = std::fs::read_to_string(out.join("plan/baseline-whatif.toml")).unwrap();
    assert!(saved.contains("servers = 6"), "{saved}");
    // Nothing outside the output folder.
    let entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(entries, ["out"]);
}
