//! Share links: a whole document packed into a URL fragment, and read back with limits.
//!
//! A link is the app's address followed by `#model=` and the document's compact JSON,
//! compressed with raw DEFLATE and written in unpadded base64url (`A-Z a-z 0-9 - _`, nothing a
//! browser or chat client needs to escape). The fragment never reaches a server. Reading a link
//! treats it as hostile: every failure is a [`ShareError`] naming what is wrong, the unpacked
//! size is capped at [`MAX_DOCUMENT_BYTES`] before it is allocated, and the JSON goes through
//! [`document::read`]'s checks.

use crate::document::{self, Document, ReadError, MAX_DOCUMENT_BYTES};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The fragment parameter holding the document: `#model=...`.
pub const MODEL_KEY: &str = "model";

/// Compression level: 9 (best); documents are small and the link's length is what matters.
const LEVEL: u8 = 9;

/// Why a link could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ShareError {
    #[error("the link holds no model: it has no \"#model=\" part")]
    NoModel,
    #[error(
        "the link is damaged: its model is not base64url ({0}); was it cut short when copied?"
    )]
    NotBase64(base64::DecodeError),
    #[error("the link is damaged: its model does not unpack ({0}); was it cut short when copied?")]
    NotCompressed(String),
    #[error("the link's model unpacks to more than the {} MB allowed", MAX_DOCUMENT_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("the link's model is not text (not UTF-8)")]
    NotText,
    #[error("the link's model is not a document: {0}")]
    NotADocument(#[from] ReadError),
}

/// The payload of a document: its compact JSON, deflated, in unpadded base64url.
pub fn encode(doc: &Document) -> String {
    let json = serde_json::to_vec(doc).expect("a Document always serialises");
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&json, LEVEL))
}

/// The fragment of a link to `doc`, without the `#`: `model=<payload>`.
pub fn fragment(doc: &Document) -> String {
    format!("{MODEL_KEY}={}", encode(doc))
}

/// A link to `doc` at `base` (an address; any fragment it has is replaced).
pub fn link(base: &str, doc: &Document) -> String {
    let base = base.split_once('#').map_or(base, |(b, _)| b);
    format!("{base}#{}", fragment(doc))
}

/// The model payload in a link, a fragment (`#model=...`, `model=...`) or a bare payload's
/// surroundings: the value of the fragment's `model` parameter, if there is one. Parameters are
/// separated by `&`; surrounding whitespace (from copying) is ignored.
pub fn payload_in(link: &str) -> Option<&str> {
    let link = link.trim();
    let fragment = link.split_once('#').map_or(link, |(_, f)| f);
    fragment
        .split('&')
        .find_map(|param| param.strip_prefix(MODEL_KEY)?.strip_prefix('='))
        .map(str::trim)
}

/// Reads a payload made by [`encode`].
pub fn decode(payload: &str) -> Result<Document, ShareError> {
    // Packed, a document is far smaller than unpacked: a payload longer than the unpacked limit
    // is refused before anything is decoded.
    if payload.len() > MAX_DOCUMENT_BYTES {
        return Err(ShareError::TooLarge);
    }
    let packed = URL_SAFE_NO_PAD.decode(payload.trim()).map_err(ShareError::NotBase64)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_DOCUMENT_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            status => ShareError::NotCompressed(describe(status)),
        })?;
    let text = std::str::from_utf8(&json).map_err(|_| ShareError::NotText)?;
    Ok(document::read(text)?)
}

/// Reads the document in a link (see [`payload_in`]).
pub fn read_link(link: &str) -> Result<Document, ShareError> {
    decode(payload_in(link).ok_or(ShareError::NoModel)?)
}

/// What an inflate failure means, for people.
fn describe(status: miniz_oxide::inflate::TINFLStatus) -> String {
    use miniz_oxide::inflate::TINFLStatus as S;
    match status {
        S::FailedCannotMakeProgress | S::NeedsMoreInput => "it ends too early".to_owned(),
        S::BadParam | S::Failed => "its data is corrupt".to_owned(),
        S::Adler32Mismatch => "its checksum does not match".to_owned(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig24() -> Document {
        let text = include_str!("../../../examples/seed-fig24.json");
        document::read(text).expect("the example reads")
    }

    #[test]
    fn a_link_reads_back_as_the_same_document() {
        let doc = fig24();
        let link = link("http://127.0.0.1:8080/?x=1#old", &doc);
        assert!(link.starts_with("http://127.0.0.1:8080/?x=1#model="), "{link}");
        let payload = payload_in(&link).unwrap();
        assert!(payload.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(read_link(&link).unwrap(), doc);
        // Also from a fragment with other parameters, and with whitespace from copying.
        let fragment = format!("  #view&{}&x=y \n", fragment(&doc));
        assert_eq!(read_link(&fragment).unwrap(), doc);
    }

    #[test]
    fn the_link_is_much_shorter_than_the_json() {
        let doc = crate::generate::data_centre(1000);
        let json = serde_json::to_string(&doc).unwrap();
        let payload = encode(&doc);
        assert!(payload.len() * 4 < json.len(), "{} vs {}", payload.len(), json.len());
    }

    #[test]
    fn hostile_links_are_refused_with_what_is_wrong() {
        let said = |link: &str| read_link(link).unwrap_err().to_string();
        assert_eq!(said("http://x/#view"), "the link holds no model: it has no \"#model=\" part");
        assert!(said("#model=a*b").contains("not base64url"), "{}", said("#model=a*b"));
        // Cut short: the end of the deflate stream is missing.
        let payload = encode(&fig24());
        let cut = &payload[..payload.len() / 2];
        assert!(said(&format!("#model={cut}")).contains("does not unpack"), "{}", said(cut));
        // Valid deflate of something that is not a document.
        let other =
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(br#"{"name": "x"}"#, 6));
        assert!(said(&format!("#model={other}")).starts_with("the link's model is not a document"));
        let binary =
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe], 6));
        assert_eq!(said(&format!("#model={binary}")), "the link's model is not text (not UTF-8)");
    }

    #[test]
    fn a_decompression_bomb_stops_at_the_limit() {
        // 64 MB of spaces packs into ~64 KB.
        let bomb = vec![b' '; 4 * MAX_DOCUMENT_BYTES];
        let payload = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bomb, 9));
        assert!(payload.len() < 200_000);
        assert!(matches!(decode(&payload), Err(ShareError::TooLarge)));
    }
}
