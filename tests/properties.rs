//! Properties that must hold for any input, checked on many generated ones (proptest):
//! splits partition the rows, classification and regression metrics stay in their ranges,
//! links give back the state they were made from, and preparation keeps every row and
//! column it should while leaving no missing value in a dense matrix.

use ndarray::Array2;
use proptest::prelude::*;

use mlplay::data::dataset::Target;
use mlplay::data::loader::CsvLoader;
use mlplay::data::prep::{prepare, Encoding, PrepSpec};
use mlplay::data::split::{split, SplitSpec};
use mlplay::data::Dataset;
use mlplay::metrics::{classification, regression};
use mlplay::state::{link, AppState};

/// Fractions (train, validation, test) that add up to 1 with at least 5% training rows.
fn fractions() -> impl Strategy<Value = SplitSpec> {
    (0.05f64..1.0, 0.0f64..1.0).prop_map(|(train, share)| {
        let validation = (1.0 - train) * share;
        SplitSpec { train, validation, test: 1.0 - train - validation }
    })
}

fn classes(max_rows: usize) -> impl Strategy<Value = (Vec<u32>, usize)> {
    (2usize..6).prop_flat_map(move |k| (prop::collection::vec(0..k as u32, 1..max_rows), Just(k)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn a_split_partitions_the_rows_and_repeats_with_its_seed((labels, k) in classes(400), spec in fractions(), seed in any::<u32>()) {
        let target = Target::Classes { labels: labels.clone(), names: (0..k).map(|c| format!("c{c}")).collect() };
        match split(&target, &spec, seed) {
            Ok(idx) => {
                let mut all: Vec<usize> = idx.train.iter().chain(&idx.validation).chain(&idx.test).copied().collect();
                all.sort_unstable();
                prop_assert_eq!(all, (0..labels.len()).collect::<Vec<_>>());
                prop_assert!(!idx.train.is_empty());
                // Stratified: each class's training count is its own share, rounded.
                for c in 0..k as u32 {
                    let n = labels.iter().filter(|&&l| l == c).count();
                    let t = idx.train.iter().filter(|&&i| labels[i] == c).count();
                    prop_assert!((t as f64 - n as f64 * spec.train).abs() <= 0.5 + 1e-9, "class {} of {}: {} training rows", c, n, t);
                }
                prop_assert_eq!(split(&target, &spec, seed).unwrap(), idx);
            }
            Err(e) => prop_assert!(e.to_string().contains("too few rows"), "{}", e),
        }
    }

    #[test]
    fn classification_metrics_stay_between_0_and_1((truth, k) in classes(300), seed in any::<u64>()) {
        // Probabilities from a seeded hash of the row: any mix of right and wrong calls.
        let n = truth.len();
        let mut h = seed | 1;
        let proba = Array2::from_shape_fn((n, k), |_| {
            h ^= h << 13; h ^= h >> 7; h ^= h << 17;
            (h % 1000) as f64 + 1.0
        });
        let sums = proba.sum_axis(ndarray::Axis(1));
        let proba = &proba / &sums.insert_axis(ndarray::Axis(1));
        let m = classification::evaluate(&truth, &proba);
        for (name, v) in &m {
            if name == "log_loss" {
                prop_assert!(*v >= 0.0, "{} = {}", name, v);
            } else if v.is_finite() {
                prop_assert!((0.0..=1.0).contains(v), "{} = {}", name, v);
            }
        }
        let pred = classification::argmax_rows(&proba);
        let cm = classification::confusion_matrix(&truth, &pred, k);
        prop_assert_eq!(cm.iter().flatten().sum::<usize>(), n);
        for s in classification::per_class(&cm) {
            prop_assert!((0.0..=1.0).contains(&s.precision) && (0.0..=1.0).contains(&s.recall));
        }
    }

    #[test]
    fn regression_errors_are_ordered_and_r2_at_most_1(pairs in prop::collection::vec((-1e6f64..1e6, -1e6f64..1e6), 1..300)) {
        let (y, pred): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
        let (mse, mae) = (regression::mse(&y, &pred), regression::mae(&y, &pred));
        prop_assert!(mse >= 0.0 && mae >= 0.0);
        // The root of the mean square is never below the mean of the sizes.
        prop_assert!(mse.sqrt() >= mae * (1.0 - 1e-12), "rmse {} < mae {}", mse.sqrt(), mae);
        let r2 = regression::r2(&y, &pred);
        prop_assert!(r2.is_nan() || r2 <= 1.0 + 1e-12, "r2 {}", r2);
        prop_assert!(regression::r2(&y, &y).is_nan() || (regression::r2(&y, &y) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_link_gives_back_its_state(seed in any::<u32>(), cents in (5u32..=100, 0u32..=100), pick in 0usize..64, depth in 1u32..40) {
        // Fractions in hundredths, as the page's sliders make them.
        let train = cents.0 as f64 / 100.0;
        let validation = (cents.1.min(100 - cents.0)) as f64 / 100.0;
        let spec = SplitSpec { train, validation, test: (100 - cents.0 - cents.1.min(100 - cents.0)) as f64 / 100.0 };
        prop_assert!(link_round_trips(seed, spec, pick, depth).is_ok());
    }

    // At most 10 numbers and 9 words a column: more than 20 distinct values in so few rows
    // is a name-like column, left out by design (tests/data_meaning.rs tests that rule).
    #[test]
    fn preparation_keeps_rows_and_columns_and_fills_every_gap(
        cells in prop::collection::vec(prop::collection::vec(prop_oneof![Just(String::new()), Just("NA".to_string()), (-5i32..5).prop_map(|v| v.to_string()), "[p-r]{2}".prop_map(String::from)], 4), 8..80),
        seed in any::<u32>(),
    ) {
        let mut csv = String::from("height,colour,weight,label\n");
        for (i, row) in cells.iter().enumerate() {
            csv.push_str(&format!("{},{},{},{}\n", row[0], row[1], row[2], ["x", "y"][i % 2]));
        }
        let mut loader = CsvLoader::new();
        loader.push(csv.as_bytes()).unwrap();
        let table = loader.finish().unwrap();
        let ds = Dataset::from_table("p.csv", &table, Some("label")).unwrap();
        let idx = split(&ds.target, &SplitSpec::default(), seed).unwrap();
        let p = prepare(&ds, &idx, &PrepSpec::default(), Encoding::Dense);
        let parts = [(&p.train, idx.train.len()), (&p.validation, idx.validation.len()), (&p.test, idx.test.len())];
        let width = p.feature_names.len();
        for (part, rows) in parts {
            prop_assert_eq!(part.x.dim(), (rows, width));
            prop_assert!(part.x.iter().all(|v| v.is_finite()), "a missing or infinite value is left after preparation");
        }
    }
}

fn link_round_trips(seed: u32, spec: SplitSpec, pick: usize, depth: u32) -> Result<(), String> {
    let kinds = mlplay::kinds::catalog();
    let kind = &kinds[pick % kinds.len()];
    let mut state = AppState { seed, split: spec, ..AppState::default() };
    state.model = mlplay::kinds::spec_from_json(serde_json::json!({ "kind": kind.kind })).unwrap();
    if kind.kind == "decision_tree" {
        state.model =
            mlplay::kinds::spec_from_json(serde_json::json!({ "kind": "decision_tree", "max_depth": depth })).unwrap();
    }
    let back = link::decode(&link::encode(&state)).map_err(|e| e.to_string())?;
    if back.to_json() == state.to_json() {
        Ok(())
    } else {
        Err(format!("{} became {}", state.to_json(), back.to_json()))
    }
}

/// Found by the property above with arbitrary floats: serde_json without its
/// `float_roundtrip` feature read 0.22162519495334781 back as 0.2216251949533478, so a link
/// with a typed 17-digit setting reopened one unit in the last place off. The feature is
/// now on; this case and arbitrary fractions stay as regression tests.
#[test]
fn arbitrary_float_settings_round_trip_through_a_link() {
    let spec = SplitSpec { train: 0.3200413875736819, validation: 0.22162519495334781, test: 0.45833341747297035 };
    link_round_trips(0, spec, 3, 5).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn a_link_keeps_every_bit_of_arbitrary_fractions(train in 0.05f64..0.9, share in 0.0f64..1.0, seed in any::<u32>(), pick in 0usize..64) {
        let validation = (1.0 - train) * share;
        let spec = SplitSpec { train, validation, test: 1.0 - train - validation };
        prop_assume!(spec.validate().is_ok());
        prop_assert!(link_round_trips(seed, spec, pick, 3).is_ok(), "{:?}", link_round_trips(seed, spec, pick, 3));
    }
}
