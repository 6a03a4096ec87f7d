//! Receiving an uploaded file: streamed to a temporary file with a size limit
//! and hashed on the way, then moved into place only once complete. A
//! half-received or oversized file is never kept.

use axum::extract::Multipart;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// A complete file: first in `<dir>/tmp`, then, once `store`d, under `<dir>/<sha256>`.
#[derive(Debug, Clone)]
pub struct Received {
    pub original_name: String,
    pub sha256: String,
    pub size: u64,
    pub path: PathBuf,
}

#[derive(Debug)]
pub enum UploadError {
    /// No file was chosen.
    Missing,
    TooLarge,
    /// The body stopped before the end (connection lost, browser tab closed).
    Interrupted(String),
    Io(String),
}

/// Receives the multipart field `name` into `dir`, refusing more than `limit` bytes.
pub async fn receive(
    multipart: &mut Multipart,
    name: &str,
    dir: &Path,
    limit: u64,
) -> Result<Received, UploadError> {
    loop {
        let field = multipart.next_field().await.map_err(from_multipart)?;
        let Some(mut field) = field else {
            return Err(UploadError::Missing);
        };
        if field.name() != Some(name) {
            continue;
        }
        let original_name = display_name(field.file_name().unwrap_or(""));
        let tmp_dir = dir.join("tmp");
        tokio::fs::create_dir_all(&tmp_dir).await.map_err(io)?;
        let tmp = tmp_dir.join(format!("{}.part", uuid::Uuid::new_v4()));
        let result = async {
            let mut file = tokio::fs::File::create(&tmp).await.map_err(io)?;
            let mut hasher = Sha256::new();
            let mut size: u64 = 0;
            while let Some(chunk) = field.chunk().await.map_err(from_multipart)? {
                size += chunk.len() as u64;
                if size > limit {
                    return Err(UploadError::TooLarge);
                }
                hasher.update(&chunk);
                file.write_all(&chunk).await.map_err(io)?;
            }
            file.sync_all().await.map_err(io)?;
            Ok((hex::encode(hasher.finalize()), size))
        }
        .await;
        let (sha256, size) = match result {
            Ok(done) => done,
            Err(e) => {
                let _ = tokio::fs::remove_file(&tmp).await;
                return Err(e);
            }
        };
        if size == 0 && original_name.is_empty() {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(UploadError::Missing);
        }
        return Ok(Received {
            original_name,
            sha256,
            size,
            path: tmp,
        });
    }
}

/// Keeps a received file, by content: the same file uploaded twice is stored once.
pub async fn store(received: Received, dir: &Path) -> Result<Received, UploadError> {
    let path = dir.join(&received.sha256);
    tokio::fs::rename(&received.path, &path).await.map_err(io)?;
    Ok(Received { path, ..received })
}

/// Keeps bytes the portal made itself (a receipt), by content like an upload.
pub async fn store_bytes(dir: &Path, name: &str, bytes: &[u8]) -> Result<Received, UploadError> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    tokio::fs::create_dir_all(dir).await.map_err(io)?;
    let path = dir.join(&sha256);
    tokio::fs::write(&path, bytes).await.map_err(io)?;
    Ok(Received {
        original_name: name.to_string(),
        sha256,
        size: bytes.len() as u64,
        path,
    })
}

/// Drops a received file that was refused.
pub async fn discard(received: Received) {
    let _ = tokio::fs::remove_file(&received.path).await;
}

fn io(e: std::io::Error) -> UploadError {
    UploadError::Io(e.to_string())
}

fn from_multipart(e: axum::extract::multipart::MultipartError) -> UploadError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        UploadError::TooLarge
    } else {
        UploadError::Interrupted(e.body_text())
    }
}

/// The file's own name without any folder part, trimmed to 255 characters, for display only.
fn display_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    base.chars()
        .filter(|c| !c.is_control())
        .take(255)
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::display_name;

    #[test]
    fn only_the_base_name_is_kept() {
        assert_eq!(
            display_name("C:\\Users\\mario\\modello.xlsx"),
            "modello.xlsx"
        );
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("dati\u{0}.xlsx"), "dati.xlsx");
    }
}
