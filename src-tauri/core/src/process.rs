//! Hardening of the process that holds an unlocked vault, shared by the app and the CLI.

/// Forbids core dumps of this process: a dump of an unlocked session would write its keys, its
/// search index and the records on screen to the disk in the clear. On Linux the process is also
/// made non-dumpable, which keeps other processes of the same user from reading its memory
/// through ptrace or /proc. Returns whether both held; failing to harden must not stop the work,
/// so callers only note it.
pub fn forbid_core_dumps() -> bool {
    #[cfg(unix)]
    {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads the struct we pass; it has no other effect on our memory.
        let limited = unsafe { libc::setrlimit(libc::RLIMIT_CORE, &none) } == 0;
        #[cfg(target_os = "linux")]
        // SAFETY: PR_SET_DUMPABLE takes an integer argument and touches no memory of ours.
        let undumpable = unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) } == 0;
        #[cfg(not(target_os = "linux"))]
        let undumpable = true;
        limited && undumpable
    }
    // Windows writes no core files; Windows Error Reporting's dumps are a machine setting.
    #[cfg(not(unix))]
    true
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn after_hardening_the_process_can_dump_no_core() {
        assert!(super::forbid_core_dumps());
        let mut limit = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: getrlimit writes into the struct we own.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) }, 0);
        assert_eq!((limit.rlim_cur, limit.rlim_max), (0, 0));
        // SAFETY: PR_GET_DUMPABLE only returns a value.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) }, 0);
    }
}
