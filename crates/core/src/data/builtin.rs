//! The datasets that ship with mlplay. File-based sets live in `www/data/` and are
//! fetched lazily by the page; the native CLI has them compiled in. Synthetic sets are
//! generated from the seed and the knobs in `DatasetSpec`. The list itself and the knob
//! descriptions are in `builtin_list.rs`.

use serde::{Deserialize, Serialize};

pub use super::builtin_list::{knob_info, BUILTINS, DEFAULT_KNOBS, MAX_SAMPLES};
use super::image_size::ImageSize;
use super::painted::{self, Painted};
use super::{csv, synth, synth_images, synth_tabular, Dataset, Table};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::schema::{check_float, check_int};

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A CSV file under `data/` in the site.
    File(&'static str),
    /// Generated from the seed and the knobs.
    Synthetic,
}

#[derive(Debug, Clone, Serialize)]
pub struct Builtin {
    pub id: &'static str,
    pub title: &'static str,
    pub source: Source,
    /// One or two plain sentences for students: what the data is and what it is good for.
    pub about: &'static str,
    /// The `DatasetSpec` fields that change this set (described by `knob_info()`); empty
    /// for file-based sets.
    pub knobs: &'static [&'static str],
    /// The knob values this set starts with; the page resets to them when the set changes,
    /// and a link that leaves a knob out gets this value.
    pub defaults: Knobs,
    /// `[width, height]` when each row is a small grey image (pixels row by row), so the
    /// preview can draw the rows as pictures.
    pub image: Option<[u32; 2]>,
    /// For a two-class target, the class the set's story is about (the positive class
    /// unless the user picks the other): malignant biopsies, fraud, attacks.
    pub positive: Option<&'static str>,
    /// Whether points may be painted on it (the 2-D sets with classes, `painted.rs`).
    pub paintable: bool,
}

/// Values of the generator knobs (the same names as in `DatasetSpec`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Knobs {
    pub n_samples: u32,
    pub noise: f64,
    pub centers: u32,
    pub cluster_std: f64,
    pub positive_rate: f64,
}

/// Which dataset a state refers to, with the knobs of the synthetic generators. Knobs a
/// set does not use are kept (and validated) but ignored. In a link, a missing knob takes
/// the named set's default (`Builtin::defaults`), so `{"id": "transactions"}` means
/// 20,000 rows; unknown keys are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "SpecFields")]
pub struct DatasetSpec {
    pub id: String,
    /// Rows to generate.
    pub n_samples: u32,
    /// Standard deviation of the Gaussian noise (2-D shapes: on each coordinate; `linear`:
    /// on the target).
    pub noise: f64,
    /// Number of blobs (classes) for `blobs`.
    pub centers: u32,
    /// Standard deviation of each blob for `blobs` (scikit-learn's name).
    pub cluster_std: f64,
    /// Share of the rare class: fraud in `transactions`, attacks in `traffic`.
    pub positive_rate: f64,
    /// Column to predict; `None` means the last column.
    pub target: Option<String>,
    /// An uploaded file's own text, when it is small enough to travel in the link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csv: Option<String>,
    /// SHA-256 of an uploaded file, so a link can check it is given the same file again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Points the student painted, added to the set's rows (the whole of "Draw your own").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub painted: Option<Painted>,
    /// An uploaded file's image size, when the user gives it (`image_size.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageSize>,
}

/// What a link may hold: every field optional, filled from the set's defaults.
#[derive(Deserialize, Default)]
#[serde(default)]
struct SpecFields {
    id: Option<String>,
    n_samples: Option<u32>,
    noise: Option<f64>,
    centers: Option<u32>,
    cluster_std: Option<f64>,
    positive_rate: Option<f64>,
    target: Option<String>,
    csv: Option<String>,
    sha256: Option<String>,
    painted: Option<Painted>,
    image: Option<ImageSize>,
}

impl From<SpecFields> for DatasetSpec {
    fn from(f: SpecFields) -> Self {
        let d = DatasetSpec::new(f.id.as_deref().unwrap_or(DEFAULT_ID));
        DatasetSpec {
            n_samples: f.n_samples.unwrap_or(d.n_samples),
            noise: f.noise.unwrap_or(d.noise),
            centers: f.centers.unwrap_or(d.centers),
            cluster_std: f.cluster_std.unwrap_or(d.cluster_std),
            positive_rate: f.positive_rate.unwrap_or(d.positive_rate),
            target: f.target,
            csv: f.csv,
            sha256: f.sha256,
            painted: f.painted.or(d.painted),
            image: f.image,
            ..d
        }
    }
}

const DEFAULT_ID: &str = "iris";
/// The set that is only what the student paints.
pub const PAINT_ID: &str = "paint";

/// Uploaded files up to this size travel inside the share link itself (compressed with
/// the rest of the state: a typical 64 KB CSV makes a link of roughly 20,000 characters).
/// Larger files are named in the link with their SHA-256, and the page asks for them.
pub const MAX_EMBEDDED_CSV: usize = 64 * 1024;

/// Lowercase hex SHA-256 of a file's bytes: how a link recognises the file it was made with.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Refuses a file whose content is not the one a link was made with.
pub fn verify_file(spec: &DatasetSpec, name: &str, sha256: &str) -> Result<()> {
    match &spec.sha256 {
        Some(want) if spec.id == format!("file:{name}") && !want.eq_ignore_ascii_case(sha256) => {
            Err(crate::Error::Data(format!(
                "'{name}' is not the file this link was made with: its SHA-256 is {}…, the link expects {}…",
                &sha256[..12],
                &want[..12.min(want.len())]
            )))
        }
        _ => Ok(()),
    }
}

impl Default for DatasetSpec {
    fn default() -> Self {
        DatasetSpec::new(DEFAULT_ID)
    }
}

impl DatasetSpec {
    /// The set `id` with its default knobs (the general defaults for an unknown id or a
    /// user's file, which `validate` then reports or ignores).
    pub fn new(id: &str) -> DatasetSpec {
        let k = find(id).map_or(DEFAULT_KNOBS, |b| b.defaults);
        DatasetSpec {
            id: id.to_string(),
            n_samples: k.n_samples,
            noise: k.noise,
            centers: k.centers,
            cluster_std: k.cluster_std,
            positive_rate: k.positive_rate,
            target: None,
            csv: None,
            sha256: None,
            painted: (id == PAINT_ID).then(painted::seed_points),
            image: None,
        }
    }

    /// Checks the id and every knob against `knob_info()`'s ranges; the error names the
    /// field and what is allowed.
    pub fn validate(&self) -> Result<()> {
        // "file:NAME" refers to a file the user supplies rather than a built-in set.
        if !self.id.starts_with("file:") {
            find(&self.id)?;
            if self.csv.is_some() || self.sha256.is_some() {
                return Err(crate::Error::Link("only an uploaded file's data can travel in a link".into()));
            }
        }
        if let Some(csv) = &self.csv {
            if csv.len() > MAX_EMBEDDED_CSV {
                return Err(crate::Error::Link(format!(
                    "its embedded data is {} bytes; at most {MAX_EMBEDDED_CSV} travel in a link",
                    csv.len()
                )));
            }
        }
        if let Some(h) = &self.sha256 {
            if h.len() != 64 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(crate::Error::Link("its file checksum (sha256) is not 64 hex digits".into()));
            }
        }
        if let Some(size) = &self.image {
            if !self.id.starts_with("file:") {
                return Err(crate::Error::param(
                    "dataset.image",
                    format!("{}x{}", size.width, size.height),
                    &format!("no size: it is given only for an uploaded file, and '{}' is a built-in set", self.id),
                ));
            }
            size.validate()?;
        }
        if let Some(p) = &self.painted {
            if !find(&self.id).is_ok_and(|b| b.paintable) {
                return Err(crate::Error::Link(format!("points cannot be painted on '{}'", self.id)));
            }
            if p.values.is_some() && self.id != PAINT_ID {
                return Err(crate::Error::Link("painted values (a regression) need the 'Draw your own' set".into()));
            }
            p.validate()?;
        }
        let info = knob_info();
        check_int(&info, "n_samples", self.n_samples.into())?;
        check_float(&info, "noise", self.noise)?;
        check_int(&info, "centers", self.centers.into())?;
        check_float(&info, "cluster_std", self.cluster_std)?;
        check_float(&info, "positive_rate", self.positive_rate)
    }
}

pub fn find(id: &str) -> Result<&'static Builtin> {
    BUILTINS.iter().find(|b| b.id == id).ok_or_else(|| {
        Error::UnknownDataset(id.to_string(), BUILTINS.iter().map(|b| b.id).collect::<Vec<_>>().join(", "))
    })
}

/// The file the page must fetch for this set, if it is file-based.
pub fn file_of(id: &str) -> Result<Option<&'static str>> {
    Ok(match find(id)?.source {
        Source::File(f) => Some(f),
        Source::Synthetic => None,
    })
}

/// Generate a synthetic set as a table (for the preview, and for `load`). The same spec
/// and seed give the same table on every platform.
pub fn generate_table(spec: &DatasetSpec, seed: u32) -> Result<Table> {
    spec.validate()?;
    let n = spec.n_samples as usize;
    // Stream 1: changing the split or the model never changes the generated data.
    let rng = &mut Rng::derive(seed.into(), 1);
    let table = match spec.id.as_str() {
        PAINT_ID => return painted_only(spec),
        "moons" => synth::moons(n, spec.noise, rng),
        "circles" => synth::circles(n, spec.noise, rng),
        "blobs" => synth::blobs(n, spec.centers as usize, spec.cluster_std, rng),
        "xor" => synth::xor(n, spec.noise, rng),
        "spirals" => synth::spirals(n, spec.noise, rng),
        "linear" => synth::linear(n, spec.noise, rng),
        "shapes" => synth_images::shapes(n, spec.noise, rng),
        "transactions" => synth_tabular::transactions(n, spec.positive_rate, rng),
        "traffic" => synth_tabular::traffic(n, spec.positive_rate, rng),
        other => return Err(Error::Data(format!("'{other}' is read from a file, not generated"))),
    };
    match &spec.painted {
        Some(p) => p.append_to(&table),
        None => Ok(table),
    }
}

/// "Draw your own": the painted points alone, once there are enough to learn from.
fn painted_only(spec: &DatasetSpec) -> Result<Table> {
    let table = spec.painted.as_ref().map(Painted::table).unwrap_or_default();
    if table.n_rows() < MIN_PAINTED {
        return Err(Error::Data(format!(
            "{} points are painted: paint at least {MIN_PAINTED} to train on",
            table.n_rows()
        )));
    }
    Ok(table)
}

/// Fewer rows than this cannot be split into training, validation and test rows.
pub const MIN_PAINTED: usize = 6;

/// The set as a table before any modelling choice: parsed from its CSV (`file_text`, as
/// the page fetched it; natively `None` uses the compiled-in copy) or generated.
pub fn load_table(spec: &DatasetSpec, file_text: Option<&str>, seed: u32) -> Result<Table> {
    spec.validate()?;
    match find(&spec.id)?.source {
        Source::Synthetic => generate_table(spec, seed),
        Source::File(file) => csv::parse(match file_text {
            Some(t) => t,
            None => compiled_in(file)?,
        }),
    }
}

/// Build the dataset: the table of `load_table`, with `spec.target` (default: the last
/// column) as the target.
pub fn load(spec: &DatasetSpec, file_text: Option<&str>, seed: u32) -> Result<Dataset> {
    let table = load_table(spec, file_text, seed)?;
    Dataset::from_table(&spec.id, &table, spec.target.as_deref())
}

#[cfg(not(target_arch = "wasm32"))]
fn compiled_in(file: &str) -> Result<&'static str> {
    Ok(match file {
        "iris.csv" => include_str!("../../../../www/data/iris.csv"),
        "wine.csv" => include_str!("../../../../www/data/wine.csv"),
        "breast_cancer.csv" => include_str!("../../../../www/data/breast_cancer.csv"),
        "digits.csv" => include_str!("../../../../www/data/digits.csv"),
        "diabetes.csv" => include_str!("../../../../www/data/diabetes.csv"),
        "penguins.csv" => include_str!("../../../../www/data/penguins.csv"),
        "houses.csv" => include_str!("../../../../www/data/houses.csv"),
        _ => return Err(Error::Io(format!("data file {file} is not compiled in"))),
    })
}

// The browser build stays small: it fetches files instead.
#[cfg(target_arch = "wasm32")]
fn compiled_in(file: &str) -> Result<&'static str> {
    Err(Error::Io(format!("data file {file} was not loaded")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_loads_with_three_classes() {
        let d = load(&DatasetSpec::default(), None, 0).unwrap();
        assert_eq!(d.n_rows(), 150);
        assert_eq!(d.feature_names.len(), 4);
        assert_eq!(d.class_names(), ["setosa", "versicolor", "virginica"]);
    }

    #[test]
    fn unknown_id_lists_the_builtins() {
        let e = load(&DatasetSpec::new("nope"), None, 0).unwrap_err();
        let Error::UnknownDataset(id, list) = e else { panic!("{e}") };
        assert_eq!(id, "nope");
        assert!(list.starts_with("iris, wine,") && list.ends_with("transactions, traffic"), "{list}");
    }

    #[test]
    fn missing_knobs_take_the_sets_defaults() {
        let s: DatasetSpec = serde_json::from_str(r#"{"id": "transactions", "noise": 0.5, "old_key": 1}"#).unwrap();
        assert_eq!((s.n_samples, s.noise, s.positive_rate), (20_000, 0.5, 0.005));
        let s: DatasetSpec = serde_json::from_str(r#"{"n_samples": 50}"#).unwrap();
        assert_eq!(s, DatasetSpec { n_samples: 50, ..DatasetSpec::default() });
        let back: DatasetSpec = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn every_listed_knob_is_described_and_every_synthetic_set_generates() {
        let info = knob_info();
        for b in BUILTINS {
            for k in b.knobs {
                assert!(info.iter().any(|p| p.name == *k), "{}: knob {k} is not described", b.id);
            }
            assert!(DatasetSpec::new(b.id).validate().is_ok(), "{}", b.id);
            let spec = DatasetSpec { n_samples: 40, ..DatasetSpec::new(b.id) };
            assert_eq!(generate_table(&spec, 1).is_ok(), b.source == Source::Synthetic, "{}", b.id);
        }
    }
}
