//! The HTTP routes: the embedded page, the JSON API and the event stream.
//! Every refusal is a JSON object `{"error": "..."}` with a 4xx status and
//! the same one-line, located message the command line prints.

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;
use tiny_http::{Header, Method, Request, Response};

use super::catalog::MAX_UPLOAD_BYTES;
use super::session::{Frame, Run, Settings};
use super::{App, Slot, ensemble};
use crate::output::resolved_toml;

static INDEX_HTML: &str = include_str!("assets/index.html");
static APP_JS: &str = include_str!("assets/app.js");
static STYLE_CSS: &str = include_str!("assets/style.css");

/// A response before it is sent.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    attachment: Option<String>,
}

impl Reply {
    fn json(status: u16, value: serde_json::Value) -> Self {
        Self {
            status,
            content_type: "application/json",
            body: value.to_string().into_bytes(),
            attachment: None,
        }
    }

    fn error(status: u16, message: impl Into<String>) -> Self {
        Self::json(status, json!({ "error": message.into() }))
    }

    fn bytes(content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status: 200,
            content_type,
            body: body.into(),
            attachment: None,
        }
    }
}

/// Answers one request (the stream keeps its thread until the page goes).
pub fn handle(app: &Arc<App>, mut request: Request) {
    let method = request.method().clone();
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    if let (Method::Get, ["api", "runs", id, "stream"]) = (&method, parts.as_slice()) {
        match id.parse().ok().and_then(|id| app.run(id).map(|s| (id, s))) {
            Some((id, slot)) => return stream(app, id, slot, request),
            None => {
                return send(request, Reply::error(404, format!("run {id}: no such run")));
            }
        }
    }
    let body = match read_body(&mut request) {
        Ok(body) => body,
        Err(reply) => return send(request, reply),
    };
    let reply = route(app, &method, &parts, query, &body);
    send(request, reply);
}

fn send(request: Request, reply: Reply) {
    let mut response = Response::from_data(reply.body).with_status_code(reply.status);
    let mut headers = vec![
        format!("Content-Type: {}; charset=utf-8", reply.content_type),
        "Cache-Control: no-store".to_string(),
    ];
    if let Some(name) = reply.attachment {
        headers.push(format!(
            "Content-Disposition: attachment; filename=\"{name}\""
        ));
    }
    for h in headers {
        if let Ok(h) = h.parse::<Header>() {
            response.add_header(h);
        }
    }
    // A client that went away has nothing left to hear.
    let _ = request.respond(response);
}

fn read_body(request: &mut Request) -> Result<String, Reply> {
    let mut body = Vec::new();
    request
        .as_reader()
        .take(MAX_UPLOAD_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| Reply::error(400, format!("body: cannot read it: {e}")))?;
    if body.len() > MAX_UPLOAD_BYTES {
        return Err(Reply::error(
            413,
            format!(
                "body: larger than {MAX_UPLOAD_BYTES} bytes (expected a scenario file or settings)"
            ),
        ));
    }
    String::from_utf8(body)
        .map_err(|_| Reply::error(400, "body: not UTF-8 text (expected JSON or TOML)"))
}

/// A query parameter's value.
fn param<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// Percent-decodes a query value (`%2F` → `/`, `+` → space).
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i + 1..i + 3) {
            Some(&[h, l]) if bytes[i] == b'%' => {
                hex(h).zip(hex(l)).map(|(h, l)| (h * 16 + l) as u8)
            }
            _ => None,
        };
        match (escaped, bytes[i]) {
            (Some(b), _) => {
                out.push(b);
                i += 3;
                continue;
            }
            (None, b'+') => out.push(b' '),
            (None, b) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a JSON body into `T`, with serde's path and message on failure.
fn parse<'a, T: Deserialize<'a>>(body: &'a str, what: &str) -> Result<T, Reply> {
    let de = &mut serde_json::Deserializer::from_str(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." {
            String::new()
        } else {
            format!(" field {path}:")
        };
        Reply::error(
            400,
            format!("{what}:{at} {} (expected JSON settings)", e.inner()),
        )
    })
}

fn route(app: &App, method: &Method, parts: &[&str], query: &str, body: &str) -> Reply {
    let result = match (method, parts) {
        (Method::Get, [""]) => Ok(Reply::bytes("text/html", INDEX_HTML)),
        (Method::Get, ["app.js"]) => Ok(Reply::bytes("text/javascript", APP_JS)),
        (Method::Get, ["style.css"]) => Ok(Reply::bytes("text/css", STYLE_CSS)),
        (Method::Get, ["font.ttf"]) => Ok(Reply::bytes("font/ttf", crate::plot::font::FONT_BYTES)),
        (Method::Get, ["api", "scenarios"]) => Ok(Reply::json(
            200,
            json!({ "scenarios": app.catalog.entries() }),
        )),
        (Method::Post, ["api", "scenarios"]) => upload(app, query, body),
        (Method::Get, ["api", "levers"]) => lever_table(app, query),
        (Method::Post, ["api", "runs"]) => start(app, body),
        (Method::Post, ["api", "runs", id, action]) => with_run(app, id, |slot| match *action {
            "control" => control(slot, body),
            "step" => step(slot, body),
            other => Err(Reply::error(
                404,
                format!("runs: no action {other:?} (expected control or step)"),
            )),
        }),
        (Method::Get, ["api", "runs", id]) => with_run(app, id, |slot| {
            let run = slot.run.lock().expect("run lock");
            Ok(Reply::json(
                200,
                json!({ "day": run.day(), "days": run.days(), "playing": run.playing, "speed": run.speed }),
            ))
        }),
        (Method::Delete, ["api", "runs", id]) => match id.parse() {
            Ok(id) if app.remove_run(id) => Ok(Reply::json(200, json!({ "stopped": id }))),
            _ => Err(Reply::error(404, format!("run {id}: no such run"))),
        },
        (Method::Post, ["api", "export"]) => export(app, query, body),
        (Method::Post, ["api", "ensemble"]) => ensemble_bands(app, body),
        (Method::Get, ["report", pack]) => report(pack),
        (Method::Get, _) | (Method::Post, _) | (Method::Delete, _) => Err(Reply::error(
            404,
            format!(
                "/{}: no such page or API route (expected / or /api/...)",
                parts.join("/")
            ),
        )),
        _ => Err(Reply::error(405, format!("{method}: method not allowed"))),
    };
    result.unwrap_or_else(|reply| reply)
}

fn with_run(
    app: &App,
    id: &str,
    f: impl FnOnce(&Slot) -> Result<Reply, Reply>,
) -> Result<Reply, Reply> {
    let slot = id.parse().ok().and_then(|id| app.run(id)).ok_or_else(|| {
        Reply::error(
            404,
            format!("run {id}: no such run (it ended, or the server restarted)"),
        )
    })?;
    f(&slot)
}

fn upload(app: &App, query: &str, body: &str) -> Result<Reply, Reply> {
    let name = param(query, "name")
        .map(decode)
        .unwrap_or_else(|| "upload.toml".into());
    // Only a plain file name shows in messages; paths are not the page's to give.
    let name: String = name
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .collect();
    let name = if name.is_empty() {
        "upload.toml".to_string()
    } else {
        name
    };
    let entry = app
        .catalog
        .upload(&name, body.to_string())
        .map_err(|e| Reply::error(400, e))?;
    Ok(Reply::json(201, json!(entry)))
}

fn lever_table(app: &App, query: &str) -> Result<Reply, Reply> {
    let id = param(query, "scenario")
        .map(decode)
        .ok_or_else(|| Reply::error(400, "scenario: missing (expected /api/levers?scenario=ID)"))?;
    let sc = app.catalog.load(&id, &[]).map_err(|e| match e {
        super::catalog::LoadError::Unknown(_) => Reply::error(404, e.to_string()),
        other => Reply::error(400, other.to_string()),
    })?;
    Ok(Reply::json(
        200,
        json!({
            "scenario": id,
            "name": sc.name,
            "description": sc.description,
            "seed": sc.run.seed,
            "days": sc.run.ticks,
            "levers": super::levers::levers(&sc),
        }),
    ))
}

fn start(app: &App, body: &str) -> Result<Reply, Reply> {
    let settings: Settings = parse(body, "settings")?;
    let mut run = Run::new(settings, &app.catalog).map_err(|e| Reply::error(400, e.0))?;
    let layers = run.static_layers();
    let first = run.frame(false);
    let id = app.add_run(run).map_err(|e| Reply::error(429, e))?;
    Ok(Reply::json(
        201,
        json!({ "id": id, "static": layers, "frame": first }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Control {
    action: String,
    #[serde(default)]
    speed: Option<f64>,
    /// The day to go to (`seek`).
    #[serde(default)]
    day: Option<u32>,
}

/// Most days per second asked for (0 means as fast as it can).
const MAX_SPEED: f64 = 1000.0;

fn control(slot: &Slot, body: &str) -> Result<Reply, Reply> {
    let c: Control = parse(body, "control")?;
    let mut run = slot.run.lock().expect("run lock");
    match c.action.as_str() {
        "play" => run.playing = true,
        "pause" => run.playing = false,
        "step" => run.pending = run.pending.saturating_add(1).min(1000),
        "reset" => run.reset(),
        "seek" => match c.day {
            Some(day) => run.seek(day).map_err(|e| Reply::error(400, e.0))?,
            None => {
                return Err(Reply::error(
                    400,
                    "control: field day: missing (expected the day to go to, with seek)",
                ));
            }
        },
        "speed" => match c.speed {
            Some(s) if (0.0..=MAX_SPEED).contains(&s) => run.speed = s,
            other => {
                return Err(Reply::error(
                    400,
                    format!(
                        "control: field speed: {} is out of range (expected days per second in 0..={MAX_SPEED}, 0 = as fast as possible)",
                        other.map_or("missing".into(), |s| s.to_string())
                    ),
                ));
            }
        },
        other => {
            return Err(Reply::error(
                400,
                format!(
                    "control: field action: {other:?} is unknown (expected play, pause, step, speed, reset or seek)"
                ),
            ));
        }
    }
    Ok(Reply::json(
        200,
        json!({ "day": run.day(), "playing": run.playing, "speed": run.speed }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    days: u32,
}

/// Advances the run `days` days at once (up to its last day) and returns
/// each day's metrics and events (no map layers).
fn step(slot: &Slot, body: &str) -> Result<Reply, Reply> {
    let s: Step = parse(body, "step")?;
    let mut run = slot.run.lock().expect("run lock");
    let left = run.days() - run.day();
    if s.days == 0 || s.days > left {
        return Err(Reply::error(
            400,
            format!(
                "step: field days: {} is out of range (expected 1..={left}, the days left)",
                s.days
            ),
        ));
    }
    let frames: Vec<_> = (0..s.days).filter_map(|_| run.advance(false)).collect();
    Ok(Reply::json(200, json!({ "frames": frames })))
}

fn export(app: &App, query: &str, body: &str) -> Result<Reply, Reply> {
    let settings: Settings = parse(body, "settings")?;
    let arm = match param(query, "arm") {
        None | Some("0") => 0,
        Some("1") if settings.compare.is_some() => 1,
        Some(other) => {
            return Err(Reply::error(
                400,
                format!(
                    "arm: {other:?} is not a mandate of these settings (expected 0, or 1 with compare)"
                ),
            ));
        }
    };
    let mut sc = settings
        .scenario(&app.catalog, arm)
        .map_err(|e| Reply::error(400, e.0))?;
    // A new name, so that `stabsim run` writes beside the shipped
    // scenario's outputs rather than over them.
    sc.name = format!("{}_{}", sc.name, if arm == 0 { "page" } else { "page_b" });
    sc.description = format!(
        "Exported from `stabsim serve` (scenario {}). {}",
        settings.scenario, sc.description
    );
    let text = resolved_toml(&sc).map_err(|e| Reply::error(400, format!("export: {e}")))?;
    let mut reply = Reply::bytes("text/plain", text);
    reply.attachment = Some(format!("{}.toml", sc.name));
    Ok(reply)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnsembleRequest {
    settings: Settings,
    replicates: u32,
}

fn ensemble_bands(app: &App, body: &str) -> Result<Reply, Reply> {
    let req: EnsembleRequest = parse(body, "ensemble")?;
    if !(2..=ensemble::MAX_REPLICATES).contains(&req.replicates) {
        return Err(Reply::error(
            400,
            format!(
                "ensemble: field replicates: {} is out of range (expected 2..={})",
                req.replicates,
                ensemble::MAX_REPLICATES
            ),
        ));
    }
    let Ok(_busy) = app.ensemble.try_lock() else {
        return Err(Reply::error(
            429,
            "ensemble: one is already running (expected one at a time; wait for it)",
        ));
    };
    let mut arms = Vec::new();
    for arm in 0..req.settings.arms() {
        let mut sc = req
            .settings
            .scenario(&app.catalog, arm)
            .map_err(|e| Reply::error(400, e.0))?;
        sc.run.replicates = req.replicates;
        arms.push(ensemble::bands(&sc).map_err(|e| Reply::error(400, e))?);
    }
    Ok(Reply::json(
        200,
        json!({ "replicates": req.replicates, "arms": arms }),
    ))
}

/// The comparison report of pack `pack`, as `stabsim compare` (or
/// `cargo run --release` for Gaza) wrote it under `outputs/`.
fn report(pack: &str) -> Result<Reply, Reply> {
    if pack.is_empty()
        || !pack
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(Reply::error(
            400,
            format!("report: {pack:?} is not a pack name (expected e.g. gaza)"),
        ));
    }
    let file = std::path::Path::new("outputs")
        .join(pack)
        .join("report.html");
    // A FIFO in its place would block this worker: refused as missing.
    match crate::scenario::input::read_regular(&file) {
        Ok(html) => Ok(Reply::bytes("text/html", html)),
        Err(_) => {
            let page = format!(
                "<!doctype html><meta charset=utf-8><title>No report yet</title>\
                 <body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\">\
                 <h1>No comparison report yet</h1><p>{} does not exist. Write it with \
                 <code>stabsim compare scenarios/{pack}</code> (for Gaza, <code>cargo run --release</code>) \
                 from the folder where <code>stabsim serve</code> runs, then reload.</p>",
                file.display()
            );
            let mut reply = Reply::bytes("text/html", page);
            reply.status = 404;
            Err(reply)
        }
    }
}

/// The event stream of run `id`: a frame (with the map) per day while it
/// plays or steps, a comment every second otherwise, so that a page that
/// went away is noticed; the run ends with its stream.
fn stream(app: &App, id: u64, slot: Arc<Slot>, request: Request) {
    {
        let mut streaming = slot.streaming.lock().expect("slot lock");
        if *streaming {
            drop(streaming);
            return send(
                request,
                Reply::error(409, format!("run {id}: already streamed to another page")),
            );
        }
        *streaming = true;
    }
    let mut out = request.into_writer();
    let _ = serve_stream(&slot, &mut out);
    *slot.streaming.lock().expect("slot lock") = false;
    app.remove_run(id);
}

fn serve_stream(slot: &Slot, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
    )?;
    let mut sent_day = None;
    let mut next_due = Instant::now();
    let mut last_write = Instant::now();
    loop {
        if *slot.stopped.lock().expect("slot lock") {
            return Ok(());
        }
        let message = {
            let mut run = slot.run.lock().expect("run lock");
            let now = Instant::now();
            let due = run.playing && now >= next_due;
            if due && run.speed > 0.0 && !run.finished() {
                let period = Duration::from_secs_f64(1.0 / run.speed);
                next_due = (next_due + period).max(now);
            } else if !due && (run.finished() || !run.playing) {
                next_due = now;
            }
            next_frame(&mut run, sent_day, due).map(|f| {
                sent_day = Some(f.day);
                serde_json::to_string(&f).unwrap_or_default()
            })
        };
        match message {
            Some(m) => {
                out.write_all(b"data: ")?;
                out.write_all(m.as_bytes())?;
                out.write_all(b"\n\n")?;
                out.flush()?;
                last_write = Instant::now();
                *slot.touched.lock().expect("slot lock") = last_write;
            }
            None => {
                if last_write.elapsed() > Duration::from_secs(1) {
                    out.write_all(b": ping\n\n")?;
                    out.flush()?;
                    last_write = Instant::now();
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }
}

/// The stream's next frame, if one is due: first the day a reset or seek
/// went back to (so that the page sees it even when a play follows at
/// once), then a new day while the run plays (`due`) or has steps pending,
/// else today's map if the page has not had it (stepped through the API).
fn next_frame(run: &mut Run, sent_day: Option<u32>, due: bool) -> Option<Frame> {
    if run.take_rewound() {
        return Some(run.frame(true));
    }
    if (due || run.pending > 0) && !run.finished() {
        run.pending = run.pending.saturating_sub(u32::from(!due));
        let frame = run.advance(true);
        if run.finished() {
            run.playing = false;
            run.pending = 0;
        }
        return frame;
    }
    (sent_day != Some(run.day())).then(|| run.frame(true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::catalog::{Catalog, scenario_root};

    fn run(days: u32) -> Run {
        let catalog = Catalog::shipped(&scenario_root());
        let settings: Settings =
            serde_json::from_value(json!({ "scenario": "gaza/baseline", "days": days })).unwrap();
        Run::new(settings, &catalog).unwrap()
    }

    /// A reset followed at once by a play (the page's clicks reach the
    /// server in any order the lock gives them): the stream still sends
    /// day 0 before day 1, and a seek's day before the next.
    #[test]
    fn the_day_gone_back_to_is_sent_before_any_later_day() {
        let mut r = run(10);
        let mut sent = None;
        for _ in 0..3 {
            sent = next_frame(&mut r, sent, true).map(|f| f.day);
        }
        assert_eq!(sent, Some(3));
        r.reset();
        r.playing = true;
        let days: Vec<_> = (0..2)
            .map(|_| next_frame(&mut r, sent, true).map(|f| f.day))
            .collect();
        assert_eq!(days, [Some(0), Some(1)]);

        r.seek(5).unwrap();
        r.seek(2).unwrap();
        r.playing = true;
        assert_eq!(next_frame(&mut r, Some(1), true).map(|f| f.day), Some(2));
        assert_eq!(next_frame(&mut r, Some(2), true).map(|f| f.day), Some(3));
        // Paused with today's frame sent: nothing.
        r.playing = false;
        assert!(next_frame(&mut r, Some(3), false).is_none());
    }
}
