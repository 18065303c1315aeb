//! Share links: a whole document packed into a URL fragment, and read back with limits.
//!
//! A link is the app's address followed by `#model=` and the document's compact JSON,
//! compressed with raw DEFLATE and written in unpadded base64url (`A-Z a-z 0-9 - _`, nothing a
//! browser or chat client needs to escape). The fragment never reaches a server. A design review
//! link also carries the model before the change, packed the same way in `before=`, ahead of
//! `model=` (a reader that does not know it ignores it and opens the model). Reading a link
//! treats it as hostile: every failure is a [`ShareError`] naming what is wrong, the payload's
//! length is limited ([`limits::MAX_LINK_CHARS`]), the unpacked size is capped at
//! [`MAX_DOCUMENT_BYTES`] while it is inflated (never beyond), and the JSON goes through
//! [`document::read`]'s checks (the other limits) before a model is built.

use crate::document::{self, Document, ReadError};
use crate::limits::{self, Exceeded, Limit, MAX_DOCUMENT_BYTES};
use crate::strategy::Strategy;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// The fragment parameter holding the document: `#model=...`.
pub const MODEL_KEY: &str = "model";
/// The fragment parameter holding the model a review compares with (the one before the
/// change): `#before=...&model=...`.
pub const BEFORE_KEY: &str = "before";

/// Compression level: 9 (best); documents are small and the link's length is what matters.
const LEVEL: u8 = 9;

/// Why a link could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ShareError {
    #[error("the link holds no model: it has no \"#model=\" part, or it is empty")]
    NoModel,
    #[error("the link is damaged: its model holds a character a share link never has ({what})")]
    NotBase64 { what: String },
    #[error("the link is damaged: its model stops in the middle; was it cut short when copied?")]
    CutShort,
    #[error("the link is damaged: its model does not unpack ({0})")]
    NotCompressed(String),
    #[error("the link's model unpacks to more than the {} a document may have", Limit::DocumentBytes.words(MAX_DOCUMENT_BYTES))]
    TooLarge,
    /// The payload is longer than [`limits::MAX_LINK_CHARS`].
    #[error("{0}")]
    TooLong(Exceeded),
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

/// What a link shows failed, as it names them (`fail=UID`, `fail-router=NAME`,
/// `fail-subnet=PREFIX`): the compile's `FailureSet` as plain names (`FailureSet::from`
/// converts, and checks them against a document).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkFailures {
    pub nodes: Vec<String>,
    pub routers: Vec<String>,
    pub subnets: Vec<String>,
}

/// How the app is to show a linked model.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkOptions {
    /// The model before the change (`before=`): the app opens the link comparing the two.
    pub before: Option<Document>,
    /// A shared view (`view`): for embedding; the app never saves it.
    pub view: bool,
    /// The strategy the lists are shown with (`strategy=`; rotation, the default, is not
    /// written).
    pub strategy: Strategy,
    /// The UID of the node to select (`node=`), so its lists show at once.
    pub node: Option<String>,
    /// A lesson of the lifecycle simulation to open, at an event (`lesson=ID&event=N`): the
    /// app shows it in its Simulate tab (docs/lifecycle.md).
    pub lesson: Option<(String, usize)>,
    /// What the reader sees failed (`fail=UID`, `fail-router=NAME`, `fail-subnet=PREFIX`, one
    /// parameter each, as the CLI's `--fail`, `--fail-router`, `--fail-subnet`).
    pub failures: LinkFailures,
}

/// The fragment of a link to `doc`, without the `#`:
/// `[view&][strategy=S&][node=UID&][fail=UID&...][fail-router=R&...][fail-subnet=P&...]`
/// `[lesson=ID&event=N&][before=<payload>&]model=<payload>` (the node's UID, the failures and
/// the lesson's id percent-encoded).
pub fn fragment(doc: &Document, options: &LinkOptions) -> String {
    let mut fragment = String::new();
    if options.view {
        fragment.push_str(VIEW_KEY);
        fragment.push('&');
    }
    if options.strategy != Strategy::default() {
        fragment.push_str(&format!("{STRATEGY_KEY}={}&", strategy_text(options.strategy)));
    }
    if let Some(node) = &options.node {
        fragment.push_str(&fragment_param(NODE_KEY, node));
        fragment.push('&');
    }
    let failed = [
        (FAIL_KEY, &options.failures.nodes),
        (FAIL_ROUTER_KEY, &options.failures.routers),
        (FAIL_SUBNET_KEY, &options.failures.subnets),
    ];
    for (key, values) in failed {
        for value in values {
            fragment.push_str(&fragment_param(key, value));
            fragment.push('&');
        }
    }
    if let Some((lesson, event)) = &options.lesson {
        fragment.push_str(&format!("{}&{EVENT_KEY}={event}&", fragment_param(LESSON_KEY, lesson)));
    }
    if let Some(before) = &options.before {
        fragment.push_str(&format!("{BEFORE_KEY}={}&", encode(before)));
    }
    format!("{fragment}{MODEL_KEY}={}", encode(doc))
}

/// A link to `doc` at `base` (an address; any fragment it has is replaced).
pub fn link(base: &str, doc: &Document, options: &LinkOptions) -> String {
    let base = base.split_once('#').map_or(base, |(b, _)| b);
    format!("{base}#{}", fragment(doc, options))
}

/// A `key=value` fragment parameter, the value percent-encoded.
pub fn fragment_param(key: &str, value: &str) -> String {
    format!("{key}={}", percent_encode(value))
}

/// What a parameter's value keeps as it is: `A-Z a-z 0-9 - _ . ~` (RFC 3986's unreserved
/// characters); every other UTF-8 byte is written `%XX`.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Everything but `A-Z a-z 0-9 - _ . ~` as `%XX` (UTF-8 bytes).
fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, ESCAPED).to_string()
}

/// A strategy as a link writes it (`shuffle:SEED` keeps the seed; `Strategy::from_str` reads it).
pub fn strategy_text(strategy: Strategy) -> String {
    match strategy {
        Strategy::Shuffle { seed } => format!("shuffle:{seed}"),
        other => other.name().to_owned(),
    }
}

/// What a link's parameters say. Parameters are read from the fragment (after the `#`; the
/// whole text when it is not an address), separated by `&`; keys are matched without regard to case,
/// and percent-escapes (`%26`, `%3D`) are decoded first, as chat tools and mail clients
/// sometimes add them. The query is not read: it belongs to whoever serves the app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkParams {
    /// The `model` payload, with any whitespace (from copying across lines) removed.
    pub model: Option<String>,
    /// A `view` parameter is present (the app's shared view).
    pub view: bool,
    /// The `strategy` parameter's text, if any (for `Strategy::from_str`).
    pub strategy: Option<String>,
    /// The `node` parameter: the UID of the node to select.
    pub node: Option<String>,
    /// The `before` payload: the model a review compares with (whitespace removed).
    pub before: Option<String>,
    /// The `lesson` parameter: a lesson of the lifecycle simulation to open.
    pub lesson: Option<String>,
    /// The `event` parameter: the event that lesson opens at (`None`: absent or not a number).
    pub event: Option<usize>,
    /// The `fail`, `fail-router` and `fail-subnet` parameters, in the link's order (unchecked:
    /// `FailureSet::check` says whether the model has them).
    pub failures: LinkFailures,
}

/// The parameters of a link or fragment (see [`LinkParams`]).
pub fn params(link: &str) -> LinkParams {
    let link = link.trim();
    // The fragment of a link (split at the real `#`, before any escape is decoded, so the query
    // stays unread); an address without one has no parameters; other text is taken as a
    // fragment without its `#` (`model=...`).
    let fragment = match link.split_once('#') {
        Some((_, fragment)) => fragment,
        None if link.contains("://") || link.starts_with(['/', '?']) => "",
        None => link,
    };
    // `&amp;`: a link copied out of HTML (the embed snippet's `src`).
    let fragment = fragment.replace("&amp;", "&");
    // Parameters are split at `&` first and each decoded (a node UID may hold an escaped `&`);
    // a link whose separators were escaped too (`view%26model%3D...`) is decoded whole.
    let params = read_params(fragment.split('&').map(percent_decode));
    if params.model.is_some() || params.view {
        return params;
    }
    let decoded = percent_decode(&fragment);
    read_params(decoded.split('&').map(str::to_owned))
}

/// The parameters among `key=value` parts.
fn read_params(parts: impl Iterator<Item = String>) -> LinkParams {
    let mut params = LinkParams::default();
    for part in parts {
        let (key, value) = part.split_once('=').unwrap_or((&part, ""));
        let key = key.trim();
        if key.eq_ignore_ascii_case(MODEL_KEY) && params.model.is_none() {
            params.model = Some(value.chars().filter(|c| !c.is_whitespace()).collect());
        } else if key.eq_ignore_ascii_case(VIEW_KEY) && matches!(value, "" | "1" | "true") {
            params.view = true;
        } else if key.eq_ignore_ascii_case(STRATEGY_KEY) {
            params.strategy = Some(value.trim().to_owned());
        } else if key.eq_ignore_ascii_case(NODE_KEY) && !value.is_empty() {
            params.node = Some(value.to_owned());
        } else if key.eq_ignore_ascii_case(LESSON_KEY) && !value.is_empty() {
            params.lesson = Some(value.trim().to_owned());
        } else if key.eq_ignore_ascii_case(FAIL_KEY) && !value.is_empty() {
            params.failures.nodes.push(value.to_owned());
        } else if key.eq_ignore_ascii_case(FAIL_ROUTER_KEY) && !value.is_empty() {
            params.failures.routers.push(value.to_owned());
        } else if key.eq_ignore_ascii_case(FAIL_SUBNET_KEY) && !value.is_empty() {
            params.failures.subnets.push(value.trim().to_owned());
        } else if key.eq_ignore_ascii_case(EVENT_KEY) {
            params.event = value.trim().parse().ok();
        } else if key.eq_ignore_ascii_case(BEFORE_KEY) && params.before.is_none() {
            params.before = Some(value.chars().filter(|c| !c.is_whitespace()).collect());
        }
    }
    params
}

/// The parameter that asks the app for a shared view (`#view&model=...`).
pub const VIEW_KEY: &str = "view";
/// The parameter naming the strategy the lists are shown with (`strategy=spread`).
pub const STRATEGY_KEY: &str = "strategy";
/// The parameter naming the node to select, by UID (`node=n5`).
pub const NODE_KEY: &str = "node";
/// The parameter naming a lesson to open in the Simulate tab (`lesson=fig13-define-fails-step-9`).
pub const LESSON_KEY: &str = "lesson";
/// The parameter naming a failed node, by UID (`fail=n5`; one per node).
pub const FAIL_KEY: &str = "fail";
/// The parameter naming a failed router (`fail-router=r1`; one per router).
pub const FAIL_ROUTER_KEY: &str = "fail-router";
/// The parameter naming a failed subnet (`fail-subnet=10.0.2.0%2F24`; one per subnet).
pub const FAIL_SUBNET_KEY: &str = "fail-subnet";
/// The parameter naming the event that lesson opens at (`event=12`).
pub const EVENT_KEY: &str = "event";

/// `%XX` escapes decoded (invalid ones left as they are, bytes that are not UTF-8 replaced);
/// other text unchanged.
fn percent_decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// The model payload in a link or fragment (see [`params`]).
pub fn payload_in(link: &str) -> Option<String> {
    params(link).model
}

/// Reads a payload made by [`encode`].
pub fn decode(payload: &str) -> Result<Document, ShareError> {
    // A payload longer than a browser keeps in an address is refused before anything is
    // decoded.
    limits::check_size("the link's model", Limit::LinkChars, payload.len())
        .map_err(ShareError::TooLong)?;
    // Padding is not part of base64url without it, but some tools add it back.
    let payload = payload.trim().trim_end_matches('=');
    if payload.is_empty() {
        return Err(ShareError::NoModel);
    }
    let packed = URL_SAFE_NO_PAD.decode(payload).map_err(|e| match e {
        base64::DecodeError::InvalidByte(at, byte) => {
            ShareError::NotBase64 { what: format!("{:?} at position {}", byte as char, at + 1) }
        }
        _ => ShareError::CutShort,
    })?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_DOCUMENT_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            miniz_oxide::inflate::TINFLStatus::FailedCannotMakeProgress
            | miniz_oxide::inflate::TINFLStatus::NeedsMoreInput => ShareError::CutShort,
            status => ShareError::NotCompressed(describe(status)),
        })?;
    let text = std::str::from_utf8(&json).map_err(|_| ShareError::NotText)?;
    Ok(document::read(text)?)
}

/// Reads the document in a link (see [`payload_in`]).
pub fn read_link(link: &str) -> Result<Document, ShareError> {
    decode(&payload_in(link).ok_or(ShareError::NoModel)?)
}

/// Reads the model before the change in a review link (`before=`); `None` when the link has
/// none.
pub fn read_before(link: &str) -> Option<Result<Document, ShareError>> {
    params(link).before.map(|payload| decode(&payload))
}

/// What an inflate failure means, for people.
fn describe(status: miniz_oxide::inflate::TINFLStatus) -> String {
    use miniz_oxide::inflate::TINFLStatus as S;
    match status {
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
        let link = link("http://127.0.0.1:8080/?x=1#old", &doc, &LinkOptions::default());
        assert!(link.starts_with("http://127.0.0.1:8080/?x=1#model="), "{link}");
        let payload = payload_in(&link).unwrap();
        let payload = payload.as_str();
        assert!(payload.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(read_link(&link).unwrap(), doc);
        // Also from a fragment with other parameters, and with whitespace from copying.
        let fragment = format!("  #view&{}&x=y \n", fragment(&doc, &LinkOptions::default()));
        assert_eq!(read_link(&fragment).unwrap(), doc);
    }

    #[test]
    fn parameters_survive_what_chat_tools_and_mail_do_to_links() {
        let doc = fig24();
        let payload = encode(&doc);
        let (head, tail) = payload.split_at(payload.len() / 2);
        let expected = LinkParams {
            model: Some(payload.clone()),
            view: true,
            strategy: Some("shuffle:7".into()),
            node: None,
            before: None,
            lesson: None,
            event: None,
            failures: LinkFailures::default(),
        };
        for link in [
            format!("http://h/#view&strategy=shuffle:7&model={payload}"),
            format!("http://h/#view%26strategy%3Dshuffle%3A7%26model%3D{payload}"),
            format!("http://h/#VIEW&Strategy=shuffle:7&Model={head}\n  {tail}"),
            format!("http://h/?view=map#view=1&strategy=shuffle:7&model={payload}"),
            format!(" http://h/?x=1#view&model={head}%20{tail}&strategy=shuffle:7 "),
        ] {
            assert_eq!(params(&link), expected, "{link}");
            assert_eq!(read_link(&link).unwrap(), doc, "{link}");
        }
        assert_eq!(params("http://h/#section-2"), LinkParams::default());
        // The query is the server's: `?view=map&model=x` says nothing to the app, nor does an
        // escaped `#` in it.
        assert_eq!(params("http://h/?view=map&model=x"), LinkParams::default());
        assert_eq!(params("http://h/app?q=%23view"), LinkParams::default());
        let after_escape = format!("http://h/app?ref=a%23b#model={payload}");
        assert_eq!(read_link(&after_escape).unwrap(), doc);
        // Copied out of HTML (`&amp;`), with padding added back, or the strategy in capitals.
        let html = format!("http://h/#view&amp;strategy=Shuffle:7&amp;model={payload}==");
        let strategy = params(&html).strategy.map(|s| s.parse::<Strategy>());
        assert_eq!(strategy, Some(Ok(Strategy::Shuffle { seed: 7 })));
        assert!(params(&html).view);
        assert_eq!(read_link(&html).unwrap(), doc);
        assert!(!params("#view=map&model=x").view);
        assert_eq!(percent_decode("100%-%zz%4"), "100%-%zz%4");
    }

    #[test]
    fn failed_nodes_routers_and_subnets_travel_in_the_link() {
        let doc = fig24();
        let failures = LinkFailures {
            nodes: vec!["n5".into(), "rack 7/node #3 & more".into()],
            routers: vec!["r1".into()],
            subnets: vec!["10.0.2.0/24".into()],
        };
        let options = LinkOptions { failures: failures.clone(), ..LinkOptions::default() };
        let url = link("http://h/", &doc, &options);
        assert!(
            url.starts_with("http://h/#fail=n5&fail=rack%207%2Fnode%20%233%20%26%20more&fail-router=r1&fail-subnet=10.0.2.0%2F24&model="),
            "{url}"
        );
        assert_eq!(params(&url).failures, failures);
        assert_eq!(read_link(&url).unwrap(), doc);
        assert_eq!(
            params(&link("http://h/", &doc, &LinkOptions::default())).failures,
            LinkFailures::default()
        );
    }

    #[test]
    fn a_lesson_and_its_event_travel_in_the_link() {
        let doc = fig24();
        let options = LinkOptions {
            view: true,
            lesson: Some(("fig13-define-fails-step-9".into(), 12)),
            ..LinkOptions::default()
        };
        let url = link("http://h/", &doc, &options);
        assert!(url.starts_with("http://h/#view&lesson=fig13-define-fails-step-9&event=12&model="));
        let p = params(&url);
        assert_eq!((p.lesson.as_deref(), p.event), (Some("fig13-define-fails-step-9"), Some(12)));
        assert_eq!(read_link(&url).unwrap(), doc);
        // An event that is not a number is no event; the lesson still opens (at its start).
        let p = params("#lesson=x&event=twelve&model=abc");
        assert_eq!((p.lesson.as_deref(), p.event), (Some("x"), None));
    }

    #[test]
    fn a_node_of_any_uid_travels_in_the_link() {
        let doc = fig24();
        for uid in ["n5", "rack 7/node #3 & more", "nœud=ß", "%41"] {
            let options = LinkOptions {
                view: true,
                strategy: Strategy::Spread,
                node: Some(uid.to_owned()),
                before: None,
                lesson: None,
                failures: LinkFailures::default(),
            };
            let url = link("http://h/", &doc, &options);
            assert!(url.starts_with("http://h/#view&strategy=spread&node="), "{url}");
            let p = params(&url);
            assert_eq!(p.node.as_deref(), Some(uid), "{url}");
            assert!(p.view && p.strategy.as_deref() == Some("spread"));
            assert_eq!(read_link(&url).unwrap(), doc);
        }
    }

    /// The escaping links have always had, byte by byte: what `fragment_param` must still
    /// write (an independent computation of it).
    fn escaped_by_hand(text: &str) -> String {
        let mut out = String::new();
        for b in text.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn any_uid_and_lesson_travel_in_the_link_as_before(
            uid in "\\PC{1,12}|[ -~]{1,12}|[%&=#+ ]{1,6}",
            lesson in "[a-z0-9 %&=-]{1,12}",
            event in 0usize..100,
        ) {
            let doc = Document::default();
            let options = LinkOptions {
                node: Some(uid.clone()),
                lesson: Some((lesson.clone(), event)),
                ..LinkOptions::default()
            };
            let url = link("http://h/", &doc, &options);
            let expected = format!(
                "http://h/#node={}&lesson={}&event={event}&model={}",
                escaped_by_hand(&uid),
                escaped_by_hand(&lesson),
                encode(&doc)
            );
            proptest::prop_assert_eq!(&url, &expected);
            let p = params(&url);
            proptest::prop_assert_eq!(p.node.as_deref(), Some(uid.as_str()));
            proptest::prop_assert_eq!(p.lesson.as_deref(), Some(lesson.trim()));
            proptest::prop_assert_eq!(p.event, Some(event));
            proptest::prop_assert_eq!(read_link(&url).unwrap(), doc);
        }

        #[test]
        fn any_escape_decodes_as_before(text in "[%0-9a-fA-FzZ&=é ]{0,16}") {
            // The decoding links have always had: `%XX` with two hex digits is a byte, any
            // other `%` stays, bytes that are not UTF-8 are replaced.
            let bytes = text.as_bytes();
            let (mut out, mut i) = (Vec::new(), 0);
            while i < bytes.len() {
                let hex = |b: u8| (b as char).to_digit(16);
                match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
                    (b'%', Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                    }
                    (b, _, _) => {
                        out.push(b);
                        i += 1;
                    }
                }
            }
            proptest::prop_assert_eq!(percent_decode(&text), String::from_utf8_lossy(&out));
        }
    }

    #[test]
    fn a_review_link_carries_the_model_before_the_change_too() {
        let after = fig24();
        let mut before = after.clone();
        before.nodes.pop();
        let options = LinkOptions { before: Some(before.clone()), ..LinkOptions::default() };
        let url = link("http://h/", &after, &options);
        assert!(url.starts_with("http://h/#before="), "{url}");
        // The model is still `model=`: a reader that knows nothing of `before` opens it.
        assert_eq!(read_link(&url).unwrap(), after);
        assert_eq!(read_before(&url).unwrap().unwrap(), before);
        assert!(read_before(&link("http://h/", &after, &LinkOptions::default())).is_none());
        // A damaged `before` is refused with the reason, the model still opens.
        let damaged = url.replacen("#before=", "#before=*", 1);
        assert!(matches!(read_before(&damaged), Some(Err(ShareError::NotBase64 { .. }))));
        assert_eq!(read_link(&damaged).unwrap(), after);
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
        let no_model = "the link holds no model: it has no \"#model=\" part, or it is empty";
        assert_eq!(said("http://x/#view"), no_model);
        assert_eq!(said("http://x/#model="), no_model);
        assert_eq!(
            said("#model=ab*cd"),
            "the link is damaged: its model holds a character a share link never has ('*' at position 3)"
        );
        // Cut short: the end of the deflate stream is missing, or a base64 group is broken.
        let payload = encode(&fig24());
        let cut_short =
            "the link is damaged: its model stops in the middle; was it cut short when copied?";
        for cut in [payload.len() / 2, payload.len() / 2 + 1, payload.len() - 1] {
            let link = format!("#model={}", &payload[..cut / 4 * 4 + cut % 4 / 2 * 2]);
            assert_eq!(said(&link), cut_short, "cut at {cut}");
        }
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

    #[test]
    fn a_payload_longer_than_a_link_keeps_is_refused_before_decoding() {
        let err = decode(&"A".repeat(limits::MAX_LINK_CHARS + 1)).unwrap_err();
        assert_eq!(err.to_string(), "the link's model is 2.0 MB, more than the 2 MB allowed");
    }

    #[test]
    fn a_small_link_to_a_crowd_of_tiny_nodes_is_refused_by_the_node_limit() {
        // 3.6 MB of nodes packs into a few KB; the node limit refuses it before a model (or a
        // JSON value) of it is built.
        let nodes = vec![r#"{"uid":"a"}"#; 3 * limits::MAX_NODES].join(",");
        let json = format!(r#"{{"nodes":[{nodes}]}}"#);
        let payload =
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6));
        assert!(payload.len() < 100_000, "{}", payload.len());
        let err = decode(&payload).unwrap_err();
        let ShareError::NotADocument(ReadError::Limit(exceeded)) = &err else { panic!("{err:?}") };
        assert_eq!(exceeded.limit(), Limit::Nodes);
        assert_eq!(
            err.to_string(),
            "the link's model is not a document: the document has more than the 100,000 nodes allowed"
        );
    }
}
