//! `portal-server`: serve the portal, run migrations, manage staff accounts.

use app::view_data::Role;
use app::Lang;
use clap::{Parser, Subcommand};
use server::config::Config;
use server::email::{transport::Mailer, worker::Worker};
use std::process::ExitCode;

mod forms_cli;

#[derive(Parser)]
#[command(name = "portal-server", about = "Opportunity Lombardy portal server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (configuration from PORTAL_* variables; see README).
    Serve {
        /// Create the demo accounts if missing and print them.
        #[arg(long)]
        demo: bool,
        /// With --demo, the made-up sites the demo catalogue shows (seeded once,
        /// with the demo accounts).
        #[arg(long, default_value_t = server::demo::DEMO_SITES)]
        demo_sites: usize,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Create an account (staff and admin accounts are created only this way).
    /// The password is read from the PORTAL_NEW_PASSWORD variable or from standard input.
    CreateUser {
        #[arg(long)]
        email: String,
        /// proponent, investor, staff or admin
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "it")]
        lang: String,
    },
    /// Add many candidacies in every status, spread over Lombardy, assigned
    /// to the staff accounts there are: to try the back office's queue.
    Seed {
        #[arg(long, default_value_t = 10_000)]
        candidacies: usize,
        /// Also puts this many made-up sites online in the catalogue.
        #[arg(long, default_value_t = 0)]
        sites: usize,
    },
    /// Check the audit log's hash chain from its first line; exits with 1
    /// when a line was changed or removed.
    VerifyAudit,
    /// The Excel template engine: write a template, check a filled file.
    Forms {
        #[command(subcommand)]
        command: forms_cli::FormsCommand,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    // The template engine needs no configuration and no database.
    if let Command::Forms { command } = cli.command {
        return match forms_cli::run(command) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        };
    }
    match run(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), String> {
    let mut config = Config::from_env().map_err(|e| e.to_string())?;
    if config.production && matches!(command, Command::Serve { demo: true, .. }) {
        return Err(
            "--demo creates accounts with a published password: not with PORTAL_PRODUCTION=true"
                .into(),
        );
    }
    // A demo portal without real trust anchors trusts its own demo authority,
    // so the demo forms can be signed and verified end to end.
    if matches!(command, Command::Serve { demo: true, .. }) && config.trust_anchors.is_none() {
        let dir = config.data_dir.join("demo-pki");
        config.trust_anchors = Some(server::demo_pki::ensure(&dir)?);
        println!(
            "Demo signing certificate (Maria Rossi): {0}/signer.pem, key {0}/signer.key\n  \
             sign a form with: openssl cms -sign -binary -nodetach -outform DER -in modulo-A-1.pdf \
             -signer {0}/signer.pem -inkey {0}/signer.key -out modulo-A-1.pdf.p7m",
            dir.display()
        );
    }
    let state = server::build_state(config).await?;
    match command {
        Command::Migrate => {
            println!("database is up to date");
            Ok(())
        }
        Command::CreateUser { email, role, lang } => {
            create_user(&state, &email, &role, &lang).await
        }
        Command::Serve { demo, demo_sites } => serve(state, demo, demo_sites).await,
        Command::Seed { candidacies, sites } => seed(&state, candidacies, sites).await,
        Command::VerifyAudit => verify_audit(&state).await,
        Command::Forms { .. } => unreachable!("handled before the configuration is read"),
    }
}

async fn verify_audit(state: &server::state::AppState) -> Result<(), String> {
    use server::audit::Verdict;
    match server::audit::verify(&state.db)
        .await
        .map_err(|e| e.to_string())?
    {
        Verdict::Intact { lines, head } => {
            println!("audit log intact: {lines} lines, last hash {head}");
            Ok(())
        }
        Verdict::BrokenAt(seq) => Err(format!(
            "audit log broken at line {seq}: changed, removed or out of order"
        )),
        Verdict::Truncated { lines, head_seq } => Err(format!(
            "audit log truncated: {lines} lines, the head names {head_seq}"
        )),
    }
}

async fn seed(state: &server::state::AppState, count: usize, sites: usize) -> Result<(), String> {
    if state.config.production {
        return Err("seed writes made-up candidacies: not with PORTAL_PRODUCTION=true".into());
    }
    let officers: Vec<i64> = server::review::decisions::officers(&state.db)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|u| u.id)
        .collect();
    if officers.is_empty() {
        return Err(
            "no staff account to assign them to: create one with create-user, \
                    or run serve --demo once"
                .into(),
        );
    }
    let now = state.clock.now();
    let seeded = server::seed::candidacies(&state.db, count, &officers, now)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "seeded {} candidacies for {} proponents ({} open requests for integration)",
        seeded.candidacies, seeded.proponents, seeded.requests
    );
    if sites > 0 {
        let online = server::seed::sites(&state.db, sites, officers[0], now)
            .await
            .map_err(|e| e.to_string())?;
        println!("published {} made-up sites in the catalogue", online.len());
    }
    Ok(())
}

async fn create_user(
    state: &server::state::AppState,
    email: &str,
    role: &str,
    lang: &str,
) -> Result<(), String> {
    let role = Role::from_code(role)
        .ok_or_else(|| format!("unknown role {role:?}: use proponent, investor, staff or admin"))?;
    let lang =
        Lang::from_code(lang).ok_or_else(|| format!("unknown language {lang:?}: use it or en"))?;
    let email = server::accounts::operations::normalise_email(email)
        .map_err(|_| format!("{email:?} is not a valid email"))?;
    let password = match std::env::var("PORTAL_NEW_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| e.to_string())?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if let Err((_, key)) = server::accounts::operations::check_new_password(&password, &password) {
        return Err(format!("password refused: {}", app::i18n::t(Lang::En, key)));
    }
    let now = state.clock.now();
    match server::accounts::operations::create_user(
        &state.db, &email, &password, role, lang, true, now,
    )
    .await
    {
        Ok(Some(_)) => {
            println!("created {} account {email}", role.code());
            Ok(())
        }
        Ok(None) => Err(format!("an account with {email} already exists")),
        Err(e) => Err(e.to_string()),
    }
}

async fn serve(
    state: server::state::AppState,
    demo: bool,
    demo_sites: usize,
) -> Result<(), String> {
    let swept = server::candidacies::uploads::sweep_tmp(&state.config.uploads_dir());
    if swept > 0 {
        println!("removed {swept} partial uploads left by an earlier run");
    }
    if demo {
        server::demo::seed(&state, demo_sites)
            .await
            .map_err(|e| e.to_string())?;
        println!("{}", server::demo::describe());
    }
    if state.config.outbox.run_worker {
        let mailer = Mailer::new(&state.config.mail)?;
        tokio::spawn(Worker::new(mailer).run(state.clone()));
        // Saved searches queue their emails beside it, in their own task.
        let poll = std::time::Duration::from_millis(state.config.outbox.poll_ms);
        tokio::spawn(server::catalogue::saved::run(state.clone(), poll));
    }
    let addr = state.config.addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    println!("Opportunity Lombardy portal on {}", state.config.public_url);
    let limits = state.config.limits.clone();
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    server::web::listen::serve(listener, server::web::router(state), &limits, shutdown)
        .await
        .map_err(|e| e.to_string())
}
