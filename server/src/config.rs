//! Typed configuration from `PORTAL_*` environment variables, with defaults that
//! work on a laptop. Every value is checked at start-up with a clear message.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Rome;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on (`PORTAL_ADDR`, default 127.0.0.1:3000).
    pub addr: SocketAddr,
    /// Base URL used in emailed links (`PORTAL_PUBLIC_URL`).
    pub public_url: String,
    /// `DATABASE_URL`: `sqlite://…` (default `sqlite://data/portal.db?mode=rwc`) or `postgres://…`.
    pub database_url: String,
    /// Where uploads, the SQLite file and development mail live (`PORTAL_DATA_DIR`, default `data`).
    pub data_dir: PathBuf,
    /// Built static site: WASM bundle and assets (`PORTAL_SITE_DIR`, default `.build/site`).
    pub site_dir: PathBuf,
    pub mail: MailConfig,
    /// Set the Secure flag on cookies (`PORTAL_SECURE_COOKIES=true`, required behind HTTPS).
    pub secure_cookies: bool,
    /// How many reverse proxies stand in front of the portal and append to
    /// X-Forwarded-For (`PORTAL_TRUSTED_PROXIES`, default 0; `PORTAL_TRUST_PROXY=true`
    /// means 1). The client address is the entry that many places from the right:
    /// entries further left were written by the client and prove nothing.
    pub trusted_proxies: usize,
    /// `PORTAL_SUBMISSION_DEADLINE`, Europe/Rome local time, default 2028-06-30T23:59:59.
    pub submission_deadline: DateTime<Utc>,
    /// `PORTAL_NOW`: freezes the clock at this RFC 3339 instant (tests and demos only).
    pub fixed_now: Option<DateTime<Utc>>,
    pub outbox: OutboxConfig,
    pub throttle: ThrottleConfig,
    /// `PORTAL_TRUST_ANCHORS`: a PEM file of the certification authorities whose
    /// digital signatures are accepted (for Italy, the qualified CAs of AgID's
    /// trusted list). Unset: digital signatures are shown as "not verifiable".
    pub trust_anchors: Option<PathBuf>,
    /// `PORTAL_PRODUCTION=true` refuses development-only settings such as file mail.
    pub production: bool,
    pub limits: LimitsConfig,
    pub review: ReviewConfig,
    /// `PORTAL_SERVICE_EMAIL`: where the public writes to the investor
    /// service ("Ask about this site"); default the sender's address.
    pub service_email: String,
}

/// The back office's time limits, in calendar days of Europe/Rome.
#[derive(Clone, Debug)]
pub struct ReviewConfig {
    /// `PORTAL_REPLY_DAYS`: the days a proponent has to answer a request
    /// for integration, unless the officer sets others. Default 10.
    pub reply_days: i64,
    /// `PORTAL_DECISION_DAYS`: the days staff have to decide, counted from
    /// submission without the days a request was open. Default 30.
    pub decision_days: i64,
    /// `PORTAL_FOUR_EYES`: the officer who validated a candidacy cannot
    /// publish it. Default `true`; `false` turns it off.
    pub four_eyes: bool,
    /// `PORTAL_EMAIL_IN_CHARGE`: tell the proponent when an officer takes
    /// their candidacy in charge (the start of the procedure, with the date
    /// a decision is due). Default `true`;
    /// `false` keeps taking in charge internal.
    pub email_in_charge: bool,
}

impl ReviewConfig {
    pub fn standard() -> ReviewConfig {
        ReviewConfig {
            reply_days: 10,
            decision_days: 30,
            four_eyes: true,
            email_in_charge: true,
        }
    }
}

/// What one client may cost the server: time, connections, checks, storage.
#[derive(Clone, Debug)]
pub struct LimitsConfig {
    /// `PORTAL_HEAVY_CHECKS`: spreadsheets, pictures, signatures and PDFs
    /// checked or made at once; more wait their turn. Default: the number of cores.
    pub heavy_checks: usize,
    /// `PORTAL_MAX_CONNECTIONS`, default 1024.
    pub max_connections: usize,
    /// `PORTAL_HEADER_TIMEOUT_SECS`: a request's headers must arrive within this. Default 10.
    pub header_timeout: Duration,
    /// `PORTAL_BODY_IDLE_SECS`: a body that sends nothing for this long is dropped. Default 30.
    pub body_idle: Duration,
    /// `PORTAL_REQUEST_TIMEOUT_SECS`: no request, upload included, lasts longer. Default
    /// 900 (25 MB at about 250 kbit/s).
    pub request_timeout: Duration,
    /// `PORTAL_MAX_DRAFTS`: candidacies an account may have in draft at once. Default 30.
    pub drafts_per_account: u64,
    /// `PORTAL_MAX_ACCOUNT_MB`: megabytes of files an account may keep. Default 2048.
    pub bytes_per_account: u64,
    /// `PORTAL_CATALOGUE_RECHECK_MS`: how long an instance serves its index of
    /// the catalogue before asking the database whether anything was published
    /// or taken offline. Default 500; 0 asks on every request.
    pub catalogue_recheck: Duration,
}

impl LimitsConfig {
    fn from_env() -> Result<LimitsConfig, ConfigError> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        // Zero would end every request at once: refused like any bad value.
        let secs = |name: &'static str, default| match parsed(name, default)? {
            0 => Err(ConfigError {
                name,
                message: "must be at least 1 second".into(),
            }),
            n => Ok(Duration::from_secs(n)),
        };
        Ok(LimitsConfig {
            heavy_checks: parsed("PORTAL_HEAVY_CHECKS", cores)?.max(1),
            max_connections: parsed("PORTAL_MAX_CONNECTIONS", 1024)?.max(1),
            header_timeout: secs("PORTAL_HEADER_TIMEOUT_SECS", 10)?,
            body_idle: secs("PORTAL_BODY_IDLE_SECS", 30)?,
            request_timeout: secs("PORTAL_REQUEST_TIMEOUT_SECS", 900)?,
            drafts_per_account: parsed("PORTAL_MAX_DRAFTS", 30)?,
            bytes_per_account: parsed::<u64>("PORTAL_MAX_ACCOUNT_MB", 2048)? * 1024 * 1024,
            catalogue_recheck: Duration::from_millis(parsed("PORTAL_CATALOGUE_RECHECK_MS", 500)?),
        })
    }

    /// The defaults, for tests and tools that do not read the environment.
    pub fn standard() -> LimitsConfig {
        LimitsConfig {
            heavy_checks: 2,
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            body_idle: Duration::from_secs(30),
            request_timeout: Duration::from_secs(900),
            drafts_per_account: 30,
            bytes_per_account: 2048 * 1024 * 1024,
            catalogue_recheck: Duration::from_millis(500),
        }
    }
}

#[derive(Clone, Debug)]
pub enum MailTransport {
    /// `.eml` files under `data/mail/` (development default).
    File(PathBuf),
    /// `PORTAL_SMTP_URL`, e.g. `smtp://host:25`, `smtps://user:pass@host:465`,
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS).
    Smtp(String),
}

#[derive(Clone, Debug)]
pub struct MailConfig {
    pub transport: MailTransport,
    /// `PORTAL_MAIL_FROM`.
    pub from: String,
}

#[derive(Clone, Debug)]
pub struct OutboxConfig {
    /// `PORTAL_OUTBOX_POLL_MS`, default 1000.
    pub poll_ms: u64,
    /// `PORTAL_OUTBOX_MAX_ATTEMPTS`, default 10; then the message is marked failed for admins to see.
    pub max_attempts: i32,
    /// `PORTAL_OUTBOX_BACKOFF_MS`: first retry delay, doubled each time (capped at one hour). Default 5000.
    pub backoff_ms: u64,
    /// `PORTAL_OUTBOX_WORKER=false` runs a web-only instance.
    pub run_worker: bool,
}

#[derive(Clone, Debug)]
pub struct ThrottleConfig {
    /// Failed logins allowed per account in the window (`PORTAL_LOGIN_MAX_PER_ACCOUNT`, default 5).
    pub per_account: u64,
    /// Failed logins allowed per client address in the window (`PORTAL_LOGIN_MAX_PER_IP`, default 20).
    pub per_ip: u64,
    /// `PORTAL_LOGIN_WINDOW_MINUTES`, default 15.
    pub window_minutes: i64,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error: {name}: {message}")]
pub struct ConfigError {
    pub name: &'static str,
    message: String,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parsed<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(raw) => raw.trim().parse().map_err(|e| ConfigError {
            name,
            message: format!("{raw:?}: {e}"),
        }),
    }
}

/// Parses a Europe/Rome wall-clock time such as `2028-06-30T23:59:59`.
pub fn rome_local(name: &'static str, raw: &str) -> Result<DateTime<Utc>, ConfigError> {
    let naive = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M:%S").map_err(|e| {
        ConfigError {
            name,
            message: format!("{raw:?} is not YYYY-MM-DDTHH:MM:SS ({e})"),
        }
    })?;
    Rome.from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| ConfigError {
            name,
            message: format!("{raw:?} does not exist or is ambiguous in Europe/Rome"),
        })
}

impl Config {
    /// Where uploaded and generated files are stored, by content (`<data>/uploads`).
    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }

    pub fn from_env() -> Result<Config, ConfigError> {
        let addr: SocketAddr = parsed("PORTAL_ADDR", "127.0.0.1:3000".parse().unwrap())?;
        let data_dir = PathBuf::from(var("PORTAL_DATA_DIR").unwrap_or_else(|| "data".into()));
        let production = parsed("PORTAL_PRODUCTION", false)?;
        let transport = match var("PORTAL_SMTP_URL") {
            Some(url) => MailTransport::Smtp(url),
            None if production => {
                return Err(ConfigError {
                    name: "PORTAL_SMTP_URL",
                    message: "required in production".into(),
                })
            }
            None => MailTransport::File(data_dir.join("mail")),
        };
        let deadline_raw =
            var("PORTAL_SUBMISSION_DEADLINE").unwrap_or_else(|| "2028-06-30T23:59:59".into());
        let fixed_now = match var("PORTAL_NOW") {
            None => None,
            Some(raw) => Some(
                DateTime::parse_from_rfc3339(&raw)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|e| ConfigError {
                        name: "PORTAL_NOW",
                        message: format!("{raw:?} is not RFC 3339: {e}"),
                    })?,
            ),
        };
        let trust_anchors = var("PORTAL_TRUST_ANCHORS").map(PathBuf::from);
        if let Some(path) = &trust_anchors {
            crate::signatures::TrustAnchors::load(path).map_err(|message| ConfigError {
                name: "PORTAL_TRUST_ANCHORS",
                message,
            })?;
        }
        let public_url = var("PORTAL_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}"));
        check_public_url(&public_url)?;
        let from = var("PORTAL_MAIL_FROM").unwrap_or_else(|| {
            "Opportunity Lombardy <noreply@opportunity-lombardy.invalid>".into()
        });
        let service_email = var("PORTAL_SERVICE_EMAIL").unwrap_or_else(|| address_of(&from));
        let config = Config {
            addr,
            public_url: public_url.trim_end_matches('/').to_string(),
            database_url: var("DATABASE_URL").unwrap_or_else(|| {
                format!("sqlite://{}?mode=rwc", data_dir.join("portal.db").display())
            }),
            site_dir: PathBuf::from(var("PORTAL_SITE_DIR").unwrap_or_else(|| ".build/site".into())),
            data_dir,
            mail: MailConfig { transport, from },
            secure_cookies: parsed("PORTAL_SECURE_COOKIES", false)?,
            trusted_proxies: match var("PORTAL_TRUSTED_PROXIES") {
                Some(_) => parsed("PORTAL_TRUSTED_PROXIES", 0)?,
                None => usize::from(parsed("PORTAL_TRUST_PROXY", false)?),
            },
            submission_deadline: rome_local("PORTAL_SUBMISSION_DEADLINE", &deadline_raw)?,
            fixed_now,
            outbox: OutboxConfig {
                poll_ms: parsed("PORTAL_OUTBOX_POLL_MS", 1000)?,
                max_attempts: parsed("PORTAL_OUTBOX_MAX_ATTEMPTS", 10)?,
                backoff_ms: parsed("PORTAL_OUTBOX_BACKOFF_MS", 5000)?,
                run_worker: parsed("PORTAL_OUTBOX_WORKER", true)?,
            },
            throttle: ThrottleConfig {
                per_account: parsed("PORTAL_LOGIN_MAX_PER_ACCOUNT", 5)?,
                per_ip: parsed("PORTAL_LOGIN_MAX_PER_IP", 20)?,
                window_minutes: parsed("PORTAL_LOGIN_WINDOW_MINUTES", 15)?,
            },
            trust_anchors,
            production,
            limits: LimitsConfig::from_env()?,
            review: ReviewConfig {
                reply_days: parsed("PORTAL_REPLY_DAYS", 10i64)?.clamp(1, 90),
                decision_days: parsed("PORTAL_DECISION_DAYS", 30i64)?.clamp(1, 365),
                four_eyes: parsed("PORTAL_FOUR_EYES", true)?,
                email_in_charge: parsed("PORTAL_EMAIL_IN_CHARGE", true)?,
            },
            service_email,
        };
        config.check_production()?;
        Ok(config)
    }

    /// In production, refuses what only development may do: cookies without
    /// Secure, links to plain `http`, a frozen clock.
    pub fn check_production(&self) -> Result<(), ConfigError> {
        if !self.production {
            return Ok(());
        }
        let refuse = |name, message: &str| {
            Err(ConfigError {
                name,
                message: format!("{message} when PORTAL_PRODUCTION=true"),
            })
        };
        if !self.secure_cookies {
            return refuse("PORTAL_SECURE_COOKIES", "must be true");
        }
        if !self.public_url.starts_with("https://") {
            return refuse("PORTAL_PUBLIC_URL", "must be an https:// address");
        }
        if self.fixed_now.is_some() {
            return refuse("PORTAL_NOW", "cannot freeze the clock");
        }
        if matches!(self.mail.transport, MailTransport::File(_)) {
            return refuse("PORTAL_SMTP_URL", "is required");
        }
        // "Ask about this site" must reach someone, not the no-reply sender.
        if self.service_email.ends_with(".invalid") || self.service_email.contains("noreply") {
            return refuse("PORTAL_SERVICE_EMAIL", "must be the service's own address");
        }
        Ok(())
    }
}

/// The base of every link the portal emails: http(s), and nothing that would
/// end a Markdown autolink (`<…>`) early and send people elsewhere.
fn check_public_url(url: &str) -> Result<(), ConfigError> {
    let problem = if !(url.starts_with("http://") || url.starts_with("https://")) {
        "must start with http(s)://"
    } else if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>\"".contains(c))
    {
        "must not contain spaces, quotes or angle brackets"
    } else {
        return Ok(());
    };
    Err(ConfigError {
        name: "PORTAL_PUBLIC_URL",
        message: format!("{url:?} {problem}"),
    })
}

/// The bare address of `Name <address>` (or `text` when it has no brackets).
fn address_of(text: &str) -> String {
    match (text.rfind('<'), text.rfind('>')) {
        (Some(open), Some(close)) if open < close => text[open + 1..close].trim().to_string(),
        _ => text.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_is_read_as_rome_time_in_summer() {
        // 30 June is in summer time (UTC+2): 23:59:59 in Rome is 21:59:59 UTC.
        let t = rome_local("X", "2028-06-30T23:59:59").unwrap();
        assert_eq!(t.to_rfc3339(), "2028-06-30T21:59:59+00:00");
        // The previous deadline, 1 Oct 2025 at 10:00, was also summer time.
        assert_eq!(
            rome_local("X", "2025-10-01T10:00:00").unwrap().to_rfc3339(),
            "2025-10-01T08:00:00+00:00"
        );
        // A winter instant is UTC+1.
        assert_eq!(
            rome_local("X", "2028-01-15T12:00:00").unwrap().to_rfc3339(),
            "2028-01-15T11:00:00+00:00"
        );
    }

    #[test]
    fn production_refuses_development_settings() {
        let mut c = Config {
            addr: "127.0.0.1:3000".parse().unwrap(),
            public_url: "https://portal.example.it".into(),
            database_url: "sqlite::memory:".into(),
            data_dir: "data".into(),
            site_dir: "site".into(),
            mail: MailConfig {
                transport: MailTransport::Smtp("smtp://mail:25".into()),
                from: "x@example.it".into(),
            },
            secure_cookies: true,
            trusted_proxies: 1,
            submission_deadline: Utc::now(),
            fixed_now: None,
            outbox: OutboxConfig {
                poll_ms: 1,
                max_attempts: 1,
                backoff_ms: 1,
                run_worker: false,
            },
            throttle: ThrottleConfig {
                per_account: 5,
                per_ip: 20,
                window_minutes: 15,
            },
            trust_anchors: None,
            production: true,
            limits: LimitsConfig::standard(),
            review: ReviewConfig::standard(),
            service_email: "invest@example.it".into(),
        };
        assert!(c.check_production().is_ok());
        c.secure_cookies = false;
        assert_eq!(
            c.check_production().unwrap_err().name,
            "PORTAL_SECURE_COOKIES"
        );
        c.secure_cookies = true;
        c.public_url = "http://portal.example.it".into();
        assert_eq!(c.check_production().unwrap_err().name, "PORTAL_PUBLIC_URL");
        c.public_url = "https://portal.example.it".into();
        c.fixed_now = Some(Utc::now());
        assert_eq!(c.check_production().unwrap_err().name, "PORTAL_NOW");
        c.production = false;
        assert!(c.check_production().is_ok(), "development allows all of it");
    }

    #[test]
    fn impossible_local_times_are_refused() {
        // 26 March 2028, 02:30 does not exist in Rome (clocks jump from 02:00 to 03:00).
        let err = rome_local("X", "2028-03-26T02:30:00").unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
        assert!(rome_local("X", "30/06/2028").is_err());
    }

    #[test]
    fn the_public_address_cannot_break_an_emailed_link() {
        assert!(check_public_url("https://opportunity.regione.lombardia.it").is_ok());
        for bad in [
            "ftp://x.it",
            "https://x.it/a b",
            "https://x.it/>evil",
            "https://x.it/\"",
            "https://x.it\n",
        ] {
            assert!(check_public_url(bad).is_err(), "{bad:?}");
        }
    }
}
