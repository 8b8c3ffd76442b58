//! The share-link decoder on arbitrary text: damaged links, zip bombs, hostile JSON. A
//! link that decodes must survive validation and encode back to the same state.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mlplay::state::link::{decode, encode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(state) = decode(text) else { return };
    let _ = state.validate();
    let again = decode(&encode(&state)).expect("an encoded state decodes");
    assert_eq!(again.to_json(), state.to_json(), "a state survives its own link");
});
