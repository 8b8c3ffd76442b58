//! The exercise file parser on arbitrary text, and the goals of a parsed exercise checked
//! against an arbitrary context (the JSON after the first NUL byte).
#![no_main]
use libfuzzer_sys::fuzz_target;
use mlplay::app::exercise::Exercise;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (file, context) = text.split_once('\0').unwrap_or((text, "{}"));
    let Ok(exercise) = Exercise::from_json(file) else { return };
    let context = serde_json::from_str(context).unwrap_or(serde_json::Value::Null);
    let results = exercise.check(&context);
    assert_eq!(results.len(), exercise.goals.len());
});
