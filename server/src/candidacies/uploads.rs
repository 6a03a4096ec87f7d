//! Receiving an uploaded file: streamed to a temporary file with a size limit
//! and hashed on the way, then moved into place only once complete and checked.
//! A half-received, refused or oversized file is never kept: the temporary
//! file is deleted when its guard is dropped, whatever path the request took.

use axum::extract::Multipart;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// A file received into `<dir>/tmp`: deleted when dropped, on every path
/// (refused, interrupted, failed), unless [`store`]d first.
#[derive(Debug)]
pub struct Incoming {
    pub original_name: String,
    pub sha256: String,
    pub size: u64,
    path: PathBuf,
}

impl Incoming {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Incoming {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A kept file, stored by content as `<dir>/<sha256>`.
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
    /// The body stopped before the end (connection lost, browser tab closed, too slow).
    Interrupted(String),
    Io(String),
}

/// Receives the multipart field `name` into `dir`, refusing more than `limit` bytes.
pub async fn receive(
    multipart: &mut Multipart,
    name: &str,
    dir: &Path,
    limit: u64,
) -> Result<Incoming, UploadError> {
    loop {
        let field = multipart.next_field().await.map_err(from_multipart)?;
        let Some(mut field) = field else {
            return Err(UploadError::Missing);
        };
        if field.name() != Some(name) {
            continue;
        }
        // From here on, any early return drops `incoming` and deletes the partial file.
        let mut incoming = Incoming {
            original_name: display_name(field.file_name().unwrap_or("")),
            sha256: String::new(),
            size: 0,
            path: new_part(dir).await?,
        };
        let mut file = tokio::fs::File::create(&incoming.path).await.map_err(io)?;
        let mut hasher = Sha256::new();
        while let Some(chunk) = field.chunk().await.map_err(from_multipart)? {
            incoming.size += chunk.len() as u64;
            if incoming.size > limit {
                return Err(UploadError::TooLarge);
            }
            hasher.update(&chunk);
            file.write_all(&chunk).await.map_err(io)?;
        }
        file.sync_all().await.map_err(io)?;
        if incoming.size == 0 && incoming.original_name.is_empty() {
            return Err(UploadError::Missing);
        }
        incoming.sha256 = hex::encode(hasher.finalize());
        return Ok(incoming);
    }
}

/// Keeps a received file, by content: the same file uploaded twice is stored once.
/// Callers hold [`BLOBS`] so a file is not deleted between this and its row.
pub async fn store(mut incoming: Incoming, dir: &Path) -> Result<Received, UploadError> {
    let path = dir.join(&incoming.sha256);
    tokio::fs::rename(&incoming.path, &path).await.map_err(io)?;
    // Moved: nothing left in tmp for the drop guard to delete.
    incoming.path = PathBuf::new();
    Ok(Received {
        original_name: std::mem::take(&mut incoming.original_name),
        sha256: std::mem::take(&mut incoming.sha256),
        size: incoming.size,
        path,
    })
}

/// A fresh name for a file being written, in `dir`'s tmp folder (created if
/// needed): files reach their stored name only whole, by a rename.
async fn new_part(dir: &Path) -> Result<PathBuf, UploadError> {
    let tmp_dir = dir.join("tmp");
    tokio::fs::create_dir_all(&tmp_dir).await.map_err(io)?;
    Ok(tmp_dir.join(format!("{}.part", uuid::Uuid::new_v4())))
}

/// Keeps bytes the portal made itself (a receipt), by content like an upload.
pub async fn store_bytes(dir: &Path, name: &str, bytes: &[u8]) -> Result<Received, UploadError> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let path = dir.join(&sha256);
    // Written aside, then renamed into place: the same receipt made twice (a
    // losing second submission) never truncates the file a reader has open.
    let part = new_part(dir).await?;
    if let Err(e) = tokio::fs::write(&part, bytes).await {
        let _ = tokio::fs::remove_file(&part).await;
        return Err(io(e));
    }
    tokio::fs::rename(&part, &path).await.map_err(io)?;
    Ok(Received {
        original_name: name.to_string(),
        sha256,
        size: bytes.len() as u64,
        path,
    })
}

/// Stored files are shared by content, so one is deleted only when no row
/// points to it any more. This lock keeps "store, then record the row" and
/// "no row points to it, so delete" from interleaving in this process.
pub static BLOBS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Deletes the stored file `sha256` (the caller holds [`BLOBS`] and has seen no row point to it).
pub async fn delete_stored(dir: &Path, sha256: &str) {
    // Only a hash names a stored file: never a path from elsewhere.
    if sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        let _ = tokio::fs::remove_file(dir.join(sha256)).await;
        // A photo's thumbnail shows what the photo showed: it goes with it.
        use crate::candidacies::thumbnails::{kept_name, LARGE, SIZE};
        for size in [SIZE, LARGE] {
            let copy = dir.join("thumbs").join(kept_name(sha256, size));
            let _ = tokio::fs::remove_file(copy).await;
        }
    }
}

/// Deletes partial files left in `<dir>/tmp` by a process that stopped mid-upload.
/// Only files older than an hour: another instance sharing the folder may be receiving one now.
pub fn sweep_tmp(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir.join("tmp")) else {
        return 0;
    };
    let hour = std::time::Duration::from_secs(3600);
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "part"))
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > hour)
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
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
