//! Descriptions of hyperparameters: name (scikit-learn's), range, default and help text.
//! The page builds its controls from these, and `validate()` checks against the same
//! ranges, so the UI, the link and the CLI agree on what is allowed.

use serde::Serialize;

use crate::base::error::{Error, Result};

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Domain {
    /// A real number in [min, max]; `log` suggests a logarithmic slider.
    Float {
        min: f64,
        max: f64,
        log: bool,
        min_exclusive: bool,
    },
    Int {
        min: i64,
        max: i64,
    },
    Choice {
        options: &'static [&'static str],
    },
    /// On or off (a checkbox). A `bool` field cannot be out of range, so it needs no check.
    Bool,
    /// Between `min_len` and `max_len` whole numbers, each in [min, max] (the layer sizes
    /// of a network). Written in the page and on the command line as text, "64, 32".
    IntList {
        min: i64,
        max: i64,
        min_len: usize,
        max_len: usize,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct ParamInfo {
    pub name: &'static str,
    pub domain: Domain,
    /// The struct's `Default`, as the catalog shows it (null in the algorithm's own schema).
    pub default: serde_json::Value,
    /// One or two plain sentences: what it is and what raising it does.
    pub help: &'static str,
    /// Folded away in the page unless the student opens "advanced".
    pub advanced: bool,
}

impl ParamInfo {
    /// A hyperparameter's description. Its default is not written here: it is the
    /// hyperparameter struct's `Default`, which the kind's description fills in
    /// (`kinds::Kind::param_info`), so each default has one source.
    pub fn new(name: &'static str, domain: Domain, help: &'static str, advanced: bool) -> ParamInfo {
        ParamInfo { name, domain, default: serde_json::Value::Null, help, advanced }
    }

    fn allowed(&self) -> String {
        match &self.domain {
            Domain::Float { min, max, min_exclusive: true, .. } => format!("greater than {min} and at most {max}"),
            Domain::Float { min, max, .. } => format!("between {min} and {max}"),
            Domain::Int { min, max } => format!("a whole number from {min} to {max}"),
            Domain::Choice { options } => format!("one of {}", options.join(", ")),
            Domain::Bool => "true or false".into(),
            Domain::IntList { min, max, min_len, max_len } => {
                format!("{min_len} to {max_len} whole numbers from {min} to {max}, separated by commas (such as 100 or 64, 32)")
            }
        }
    }
}

fn find<'a>(params: &'a [ParamInfo], name: &str) -> &'a ParamInfo {
    params.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no parameter {name} described"))
}

pub fn check_float(params: &[ParamInfo], name: &str, v: f64) -> Result<()> {
    let p = find(params, name);
    let Domain::Float { min, max, min_exclusive, .. } = p.domain else { unreachable!("{name} is not a float") };
    let above = if min_exclusive { v > min } else { v >= min };
    if v.is_finite() && above && v <= max {
        Ok(())
    } else {
        Err(Error::param(name, v, &p.allowed()))
    }
}

pub fn check_int(params: &[ParamInfo], name: &str, v: i64) -> Result<()> {
    let p = find(params, name);
    let Domain::Int { min, max } = p.domain else { unreachable!("{name} is not an integer") };
    if (min..=max).contains(&v) {
        Ok(())
    } else {
        Err(Error::param(name, v, &p.allowed()))
    }
}

pub fn check_choice(params: &[ParamInfo], name: &str, v: &str) -> Result<()> {
    let p = find(params, name);
    let Domain::Choice { options } = p.domain else { unreachable!("{name} is not a choice") };
    if options.contains(&v) {
        Ok(())
    } else {
        Err(Error::param(name, v, &p.allowed()))
    }
}

pub fn check_int_list(params: &[ParamInfo], name: &str, v: &[u32]) -> Result<()> {
    let p = find(params, name);
    let Domain::IntList { min, max, min_len, max_len } = p.domain else { unreachable!("{name} is not a list") };
    let ok = (min_len..=max_len).contains(&v.len()) && v.iter().all(|&x| (min..=max).contains(&i64::from(x)));
    let text = v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ");
    if ok {
        Ok(())
    } else {
        Err(Error::param(name, format!("[{text}]"), &p.allowed()))
    }
}

/// Reads layer sizes from a JSON list (`[64, 32]`), one number (`100`), or text as the
/// page's field and `--set` give it (`"64, 32"`, `"64 32"`). Errors name the field, since
/// serde's own messages do not.
pub fn int_list<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<u32>, D::Error> {
    use serde::de::Error as _;
    let bad = |s: &dyn std::fmt::Display| {
        D::Error::custom(format!("hidden_layer_sizes: {s} is not a whole number; write layer sizes such as 64, 32"))
    };
    let whole = |v: &serde_json::Value| v.as_u64().and_then(|x| u32::try_from(x).ok());
    match <serde_json::Value as serde::Deserialize>::deserialize(d)? {
        serde_json::Value::Array(a) => a.iter().map(|v| whole(v).ok_or_else(|| bad(v))).collect(),
        serde_json::Value::String(t) => t
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<u32>().map_err(|_| bad(&format!("'{s}'"))))
            .collect(),
        v => whole(&v).map(|x| vec![x]).ok_or_else(|| bad(&v)),
    }
}

/// Reads a batch size: a whole number, or "auto" (stored as 0) as scikit-learn's.
pub fn auto_or_int<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<u32, D::Error> {
    use serde::de::Error as _;
    let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
    let n = match &v {
        serde_json::Value::String(t) if t.trim() == "auto" => Some(0),
        serde_json::Value::String(t) => t.trim().parse().ok(),
        v => v.as_u64().and_then(|x| u32::try_from(x).ok()),
    };
    n.ok_or_else(|| D::Error::custom(format!("batch_size: {v} is not allowed: a whole number from 0 (auto), or auto")))
}
