//! The attachments a candidacy carries (domain.md, "Attachments"), and the
//! check of an uploaded file against what its slot accepts. The type is
//! sniffed from the content, never from the name; images must decode.

use crate::report::Message;
use std::io::Cursor;

/// Each attachment slot: what it holds, which types it accepts, how many files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Photo,
    Perimeter,
    CadastralExtract,
    Report,
    /// The signer's identity document, needed with a handwritten signature. It
    /// belongs to the signed-forms step, so it is not in `ALL`.
    IdDocument,
}

/// Types of file the portal accepts as attachments, as sniffed from their bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Jpeg,
    Png,
    Pdf,
    Kml,
    GeoJson,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Pdf => "application/pdf",
            FileType::Kml => "application/vnd.google-earth.kml+xml",
            FileType::GeoJson => "application/geo+json",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FileType::Jpeg => "JPEG",
            FileType::Png => "PNG",
            FileType::Pdf => "PDF",
            FileType::Kml => "KML",
            FileType::GeoJson => "GeoJSON",
        }
    }
}

/// Largest attachment accepted (a scanned cadastral extract or a plan can be big).
pub const MAX_ATTACHMENT_BYTES: u64 = 25 * 1024 * 1024;
/// Largest picture decoded, in pixels: 40 megapixels is more than a site photo
/// needs, and keeps one decode under 160 MB however the file was made.
pub const MAX_PIXELS: u64 = 40_000_000;

pub const ALL: [Purpose; 4] = [
    Purpose::Photo,
    Purpose::Perimeter,
    Purpose::CadastralExtract,
    Purpose::Report,
];

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Photo => "photo",
            Purpose::Perimeter => "perimeter",
            Purpose::CadastralExtract => "cadastral_extract",
            Purpose::Report => "report",
            Purpose::IdDocument => "id_document",
        }
    }

    pub fn from_code(code: &str) -> Option<Purpose> {
        ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn accepts(self) -> &'static [FileType] {
        match self {
            Purpose::Photo => &[FileType::Jpeg, FileType::Png],
            Purpose::Perimeter => &[FileType::Pdf, FileType::Kml, FileType::GeoJson],
            Purpose::CadastralExtract | Purpose::Report => &[FileType::Pdf],
            Purpose::IdDocument => &[FileType::Pdf, FileType::Jpeg, FileType::Png],
        }
    }

    /// At least one file is needed before submission.
    pub fn mandatory(self) -> bool {
        // The identity document is needed only with a handwritten signature.
        !matches!(self, Purpose::Report | Purpose::IdDocument)
    }

    /// Several files are kept (photos); otherwise a new file replaces the old one.
    pub fn many(self) -> bool {
        self == Purpose::Photo
    }

    /// The `accept` attribute of the file chooser: a hint to the browser, not a check.
    pub fn accept_attribute(self) -> &'static str {
        match self {
            Purpose::Photo => ".jpg,.jpeg,.png,image/jpeg,image/png",
            Purpose::Perimeter => ".pdf,.kml,.geojson,.json,application/pdf",
            Purpose::CadastralExtract | Purpose::Report => ".pdf,application/pdf",
            Purpose::IdDocument => ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png",
        }
    }
}

/// What the bytes are, judged from their content.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileType::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileType::Png);
    }
    // PDF readers accept the header within the first kilobyte.
    if bytes
        .iter()
        .take(1024)
        .collect::<Vec<_>>()
        .windows(5)
        .any(|w| w.iter().map(|b| **b).eq(*b"%PDF-"))
    {
        return Some(FileType::Pdf);
    }
    let text = std::str::from_utf8(bytes)
        .ok()?
        .trim_start_matches('\u{feff}')
        .trim_start();
    if text.starts_with('<') && text.chars().take(2048).collect::<String>().contains("<kml") {
        return Some(FileType::Kml);
    }
    if text.starts_with('{') && is_geojson(text) {
        return Some(FileType::GeoJson);
    }
    None
}

/// Whether `text` is a GeoJSON object, judged by its `type` member. Everything
/// else is skipped as it is read, not built: a 25 MB array of coordinates costs
/// time in proportion to its length and no memory (serde_json also stops at
/// 128 levels of nesting).
fn is_geojson(text: &str) -> bool {
    const TYPES: [&str; 9] = [
        "FeatureCollection",
        "Feature",
        "Polygon",
        "MultiPolygon",
        "Point",
        "LineString",
        "MultiPoint",
        "MultiLineString",
        "GeometryCollection",
    ];
    #[derive(serde::Deserialize)]
    struct Head<'a> {
        #[serde(rename = "type", borrow)]
        kind: std::borrow::Cow<'a, str>,
    }
    serde_json::from_str::<Head>(text).is_ok_and(|h| TYPES.contains(&h.kind.as_ref()))
}

/// Checks an upload for `purpose`: its sniffed type must be one the slot accepts,
/// and pictures must decode. The message says what was found and what is wanted.
pub fn check(purpose: Purpose, bytes: &[u8]) -> Result<FileType, Message> {
    let wanted = purpose
        .accepts()
        .iter()
        .map(|t| t.label())
        .collect::<Vec<_>>()
        .join(", ");
    let Some(found) = sniff(bytes) else {
        return Err(Message::new("attachment_unknown_type").with("wanted", wanted));
    };
    if !purpose.accepts().contains(&found) {
        return Err(Message::new("attachment_wrong_type")
            .with("found", found.label())
            .with("wanted", wanted));
    }
    if matches!(found, FileType::Jpeg | FileType::Png) {
        decode(bytes)?;
    }
    Ok(found)
}

/// Decodes the whole picture. Its header says how big it is: more than
/// `MAX_PIXELS` is refused as too large before anything is decoded; then the
/// decoder's memory is capped too (8 bytes a pixel covers 16-bit RGBA), so a
/// file that lies in its header is refused instead of allocated.
fn decode(bytes: &[u8]) -> Result<(), Message> {
    fn broken<E>(_: E) -> Message {
        Message::new("attachment_image_broken")
    }
    let reader = || image::ImageReader::new(Cursor::new(bytes)).with_guessed_format();
    let (width, height) = reader()
        .map_err(broken)?
        .into_dimensions()
        .map_err(broken)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Message::new("attachment_image_too_large"));
    }
    let mut reader = reader().map_err(broken)?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 8);
    reader.limits(limits);
    reader.decode().map(drop).map_err(broken)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(width, height, image::Rgb([0, 102, 204]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn types_are_told_by_content() {
        assert_eq!(sniff(&png(2, 2)), Some(FileType::Png));
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><kml xmlns=\"http://www.opengis.net/kml/2.2\"></kml>"),
            Some(FileType::Kml)
        );
        assert_eq!(
            sniff(br#"{"type":"FeatureCollection","features":[]}"#),
            Some(FileType::GeoJson)
        );
        assert_eq!(sniff(br#"{"name":"not geojson"}"#), None);
        assert_eq!(sniff(b"MZ\x90\x00 an executable"), None);
        assert_eq!(sniff(b"<html><script>alert(1)</script></html>"), None);
    }

    #[test]
    fn each_slot_takes_its_types_and_pictures_must_decode() {
        assert_eq!(check(Purpose::Photo, &png(4, 3)).ok(), Some(FileType::Png));
        assert_eq!(
            check(Purpose::Photo, b"%PDF-1.4").unwrap_err().key,
            "attachment_wrong_type"
        );
        assert_eq!(
            check(Purpose::CadastralExtract, &png(4, 3))
                .unwrap_err()
                .key,
            "attachment_wrong_type"
        );
        assert_eq!(
            check(
                Purpose::Perimeter,
                br#"{"type":"Polygon","coordinates":[]}"#
            )
            .ok(),
            Some(FileType::GeoJson)
        );
        let mut broken = png(64, 64);
        broken.truncate(60);
        assert_eq!(
            check(Purpose::Photo, &broken).unwrap_err().key,
            "attachment_image_broken"
        );
        assert_eq!(
            check(Purpose::Report, b"hello").unwrap_err().key,
            "attachment_unknown_type"
        );
    }
}
