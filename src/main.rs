//! The `tiersim` binary: parses arguments, runs the command, and reports an
//! error with exit code 2 for a bad scenario and 1 for anything else.

use clap::Parser;

fn main() {
    let cli = tiersim::cli::Cli::parse();
    if let Err(e) = tiersim::cli::run(cli) {
        // A scenario error is already rendered with its file, line and caret.
        if let Some(tiersim::Error::Scenario(problems)) = e.downcast_ref::<tiersim::Error>() {
            eprintln!("{problems}");
            std::process::exit(2);
        }
        // A call log or staffing file that cannot be used: bad input too.
        if let Some(e) = e.downcast_ref::<tiersim::fit::LogError>() {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
        // The library's errors already name their cause.
        if let Some(e) = e.downcast_ref::<tiersim::Error>() {
            eprintln!("error: {e}");
        } else {
            eprintln!("error: {e:#}");
        }
        std::process::exit(1);
    }
}
