//! `silta`: the command line over silta-core, for scripting and for the receiving desk.
//! Each subcommand parses its arguments, calls silta-core and prints the result; nothing else.
//! Exit status: 0 success, 1 a user error (one line on stderr saying what to do), 2 wrong usage.

mod args;
mod commands;
mod output;
mod referrals;
mod secrets;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
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
