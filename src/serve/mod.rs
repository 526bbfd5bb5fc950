//! `stabsim serve`: the model in the browser. A small synchronous HTTP
//! server (`tiny_http`, one thread per request) serves one page, embedded
//! in the binary with its script, style and font, and a JSON API over the
//! same core as the command line: the CLI's scenario loader and messages
//! ([`catalog`]), the mandate levers with their documented meaning
//! ([`levers`]), runs stepped a day at a time by the mission model and
//! streamed as compact frames over server-sent events ([`session`]), and
//! ensembles through the batch code ([`ensemble`]).
//!
//! Routes ([`routes`]): `GET /` (the page), `GET /api/scenarios`,
//! `POST /api/scenarios` (upload a TOML), `GET /api/levers?scenario=ID`,
//! `POST /api/runs` (settings → a run), `GET /api/runs/ID/stream` (SSE),
//! `POST /api/runs/ID/control` (play, pause, speed, reset, seek to a day),
//! `POST /api/runs/ID/step` (N days), `DELETE /api/runs/ID`,
//! `POST /api/export` (settings → scenario TOML), `POST /api/ensemble`,
//! `GET /report/PACK` (the comparison report under `outputs/`).
//!
//! Bounds: at most [`MAX_RUNS`] runs at once (a run ends when its stream's
//! client goes away, on `DELETE`, or after [`IDLE_LIMIT`] without a stream
//! or request), [`session::MAX_DAYS`] days each, one ensemble at a time of
//! at most [`ensemble::MAX_REPLICATES`] replicates.

pub mod catalog;
pub mod ensemble;
pub mod levers;
pub mod routes;
pub mod session;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use catalog::Catalog;
use session::Run;

/// Most runs alive at once.
pub const MAX_RUNS: usize = 4;

/// A run with no stream attached and no request for this long is dropped.
pub const IDLE_LIMIT: Duration = Duration::from_secs(600);

/// A live run and its bookkeeping.
pub struct Slot {
    /// The run.
    pub run: Mutex<Run>,
    /// Last request or stream write.
    pub touched: Mutex<Instant>,
    /// Whether a stream is attached (a second one is refused).
    pub streaming: Mutex<bool>,
    /// Set when the run is stopped, so that its stream ends.
    pub stopped: Mutex<bool>,
}

/// The server's state, shared by every request thread.
pub struct App {
    /// Scenarios on offer.
    pub catalog: Catalog,
    /// Live runs by id.
    pub runs: Mutex<HashMap<u64, Arc<Slot>>>,
    next_id: AtomicU64,
    /// Held while an ensemble runs (one at a time).
    pub ensemble: Mutex<()>,
}

impl App {
    /// A server over the scenarios of `catalog`.
    pub fn new(catalog: Catalog) -> Self {
        Self {
            catalog,
            runs: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            ensemble: Mutex::new(()),
        }
    }

    /// Adds a run, or says why not (too many already): drops idle runs first.
    pub fn add_run(&self, run: Run) -> Result<u64, String> {
        let mut runs = self.runs.lock().expect("runs lock");
        runs.retain(|_, slot| {
            let idle = slot.touched.lock().expect("slot lock").elapsed() > IDLE_LIMIT;
            let streaming = *slot.streaming.lock().expect("slot lock");
            streaming || !idle
        });
        if runs.len() >= MAX_RUNS {
            return Err(format!(
                "too many runs: {MAX_RUNS} are already running (expected at most {MAX_RUNS} at once; \
                 close another page or wait for a run to end)"
            ));
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        runs.insert(
            id,
            Arc::new(Slot {
                run: Mutex::new(run),
                touched: Mutex::new(Instant::now()),
                streaming: Mutex::new(false),
                stopped: Mutex::new(false),
            }),
        );
        Ok(id)
    }

    /// The live run `id`, touched.
    pub fn run(&self, id: u64) -> Option<Arc<Slot>> {
        let slot = self.runs.lock().expect("runs lock").get(&id).cloned()?;
        *slot.touched.lock().expect("slot lock") = Instant::now();
        Some(slot)
    }

    /// Stops and drops run `id`; whether it was alive.
    pub fn remove_run(&self, id: u64) -> bool {
        match self.runs.lock().expect("runs lock").remove(&id) {
            Some(slot) => {
                *slot.stopped.lock().expect("slot lock") = true;
                true
            }
            None => false,
        }
    }
}

/// How `stabsim serve` was asked to start.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on (127.0.0.1 unless told otherwise).
    pub host: String,
    /// Port (0: any free port).
    pub port: u16,
    /// Scenario the page starts on, if given.
    pub scenario: Option<String>,
}

/// A server bound to its address, not yet serving.
pub struct Server {
    http: tiny_http::Server,
    app: Arc<App>,
    addr: SocketAddr,
    /// The page's address (with the starting scenario, if any).
    pub url: String,
}

impl Server {
    /// Binds the address and reads the scenario catalogue; a message if the
    /// port is taken or the starting scenario is unknown.
    pub fn bind(opts: &ServeOptions, catalog: Catalog) -> Result<Self, String> {
        let start = match &opts.scenario {
            Some(id) => {
                catalog.entry(id).map_err(|e| e.to_string())?;
                format!("?scenario={id}")
            }
            None => String::new(),
        };
        let http = tiny_http::Server::http((opts.host.as_str(), opts.port))
            .map_err(|e| format!("{}:{}: cannot listen: {e}", opts.host, opts.port))?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| "cannot listen on an IP address".to_string())?;
        Ok(Self {
            http,
            app: Arc::new(App::new(catalog)),
            url: format!("http://{addr}/{start}"),
            addr,
        })
    }

    /// The bound address (its port is the real one when 0 was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves requests until the process ends, one thread per request.
    pub fn run(self) {
        for request in self.http.incoming_requests() {
            let app = Arc::clone(&self.app);
            std::thread::spawn(move || routes::handle(&app, request));
        }
    }
}
