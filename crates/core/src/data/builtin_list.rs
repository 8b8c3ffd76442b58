//! The list of built-in datasets and the description of the generators' knobs (ranges,
//! defaults, help), from which the page builds its controls and `DatasetSpec::validate`
//! checks links. Sources and licences: `www/data/README.md`.

use serde_json::json;

use super::builtin::{Builtin, Knobs, Source};
use crate::base::schema::{Domain, ParamInfo};

/// Knob values for sets that do not say otherwise, and `knob_info`'s defaults.
pub const DEFAULT_KNOBS: Knobs =
    Knobs { n_samples: 300, noise: 0.2, centers: 3, cluster_std: 1.0, positive_rate: 0.005 };

pub const MAX_SAMPLES: u32 = 1_000_000;

const SHAPE: &[&str] = &["n_samples", "noise"];
const RARE: &[&str] = &["n_samples", "positive_rate"];

const fn file(id: &'static str, title: &'static str, file: &'static str, about: &'static str) -> Builtin {
    Builtin {
        id,
        title,
        source: Source::File(file),
        about,
        knobs: &[],
        defaults: DEFAULT_KNOBS,
        image: None,
        positive: None,
        paintable: false,
    }
}

const fn synthetic(
    id: &'static str,
    title: &'static str,
    knobs: &'static [&'static str],
    defaults: Knobs,
    about: &'static str,
) -> Builtin {
    Builtin {
        id,
        title,
        source: Source::Synthetic,
        about,
        knobs,
        defaults,
        image: None,
        positive: None,
        paintable: false,
    }
}

/// A 2-D set with classes, on which points may be painted (`painted.rs`).
const fn paintable(b: Builtin) -> Builtin {
    Builtin { paintable: true, ..b }
}

pub const BUILTINS: &[Builtin] = &[
    file(
        "iris",
        "Iris flowers",
        "iris.csv",
        "Sepal and petal sizes of 150 iris flowers of three species. A classic first classification task: \
         one species is easy to tell apart, the other two overlap a little.",
    ),
    file(
        "wine",
        "Wine cultivars",
        "wine.csv",
        "A chemical analysis (alcohol, acids, colour...) of 178 Italian wines from three grape cultivars. \
         Thirteen features on very different scales: a good set for seeing why scaling matters.",
    ),
    Builtin {
        positive: Some("malignant"),
        ..file(
            "breast_cancer",
            "Breast cancer biopsies",
            "breast_cancer.csv",
            "Thirty measurements of cell nuclei in 569 breast biopsies, each malignant or benign. Missing a \
             malignant case is far worse than a false alarm, so look at recall, not only accuracy.",
        )
    },
    Builtin {
        image: Some([8, 8]),
        ..file(
            "digits",
            "Handwritten digits (8x8)",
            "digits.csv",
            "1,797 handwritten digits, each a tiny 8x8 grey image stored as 64 pixel values from 0 to 16. \
             Ten classes; PCA, t-SNE or UMAP show the digits grouping themselves without labels.",
        )
    },
    Builtin {
        image: Some([16, 16]),
        ..synthetic(
            "shapes",
            "Drawn shapes (16x16 images)",
            SHAPE,
            Knobs { n_samples: 3_000, noise: 0.1, ..DEFAULT_KNOBS },
            "Generated 16x16 grey images of six pen-drawn shapes (circle, square, triangle, plus, cross, line), \
             each moved, turned and resized at random, with pixel noise. The same shape lands on different \
             pixels every time: a test for models that look at pixels one by one.",
        )
    },
    file(
        "diabetes",
        "Diabetes progression",
        "diabetes.csv",
        "Age, sex, body mass index, blood pressure and six blood tests of 442 patients; predict how far \
         the disease progressed a year later. Regression with a noisy target: compare MAE, RMSE and R².",
    ),
    file(
        "penguins",
        "Palmer penguins",
        "penguins.csv",
        "Bill and flipper sizes, body mass, island and sex of 344 penguins of three species in Antarctica. \
         Real data with real mess: some values are missing and two columns hold text.",
    ),
    file(
        "houses",
        "House prices (synthetic)",
        "houses.csv",
        "2,000 made-up house sales: area, rooms, age, distance to the centre, neighbourhood, garage and price. \
         Regression where the price follows the features, but not along a straight line.",
    ),
    paintable(synthetic(
        "moons",
        "Two moons (2-D)",
        SHAPE,
        DEFAULT_KNOBS,
        "Two interleaved half circles. No straight line separates them: compare a linear model's \
         boundary with a tree's or a neural network's.",
    )),
    paintable(synthetic(
        "circles",
        "Circles (2-D)",
        SHAPE,
        Knobs { noise: 0.1, ..DEFAULT_KNOBS },
        "A small circle of points inside a bigger one. A straight-line model fails completely; a hidden \
         layer, or an extra feature like x1² + x2², solves it.",
    )),
    paintable(synthetic(
        "blobs",
        "Blobs (2-D clusters)",
        &["n_samples", "centers", "cluster_std"],
        DEFAULT_KNOBS,
        "Round clouds of points, one class per cloud. Easy to classify, and the natural first set for \
         k-means: hide the labels and see whether it finds the clouds.",
    )),
    paintable(synthetic(
        "xor",
        "XOR (2-D)",
        SHAPE,
        Knobs { noise: 0.1, ..DEFAULT_KNOBS },
        "Points in four squares; the class says whether x1 and x2 have the same sign. Neither feature \
         helps on its own, so a model must combine them.",
    )),
    paintable(synthetic(
        "spirals",
        "Two spirals (2-D)",
        SHAPE,
        Knobs { noise: 0.05, ..DEFAULT_KNOBS },
        "Two spiral arms wound into each other. The hardest 2-D shape here: it needs a flexible model, \
         and shows overfitting clearly as the noise grows.",
    )),
    paintable(synthetic(
        "paint",
        "Draw your own (2-D)",
        &[],
        DEFAULT_KNOBS,
        "Points you paint on the plot: pick a class and drag. Paint an XOR and watch a straight line fail \
         where a tree succeeds, or add a few outliers and watch a linear fit swing.",
    )),
    synthetic(
        "linear",
        "Straight line plus noise (regression)",
        SHAPE,
        Knobs { noise: 1.0, ..DEFAULT_KNOBS },
        "The target is y = 1 + 3·x1 − 2·x2 + 0.5·x3 + 0·x4 plus noise. Linear regression should find \
         these coefficients again; x4 does not matter at all.",
    ),
    Builtin {
        positive: Some("1"),
        ..synthetic(
            "transactions",
            "Card transactions (fraud)",
            RARE,
            Knobs { n_samples: 20_000, positive_rate: 0.005, ..DEFAULT_KNOBS },
            "Card payments (amount, hour, merchant, device and account age, recent activity, distance from \
             home) where about 1 in 200 is fraud. Answering 'never fraud' is 99.5% accurate and useless.",
        )
    },
    Builtin {
        positive: Some("1"),
        ..synthetic(
            "traffic",
            "Network traffic (anomalies)",
            RARE,
            Knobs { n_samples: 5_000, positive_rate: 0.01, ..DEFAULT_KNOBS },
            "One computer's network activity per minute, with rare attacks (port scans, data theft, password \
             guessing, floods) marked in is_anomaly. Hide that column and let an autoencoder find them.",
        )
    },
];

/// Every generator knob: its range, default (a set's own defaults are in
/// `Builtin::defaults`) and a plain explanation. Which knobs apply: `Builtin::knobs`.
pub fn knob_info() -> Vec<ParamInfo> {
    let d = DEFAULT_KNOBS;
    vec![
        ParamInfo {
            name: "n_samples",
            domain: Domain::Int { min: 10, max: MAX_SAMPLES as i64 },
            default: json!(d.n_samples),
            help: "How many rows to generate. More rows show the pattern more clearly and give rare cases \
                   (fraud, attacks) enough examples to learn from, but training takes longer.",
            advanced: false,
        },
        ParamInfo {
            name: "noise",
            domain: Domain::Float { min: 0.0, max: 5.0, log: false, min_exclusive: false },
            default: json!(d.noise),
            help: "How much random scatter is added to each point (for `linear`, to the value to predict; for \
                   `shapes`, to each pixel). With more noise the classes overlap and no model can be perfect.",
            advanced: false,
        },
        ParamInfo {
            name: "centers",
            domain: Domain::Int { min: 2, max: 10 },
            default: json!(d.centers),
            help: "How many blobs (clusters) to draw; each blob is one class.",
            advanced: false,
        },
        ParamInfo {
            name: "cluster_std",
            domain: Domain::Float { min: 0.0, max: 10.0, log: false, min_exclusive: false },
            default: json!(d.cluster_std),
            help: "How spread out each blob is (its standard deviation). Wide blobs overlap, so some \
                   points lie nearer another blob's centre than their own.",
            advanced: false,
        },
        ParamInfo {
            name: "positive_rate",
            domain: Domain::Float { min: 0.0, max: 0.5, log: false, min_exclusive: true },
            default: json!(d.positive_rate),
            help: "The share of rows in the rare class: fraudulent payments or network attacks. At 0.005 \
                   (1 in 200), a model that never flags anything is already 99.5% accurate.",
            advanced: false,
        },
    ]
}
