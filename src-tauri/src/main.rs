// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    silta_core::process::forbid_core_dumps();
    silta_app::run();
}
