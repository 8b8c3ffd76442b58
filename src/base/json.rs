//! Reading JSON into a typed value through `serde_json::Value`.
//!
//! Model files and kind parameters are read from a `Value` anyway; reading links, exercises
//! and requests the same way means each type's deserializer is compiled once, for `Value`,
//! not a second time for text (a serde deserializer is a copy of code per input type, and
//! that was about 75 KB of the wasm). The cost is one tree of the document in memory.

use serde::de::DeserializeOwned;

/// `text` as a `T`: a syntax error names its line and column, a mismatch names the field.
pub fn parse<T: DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    serde_json::from_str::<serde_json::Value>(text).and_then(serde_json::from_value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Point {
        x: f64,
        label: String,
    }

    #[test]
    fn reads_what_from_str_reads_and_names_what_is_wrong() {
        let text = r#"{"x": 0.1000000000000000055511151231257827, "label": "a"}"#;
        let direct: Point = serde_json::from_str(text).unwrap();
        assert_eq!(parse::<Point>(text).unwrap(), direct);
        assert_eq!(parse::<Point>(text).unwrap().x.to_bits(), 0.1f64.to_bits());
        assert!(parse::<Point>(r#"{"x": 1}"#).unwrap_err().to_string().contains("label"));
        assert!(parse::<Point>("{\n\"x\": }").unwrap_err().to_string().contains("line 2"));
    }
}
