use tagwright::cli::{for_terminal, run, Cli};

fn main() {
    // A bug must still end in one sentence, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error ({info}); please report it with the command you ran");
    }));
    let cli = Cli::from_args();
    let Some(cmd) = cli.command else {
        // Who annotates in a team project: --annotator, else TAGWRIGHT_ANNOTATOR, else the name
        // saved on this machine (the window asks when there is none).
        let me = match tagwright::session::team::annotator(cli.annotator.as_deref()) {
            Ok(me) => me,
            Err(e) => {
                eprintln!("error: {}", for_terminal(&e));
                std::process::exit(2);
            }
        };
        if let Err(e) = tagwright::ui::run(cli.paths, me) {
            eprintln!("error: could not open the window: {e}");
            std::process::exit(1);
        }
        return;
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut err = std::io::stderr();
    if let Err(e) = run(cmd, &mut out, &mut err) {
        // A closed pipe (`| head`) is not an error worth a message.
        if let tagwright::cli::CliError::Output(io) = &e {
            if io.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
        // Messages quote file names and text from files: no control characters reach the terminal.
        eprintln!("error: {}", for_terminal(&e.to_string()));
        std::process::exit(1);
    }
}
