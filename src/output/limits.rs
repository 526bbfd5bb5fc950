//! How much memory this process may really use: the least of physical
//! memory, the cgroup's memory limit (containers, SLURM jobs) and the
//! address-space limit (`ulimit -v`). A guard that looked at physical memory
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
    /// limit" or "the address-space limit (ulimit -v)".
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
    if let Some(bytes) = read("/proc/self/limits").and_then(|t| address_space_limit(&t)) {
        limits.push(MemoryLimit {
            bytes,
            source: "the address-space limit (ulimit -v)",
        });
    }
    limits.into_iter().min_by_key(|l| l.bytes)
}

/// `MemTotal` of `/proc/meminfo`, in bytes.
fn meminfo_total(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The memory limit of this process's cgroup (`/proc/self/cgroup` given),
/// v2 (`memory.max`) or v1 (`memory.limit_in_bytes`), looked up at the
/// cgroup's own path and, inside a container's namespace, at the root.
fn cgroup_limit(proc_self_cgroup: &str) -> Option<u64> {
    let mut files = Vec::new();
    for line in proc_self_cgroup.lines() {
        let mut parts = line.splitn(3, ':');
        let (_, controllers, path) = (parts.next()?, parts.next()?, parts.next()?);
        let path = path.trim_start_matches('/');
        if controllers.is_empty() {
            files.push(Path::new("/sys/fs/cgroup").join(path).join("memory.max"));
            files.push(Path::new("/sys/fs/cgroup/memory.max").to_path_buf());
        } else if controllers.split(',').any(|c| c == "memory") {
            let root = Path::new("/sys/fs/cgroup/memory");
            files.push(root.join(path).join("memory.limit_in_bytes"));
            files.push(root.join("memory.limit_in_bytes"));
        }
    }
    files
        .iter()
        .filter_map(|f| fs::read_to_string(f).ok())
        .filter_map(|t| cgroup_value(&t))
        .min()
}

/// A cgroup limit file's value: `max` (v2) or a v1 value near 2⁶³ mean none.
fn cgroup_value(text: &str) -> Option<u64> {
    let v: u64 = text.trim().parse().ok()?;
    (v < 1 << 62).then_some(v)
}

/// The soft "Max address space" of `/proc/self/limits`, in bytes.
fn address_space_limit(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("Max address space"))?;
    line["Max address space".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_physical_memory() {
        let text = "MemTotal:       24590444 kB\nMemFree:         1000 kB\n";
        assert_eq!(meminfo_total(text), Some(24_590_444 * 1024));
        assert_eq!(meminfo_total("MemFree: 1 kB\n"), None);
    }

    #[test]
    fn reads_the_address_space_limit() {
        let limited = "Max stack size            8388608              unlimited            bytes\n\
                       Max address space         8000000000           unlimited            bytes\n";
        assert_eq!(address_space_limit(limited), Some(8_000_000_000));
        let unlimited =
            "Max address space         unlimited            unlimited            bytes\n";
        assert_eq!(address_space_limit(unlimited), None);
    }

    #[test]
    fn cgroup_values_without_a_limit_are_none() {
        assert_eq!(cgroup_value("8589934592\n"), Some(8_589_934_592));
        assert_eq!(cgroup_value("max\n"), None);
        assert_eq!(cgroup_value("9223372036854771712\n"), None);
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
