//! JSON in one direction per type: read through `serde_json::Value`, written as text.
//!
//! serde compiles a type's code once per input or output format. Model files and kind
//! parameters are read from a `Value` anyway, so links, exercises and requests are read the
//! same way; and a `Value` of a typed value is made by parsing its text, so each type has
//! one writer, to text. Together that was about 140 KB of the wasm before size passes. The
//! cost is one more pass over a document that is read or written once per click.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// `text` as a `T`: a syntax error names its line and column, a mismatch names the field.
pub fn parse<T: DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    serde_json::from_value(read(text)?)
}

/// `x` as a `Value`, made from `x`'s text: the same `Value` as `serde_json::to_value`
/// (objects' keys sorted, an f64's exact bits, non-finite floats as null), except that an
/// f32 becomes its shortest decimal (0.1, not 0.10000000149011612), which reads back as the
/// same f32.
pub fn to_value<T: Serialize + ?Sized>(x: &T) -> serde_json::Result<Value> {
    read(&serde_json::to_string(x)?)
}

// Never inlined: the JSON parser is then compiled once, not into every caller's copy.
#[inline(never)]
fn read(text: &str) -> serde_json::Result<Value> {
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, serde::Serialize, Debug, PartialEq)]
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

    #[test]
    fn to_value_gives_serde_jsons_value() {
        let odd = [0.1, -0.0, 1e-310, f64::MAX, f64::NAN, f64::INFINITY, 5e-324, 123456789.12345679, 1.0 / 3.0];
        for x in odd {
            let p = Point { x, label: "\u{e9}\"\n".into() };
            assert_eq!(to_value(&p).unwrap(), serde_json::to_value(&p).unwrap(), "{x}");
        }
        let map: std::collections::BTreeMap<u32, Vec<f64>> = [(3, vec![0.1, 2.5]), (1, vec![])].into();
        assert_eq!(to_value(&map).unwrap(), serde_json::to_value(&map).unwrap());
        // An f32 as its shortest decimal, which reads back as the same f32.
        let weights = vec![0.1f32, -3.3e-39, 16_777_217.0, f32::MAX, 1.0 / 3.0];
        let ours: Vec<f32> = serde_json::from_value(to_value(&weights).unwrap()).unwrap();
        let theirs: Vec<f32> = serde_json::from_value(serde_json::to_value(&weights).unwrap()).unwrap();
        assert_eq!(
            ours.iter().map(|w| w.to_bits()).collect::<Vec<_>>(),
            weights.iter().map(|w| w.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!(ours, theirs);
        assert_eq!(to_value(&0.1f32).unwrap().to_string(), "0.1");
    }
}
