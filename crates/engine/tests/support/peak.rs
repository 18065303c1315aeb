//! The memory a piece of work takes at the most, for the tests that bound it (docs/reliability.md,
//! "Bounded cost"): counted, never timed.

pub const MB: usize = 1024 * 1024;

/// The process's resident memory at the most while `f` ran, beyond what it held before (Linux:
/// `/proc/self/status`, the high-water mark reset through `/proc/self/clear_refs`; the
/// workspace forbids the unsafe code a counting allocator needs).
pub fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let field = |name: &str| {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with(name)).unwrap().to_owned();
        let kb: usize = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        kb * 1024
    };
    let before = field("VmRSS:");
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let out = f();
    (out, field("VmHWM:").saturating_sub(before))
}
