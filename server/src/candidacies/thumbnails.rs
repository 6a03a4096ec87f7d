//! Photos as staff see them on the review page, and as the catalogue shows
//! them: smaller copies the server makes.
//! The upload is decoded under limits (a file claiming 60,000 × 60,000
//! pixels is refused before any pixel is allocated), scaled to fit
//! [`SIZE`] px and written again as a JPEG, which carries no metadata: EXIF,
//! and the GPS position a phone puts there, do not survive. Made once per
//! stored file, kept beside the uploads.

use crate::db::entities::document;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use std::io::Cursor;

/// The longest side of a thumbnail, in pixels.
pub const SIZE: u32 = 320;
/// The longest side of a photo as a site's page opens it.
pub const LARGE: u32 = 1280;
/// The largest photo decoded: a side (pixels) and the memory the decoder may take.
const MAX_SIDE: u32 = 12_000;
const MAX_ALLOC: u64 = 256 * 1024 * 1024;

/// A thumbnail of the image `bytes` (JPEG or PNG): JPEG, no metadata.
pub fn make(bytes: &[u8]) -> Result<Vec<u8>, String> {
    make_sized(bytes, SIZE)
}

/// The image `bytes` (JPEG or PNG) scaled to fit `size` pixels (never
/// enlarged): JPEG, no metadata.
pub fn make_sized(bytes: &[u8], size: u32) -> Result<Vec<u8>, String> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let picture = reader.decode().map_err(|e| e.to_string())?;
    let small = if picture.width() <= size && picture.height() <= size {
        picture.to_rgb8()
    } else {
        picture.thumbnail(size, size).to_rgb8()
    };
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&small)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// The thumbnail of photo `doc`, made on the heavy-work pool the first time
/// and kept as `uploads/thumbs/<sha256>.jpg`; `None` when `doc` is not a
/// photo or does not decode.
pub async fn of(state: &AppState, doc: &document::Model) -> AppResult<Option<Vec<u8>>> {
    of_size(state, doc, SIZE).await
}

/// The name a copy of the photo stored as `sha256` is kept under, `size` px.
pub fn kept_name(sha256: &str, size: u32) -> String {
    match size {
        SIZE => format!("{sha256}.jpg"),
        size => format!("{sha256}-{size}.jpg"),
    }
}

/// [`of`], `size` pixels on the longest side.
pub async fn of_size(
    state: &AppState,
    doc: &document::Model,
    size: u32,
) -> AppResult<Option<Vec<u8>>> {
    if doc.purpose != forms::attachments::Purpose::Photo.code() {
        return Ok(None);
    }
    let dir = state.config.uploads_dir().join("thumbs");
    let kept = dir.join(kept_name(&doc.sha256, size));
    if let Ok(bytes) = tokio::fs::read(&kept).await {
        return Ok(Some(bytes));
    }
    // Read in the heavy-work turn, so the originals in memory at once are
    // as many as the turns (a page of photos asks for all its thumbnails).
    let original = state.config.uploads_dir().join(&doc.sha256);
    let made = state
        .heavy
        .run(move || std::fs::read(&original).map(|bytes| make_sized(&bytes, size)))
        .await?
        .map_err(|e| AppError::Internal(format!("{}: {e}", doc.sha256)))?;
    let Ok(thumbnail) = made else {
        return Ok(None);
    };
    // Written aside and renamed: a reader never sees half a file.
    let io = |e: std::io::Error| AppError::Internal(format!("thumbnail: {e}"));
    tokio::fs::create_dir_all(&dir).await.map_err(io)?;
    let partial = dir.join(format!("{}.{}.part", doc.sha256, uuid::Uuid::new_v4()));
    tokio::fs::write(&partial, &thumbnail).await.map_err(io)?;
    tokio::fs::rename(&partial, &kept).await.map_err(io)?;
    Ok(Some(thumbnail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::ImageEncoder;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&picture)
            .unwrap();
        out
    }

    /// `jpeg` with an EXIF segment (APP1) right after its start, holding a
    /// GPS position as a phone writes it.
    fn with_exif(jpeg: &[u8]) -> Vec<u8> {
        let payload = b"Exif\0\0MM\0*GPSLatitude 45.6983 GPSLongitude 9.6773";
        let len = (payload.len() + 2) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(len.to_be_bytes());
        out.extend(payload);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn a_thumbnail_is_small_and_keeps_no_position() {
        let photo = with_exif(&jpeg(1200, 800));
        assert!(photo.windows(4).any(|w| w == b"Exif"));
        let thumb = make(&photo).unwrap();
        let decoded = image::load_from_memory(&thumb).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (320, 213));
        assert!(!thumb.windows(4).any(|w| w == b"Exif"));
        assert!(!thumb.windows(3).any(|w| w == b"GPS"));
    }

    /// A PNG whose header claims `width` × `height` pixels (its CRC right,
    /// so only the size can stop it).
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&[0u8; 3], 1, 1, image::ExtendedColorType::Rgb8)
            .unwrap();
        // IHDR's data starts at byte 16: width, height; its CRC follows at 29.
        out[16..20].copy_from_slice(&width.to_be_bytes());
        out[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32fast::hash(&out[12..29]);
        out[29..33].copy_from_slice(&crc.to_be_bytes());
        out
    }

    #[test]
    fn a_photo_claiming_to_be_huge_is_refused_before_decoding() {
        // 60,000 × 60,000 RGB would be 10 GB: refused from the header, by
        // the limits, before any pixel buffer exists.
        let refused = make(&png_claiming(60_000, 60_000)).unwrap_err();
        assert!(refused.to_lowercase().contains("limit"), "{refused}");
        assert!(
            make(&png_claiming(2, 2)).is_err(),
            "a header that lies about its data"
        );
        assert!(make(b"not a picture").is_err());
    }
}
