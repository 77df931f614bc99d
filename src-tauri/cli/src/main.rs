//! `silta`: the command line over silta-core, for scripting and for the receiving desk.
//! Each subcommand parses its arguments, calls silta-core and prints the result; nothing else.
//! Exit status: 0 success, 1 a user error (one line on stderr saying what to do), 2 wrong usage.

mod args;
mod commands;
mod information;
mod output;
mod referrals;
mod secrets;
mod sync;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    silta_core::process::forbid_core_dumps();
    // Rust ignores SIGPIPE, so printing into a closed pipe (`silta case list | head -1`) would be
    // an error at every print; as other command-line tools do, end quietly instead.
    #[cfg(unix)]
    // SAFETY: restores the default action of one signal before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // A panic is a bug in Silta; say so in one line rather than print a backtrace at the user.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("silta: internal error ({info}); nothing more was written. Please report this.");
    }));
    let cli = args::Cli::parse_from(args::normalise(std::env::args_os()));
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("silta: {e}");
            ExitCode::from(1)
        }
    }
}
