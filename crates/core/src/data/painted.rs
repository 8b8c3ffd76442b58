//! Points a student paints on a 2-D set (or on the empty "Draw your own" set). They travel
//! in the state, so in links, model files and the CLI; compactly: each point is snapped to
//! a 1024 x 1024 grid over a stated box, the points are sorted, and the packed bytes hold
//! the gap to the previous point's x and the y with the class (or a value level) as varints,
//! in base64url. The link's deflate then squeezes what little is left: 500 brushed points
//! make a link of about 2,000 characters.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::synth::numeric;
use super::table::{ColumnData, Table};
use crate::base::error::{Error, Result};

/// Grid cells along each axis of the box.
pub const GRID: u32 = 1024;
/// Class numbers a painted point may have (0..MAX_CLASSES).
pub const MAX_CLASSES: u32 = 10;
/// Levels of a painted regression value between the two ends of `values`.
pub const VALUE_LEVELS: u32 = 256;
/// More points than this are refused (a link stays short, a hostile one small).
pub const MAX_POINTS: usize = 5_000;

/// One painted point on the grid: `v` is the class number, or the value's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cell {
    pub x: u16,
    pub y: u16,
    pub v: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Fields", into = "Fields")]
pub struct Painted {
    /// `[x_min, x_max, y_min, y_max]`: the box the points are snapped in. The page sets it
    /// once, from the plot's range when painting starts, with a margin to paint beyond it.
    pub bounds: [f64; 4],
    /// For a painted regression, `[low, high]` of the values; `None`: values are classes.
    pub values: Option<[f64; 2]>,
    /// The points, sorted.
    pub points: Vec<Cell>,
}

/// `Painted` as it is written: the points packed as the module's comment says.
#[derive(Serialize, Deserialize)]
struct Fields {
    bounds: [f64; 4],
    #[serde(default, skip_serializing_if = "Option::is_none")]
    values: Option<[f64; 2]>,
    points: String,
}

impl From<Painted> for Fields {
    fn from(p: Painted) -> Fields {
        let points = pack(&p.points, p.levels());
        Fields { bounds: p.bounds, values: p.values, points }
    }
}

impl TryFrom<Fields> for Painted {
    type Error = Error;
    fn try_from(f: Fields) -> Result<Painted> {
        let mut p = Painted::new(f.bounds, f.values);
        p.points = unpack(&f.points, p.levels())?;
        Ok(p)
    }
}

/// An edit from the page: points to add (in data units, with their class or value), then
/// an ellipse to erase (`[x, y, rx, ry]`, data units).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Edit {
    pub add: Vec<[f64; 3]>,
    pub erase: Option<[f64; 4]>,
}

impl Painted {
    pub fn new(bounds: [f64; 4], values: Option<[f64; 2]>) -> Painted {
        Painted { bounds, values, points: vec![] }
    }

    pub fn levels(&self) -> u32 {
        if self.values.is_some() {
            VALUE_LEVELS
        } else {
            MAX_CLASSES
        }
    }

    pub fn validate(&self) -> Result<()> {
        let [x0, x1, y0, y1] = self.bounds;
        let ok = |a: f64, b: f64| a.is_finite() && b.is_finite() && a < b && (b - a) < 1e12;
        if !ok(x0, x1) || !ok(y0, y1) {
            return Err(Error::param("dataset.painted.bounds", format!("{:?}", self.bounds), "x0 < x1 and y0 < y1"));
        }
        if let Some([lo, hi]) = self.values {
            if !ok(lo, hi) {
                return Err(Error::param("dataset.painted.values", format!("[{lo}, {hi}]"), "low < high"));
            }
        }
        if self.points.len() > MAX_POINTS {
            return Err(Error::param("dataset.painted.points", self.points.len(), "at most 5000 points"));
        }
        let levels = self.levels();
        if self.points.iter().any(|c| c.x as u32 >= GRID || c.y as u32 >= GRID || c.v as u32 >= levels) {
            return Err(Error::Link("a painted point lies outside its grid".into()));
        }
        Ok(())
    }

    fn snap(v: f64, lo: f64, hi: f64, n: u32) -> u16 {
        let t = ((v - lo) / (hi - lo) * (n - 1) as f64).round();
        t.clamp(0.0, (n - 1) as f64) as u16
    }

    fn unsnap(q: u16, lo: f64, hi: f64, n: u32) -> f64 {
        lo + (hi - lo) * q as f64 / (n - 1) as f64
    }

    /// A point's coordinates and class (or value) in data units.
    pub fn point(&self, c: &Cell) -> [f64; 3] {
        let [x0, x1, y0, y1] = self.bounds;
        let v = match self.values {
            Some([lo, hi]) => Self::unsnap(c.v, lo, hi, VALUE_LEVELS),
            None => c.v as f64,
        };
        [Self::unsnap(c.x, x0, x1, GRID), Self::unsnap(c.y, y0, y1, GRID), v]
    }

    /// Apply an edit: points outside the box are drawn onto its edge; classes must be
    /// below `MAX_CLASSES`, values are clamped to their range.
    pub fn apply(&mut self, edit: &Edit) -> Result<()> {
        let [x0, x1, y0, y1] = self.bounds;
        for &[x, y, v] in &edit.add {
            if !(x.is_finite() && y.is_finite() && v.is_finite()) {
                return Err(Error::Data("a painted point needs finite numbers".into()));
            }
            let v = match self.values {
                Some([lo, hi]) => Self::snap(v, lo, hi, VALUE_LEVELS),
                None if v >= 0.0 && v < MAX_CLASSES as f64 && v.fract() == 0.0 => v as u16,
                None => return Err(Error::param("class", v, "a class number from 0 to 9")),
            };
            self.points.push(Cell { x: Self::snap(x, x0, x1, GRID), y: Self::snap(y, y0, y1, GRID), v });
        }
        if let Some([cx, cy, rx, ry]) = edit.erase {
            let keep: Vec<Cell> = self
                .points
                .iter()
                .filter(|c| {
                    let [x, y, _] = self.point(c);
                    ((x - cx) / rx).powi(2) + ((y - cy) / ry).powi(2) > 1.0
                })
                .copied()
                .collect();
            self.points = keep;
        }
        crate::base::sort::sort_by(&mut self.points, &|a, b| a.cmp(b));
        if self.points.len() > MAX_POINTS {
            return Err(Error::Data(format!("at most {MAX_POINTS} points can be painted")));
        }
        Ok(())
    }

    /// The points as a table with the columns of the 2-D sets: x1, x2 and `class` (or
    /// `value` for a painted regression).
    pub fn table(&self) -> Table {
        let pts: Vec<[f64; 3]> = self.points.iter().map(|c| self.point(c)).collect();
        let target = if self.values.is_some() { "value" } else { "class" };
        Table {
            notes: vec![],
            columns: vec![
                numeric("x1", pts.iter().map(|p| p[0]).collect()),
                numeric("x2", pts.iter().map(|p| p[1]).collect()),
                numeric(target, pts.iter().map(|p| p[2]).collect()),
            ],
        }
    }

    /// `table` (a generated 2-D set) followed by the painted points.
    pub fn append_to(&self, table: &Table) -> Result<Table> {
        let numeric_xy = table.names() == ["x1", "x2", "class"]
            && table.columns.iter().all(|c| matches!(c.data, ColumnData::Numeric(_)));
        if !numeric_xy || self.values.is_some() {
            return Err(Error::Data("points can be painted on the 2-D sets with classes only".into()));
        }
        table.append(&self.table())
    }
}

/// The points as packed text (sorted first, so equal sets pack equally).
pub fn pack(points: &[Cell], levels: u32) -> String {
    let mut sorted = points.to_vec();
    crate::base::sort::sort_by(&mut sorted, &|a, b| a.cmp(b));
    let mut bytes = Vec::with_capacity(sorted.len() * 3);
    let mut last_x = 0u32;
    for c in &sorted {
        varint(&mut bytes, c.x as u32 - last_x);
        varint(&mut bytes, c.y as u32 * levels + c.v as u32);
        last_x = c.x as u32;
    }
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The inverse of `pack`; `levels` decides how y and the class share a number.
pub fn unpack(text: &str, levels: u32) -> Result<Vec<Cell>> {
    let bad = || Error::Link("its painted points are damaged".into());
    if text.len() > MAX_POINTS * 8 {
        return Err(Error::param("dataset.painted.points", text.len(), "at most 5000 points"));
    }
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
    let mut out = vec![];
    let mut at = 0;
    let mut x = 0u32;
    while at < bytes.len() {
        x += read_varint(&bytes, &mut at).ok_or_else(bad)?;
        let yv = read_varint(&bytes, &mut at).ok_or_else(bad)?;
        let (y, v) = (yv / levels, yv % levels);
        if x >= GRID || y >= GRID {
            return Err(bad());
        }
        out.push(Cell { x: x as u16, y: y as u16, v: v as u16 });
    }
    Ok(out)
}

fn varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut n = 0u32;
    for shift in (0..28).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        n |= ((b & 0x7f) as u32) << shift;
        if b < 0x80 {
            return Some(n);
        }
    }
    None
}

/// The "Draw your own" set before any painting: two small groups to start from (erasable).
pub fn seed_points() -> Painted {
    let mut p = Painted::new([-3.0, 3.0, -3.0, 3.0], None);
    let add = (0..12)
        .map(|i| {
            let t = i as f64 * std::f64::consts::FRAC_PI_6; // 30 degrees apart, on two small rings
            let (cx, cls) = if i % 2 == 0 { (-1.2, 0.0) } else { (1.2, 1.0) };
            [cx + 0.5 * libm::cos(t), 0.5 * libm::sin(t), cls]
        })
        .collect();
    p.apply(&Edit { add, erase: None }).expect("seed points are valid");
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_packing_round_trip() {
        let pts = vec![Cell { x: 0, y: 1023, v: 9 }, Cell { x: 5, y: 0, v: 0 }, Cell { x: 1023, y: 512, v: 255 }];
        assert_eq!(unpack(&pack(&pts, 256), 256).unwrap(), pts);
        assert!(unpack("!!", 256).is_err() && unpack("_w", 256).is_err());
    }

    #[test]
    fn erase_removes_only_points_inside_the_ellipse() {
        let mut p = Painted::new([0.0, 10.0, 0.0, 10.0], None);
        p.apply(&Edit { add: vec![[1.0, 1.0, 0.0], [5.0, 5.0, 1.0], [5.5, 5.0, 1.0]], erase: None }).unwrap();
        p.apply(&Edit { add: vec![], erase: Some([5.0, 5.0, 0.8, 0.1]) }).unwrap();
        assert_eq!(p.points.len(), 1);
        assert!((p.point(&p.points[0])[0] - 1.0).abs() < 0.01);
        assert!(p.apply(&Edit { add: vec![[1.0, 1.0, 10.0]], erase: None }).is_err());
    }
}
