//! The app's one piece of state: the session (locked or unlocked), behind a mutex.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use silta_core::anchor::{OsKeyStore, Remembered};
use silta_core::session::Session;
use silta_core::vault::KdfParams;
use tauri::{AppHandle, Emitter};

pub struct AppState {
    session: Arc<Mutex<Session>>,
    dropped: Mutex<Vec<PathBuf>>,
    /// The referral package and desk key chosen last on the "Open referral" screen.
    opened: Mutex<Option<(PathBuf, PathBuf)>>,
}

impl AppState {
    pub fn new(data_dir: &Path) -> AppState {
        AppState {
            session: Arc::new(Mutex::new(Session::new(
                data_dir,
                KdfParams::DEFAULT,
                // Kept in memory too: without a key store the slow-down still holds while the
                // app runs.
                Arc::new(Remembered::new(OsKeyStore::default())),
            ))),
            dropped: Mutex::new(Vec::new()),
            opened: Mutex::new(None),
        }
    }

    pub fn session(&self) -> Arc<Mutex<Session>> {
        self.session.clone()
    }

    pub fn set_dropped(&self, paths: Vec<PathBuf>) {
        *self.dropped.lock().unwrap_or_else(|p| p.into_inner()) = paths;
    }

    /// The files dropped on the window last, once: a second call gets none.
    pub fn take_dropped(&self) -> Vec<PathBuf> {
        std::mem::take(&mut *self.dropped.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn set_opened(&self, package: PathBuf, key: PathBuf) {
        *self.opened.lock().unwrap_or_else(|p| p.into_inner()) = Some((package, key));
    }

    pub fn opened(&self) -> Option<(PathBuf, PathBuf)> {
        self.opened
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The session; a panic elsewhere while holding it must not leave the app unable to lock.
    pub fn lock(&self) -> MutexGuard<'_, Session> {
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Checks every few seconds whether the session has been idle too long; if so, locks it and tells
/// the window, which then drops every decrypted record it shows.
pub fn start_idle_lock(app: AppHandle, session: Arc<Mutex<Session>>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(5));
            let locked = session
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .lock_if_idle(Instant::now());
            if locked {
                let _ = app.emit("locked", "idle");
            }
        }
    });
}
