//! A browser session against the in-process router, for the benchmarks:
//! cookies, the CSRF token, forms and uploads as a browser sends them.
//! Each benchmark uses part of it.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

/// A browser session against the in-process router: cookies and the CSRF token.
#[derive(Clone)]
pub struct Session {
    pub router: Router,
    pub cookies: String,
    pub csrf: String,
}

impl Session {
    /// A browser that opened the home page (for its CSRF cookie) and logged in.
    pub async fn logged_in(router: Router, email: &str, password: &str) -> Session {
        let mut s = Session {
            router,
            cookies: String::new(),
            csrf: String::new(),
        };
        let (_, set, _) = s.send(Request::get("/").body(Body::empty()).unwrap()).await;
        s.remember(set);
        s.post_form("/login", &[("email", email), ("password", password)])
            .await;
        s
    }

    pub async fn send(&self, request: Request<Body>) -> (StatusCode, Vec<String>, String) {
        let mut request = request;
        let headers = request.headers_mut();
        headers.insert(header::COOKIE, self.cookies.parse().unwrap());
        headers.insert("x-forwarded-for", "10.9.9.9".parse().unwrap());
        headers.insert(header::HOST, "portal.test".parse().unwrap());
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let set: Vec<String> = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
            .collect();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, set, location)
    }

    pub fn remember(&mut self, set: Vec<String>) {
        for cookie in set {
            let name = cookie.split('=').next().unwrap().to_string();
            let mut kept: Vec<String> = self
                .cookies
                .split("; ")
                .filter(|c| !c.is_empty() && !c.starts_with(&format!("{name}=")))
                .map(String::from)
                .collect();
            kept.push(cookie.clone());
            self.cookies = kept.join("; ");
            if name == "ol_csrf" {
                self.csrf = cookie.split_once('=').unwrap().1.to_string();
            }
        }
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> String {
        let mut all = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let body = serde_urlencoded::to_string(&all).unwrap();
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let (status, set, location) = self.send(request).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
        self.remember(set);
        location
    }

    /// A GET's body, for downloads.
    pub async fn download(&self, path: &str) -> Vec<u8> {
        let mut request = Request::get(path).body(Body::empty()).unwrap();
        let headers = request.headers_mut();
        headers.insert(header::COOKIE, self.cookies.parse().unwrap());
        headers.insert("x-forwarded-for", "10.9.9.9".parse().unwrap());
        let response = self.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec()
    }

    pub async fn upload(&self, path: &str, field: &str, name: &str, bytes: &[u8]) -> StatusCode {
        self.send_multipart(path, multipart(&self.csrf, field, name, bytes))
            .await
    }

    /// Sends a body built beforehand, so the benchmark's own copy is not measured.
    pub async fn send_multipart(&self, path: &str, body: Vec<u8>) -> StatusCode {
        let request = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await.0
    }
}

const BOUNDARY: &str = "bench-boundary-5t3Qw";

/// A browser's upload: the form's token first, then the file.
pub fn multipart(token: &str, field: &str, name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}
