//! The built-in datasets: every set loads natively with the stated shape and classes, the
//! generators are seeded and produce the shapes they promise, the rare-event sets have the
//! asked-for share of positives and a pattern that is learnable but not trivial, and bad
//! knobs are refused with the field's name.

use mlplay::data::builtin::{
    self, generate_table, knob_info, load, load_table, DatasetSpec, Source, BUILTINS, PAINT_ID,
};
use mlplay::data::synth::{CIRCLES_FACTOR, LINEAR_COEF, LINEAR_INTERCEPT};
use mlplay::data::{ColumnData, Dataset, Table, Target, Task};
use mlplay::Error;

fn spec(id: &str) -> DatasetSpec {
    DatasetSpec::new(id)
}

fn with(id: &str, f: impl FnOnce(&mut DatasetSpec)) -> DatasetSpec {
    let mut s = spec(id);
    f(&mut s);
    s
}

fn num<'a>(t: &'a Table, name: &str) -> &'a [f64] {
    let c = &t.columns[t.column_index(name).unwrap_or_else(|| panic!("no column {name}"))];
    match &c.data {
        ColumnData::Numeric(v) => v,
        _ => panic!("{name} is not numeric"),
    }
}

fn class_counts(d: &Dataset) -> Vec<usize> {
    let Target::Classes { labels, names } = &d.target else { panic!("{} is not classification", d.name) };
    (0..names.len()).map(|k| labels.iter().filter(|&&l| l as usize == k).count()).collect()
}

/// Area under the ROC curve of one score (ties count half), taken as at least 0.5: how
/// well the best threshold on this column alone separates the classes.
fn single_feature_auc(score: &[f64], positive: &[bool]) -> f64 {
    let pos: Vec<f64> = score.iter().zip(positive).filter(|p| *p.1).map(|p| *p.0).collect();
    let neg: Vec<f64> = score.iter().zip(positive).filter(|p| !*p.1).map(|p| *p.0).collect();
    let mut wins = 0.0;
    for &p in &pos {
        for &n in &neg {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    let auc = wins / (pos.len() * neg.len()) as f64;
    auc.max(1.0 - auc)
}

#[test]
fn file_sets_have_the_stated_shapes_and_classes() {
    // (id, rows, numeric features, class counts in order of first appearance)
    let cases: [(&str, usize, usize, &[usize]); 4] = [
        ("iris", 150, 4, &[50, 50, 50]),
        ("wine", 178, 13, &[59, 71, 48]),
        ("breast_cancer", 569, 30, &[212, 357]),
        ("penguins", 344, 4, &[152, 124, 68]),
    ];
    for (id, rows, feats, counts) in cases {
        let d = load(&spec(id), None, 0).unwrap();
        assert_eq!((d.n_rows(), d.feature_names.len()), (rows, feats), "{id}");
        assert_eq!(class_counts(&d), counts, "{id}");
    }
    let d = load(&spec("breast_cancer"), None, 0).unwrap();
    assert_eq!(d.class_names(), ["malignant", "benign"]);
    assert_eq!(d.target_name, "diagnosis");
}

#[test]
fn digits_are_8x8_images_of_ten_digits() {
    let b = builtin::find("digits").unwrap();
    assert_eq!(b.image, Some([8, 8]));
    let t = load_table(&spec("digits"), None, 0).unwrap();
    assert_eq!((t.n_rows(), t.columns.len()), (1797, 65));
    let names = t.names();
    assert_eq!(names[..64], (0..64).map(|i| format!("p{i}")).collect::<Vec<_>>()[..]);
    assert_eq!(names[64], "digit");
    for c in &t.columns[..64] {
        let ColumnData::Numeric(v) = &c.data else { panic!() };
        assert!(v.iter().all(|&p| p.fract() == 0.0 && (0.0..=16.0).contains(&p)), "{}", c.name);
    }
    let d = load(&spec("digits"), None, 0).unwrap();
    assert_eq!(d.class_names(), (0..10).map(|i| i.to_string()).collect::<Vec<_>>());
    assert!(class_counts(&d).iter().all(|&c| (174..=183).contains(&c)));
}

#[test]
fn regression_sets_are_regression() {
    let d = load(&spec("diabetes"), None, 0).unwrap();
    assert_eq!((d.n_rows(), d.feature_names.len(), d.task()), (442, 10, Task::Regression));
    assert_eq!(d.target_name, "progression");
    let Target::Values(y) = &d.target else { panic!() };
    assert_eq!(y.iter().cloned().fold(f64::INFINITY, f64::min), 25.0);
    assert_eq!(y.iter().cloned().fold(0.0, f64::max), 346.0);

    let t = load_table(&spec("houses"), None, 0).unwrap();
    assert_eq!(t.n_rows(), 2000);
    assert_eq!(t.names().last().unwrap(), "price");
    let ColumnData::Categorical { levels, .. } = &t.columns[t.column_index("neighbourhood").unwrap()].data else {
        panic!("neighbourhood is text")
    };
    assert_eq!(levels.len(), 6);
    assert_eq!(load(&spec("houses"), None, 0).unwrap().task(), Task::Regression);
}

#[test]
fn penguins_keep_missing_values_and_text_columns() {
    let t = load_table(&spec("penguins"), None, 0).unwrap();
    assert_eq!(
        t.names(),
        ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "species"]
    );
    let missing: Vec<usize> = t.columns.iter().map(|c| c.missing_count()).collect();
    assert_eq!(missing, [0, 2, 2, 2, 2, 11, 0]);
    for name in ["island", "sex", "species"] {
        assert!(matches!(t.columns[t.column_index(name).unwrap()].data, ColumnData::Categorical { .. }), "{name}");
    }
}

#[test]
fn every_builtin_loads_and_is_described() {
    let info = knob_info();
    for b in BUILTINS {
        let d = load(&spec(b.id), None, 3).unwrap_or_else(|e| panic!("{}: {e}", b.id));
        if b.id == PAINT_ID {
            // "Draw your own" holds what the user paints: it opens with its 12 seed points.
            assert_eq!(d.n_rows(), 12, "{}", b.id);
            continue;
        }
        assert!(d.n_rows() >= 150, "{}", b.id);
        assert!(!b.about.is_empty() && b.about.len() < 300, "{}: about should be one or two sentences", b.id);
        assert_eq!(b.knobs.is_empty(), matches!(b.source, Source::File(_)), "{}", b.id);
        for k in b.knobs {
            assert!(info.iter().any(|p| p.name == *k), "{}: knob {k} has no description", b.id);
        }
        if b.source == Source::Synthetic {
            assert_eq!(d.n_rows(), b.defaults.n_samples as usize, "{}", b.id);
        }
    }
}

#[test]
fn generators_are_seeded() {
    // "Draw your own" is the user's points, not drawn from the seed.
    for b in BUILTINS.iter().filter(|b| b.source == Source::Synthetic && b.id != PAINT_ID) {
        let s = with(b.id, |s| s.n_samples = 500);
        let a = generate_table(&s, 7).unwrap();
        assert_eq!(a, generate_table(&s, 7).unwrap(), "{}: same seed, same table", b.id);
        assert_ne!(a, generate_table(&s, 8).unwrap(), "{}: another seed, another table", b.id);
        assert_eq!(a.n_rows(), 500, "{}", b.id);
    }
}

#[test]
fn two_dimensional_shapes_without_noise() {
    let zero = |id: &str| generate_table(&with(id, |s| s.noise = 0.0), 1).unwrap();
    let t = zero("moons");
    for ((x, y), c) in num(&t, "x1").iter().zip(num(&t, "x2")).zip(num(&t, "class")) {
        let (cx, cy) = if *c == 0.0 { (0.0, 0.0) } else { (1.0, 0.5) };
        assert!(((x - cx).hypot(y - cy) - 1.0).abs() < 1e-12, "moons: on the unit half circle");
    }
    let t = zero("circles");
    for ((x, y), c) in num(&t, "x1").iter().zip(num(&t, "x2")).zip(num(&t, "class")) {
        let r = if *c == 0.0 { 1.0 } else { CIRCLES_FACTOR };
        assert!((x.hypot(*y) - r).abs() < 1e-12, "circles: inner radius factor {CIRCLES_FACTOR}");
    }
    let t = zero("xor");
    for ((x, y), c) in num(&t, "x1").iter().zip(num(&t, "x2")).zip(num(&t, "class")) {
        assert_eq!(*c, if x * y > 0.0 { 1.0 } else { 0.0 }, "xor: class = same sign");
    }
    // With noise the shapes blur: some xor points cross an axis.
    let t = generate_table(&with("xor", |s| s.noise = 0.3), 1).unwrap();
    let crossed = num(&t, "x1")
        .iter()
        .zip(num(&t, "x2"))
        .zip(num(&t, "class"))
        .filter(|((x, y), c)| (**x * **y > 0.0) != (**c == 1.0))
        .count();
    assert!(crossed > 10, "{crossed}");
}

#[test]
fn blobs_have_centers_classes() {
    for k in [2u32, 5, 10] {
        let d = load(&with("blobs", |s| s.centers = k), None, 4).unwrap();
        let counts = class_counts(&d);
        assert_eq!(counts.len(), k as usize);
        assert!(counts.iter().all(|&c| c == 300 / k as usize || c == 300 / k as usize + 1), "{counts:?}");
    }
    // cluster_std 0: every point sits on its centre.
    let t = generate_table(&with("blobs", |s| s.cluster_std = 0.0), 2).unwrap();
    let (x, c) = (num(&t, "x1"), num(&t, "class"));
    for i in 0..t.n_rows() {
        let first = (0..t.n_rows()).find(|&j| c[j] == c[i]).unwrap();
        assert_eq!(x[i], x[first]);
    }
}

/// Least squares by the normal equations (Gaussian elimination), for the 5 coefficients.
fn least_squares(cols: &[&[f64]], y: &[f64]) -> Vec<f64> {
    let k = cols.len() + 1;
    let row = |i: usize| std::iter::once(1.0).chain(cols.iter().map(move |c| c[i]));
    let mut a = vec![vec![0.0; k + 1]; k];
    for (i, &yi) in y.iter().enumerate() {
        let r: Vec<f64> = row(i).collect();
        for p in 0..k {
            for q in 0..k {
                a[p][q] += r[p] * r[q];
            }
            a[p][k] += r[p] * yi;
        }
    }
    for p in 0..k {
        for q in p + 1..k {
            let f = a[q][p] / a[p][p];
            let pivot = a[p].clone();
            for (v, pv) in a[q][p..].iter_mut().zip(&pivot[p..]) {
                *v -= f * pv;
            }
        }
    }
    let mut b = vec![0.0; k];
    for p in (0..k).rev() {
        b[p] = (a[p][k] - (p + 1..k).map(|q| a[p][q] * b[q]).sum::<f64>()) / a[p][p];
    }
    b
}

#[test]
fn linear_recovers_its_coefficients_and_noise() {
    let t = generate_table(&with("linear", |s| s.n_samples = 5000), 5).unwrap();
    let xs: Vec<&[f64]> = ["x1", "x2", "x3", "x4"].iter().map(|n| num(&t, n)).collect();
    let y = num(&t, "y");
    let b = least_squares(&xs, y);
    // Standard errors are about noise / sqrt(n) = 0.014; allow 4 of them.
    assert!((b[0] - LINEAR_INTERCEPT).abs() < 0.06, "{b:?}");
    for j in 0..4 {
        assert!((b[j + 1] - LINEAR_COEF[j]).abs() < 0.06, "{b:?}");
    }
    let resid: f64 =
        (0..y.len()).map(|i| (y[i] - b[0] - (0..4).map(|j| b[j + 1] * xs[j][i]).sum::<f64>()).powi(2)).sum::<f64>()
            / y.len() as f64;
    assert!((resid.sqrt() - 1.0).abs() < 0.05, "residual sd {}", resid.sqrt());
}

#[test]
fn transactions_have_the_asked_fraud_share_and_a_learnable_pattern() {
    let t = generate_table(&spec("transactions"), 1).unwrap();
    assert_eq!(t.n_rows(), 20_000);
    assert_eq!(num(&t, "is_fraud").iter().sum::<f64>(), 100.0, "0.5% of 20,000");
    for (n, rate, want) in [(10_000, 0.02, 200.0), (1_000, 0.0001, 1.0), (50, 0.5, 25.0)] {
        let t = generate_table(&with("transactions", |s| (s.n_samples, s.positive_rate) = (n, rate)), 2).unwrap();
        assert_eq!(num(&t, "is_fraud").iter().sum::<f64>(), want, "n {n}, rate {rate}");
    }
    let ColumnData::Categorical { levels, .. } = &t.columns[t.column_index("merchant_category").unwrap()].data else {
        panic!("merchant_category is text")
    };
    assert!(levels.contains(&"gift_cards".to_string()));
    let d = load(&spec("transactions"), None, 1).unwrap();
    assert_eq!(d.class_names(), ["0", "1"]);
    assert_eq!(d.categorical.len(), 1);

    // Learnable: several columns carry signal. Not trivial: no single column separates.
    let fraud: Vec<bool> = num(&t, "is_fraud").iter().map(|&v| v == 1.0).collect();
    let aucs: Vec<(&str, f64)> = ["amount", "hour", "device_age_days", "velocity_1h", "distance_from_home_km"]
        .into_iter()
        .map(|c| (c, single_feature_auc(num(&t, c), &fraud)))
        .collect();
    assert!(aucs.iter().filter(|a| a.1 > 0.65).count() >= 3, "{aucs:?}");
    assert!(aucs.iter().all(|a| a.1 < 0.85), "{aucs:?}");
}

#[test]
fn traffic_anomalies_are_rare_and_break_how_columns_go_together() {
    let t = generate_table(&spec("traffic"), 1).unwrap();
    assert_eq!(t.n_rows(), 5_000);
    assert_eq!(t.names().last().unwrap(), "is_anomaly");
    let bad: Vec<bool> = num(&t, "is_anomaly").iter().map(|&v| v == 1.0).collect();
    assert_eq!(bad.iter().filter(|&&b| b).count(), 50, "1% of 5,000");
    assert!(t.columns.iter().all(|c| matches!(&c.data, ColumnData::Numeric(v) if v.iter().all(|&x| x >= 0.0))));

    // No single column gives the attacks away...
    let features = ["connections", "duration_s", "bytes_in", "bytes_out", "packets", "distinct_ports", "failed_logins"];
    for c in features {
        let auc = single_feature_auc(num(&t, c), &bad);
        assert!(auc < 0.95, "{c}: AUC {auc}");
    }
    // ...but nearly every one breaks a relation that ordinary minutes keep: uploads well
    // below downloads, and packets that are not nearly empty.
    let (bin, bout, pk) = (num(&t, "bytes_in"), num(&t, "bytes_out"), num(&t, "packets"));
    let odd = |i: &usize| bout[*i] / bin[*i] > 0.3 || (bin[*i] + bout[*i]) / pk[*i] < 350.0;
    let normal_odd = (0..t.n_rows()).filter(|&i| !bad[i]).filter(odd).count();
    let attacks_odd = (0..t.n_rows()).filter(|&i| bad[i]).filter(odd).count();
    assert!(normal_odd <= 5, "{normal_odd} ordinary minutes look odd");
    assert!(attacks_odd >= 47, "only {attacks_odd} of 50 attacks look odd");
}

#[test]
fn bad_knobs_name_the_field_and_the_range() {
    let cases: Vec<(DatasetSpec, &str)> = vec![
        (with("moons", |s| s.n_samples = 5), "n_samples"),
        (with("moons", |s| s.n_samples = 1_000_001), "n_samples"),
        (with("moons", |s| s.noise = -0.1), "noise"),
        (with("moons", |s| s.noise = f64::NAN), "noise"),
        (with("blobs", |s| s.centers = 1), "centers"),
        (with("blobs", |s| s.centers = 11), "centers"),
        (with("blobs", |s| s.cluster_std = 10.5), "cluster_std"),
        (with("transactions", |s| s.positive_rate = 0.0), "positive_rate"),
        (with("traffic", |s| s.positive_rate = 0.6), "positive_rate"),
    ];
    for (s, field) in cases {
        let e = load(&s, None, 0).unwrap_err();
        let Error::Param { field: f, allowed, .. } = &e else { panic!("{field}: {e}") };
        assert_eq!(f, field);
        assert!(allowed.chars().any(|c| c.is_ascii_digit()), "{e}");
    }
    assert_eq!(with("moons", |s| s.n_samples = builtin::MAX_SAMPLES).validate(), Ok(()));
}

#[test]
fn links_without_the_new_knobs_still_open() {
    // A link written before the knobs existed.
    let s: DatasetSpec =
        serde_json::from_str(r#"{"id": "moons", "n_samples": 120, "noise": 0.3, "target": null}"#).unwrap();
    assert_eq!(s, with("moons", |s| (s.n_samples, s.noise) = (120, 0.3)));
    // A missing knob takes the named set's own default.
    let s: DatasetSpec = serde_json::from_str(r#"{"id": "traffic"}"#).unwrap();
    assert_eq!((s.n_samples, s.positive_rate), (5_000, 0.01));
    let s: DatasetSpec = serde_json::from_str(r#"{"id": "blobs", "centers": 6}"#).unwrap();
    assert_eq!(s.centers, 6);
    assert_eq!(load(&s, None, 1).unwrap().class_names().len(), 6);
}
