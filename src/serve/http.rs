//! The HTTP side (axum): the page, and a small JSON API. Every request
//! body is JSON of at most [`MAX_BODY`] bytes; a body that is too large,
//! not JSON, or not a what-if gets a 4xx with a JSON body
//! `{"error": ..., "problems": [...]}` saying why. Simulation runs off the
//! event loop (`spawn_blocking`).

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;

use super::answer::{Outcome, Runner};
use super::controls::Control;
use super::plan;
use super::whatif::{Changes, Refusal, RemedyInfo};

/// The largest request body accepted, in bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// What the handlers share.
pub struct App {
    /// The scenario, its baseline and the what-if runner.
    pub runner: Runner,
    /// The output folder (the only place the server writes).
    pub out: PathBuf,
    /// The `tiersim` program "Plan" runs (this one, when serving).
    pub tiersim: PathBuf,
    /// One plan at a time.
    pub planning: tokio::sync::Mutex<()>,
}

/// The page, in one file.
const PAGE: &str = include_str!("page.html");

/// The page's Content Security Policy, sent as a header too (the page
/// repeats it in a `<meta>`): no request but to this server, no script or
/// style from anywhere else.
pub const CSP: &str = "default-src 'none'; connect-src 'self'; style-src 'unsafe-inline'; \
                       script-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'";

/// The page with its security headers.
async fn page() -> Response {
    (
        [
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Html(PAGE),
    )
        .into_response()
}

/// The routes.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/api/scenario", get(scenario))
        .route("/api/progress", get(progress))
        .route("/api/run", post(run))
        .route("/api/save", post(save))
        .route("/api/plan", post(plan_route))
        .fallback(|| async {
            error(
                StatusCode::NOT_FOUND,
                "no such page; the API is GET /api/scenario, GET /api/progress, POST /api/run, /api/save, /api/plan",
                Vec::new(),
            )
        })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(app)
}

/// An error body.
#[derive(Serialize)]
struct ErrorBody {
    error: String,
    problems: Vec<Refusal>,
}

/// An error response with status `status`.
fn error(status: StatusCode, message: &str, problems: Vec<Refusal>) -> Response {
    (
        status,
        axum::Json(ErrorBody {
            error: message.to_string(),
            problems,
        }),
    )
        .into_response()
}

/// The what-if of a request body, or the 4xx saying why there is none.
fn changes(body: Result<Bytes, BytesRejection>) -> Result<Changes, Response> {
    let body = body.map_err(|e| {
        let status = e.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!("request body over {MAX_BODY} bytes")
        } else {
            format!("cannot read the request body: {e}")
        };
        error(status, &message, Vec::new())
    })?;
    serde_json::from_slice(&body).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            &format!(
                "malformed request: {e}; expected JSON {{\"set\": {{\"<control path>\": number, ...}}, \"remedies\": [\"<name>\", ...]}}"
            ),
            Vec::new(),
        )
    })
}

/// What the page needs to draw its controls.
#[derive(Serialize)]
struct ScenarioInfo<'a> {
    name: &'a str,
    file: &'a str,
    replications: u32,
    seed: u64,
    controls: &'a [Control],
    remedies: &'a [RemedyInfo],
    max_body: usize,
}

async fn scenario(State(app): State<Arc<App>>) -> Response {
    let s = &app.runner.session;
    axum::Json(ScenarioInfo {
        name: &s.baseline.model.name,
        file: &s.file,
        replications: s.baseline.model.run.replications,
        seed: s.baseline.model.run.seed,
        controls: &s.controls,
        remedies: &s.remedies,
        max_body: MAX_BODY,
    })
    .into_response()
}

async fn progress(State(app): State<Arc<App>>) -> Response {
    axum::Json(app.runner.progress()).into_response()
}

async fn run(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    let changes = match changes(body) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let outcome = tokio::task::spawn_blocking(move || app.runner.what_if(&changes)).await;
    match outcome {
        Ok(Outcome::Answer(a)) => axum::Json(a).into_response(),
        Ok(Outcome::Refused(r)) => refused(r),
        Ok(Outcome::Superseded) => error(
            StatusCode::CONFLICT,
            "superseded: a newer change cancelled this run",
            Vec::new(),
        ),
        Ok(Outcome::Failed(m)) => error(StatusCode::UNPROCESSABLE_ENTITY, &m, Vec::new()),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("the run failed: {e}"),
            Vec::new(),
        ),
    }
}

/// A what-if that is not a valid scenario.
fn refused(problems: Vec<Refusal>) -> Response {
    error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "the what-if is not a valid scenario",
        problems,
    )
}

async fn save(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    let changes = match changes(body) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let session = &app.runner.session;
    if let Err(r) = session.scenario(&changes) {
        return refused(r);
    }
    match session.save_text(&changes) {
        Ok(text) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/toml; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}.toml\"", session.name()),
                ),
            ],
            text,
        )
            .into_response(),
        Err(r) => refused(r),
    }
}

async fn plan_route(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    let changes = match changes(body) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Ok(_guard) = app.planning.try_lock() else {
        return error(
            StatusCode::CONFLICT,
            "a plan is already running; wait for it",
            Vec::new(),
        );
    };
    let app2 = app.clone();
    let done = tokio::task::spawn_blocking(move || {
        plan::plan(&app2.runner.session, &app2.out, &app2.tiersim, &changes)
    })
    .await;
    match done {
        Ok(Ok(plan)) => axum::Json(plan).into_response(),
        Ok(Err(plan::Failure::Refused(r))) => refused(r),
        Ok(Err(plan::Failure::Failed(m))) => {
            error(StatusCode::UNPROCESSABLE_ENTITY, &m, Vec::new())
        }
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("the plan failed: {e}"),
            Vec::new(),
        ),
    }
}
