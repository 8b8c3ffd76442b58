//! The isolation forest's hyperparameters, with scikit-learn's names and defaults. Two of
//! them take "auto" or a number, as scikit-learn's do.

use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::base::schema::{check_float, check_int, Domain, ParamInfo};

/// `max_samples = "auto"` takes this many rows per tree (or all, when fewer).
pub const AUTO_SAMPLES: usize = 256;

/// A number, or "auto", as the page's select, `--set` and links give it.
fn auto_or_number(v: &serde_json::Value) -> Option<Option<serde_json::Number>> {
    match v {
        serde_json::Value::String(s) if s.trim() == "auto" => Some(None),
        serde_json::Value::String(s) => {
            let s = s.trim();
            let n = if s.contains(['.', 'e', 'E']) { None } else { s.parse::<i64>().ok().map(Into::into) };
            n.or_else(|| s.parse::<f64>().ok().and_then(serde_json::Number::from_f64)).map(Some)
        }
        serde_json::Value::Number(n) => Some(Some(n.clone())),
        _ => None,
    }
}

/// Rows each tree is grown from: "auto" (min(256, n)), a count, or a share of the rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxSamples {
    Auto,
    Count(u64),
    Fraction(f64),
}

/// The expected share of anomalies: "auto" (threshold 0.5) or a share in (0, 0.5].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Contamination {
    Auto,
    Fraction(f64),
}

const MAX_SAMPLES_ALLOWED: &str =
    "auto, a whole number of rows from 1, or a share of the rows greater than 0 and at most 1";
pub(super) const CONTAMINATION_ALLOWED: &str = "auto, or a share greater than 0 and at most 0.5";

impl std::fmt::Display for MaxSamples {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            MaxSamples::Auto => f.write_str("auto"),
            MaxSamples::Count(n) => write!(f, "{n}"),
            MaxSamples::Fraction(x) => write!(f, "{x}"),
        }
    }
}

impl std::fmt::Display for Contamination {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Contamination::Auto => f.write_str("auto"),
            Contamination::Fraction(x) => write!(f, "{x}"),
        }
    }
}

impl Serialize for MaxSamples {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            MaxSamples::Auto => s.serialize_str("auto"),
            MaxSamples::Count(n) => s.serialize_u64(*n),
            MaxSamples::Fraction(x) => s.serialize_f64(*x),
        }
    }
}

impl<'de> Deserialize<'de> for MaxSamples {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match auto_or_number(&v) {
            Some(None) => Ok(MaxSamples::Auto),
            // A whole number is a count (negative ones are left for validate() to name).
            Some(Some(n)) => {
                Ok(n.as_u64().map_or_else(|| MaxSamples::Fraction(n.as_f64().unwrap_or(f64::NAN)), MaxSamples::Count))
            }
            None => Err(serde::de::Error::custom(format!("max_samples: {v} is not allowed: {MAX_SAMPLES_ALLOWED}"))),
        }
    }
}

impl Serialize for Contamination {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Contamination::Auto => s.serialize_str("auto"),
            Contamination::Fraction(x) => s.serialize_f64(*x),
        }
    }
}

impl<'de> Deserialize<'de> for Contamination {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match auto_or_number(&v) {
            Some(None) => Ok(Contamination::Auto),
            Some(Some(n)) => Ok(Contamination::Fraction(n.as_f64().unwrap_or(f64::NAN))),
            None => {
                Err(serde::de::Error::custom(format!("contamination: {v} is not allowed: {CONTAMINATION_ALLOWED}")))
            }
        }
    }
}

impl MaxSamples {
    /// Rows per tree out of `n` training rows (scikit-learn's max_samples_), at least 2 so
    /// that c(max_samples) is positive.
    pub fn count(&self, n: usize) -> usize {
        let k = match *self {
            MaxSamples::Auto => AUTO_SAMPLES.min(n),
            MaxSamples::Count(c) => usize::try_from(c).unwrap_or(usize::MAX).min(n),
            MaxSamples::Fraction(f) => (f * n as f64) as usize,
        };
        k.clamp(2.min(n), n)
    }

    fn validate(&self) -> Result<()> {
        let ok = match *self {
            MaxSamples::Auto => true,
            MaxSamples::Count(c) => c >= 1,
            MaxSamples::Fraction(f) => f > 0.0 && f <= 1.0,
        };
        if ok {
            Ok(())
        } else {
            Err(Error::param("max_samples", self, MAX_SAMPLES_ALLOWED))
        }
    }
}

impl Contamination {
    fn validate(&self) -> Result<()> {
        match *self {
            Contamination::Fraction(f) if !(f > 0.0 && f <= 0.5) => {
                Err(Error::param("contamination", self, CONTAMINATION_ALLOWED))
            }
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IsolationForestParams {
    pub n_estimators: u32,
    pub max_samples: MaxSamples,
    pub contamination: Contamination,
    /// Share of the features each tree draws (without replacement) and splits on.
    pub max_features: f64,
    /// Draw each tree's rows with replacement.
    pub bootstrap: bool,
}

impl Default for IsolationForestParams {
    fn default() -> Self {
        IsolationForestParams {
            n_estimators: 100,
            max_samples: MaxSamples::Auto,
            contamination: Contamination::Auto,
            max_features: 1.0,
            bootstrap: false,
        }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo::new(
            "n_estimators",
            Domain::Int { min: 1, max: 1000 },
            "Number of trees. Each isolates rows with random cuts; more trees average the path lengths more \
                   steadily, at the price of time.",
            false,
        ),
        ParamInfo::new(
            "contamination",
            Domain::Choice { options: &["auto", "0.005", "0.01", "0.02", "0.05", "0.1", "0.2"] },
            "The share of rows you expect to be anomalies. auto flags rows scoring above 0.5; a share such as \
                   0.01 sets the threshold so that this share of the training rows is flagged.",
            false,
        ),
        ParamInfo::new(
            "max_samples",
            Domain::Choice { options: &["auto", "64", "128", "256", "512", "1024", "0.5", "1.0"] },
            "Rows each tree is grown from, drawn at random: auto takes 256 (all rows when there are fewer). \
                   A whole number is a count, a number such as 0.5 a share of the training rows. Small samples \
                   keep anomalies from hiding among each other.",
            true,
        ),
        ParamInfo::new(
            "max_features",
            Domain::Float { min: 0.0, max: 1.0, log: false, min_exclusive: true },
            "Share of the features each tree may cut on, drawn at random per tree. 1 uses them all.",
            true,
        ),
        ParamInfo::new(
            "bootstrap",
            Domain::Bool,
            "Draw each tree's rows with replacement (some repeated) instead of without.",
            true,
        ),
    ]
}

impl IsolationForestParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_int(&p, "n_estimators", self.n_estimators.into())?;
        self.max_samples.validate()?;
        self.contamination.validate()?;
        check_float(&p, "max_features", self.max_features)
    }
}
