//! The share-link codec: `#v1.<base64url(deflate(JSON state))>`. Compact enough for chat,
//! versioned, and defensive: a hostile link cannot inflate past a cap or crash the page.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::{AppState, STATE_VERSION};
use crate::base::error::{Error, Result};

/// Links longer than this are refused before decoding.
pub const MAX_LINK_CHARS: usize = 200_000;
/// Inflated state larger than this is refused (a zip bomb stops here).
pub const MAX_STATE_BYTES: usize = 1 << 20;

pub fn encode(state: &AppState) -> String {
    let json = state.to_json();
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    format!("v{STATE_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Decode a hash (with or without the leading `#`, or a whole URL). An empty hash is the
/// default state.
pub fn decode(link: &str) -> Result<AppState> {
    let hash = match link.find('#') {
        Some(i) => &link[i + 1..],
        None if link.contains("://") => "",
        None => link,
    };
    let hash = hash.trim();
    if hash.is_empty() {
        return Ok(AppState::default());
    }
    if hash.len() > MAX_LINK_CHARS {
        return Err(Error::Link(format!("it is {} characters long; the limit is {MAX_LINK_CHARS}", hash.len())));
    }
    let (version, payload) = hash.split_once('.').ok_or_else(|| Error::Link("it has no version mark (v1.)".into()))?;
    match version {
        "v1" => {}
        v => return Err(Error::Link(format!("version '{}' is not one this page knows (it reads v1)", clip(v)))),
    }
    let packed = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| Error::Link("its data is not valid base64url; was it cut off when copied?".into()))?;
    let json =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_STATE_BYTES).map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                Error::Link(format!("its settings unpack to more than {MAX_STATE_BYTES} bytes"))
            }
            _ => Error::Link("its data is damaged; was it cut off when copied?".into()),
        })?;
    let text = std::str::from_utf8(&json).map_err(|_| Error::Link("its settings are not text".into()))?;
    AppState::from_json(text)
}

fn clip(s: &str) -> String {
    s.chars().take(20).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut s = AppState { seed: 42, ..Default::default() };
        s.dataset.id = "moons".into();
        let link = encode(&s);
        assert!(link.starts_with("v1."));
        assert_eq!(decode(&link).unwrap(), s);
        assert_eq!(decode(&format!("https://example.org/mlplay/#{link}")).unwrap(), s);
        assert_eq!(decode("").unwrap(), AppState::default());
    }

    #[test]
    fn the_default_link_is_short() {
        // About 330 since logistic regression gained `penalty`, `solver` and `tol`. Every
        // hyperparameter is written out, defaults too, so a link keeps its meaning if a
        // later version changes a default.
        assert!(encode(&AppState::default()).len() < 360, "{}", encode(&AppState::default()));
    }

    #[test]
    fn test_evaluations_round_trip_and_leave_the_default_link_alone() {
        let mut s = AppState::default();
        // Skipped while unused, so the default link is byte for byte what it was before.
        assert!(!s.to_json().contains("test_evaluations") && !s.to_json().contains("tested"), "{}", s.to_json());
        s.record_test_evaluation();
        s.record_test_evaluation();
        let back = decode(&encode(&s)).unwrap();
        assert_eq!(back, s);
        assert!(back.test_unlocked() && back.test_evaluations == 2);
        // An older link (no such keys) opens locked with no evaluations.
        let old = AppState::from_json(r#"{"seed": 3}"#).unwrap();
        assert!(old.test_evaluations == 0 && old.tested.is_none() && !old.test_unlocked());
    }

    #[test]
    fn bad_links_are_errors_not_panics() {
        for bad in ["#garbage", "#v9.abc", "#v1.!!!", "#v1.AAAA", "#v1."] {
            assert!(matches!(decode(bad), Err(Error::Link(_))), "{bad}");
        }
    }

    #[test]
    fn a_zip_bomb_is_capped() {
        let huge = format!("{{\"seed\": 1, \"pad\": \"{}\"}}", "a".repeat(5 << 20));
        let packed = miniz_oxide::deflate::compress_to_vec(huge.as_bytes(), 9);
        let link = format!("v1.{}", URL_SAFE_NO_PAD.encode(packed));
        assert!(link.len() < MAX_LINK_CHARS);
        let e = decode(&link).unwrap_err();
        assert!(e.to_string().contains("unpack to more than"), "{e}");
    }
}
