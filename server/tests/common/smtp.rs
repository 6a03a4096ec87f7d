//! A real SMTP server on loopback (mailin-embedded) that records what it receives.
//! Recipients containing "reject" are refused with 550, as a real server refuses an unknown mailbox.

use mailin_embedded::{response, Handler, Response, Server};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Clone, Default)]
struct Recorder {
    inbox: Arc<Mutex<Vec<Received>>>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Recorder {
    fn rcpt(&mut self, to: &str) -> Response {
        if to.contains("reject") {
            response::NO_MAILBOX
        } else {
            response::OK
        }
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let data = String::from_utf8_lossy(&self.data).into_owned();
        self.inbox.lock().unwrap().push(Received {
            to: std::mem::take(&mut self.to),
            data,
        });
        response::OK
    }
}

pub struct SmtpSink {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
}

/// A free loopback port, for a server that is not running yet.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpSink {
    /// Starts the server on `port` in a background thread (it lives until the test process ends).
    pub fn start(port: u16) -> SmtpSink {
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let handler = Recorder {
            inbox: inbox.clone(),
            ..Default::default()
        };
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind SMTP port");
        let mut server = Server::new(handler);
        server
            .with_name("sink.test")
            .with_tcp_listener(listener)
            .with_num_threads(2);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        SmtpSink { port, inbox }
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }
}

/// The portal's own email worker, sending through the sink on `port`.
#[allow(dead_code)] // not every test binary sends
pub fn smtp_worker(port: u16) -> server::email::worker::Worker {
    use server::config::{MailConfig, MailTransport};
    let config = MailConfig {
        transport: MailTransport::Smtp(format!("smtp://127.0.0.1:{port}")),
        from: "Opportunity Lombardy <noreply@portal.test>".into(),
    };
    server::email::worker::Worker::new(server::email::transport::Mailer::new(&config).unwrap())
}
