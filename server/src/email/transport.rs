//! Delivery: SMTP in production, `.eml` files in development.

use crate::config::{MailConfig, MailTransport};
use crate::db::entities::outbox;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub enum Mailer {
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Why a delivery failed: worth retrying later, or never going to work.
#[derive(Debug)]
pub enum SendError {
    Transient(String),
    Permanent(String),
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Mailer, String> {
        match &config.transport {
            MailTransport::File(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create mail folder {dir:?}: {e}"))?;
                Ok(Mailer::File(AsyncFileTransport::new(dir)))
            }
            MailTransport::Smtp(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|builder| {
                    Mailer::Smtp(
                        builder
                            .timeout(Some(std::time::Duration::from_secs(20)))
                            .build(),
                    )
                })
                .map_err(|e| format!("PORTAL_SMTP_URL is not usable: {e}")),
        }
    }

    pub async fn send(&self, from: &str, message: &outbox::Model) -> Result<(), SendError> {
        let email = build(from, message)?;
        match self {
            Mailer::File(t) => t
                .send(email)
                .await
                .map(|_| ())
                .map_err(|e| SendError::Transient(e.to_string())),
            Mailer::Smtp(t) => t.send(email).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Transient(e.to_string())
                }
            }),
        }
    }
}

fn build(from: &str, message: &outbox::Model) -> Result<Message, SendError> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| SendError::Permanent(format!("sender {from:?}: {e}")))?;
    let to: Mailbox = message
        .to_addr
        .parse()
        .map_err(|e| SendError::Permanent(format!("recipient {:?}: {e}", message.to_addr)))?;
    let text = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(message.body_text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(message.body_html.clone()),
        );
    let body = match (&message.attachment_name, &message.attachment_path) {
        (Some(name), Some(path)) => {
            // A missing file may be a disk not yet mounted: try again later.
            let bytes = std::fs::read(path)
                .map_err(|e| SendError::Transient(format!("attachment {path}: {e}")))?;
            let pdf = ContentType::parse("application/pdf").expect("a valid MIME type");
            MultiPart::mixed()
                .multipart(text)
                .singlepart(Attachment::new(name.clone()).body(bytes, pdf))
        }
        _ => text,
    };
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(message.subject.clone());
    if let Some(address) = &message.unsubscribe {
        // Mail programs show an "unsubscribe" button that POSTs to it (RFC 8058).
        let header = |name, value| HeaderValue::new(HeaderName::new_from_ascii_str(name), value);
        builder = builder
            .raw_header(header("List-Unsubscribe", format!("<{address}>")))
            .raw_header(header(
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".to_string(),
            ));
    }
    builder
        .multipart(body)
        .map_err(|e| SendError::Permanent(e.to_string()))
}
