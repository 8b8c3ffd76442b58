//! Numbers in a model file. Fitted values are written as strings holding their shortest
//! round-trip decimal form ("0.1", "-2.5e-7") and read back with Rust's correctly rounded
//! parser, so every bit survives whichever way serde_json is built (the crate enables its
//! `float_roundtrip`, so plain JSON numbers are exact too). JSON has no NaN or
//! infinity: they are written "NaN", "Infinity" and "-Infinity" (a tree's "missing values
//! only" split has an infinite threshold). Plain JSON numbers and `null` (NaN) are read too;
//! the checks after parsing decide where non-finite values are allowed.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use std::fmt;

fn write<S: Serializer>(v: f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() {
        // Debug is the shortest form that parses back to the same bits, with an exponent
        // for very large and very small values.
        s.serialize_str(&format!("{v:?}"))
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
            _ => v.parse().map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self)),
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

struct W32(f32);

impl serde::Serialize for W32 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_finite() {
            s.serialize_str(&format!("{:?}", self.0))
        } else {
            write(self.0 as f64, s)
        }
    }
}

/// An f32 read from its own shortest form (no rounding through f64 on the way).
struct One32;

impl<'de> Visitor<'de> for One32 {
    type Value = f32;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        One.expecting(f)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f32, E> {
        Ok(v as f32)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f32, E> {
        Ok(v as f32)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f32, E> {
        Ok(v as f32)
    }
    fn visit_unit<E: de::Error>(self) -> Result<f32, E> {
        Ok(f32::NAN)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f32, E> {
        match v {
            "NaN" | "Infinity" | "-Infinity" => One.visit_str(v).map(|x: f64| x as f32),
            _ => v.parse().map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

struct Item32(f32);

impl<'de> de::Deserialize<'de> for Item32 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Item32, D::Error> {
        d.deserialize_any(One32).map(Item32)
    }
}

struct Many32;

impl<'de> Visitor<'de> for Many32 {
    type Value = Vec<f32>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of numbers")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f32>, A::Error> {
        let mut out = Vec::new();
        while let Some(Item32(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(out)
    }
}

/// f32 weights in their shortest f32 form (about half the digits of the f64 form).
pub mod many32 {
    use super::*;
    pub fn serialize<S: Serializer>(v: &[f32], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for &x in v {
            seq.serialize_element(&W32(x))?;
        }
        seq.end()
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f32>, D::Error> {
        d.deserialize_seq(Many32)
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize)]
    struct V(#[serde(with = "super::many32")] Vec<f32>, #[serde(with = "super::many")] Vec<f64>);

    #[test]
    fn floats_round_trip_bit_for_bit() {
        let mut rng = crate::base::rng::Rng::new(5);
        let mut f32s: Vec<f32> =
            (0..200_000).map(|_| f32::from_bits((rng.uniform() * u32::MAX as f64) as u32)).collect();
        let mut f64s: Vec<f64> = (0..200_000)
            .map(|_| f64::from_bits((rng.uniform() * u64::MAX as f64) as u64 ^ rng.below(1 << 20)))
            .collect();
        f32s.extend([f32::MIN_POSITIVE, f32::MAX, -0.0, 1e-45, 0.1, f32::INFINITY, f32::NAN]);
        f64s.extend([f64::MIN_POSITIVE, f64::MAX, -0.0, 5e-324, 0.1, f64::NEG_INFINITY]);
        let text = serde_json::to_string(&V(f32s.clone(), f64s.clone())).unwrap();
        let V(a, b) = serde_json::from_str(&text).unwrap();
        let bits32 = |v: &[f32]| v.iter().map(|x| if x.is_nan() { 0 } else { x.to_bits() }).collect::<Vec<_>>();
        let bits64 = |v: &[f64]| v.iter().map(|x| if x.is_nan() { 0 } else { x.to_bits() }).collect::<Vec<_>>();
        assert_eq!(bits32(&a), bits32(&f32s));
        assert_eq!(bits64(&b), bits64(&f64s));
        assert!(a.last().unwrap().is_nan());
    }
}
