//! `stabsim serve`'s API, driven over HTTP against the `stabsim` binary
//! serving on a free port (the same binary as the `stabsim run` it is
//! compared with): the scenario list, the lever table, runs that give the
//! same daily numbers as `stabsim run` with the same seed (for both mandates
//! of a side-by-side run), an exported TOML that `stabsim run` accepts and
//! that reproduces the run, bad requests refused with a 4xx and the CLI's
//! located message, the bound on concurrent runs, and a run that ends when
//! its stream's client goes away; a run beyond the memory guard refused.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A `stabsim serve --port 0` child process, killed when dropped.
struct Served {
    child: Child,
    addr: SocketAddr,
}

impl Served {
    fn start() -> Self {
        Self::spawn(Command::new(env!("CARGO_BIN_EXE_stabsim"))).expect("the address is printed")
    }

    /// Runs `command` (the binary, or a wrapper naming it) with `serve
    /// --port 0`; `None` if it did not print the address.
    fn spawn(mut command: Command) -> Option<Self> {
        let mut child = command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .ok()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // "stabsim serve: open http://127.0.0.1:PORT/ (Ctrl-C to stop)"
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|url| url.split('/').next()?.parse().ok());
        let Some(addr) = addr else {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        };
        Some(Served { child, addr })
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

thread_local! {
    /// This test's server (each test thread starts its own).
    static ADDR: std::cell::Cell<Option<SocketAddr>> = const { std::cell::Cell::new(None) };
}

fn server() -> SocketAddr {
    ADDR.with(|a| a.get()).expect("serve() first")
}

/// Starts this test's server; keep the guard alive for the test.
fn serve() -> Served {
    let served = Served::start();
    ADDR.with(|a| a.set(Some(served.addr)));
    served
}

/// One HTTP request; (status, body).
fn http(method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(server()).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).expect("response");
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers");
    let head = String::from_utf8_lossy(&bytes[..split]).to_ascii_lowercase();
    let rest = &bytes[split + 4..];
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    // tiny_http sends small bodies whole; larger ones may come chunked.
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line = rest.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = std::str::from_utf8(&rest[..line]).unwrap();
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&rest[line + 2..line + 2 + n]);
        rest = &rest[line + 2 + n + 2..];
    }
}

fn json_of(method: &str, path: &str, body: Value) -> (u16, Value) {
    let (status, text) = http(method, path, &body.to_string());
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, value)
}

/// The daily rows of replicate 0 in a `stabsim run` output folder.
fn cli_rows(args: &[&str]) -> Vec<Vec<Option<f64>>> {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_stabsim"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("run")
        .args(args)
        .args(["-n", "1", "-q", "--threads", "1", "--out"])
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success(), "stabsim run {args:?}");
    let text = std::fs::read_to_string(out.path().join("timeseries.csv")).unwrap();
    // The measures: every column but the row's keys.
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let keys = ["scenario", "replicate", "tick"];
    let measure: Vec<bool> = header.iter().map(|h| !keys.contains(h)).collect();
    text.lines()
        .skip(1)
        .map(|line| {
            line.split(',')
                .zip(&measure)
                .filter(|(_, m)| **m)
                .map(|(v, _)| v)
                .map(|v| {
                    if v.is_empty() {
                        None
                    } else {
                        Some(v.parse().unwrap())
                    }
                })
                .collect()
        })
        .collect()
}

/// Rows of arm `arm` from the creation frame and the step frames.
fn api_rows(created: &Value, stepped: &Value, arm: usize) -> Vec<Vec<Option<f64>>> {
    let row = |frame: &Value| -> Vec<Option<f64>> {
        frame["arms"][arm]["row"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::as_f64)
            .collect()
    };
    let mut rows = vec![row(&created["frame"])];
    rows.extend(stepped["frames"].as_array().unwrap().iter().map(row));
    rows
}

#[test]
fn lists_the_shipped_mission_scenarios() {
    let _served = serve();
    let (status, v) = json_of("GET", "/api/scenarios", Value::Null);
    assert_eq!(status, 200);
    let ids: Vec<&str> = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids[0], "gaza/baseline");
    assert!(ids.contains(&"gaza/force_large") && ids.contains(&"mali/baseline"));
    // Epstein scenarios have no map to animate.
    assert!(!ids.iter().any(|id| id.starts_with("epstein")));
}

#[test]
fn lever_table_has_meanings_units_ranges_and_values() {
    let _served = serve();
    let (status, v) = json_of(
        "GET",
        "/api/levers?scenario=gaza%2Fforce_large",
        Value::Null,
    );
    assert_eq!(status, 200, "{v}");
    let levers = v["levers"].as_array().unwrap();
    let force = levers
        .iter()
        .find(|l| l["key"] == "mission.mandate.force_scale")
        .unwrap();
    assert_eq!(force["unit"], "multiplier");
    assert!(force["meaning"].as_str().unwrap().contains("troops"));
    assert_eq!(
        (force["min"].as_f64(), force["max"].as_f64()),
        (Some(0.0), Some(10.0))
    );
    // force_large doubles the force: the scenario's value, not the default.
    assert_eq!(force["value"].as_f64(), Some(2.0));
    let disarm = levers
        .iter()
        .find(|l| l["key"] == "mission.mandate.disarmament")
        .unwrap();
    assert_eq!(disarm["kind"], "choice");
    assert!(
        levers
            .iter()
            .all(|l| !l["meaning"].as_str().unwrap().is_empty())
    );
}

#[test]
fn a_run_gives_the_same_numbers_as_stabsim_run_and_its_export_reproduces_it() {
    let _served = serve();
    // Past the deployment delay (30 days), so that the mandates differ.
    let days = 45;
    let settings = json!({
        "scenario": "gaza/baseline",
        "seed": 7,
        "days": days,
        "levers": {},
        "compare": { "mission.mandate.force_scale": 0.5, "mission.mandate.disarmament": "forced" },
    });
    let (status, created) = json_of("POST", "/api/runs", settings.clone());
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_u64().unwrap();
    let (status, stepped) = json_of(
        "POST",
        &format!("/api/runs/{id}/step"),
        json!({ "days": days }),
    );
    assert_eq!(status, 200, "{stepped}");
    json_of("DELETE", &format!("/api/runs/{id}"), Value::Null);
    let a = api_rows(&created, &stepped, 0);
    let b = api_rows(&created, &stepped, 1);
    assert_eq!(a.len(), days as usize + 1);
    let seed = ["--seed", "7", "--ticks", "45"];
    let cli_a = cli_rows(&[&["scenarios/gaza/baseline.toml"][..], &seed].concat());
    assert_eq!(a, cli_a, "mandate A differs from `stabsim run`");
    let set = [
        "--set",
        "mission.mandate.force_scale=0.5",
        "--set",
        "mission.mandate.disarmament=\"forced\"",
    ];
    let cli_b = cli_rows(&[&["scenarios/gaza/baseline.toml"][..], &seed, &set].concat());
    assert_eq!(b, cli_b, "mandate B differs from `stabsim run --set`");
    assert_ne!(a, b, "the two mandates ran the same");

    // The export of mandate B is a scenario `stabsim run` accepts, and
    // reproduces B's numbers.
    let (status, toml) = http("POST", "/api/export?arm=1", &settings.to_string());
    assert_eq!(status, 200, "{toml}");
    assert!(toml.contains("force_scale = 0.5") && toml.contains("disarmament = \"forced\""));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("exported.toml");
    std::fs::write(&file, &toml).unwrap();
    let sc = stabsim::scenario::load(&file, &[]).expect("the export loads");
    assert_eq!((sc.run.seed, sc.run.ticks), (7, days));
    let from_export = cli_rows(&[file.to_str().unwrap()]);
    assert_eq!(b, from_export, "the exported scenario runs differently");
}

#[test]
fn stepping_back_re_runs_the_same_days() {
    let _served = serve();
    let days = 40;
    let settings = json!({
        "scenario": "gaza/baseline",
        "seed": 11,
        "days": days,
        "compare": { "mission.mandate.force_scale": 0.5 },
    });
    let (status, created) = json_of("POST", "/api/runs", settings);
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_u64().unwrap();
    let control = |body: Value| json_of("POST", &format!("/api/runs/{id}/control"), body);
    let step = |n: u32| {
        json_of(
            "POST",
            &format!("/api/runs/{id}/step"),
            json!({ "days": n }),
        )
    };
    let (status, first) = step(days);
    assert_eq!(status, 200, "{first}");
    let first_a = api_rows(&created, &first, 0);
    let first_b = api_rows(&created, &first, 1);

    // Back to day 15: the run is there, paused, and its next 25 days are
    // the days first shown, for both mandates.
    let (status, v) = control(json!({ "action": "seek", "day": 15 }));
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (v["day"].as_u64(), v["playing"].as_bool()),
        (Some(15), Some(false))
    );
    let (status, again) = step(days - 15);
    assert_eq!(status, 200, "{again}");
    for (arm, first) in [(0, &first_a), (1, &first_b)] {
        let again: Vec<Vec<Option<f64>>> = api_rows(&created, &again, arm)[1..].to_vec();
        assert_eq!(again, first[16..], "mandate {arm}: the re-run differs");
    }

    // Forward again without the map, and the bounds of a seek.
    let (status, v) = control(json!({ "action": "seek", "day": 3 }));
    assert_eq!((status, v["day"].as_u64()), (200, Some(3)));
    let (status, v) = control(json!({ "action": "seek", "day": 30 }));
    assert_eq!((status, v["day"].as_u64()), (200, Some(30)));
    let (status, v) = control(json!({ "action": "seek", "day": days + 1 }));
    assert_eq!(status, 400, "{v}");
    assert!(
        v["error"].as_str().unwrap().contains("seek: field day: 41"),
        "{v}"
    );
    let (status, v) = control(json!({ "action": "seek" }));
    assert_eq!(status, 400, "{v}");
    assert!(
        v["error"].as_str().unwrap().contains("field day: missing"),
        "{v}"
    );
}

#[test]
fn bad_requests_get_a_4xx_and_the_clis_message() {
    let _served = serve();
    let run = |settings: Value| json_of("POST", "/api/runs", settings);
    let (status, v) = run(json!({ "scenario": "gaza/nope" }));
    assert_eq!(status, 400);
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("no scenario \"gaza/nope\""),
        "{v}"
    );

    let (status, v) = run(json!({
        "scenario": "gaza/baseline",
        "levers": { "mission.mandate.force_scale": 11 },
    }));
    assert_eq!(status, 400);
    let msg = v["error"].as_str().unwrap();
    // The loader's located message, as for `--set` on the command line.
    assert!(
        msg.starts_with("--set:")
            && msg.contains("mission.mandate.force_scale")
            && msg.contains("expected"),
        "{msg}"
    );

    let (status, v) = run(json!({ "scenario": "gaza/baseline", "levers": { "run.seed": 1 } }));
    assert_eq!(status, 400, "{v}");
    let (status, v) = run(json!({ "scenario": "gaza/baseline", "days": 0 }));
    assert_eq!(status, 400);
    assert!(v["error"].as_str().unwrap().contains("days"), "{v}");
    let (status, v) = run(json!({ "scenario": "gaza/baseline", "sed": 1 }));
    assert_eq!(status, 400);
    assert!(v["error"].as_str().unwrap().contains("sed"), "{v}");
    let (status, _) = http("POST", "/api/runs", "{not json");
    assert_eq!(status, 400);

    // A malformed upload: the loader's FILE:LINE:COL message.
    let (status, text) = http(
        "POST",
        "/api/scenarios?name=mine.toml",
        "name = \"x\"\n[run]\nticks = -3\n",
    );
    assert_eq!(status, 400);
    assert!(text.contains("mine.toml:3:"), "{text}");
    let (status, _) = http("POST", "/api/scenarios?name=e.toml", "name = \"e\"\n");
    assert_eq!(status, 400, "an Epstein scenario is refused");

    let (status, _) = http("GET", "/api/levers?scenario=nope", "");
    assert_eq!(status, 404);
    let (status, _) = http("GET", "/api/runs/999999/stream", "");
    assert_eq!(status, 404);
    let (status, _) = http("GET", "/nowhere", "");
    assert_eq!(status, 404);
    let (status, v) = json_of(
        "POST",
        "/api/ensemble",
        json!({ "settings": { "scenario": "gaza/baseline" }, "replicates": 1000 }),
    );
    assert_eq!(status, 400, "{v}");
}

#[test]
fn runs_are_bounded_and_end_with_their_stream() {
    let _served = serve();
    // Fill what is left, then ask for one more.
    let small = json!({ "scenario": "mali/baseline", "days": 30 });
    let mut ids = Vec::new();
    let refused = loop {
        let (status, v) = json_of("POST", "/api/runs", small.clone());
        if status == 429 {
            break v;
        }
        assert_eq!(status, 201, "{v}");
        ids.push(v["id"].as_u64().unwrap());
        assert!(
            ids.len() <= stabsim::serve::MAX_RUNS,
            "more runs than the bound"
        );
    };
    assert!(refused["error"].as_str().unwrap().contains("too many runs"));

    // Stream the first run, play it, read frames with the map, then go away.
    let id = ids[0];
    let mut s = TcpStream::connect(server()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "GET /api/runs/{id}/stream HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let (status, _) = json_of(
        "POST",
        &format!("/api/runs/{id}/control"),
        json!({ "action": "speed", "speed": 0 }),
    );
    assert_eq!(status, 200);
    json_of(
        "POST",
        &format!("/api/runs/{id}/control"),
        json!({ "action": "play" }),
    );
    let mut reader = BufReader::new(s.try_clone().unwrap());
    let mut frames = Vec::new();
    let mut line = String::new();
    while frames.len() < 3 {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if let Some(data) = line.strip_prefix("data: ") {
            frames.push(serde_json::from_str::<Value>(data).unwrap());
        }
    }
    assert!(
        frames[0]["arms"][0]["cells"].is_string(),
        "frames carry the map"
    );
    assert!(frames[2]["day"].as_u64() > frames[0]["day"].as_u64());
    drop(reader);
    drop(s);
    let gone = Instant::now();
    loop {
        let (status, _) = http("GET", &format!("/api/runs/{id}"), "");
        if status == 404 {
            break;
        }
        assert!(
            gone.elapsed() < Duration::from_secs(10),
            "run outlived its stream"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    for id in &ids[1..] {
        let (status, _) = http("DELETE", &format!("/api/runs/{id}"), "");
        assert_eq!(status, 200);
    }
}

#[test]
fn the_page_and_its_assets_are_embedded() {
    let _served = serve();
    let (status, html) = http("GET", "/", "");
    assert_eq!(status, 200);
    assert!(html.contains("Mandate levers") && html.contains("/app.js"));
    let (status, js) = http("GET", "/app.js", "");
    assert_eq!(status, 200);
    assert!(js.contains("EventSource"));
    let (status, _) = http("GET", "/font.ttf", "");
    assert_eq!(status, 200);
}

/// The memory guard of `serve`: under a 3 GB address space, a run whose
/// world it cannot hold (an uploaded 4,000 × 4,000 mission world, about
/// 3.5 GB by the estimate) is refused with the guard's message, and the
/// server goes on serving.
#[cfg(target_os = "linux")]
#[test]
fn a_run_beyond_the_memory_guard_is_refused_and_serving_goes_on() {
    let mut prlimit = Command::new("prlimit");
    prlimit.args(["--as=3000000000", env!("CARGO_BIN_EXE_stabsim")]);
    let Some(served) = Served::spawn(prlimit) else {
        return; // no prlimit here, or no permission to set the limit
    };
    ADDR.with(|a| a.set(Some(served.addr)));
    let big = "name = \"big\"\n[world]\nwidth = 4000\nheight = 4000\ntopology = \"bounded\"\n\
               [citizens]\nvision = 1\n[mission]\ncell_km = 1.0\n";
    let (status, text) = http("POST", "/api/scenarios?name=big.toml", big);
    assert_eq!(status, 201, "{text}");
    let entry: Value = serde_json::from_str(&text).unwrap();
    let (status, v) = json_of("POST", "/api/runs", json!({ "scenario": entry["id"] }));
    assert_eq!(status, 400, "{v}");
    let msg = v["error"].as_str().unwrap();
    assert!(
        msg.starts_with("big: this batch would need about")
            && msg.contains("the address-space limit (ulimit -v)"),
        "{msg}"
    );
    let (status, _) = http("GET", "/api/scenarios", "");
    assert_eq!(status, 200);
    let (status, v) = json_of(
        "POST",
        "/api/runs",
        json!({ "scenario": "gaza/baseline", "days": 5 }),
    );
    assert!((200..300).contains(&status), "{v}");
}
