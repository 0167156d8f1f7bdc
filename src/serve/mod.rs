//! `tiersim serve`: a what-if page for managers. A local web server (axum
//! on tokio: a well-kept HTTP stack, no hand-written HTTP) serves one
//! self-contained page (styles and script inline, no network) and a small
//! JSON API. The scenario is read and validated once; its baseline is run
//! once; every change on the page reruns the changed scenario on the same
//! random clients and answers with the paired differences (the report's
//! headline rules), the day, the staff cost and the service map.
//!
//! Sits beside `cli` (it is a command): uses `plan` (through the binary),
//! `report`, `experiment` and `scenario`; nothing below depends on it.

mod answer;
mod controls;
mod http;
mod plan;
mod whatif;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};

pub use answer::{Answer, ItemView, Outcome, Progress, Runner};
pub use controls::{Control, VOLUME};
pub use http::{App, CSP, MAX_BODY, router};
pub use whatif::{Changes, Refusal, Session};

/// How to serve.
#[derive(Clone, Debug)]
pub struct Options {
    /// The scenario file.
    pub scenario: PathBuf,
    /// The address to listen on.
    pub listen: SocketAddr,
    /// Open the page in the default browser.
    pub open: bool,
    /// Worker threads for the simulation (one per core when `None`).
    pub threads: Option<usize>,
    /// The output folder (plans are written there, nothing elsewhere).
    pub out: Option<PathBuf>,
}

/// Serves the page until `stop` is set (Ctrl-C). The address is taken
/// first, so that a bad one fails before the baseline is run.
pub fn serve(options: &Options, stop: &'static AtomicBool) -> Result<()> {
    let session = Session::load(&options.scenario)?;
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("serve-{}", session.name())));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server's threads")?;
    let listener = rt
        .block_on(tokio::net::TcpListener::bind(options.listen))
        .with_context(|| format!("cannot listen on {}", options.listen))?;
    let addr = listener.local_addr()?;
    eprintln!(
        "running the baseline of {} ({} replications)...",
        session.file, session.baseline.model.run.replications
    );
    let runner = Runner::new(session, options.threads)?;
    let app = Arc::new(App {
        runner,
        out,
        tiersim: std::env::current_exe().context("cannot find this program (for Plan)")?,
        planning: tokio::sync::Mutex::new(()),
    });
    announce(addr);
    if options.open {
        open(addr);
    }
    rt.block_on(async {
        axum::serve(listener, router(app))
            .with_graceful_shutdown(async move {
                while !stop.load(Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            })
            .await
            .context("the server stopped")
    })
}

/// Says where the page is, and warns when anyone else can reach it.
fn announce(addr: SocketAddr) {
    if addr.ip().is_loopback() {
        eprintln!(
            "listening on loopback only ({addr}): only this machine can open the page; Ctrl-C stops"
        );
    } else {
        eprintln!(
            "warning: listening on {addr}, which is not loopback: anyone who can reach this address can \
             open the page and run simulations on this machine; the page has no authentication"
        );
    }
    // The one line on stdout: the address (scripts and tests read it).
    println!("http://{addr}/");
}

/// Opens the page in the desktop's browser (`xdg-open`), or says how.
fn open(addr: SocketAddr) {
    let url = format!("http://{addr}/");
    match std::process::Command::new("xdg-open").arg(&url).spawn() {
        // Reaped when it exits, not left behind.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => eprintln!("note: cannot open a browser ({e}); open {url} yourself"),
    }
}
