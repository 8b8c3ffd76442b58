//! Numbers in a model file. JSON has no NaN or infinity, and serde_json would write them as
//! `null`; a tree's "missing values only" split has an infinite threshold, so non-finite
//! values are written as the strings "NaN", "Infinity" and "-Infinity" and read back (a
//! `null` reads as NaN). The checks after parsing decide where such values are allowed.
//! Finite values go through serde_json's shortest round-trip form (with `float_roundtrip`
//! parsing), so every bit survives.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use std::fmt;

fn write<S: Serializer>(v: f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() {
        s.serialize_f64(v)
    } else if v.is_nan() {
        s.serialize_str("NaN")
    } else {
        s.serialize_str(if v > 0.0 { "Infinity" } else { "-Infinity" })
    }
}

struct One;

impl<'de> Visitor<'de> for One {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number (or \"NaN\", \"Infinity\", \"-Infinity\")")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
        Ok(f64::NAN)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// `#[serde(with = "num::one")]` on an `f64`.
pub mod one {
    use super::*;
    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        write(*v, s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        d.deserialize_any(One)
    }
}

struct Item(f64);

impl<'de> de::Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Item, D::Error> {
        d.deserialize_any(One).map(Item)
    }
}

struct Many;

impl<'de> Visitor<'de> for Many {
    type Value = Vec<f64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of numbers")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f64>, A::Error> {
        // Grow with what the file holds, never with a size it declares.
        let mut out = Vec::new();
        while let Some(Item(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(out)
    }
}

/// `#[serde(with = "num::many")]` on a `Vec<f64>`.
pub mod many {
    use super::*;
    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for &x in v {
            seq.serialize_element(&W(x))?;
        }
        seq.end()
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        d.deserialize_seq(Many)
    }
}

/// `#[serde(with = "num::opt")]` on an `Option<f64>`.
pub mod opt {
    use super::*;
    pub fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(x) => write(*x, s),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        // Absent or null: none (only scores that may be missing use this).
        let v: Option<serde_json::Value> = de::Deserialize::deserialize(d)?;
        match v {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => One.visit_any_value(v).map(Some).map_err(de::Error::custom),
        }
    }
}

impl One {
    fn visit_any_value(self, v: serde_json::Value) -> Result<f64, serde_json::Error> {
        de::Deserializer::deserialize_any(v, self)
    }
}

struct W(f64);

impl serde::Serialize for W {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        write(self.0, s)
    }
}

/// f32 weights as f64 numbers: every f32 is exactly an f64, and reading the f64 back and
/// narrowing gives the same f32.
pub mod many32 {
    use super::*;
    pub fn serialize<S: Serializer>(v: &[f32], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for &x in v {
            seq.serialize_element(&W(x as f64))?;
        }
        seq.end()
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f32>, D::Error> {
        Ok(d.deserialize_seq(Many)?.into_iter().map(|v| v as f32).collect())
    }
}
