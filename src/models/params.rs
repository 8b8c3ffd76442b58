//! Descriptions of hyperparameters: name (scikit-learn's), range, default and help text.
//! The page builds its controls from these, and `validate()` checks against the same
//! ranges, so the UI, the link and the CLI agree on what is allowed.

use serde::Serialize;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Domain {
    /// A real number in [min, max]; `log` suggests a logarithmic slider.
    Float { min: f64, max: f64, log: bool, min_exclusive: bool },
    Int { min: i64, max: i64 },
    Choice { options: &'static [&'static str] },
    /// true or false (a checkbox).
    Bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParamInfo {
    pub name: &'static str,
    pub domain: Domain,
    pub default: serde_json::Value,
    /// One or two plain sentences: what it is and what raising it does.
    pub help: &'static str,
    /// Folded away in the page unless the student opens "advanced".
    pub advanced: bool,
}

impl ParamInfo {
    fn allowed(&self) -> String {
        match &self.domain {
            Domain::Float { min, max, min_exclusive: true, .. } => format!("greater than {min} and at most {max}"),
            Domain::Float { min, max, .. } => format!("between {min} and {max}"),
            Domain::Int { min, max } => format!("a whole number from {min} to {max}"),
            Domain::Choice { options } => format!("one of {}", options.join(", ")),
            Domain::Bool => "true or false".into(),
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
    if v.is_finite() && above && v <= max { Ok(()) } else { Err(Error::param(name, v, &p.allowed())) }
}

pub fn check_int(params: &[ParamInfo], name: &str, v: i64) -> Result<()> {
    let p = find(params, name);
    let Domain::Int { min, max } = p.domain else { unreachable!("{name} is not an integer") };
    if (min..=max).contains(&v) { Ok(()) } else { Err(Error::param(name, v, &p.allowed())) }
}

pub fn check_choice(params: &[ParamInfo], name: &str, v: &str) -> Result<()> {
    let p = find(params, name);
    let Domain::Choice { options } = p.domain else { unreachable!("{name} is not a choice") };
    if options.contains(&v) { Ok(()) } else { Err(Error::param(name, v, &p.allowed())) }
}
