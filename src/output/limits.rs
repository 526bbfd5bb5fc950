//! How much memory this process may really use: the least of physical
//! memory, the cgroup's memory limit (v1 or v2: containers, SLURM jobs), the
//! address-space limit (`ulimit -v`, RLIMIT_AS) and the data-segment limit
//! (`ulimit -d`, RLIMIT_DATA, which Linux applies to every private mapping
//! since 4.7, so to the heap whatever the allocator does). A guard that looked at physical memory
//! alone accepted a batch that then aborted under an 8 GB cgroup limit.
//! Linux only; elsewhere nothing is known and nothing is refused.

use std::fs;
use std::path::Path;

/// A memory limit and what sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryLimit {
    /// Bytes.
    pub bytes: u64,
    /// What sets it, for messages: "physical memory", "the cgroup memory
    /// limit", "the address-space limit (ulimit -v)" or "the data-segment
    /// limit (ulimit -d)".
    pub source: &'static str,
}

/// The tightest known memory limit of this process, if any is known.
pub fn memory_limit() -> Option<MemoryLimit> {
    let read = |p: &str| fs::read_to_string(p).ok();
    let mut limits = Vec::new();
    if let Some(bytes) = read("/proc/meminfo").and_then(|t| meminfo_total(&t)) {
        limits.push(MemoryLimit {
            bytes,
            source: "physical memory",
        });
    }
    if let Some(bytes) = read("/proc/self/cgroup").and_then(|t| cgroup_limit(&t)) {
        limits.push(MemoryLimit {
            bytes,
            source: "the cgroup memory limit",
        });
    }
    if let Some(text) = read("/proc/self/limits") {
        let rlimits = [
            ("Max address space", "the address-space limit (ulimit -v)"),
            ("Max data size", "the data-segment limit (ulimit -d)"),
        ];
        for (name, source) in rlimits {
            if let Some(bytes) = soft_limit(&text, name) {
                limits.push(MemoryLimit { bytes, source });
            }
        }
    }
    limits.into_iter().min_by_key(|l| l.bytes)
}

/// Share of the tightest limit a batch may be estimated to need: the
/// estimate is an upper bound, but the allocator and the binary need room.
pub const MEMORY_SHARE: f64 = 0.8;

/// Refuses a batch of `scenario` on `threads` worker threads (0 = one per
/// core) whose estimated peak memory ([`super::estimated_peak_bytes`])
/// exceeds [`MEMORY_SHARE`] of [`memory_limit`], with a message naming the
/// limit and what sets it. `frames`: whether the command may record map
/// frames (`run` and `compare` unless `--outputs minimal`). Every command
/// that allocates worlds calls it before allocating; where no limit is
/// known, nothing is refused.
pub fn check_batch_memory(
    scenario: &crate::scenario::Scenario,
    threads: usize,
    frames: bool,
) -> Result<(), String> {
    check_need(
        &scenario.name,
        "this batch",
        super::estimated_peak_bytes(scenario, threads, frames),
    )
}

/// [`check_batch_memory`] for a shard (`--shard K/N`), which holds no
/// per-tick summary and draws no map: a shard refused at the whole batch's
/// estimate (2 GiB for a shard that needed 31 MB) could not run where a
/// cluster node had room for it.
pub fn check_shard_memory(
    scenario: &crate::scenario::Scenario,
    threads: usize,
) -> Result<(), String> {
    check_need(
        &scenario.name,
        "this shard",
        super::estimated_shard_peak_bytes(scenario, threads),
    )
}

/// [`check_batch_memory`] for `stabsim merge` on `threads`, which
/// aggregates every replicate into the per-tick summary, as one machine's
/// run does, and runs replicate 0 again for its map.
pub fn check_merge_memory(
    scenario: &crate::scenario::Scenario,
    threads: usize,
) -> Result<(), String> {
    check_need(
        &scenario.name,
        "merging these shards",
        super::estimated_merge_peak_bytes(scenario, threads),
    )
}

/// Refuses `need` bytes when they exceed [`MEMORY_SHARE`] of the tightest
/// limit, naming it: `what` ("this batch") would need about … .
fn check_need(name: &str, what: &str, need: u64) -> Result<(), String> {
    let Some(limit) = memory_limit() else {
        return Ok(());
    };
    if need as f64 <= MEMORY_SHARE * limit.bytes as f64 {
        return Ok(());
    }
    let gib = |b: u64| b as f64 / f64::from(1u32 << 30);
    Err(format!(
        "{name}: {what} would need about {:.1} GiB of memory, more than {:.0} % of the {:.1} GiB \
         that {} allows (expected fewer run.ticks, a smaller world, or fewer --threads)",
        gib(need),
        MEMORY_SHARE * 100.0,
        gib(limit.bytes),
        limit.source
    ))
}

/// Share of a batch's extrapolated CPU time that [`check_batch_time`]
/// takes as certain: a batch is refused only when a quarter of what a short
/// run of replicate 0 extrapolates to exceeds the limit, so a model whose
/// first ticks cost up to four times its later ones, or a timer's noise,
/// never refuses a batch that would have finished.
pub const CPU_TIME_SHARE: f64 = 0.25;

/// Ticks of replicate 0 timed to extrapolate a replicate's CPU time.
const CALIBRATION_TICKS: u32 = 8;

/// The CPU seconds this process may still use under its soft CPU-time
/// limit (`ulimit -t`, RLIMIT_CPU, which ends it with SIGXCPU), if it has
/// one. Linux only.
pub fn cpu_seconds_left() -> Option<f64> {
    let text = fs::read_to_string("/proc/self/limits").ok()?;
    let limit = soft_limit(&text, "Max cpu time")? as f64;
    Some(limit - cpu_clock(CpuClock::Process)?)
}

/// Refuses `replicates` replicates of `scenario` (`what`: "this batch",
/// "this shard") when even [`CPU_TIME_SHARE`] of the CPU time they would
/// take exceeds what the CPU-time limit leaves this process: such a batch
/// could only be killed midway. The time is measured, not guessed: the
/// setup and [`CALIBRATION_TICKS`] ticks of replicate 0 on this thread's
/// CPU clock (load on the machine does not inflate it), extrapolated to
/// the horizon. Nothing is run when no such limit is set.
pub fn check_batch_time(
    scenario: &crate::scenario::Scenario,
    replicates: u64,
    what: &str,
) -> Result<(), String> {
    check_batches_time(&[(scenario, replicates)], what)
}

/// [`check_batch_time`] for batches run one after another in one process
/// (a comparison's scenarios): their CPU times add up.
pub fn check_batches_time(
    batches: &[(&crate::scenario::Scenario, u64)],
    what: &str,
) -> Result<(), String> {
    let Some(left) = cpu_seconds_left() else {
        return Ok(());
    };
    let mut need = 0.0;
    for &(scenario, replicates) in batches {
        let Some(per_replicate) = replicate_cpu_seconds(scenario) else {
            return Ok(());
        };
        need += CPU_TIME_SHARE * per_replicate * replicates as f64;
        if need > left {
            break; // already refused: "at least" holds without the rest
        }
    }
    if need <= left {
        return Ok(());
    }
    let (name, detail) = match batches {
        [(scenario, replicates)] => (
            scenario.name.clone(),
            format!("{replicates} replicates of {} ticks", scenario.run.ticks),
        ),
        _ => (
            format!("{} and {} more", batches[0].0.name, batches.len() - 1),
            format!(
                "{} scenarios, {} replicates in all",
                batches.len(),
                batches.iter().map(|b| b.1).sum::<u64>()
            ),
        ),
    };
    Err(format!(
        "{name}: {what} would need at least {} of CPU time ({detail}, at {:.0} % of the pace \
         measured here on replicate 0), more than the {} that the CPU-time limit (ulimit -t) \
         leaves (expected fewer replicates or ticks, a higher limit, or the work split into jobs \
         with --shard K/N)",
        duration_text(need),
        CPU_TIME_SHARE * 100.0,
        duration_text(left.max(0.0)),
    ))
}

/// CPU seconds one replicate of `scenario` takes on this thread: its setup
/// and [`CALIBRATION_TICKS`] ticks timed, the ticks extrapolated to the
/// horizon. `None` where there is no CPU clock.
fn replicate_cpu_seconds(scenario: &crate::scenario::Scenario) -> Option<f64> {
    let k = scenario.run.ticks.min(CALIBRATION_TICKS);
    let timed = |ticks: u32| -> Option<f64> {
        let mut sc = scenario.clone();
        sc.run.ticks = ticks;
        let terrain = sc.world.terrain().ok()?;
        let model = crate::model::Model::new(&sc, &terrain).ok()?;
        let start = cpu_clock(CpuClock::Thread)?;
        std::hint::black_box(model.run(0));
        Some(cpu_clock(CpuClock::Thread)? - start)
    };
    let setup = timed(0)?;
    let per_tick = (timed(k)? - setup).max(0.0) / f64::from(k.max(1));
    Some(setup + per_tick * f64::from(scenario.run.ticks))
}

/// `seconds` for a message: "40 s", "3.2 min", "5.1 h".
fn duration_text(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{seconds:.0} s")
    } else if seconds < 7200.0 {
        format!("{:.1} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

/// A CPU-time clock: the whole process's, or the calling thread's.
#[derive(Clone, Copy)]
enum CpuClock {
    Process,
    Thread,
}

/// Seconds of CPU time on `clock`, where there is one (Linux).
fn cpu_clock(clock: CpuClock) -> Option<f64> {
    #[cfg(target_os = "linux")]
    {
        let id = match clock {
            CpuClock::Process => libc::CLOCK_PROCESS_CPUTIME_ID,
            CpuClock::Thread => libc::CLOCK_THREAD_CPUTIME_ID,
        };
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid timespec for the call to write.
        let ok = unsafe { libc::clock_gettime(id, &mut ts) } == 0;
        ok.then_some(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = clock;
        None
    }
}

/// Upper bytes of replicate 0's map frames and their `frames.csv` text (a
/// mission scenario whose output level may record them). Held for the
/// whole run, per frame cell and frame: the frame's ≈ 10 bytes and a CSV
/// row of ≈ 40 bytes in a buffer that grows by doubling. A frame has at
/// most [`crate::mission::MAX_FRAME_CELLS`] cells (a larger grid is
/// recorded in blocks: [`super::frame_grid`]), so a year of the
/// million-agent Gaza world holds ≈ 0.2 GB of them instead of the 12 GB
/// whole-grid frames took. Taking a frame also needs, for a moment, 32
/// bytes per grid cell (four f32 layers, a box-sum table of f64 and two
/// incident counts). Without this term, a 50,000-day Gaza run passed the
/// guard and then failed to allocate its `frames.csv`.
pub(super) fn frames_bytes(scenario: &crate::scenario::Scenario) -> u64 {
    if scenario.mission.is_none() {
        return 0;
    }
    let (w, h) = (scenario.world.width, scenario.world.height);
    let (fw, fh, _) = super::frame_grid(w as usize, h as usize);
    let frames = u64::from(scenario.run.ticks / super::FRAME_EVERY) + 2;
    let held = frames * (fw * fh) as u64 * (10 + 2 * 40);
    held + u64::from(w) * u64::from(h) * 32
}

/// `MemTotal` of `/proc/meminfo`, in bytes.
fn meminfo_total(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The memory limit of this process's cgroup (`/proc/self/cgroup` given):
/// the least over the cgroup and every ancestor up to the hierarchy's root,
/// v2 (`memory.max`) or v1 (`memory.limit_in_bytes`). A limit set on a
/// parent binds its children, and SLURM sets it on the job or step while
/// the task runs in a child cgroup, so the cgroup's own file alone (often
/// `max`) says nothing.
fn cgroup_limit(proc_self_cgroup: &str) -> Option<u64> {
    cgroup_limit_under(Path::new("/sys/fs/cgroup"), proc_self_cgroup)
}

/// [`cgroup_limit`] with the cgroup file systems mounted under `mount`
/// (v2 at `mount` itself or, in the hybrid layout, at `mount/unified`; v1's
/// memory controller at `mount/memory`).
fn cgroup_limit_under(mount: &Path, proc_self_cgroup: &str) -> Option<u64> {
    let mut limits = Vec::new();
    for line in proc_self_cgroup.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let path = Path::new(path.trim_start_matches('/'));
        let (roots, file) = if controllers.is_empty() {
            (
                vec![mount.to_path_buf(), mount.join("unified")],
                "memory.max",
            )
        } else if controllers.split(',').any(|c| c == "memory") {
            (vec![mount.join("memory")], "memory.limit_in_bytes")
        } else {
            continue;
        };
        for root in roots {
            // The cgroup itself, then each ancestor, the root last.
            for dir in path.ancestors() {
                let text = fs::read_to_string(root.join(dir).join(file));
                limits.extend(text.ok().and_then(|t| cgroup_value(&t)));
            }
        }
    }
    limits.into_iter().min()
}

/// A cgroup limit file's value: `max` (v2) or a v1 value near 2⁶³ mean none.
fn cgroup_value(text: &str) -> Option<u64> {
    let v: u64 = text.trim().parse().ok()?;
    (v < 1 << 62).then_some(v)
}

/// The soft limit `name` ("Max address space", "Max data size") of
/// `/proc/self/limits`, in bytes; `None` when unlimited.
fn soft_limit(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    line[name.len()..].split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_cpu_time_limit_and_words_durations() {
        let limits = "Max cpu time              20                   30                   seconds\n\
                      Max file size             unlimited            unlimited            bytes\n";
        assert_eq!(soft_limit(limits, "Max cpu time"), Some(20));
        assert_eq!(soft_limit(limits, "Max file size"), None);
        assert_eq!(duration_text(40.4), "40 s");
        assert_eq!(duration_text(150.0), "2.5 min");
        assert_eq!(duration_text(9000.0), "2.5 h");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_thread_cpu_clock_counts_this_threads_work_only() {
        let spin = |seconds: f64| {
            let start = cpu_clock(CpuClock::Thread).unwrap();
            let mut x = 0u64;
            while cpu_clock(CpuClock::Thread).unwrap() - start < seconds {
                x = std::hint::black_box(x.wrapping_add(1));
            }
        };
        let (thread0, process0) = (
            cpu_clock(CpuClock::Thread).unwrap(),
            cpu_clock(CpuClock::Process).unwrap(),
        );
        // Another thread's work, while this one waits for it.
        std::thread::spawn(move || spin(0.2)).join().unwrap();
        let waited = cpu_clock(CpuClock::Thread).unwrap() - thread0;
        let process = cpu_clock(CpuClock::Process).unwrap() - process0;
        assert!(waited < 0.1, "waiting used {waited} s of this thread's CPU");
        assert!(process >= 0.2, "the process used {process} s");
    }

    #[test]
    fn reads_physical_memory() {
        let text = "MemTotal:       24590444 kB\nMemFree:         1000 kB\n";
        assert_eq!(meminfo_total(text), Some(24_590_444 * 1024));
        assert_eq!(meminfo_total("MemFree: 1 kB\n"), None);
    }

    #[test]
    fn reads_the_address_space_and_data_limits() {
        let limited = "Max data size             2000000000           unlimited            bytes\n\
                       Max stack size            8388608              unlimited            bytes\n\
                       Max address space         8000000000           unlimited            bytes\n";
        assert_eq!(
            soft_limit(limited, "Max address space"),
            Some(8_000_000_000)
        );
        assert_eq!(soft_limit(limited, "Max data size"), Some(2_000_000_000));
        let unlimited =
            "Max address space         unlimited            unlimited            bytes\n";
        assert_eq!(soft_limit(unlimited, "Max address space"), None);
        assert_eq!(soft_limit(unlimited, "Max data size"), None);
    }

    #[test]
    fn cgroup_values_without_a_limit_are_none() {
        assert_eq!(cgroup_value("8589934592\n"), Some(8_589_934_592));
        assert_eq!(cgroup_value("max\n"), None);
        assert_eq!(cgroup_value("9223372036854771712\n"), None);
    }

    /// A fake cgroup mount: `files` are (path under the mount, contents).
    fn fake_mount(files: &[(&str, &str)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = tmp.path().join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        tmp
    }

    #[test]
    fn a_limit_on_a_parent_cgroup_binds_its_children() {
        // v2, SLURM's layout: the job's limit, the step and task unlimited.
        let v2 = fake_mount(&[
            ("memory.max", "max\n"),
            (
                "system.slice/slurmstepd.scope/job_7/memory.max",
                "1073741824\n",
            ),
            (
                "system.slice/slurmstepd.scope/job_7/step_0/memory.max",
                "max\n",
            ),
            (
                "system.slice/slurmstepd.scope/job_7/step_0/user/task_0/memory.max",
                "max\n",
            ),
        ]);
        let own = "0::/system.slice/slurmstepd.scope/job_7/step_0/user/task_0\n";
        assert_eq!(cgroup_limit_under(v2.path(), own), Some(1 << 30));
        // A grandparent's limit, with a looser one below it: the tighter wins.
        let v1 = fake_mount(&[
            ("memory/memory.limit_in_bytes", "9223372036854771712\n"),
            ("memory/a/memory.limit_in_bytes", "2000000000\n"),
            ("memory/a/b/memory.limit_in_bytes", "3000000000\n"),
            (
                "memory/a/b/c/memory.limit_in_bytes",
                "9223372036854771712\n",
            ),
        ]);
        let own = "5:cpu:/\n4:memory:/a/b/c\n0::/\n";
        assert_eq!(cgroup_limit_under(v1.path(), own), Some(2_000_000_000));
        // The hybrid layout's v2 tree under `unified`, and a tighter limit
        // on the cgroup itself than on its parent.
        let hybrid = fake_mount(&[
            ("unified/job/memory.max", "5000000000\n"),
            ("unified/job/task/memory.max", "4000000000\n"),
        ]);
        assert_eq!(
            cgroup_limit_under(hybrid.path(), "0::/job/task\n"),
            Some(4_000_000_000)
        );
        // No limit anywhere, or nothing mounted: none.
        let none = fake_mount(&[("memory.max", "max\n"), ("a/memory.max", "max\n")]);
        assert_eq!(cgroup_limit_under(none.path(), "0::/a\n"), None);
        assert_eq!(cgroup_limit_under(none.path(), "garbage\n"), None);
    }

    #[test]
    fn the_tightest_limit_is_never_above_physical_memory() {
        if let (Some(limit), Some(physical)) = (
            memory_limit(),
            fs::read_to_string("/proc/meminfo")
                .ok()
                .and_then(|t| meminfo_total(&t)),
        ) {
            assert!(limit.bytes <= physical);
        }
    }
}
