//! "Open the errors" (issue #23, item 3): the rows the page lists for a confusion-matrix
//! cell are exactly the ones the cell counts (argmax for several classes, every threshold
//! cut for two), they are the part's own rows with their own labels and pixels, the
//! largest regression errors come first, and a link carries the selection.

use mlplay::app::errors::{cell_rows, largest_errors, part_rows};
use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::data::{Dataset, Target};
use mlplay::engine::eval::evaluation::Evaluation;
use mlplay::engine::session::Session;
use mlplay::state::selection::ErrorSelection;
use mlplay::state::{link, AppState};

fn trained(dataset: &str, model: &str) -> (Session, Dataset) {
    let state = AppState {
        dataset: DatasetSpec::new(dataset),
        model: mlplay::kinds::spec_from_json(serde_json::json!({ "kind": model })).unwrap(),
        ..AppState::default()
    };
    let file = builtin::file_of(dataset).unwrap().map(|f| std::fs::read_to_string(format!("www/data/{f}")).unwrap());
    let ds = builtin::load(&state.dataset, file.as_deref(), state.seed).unwrap();
    let mut s = Session::new(state, &ds).unwrap();
    s.run_to_end().unwrap();
    (s, ds)
}

#[test]
fn each_cell_lists_exactly_the_rows_it_counts_with_their_images() {
    let (s, ds) = trained("digits", "logistic_regression");
    let r = part_rows(&s, false, Some(&ds)).unwrap();
    let Evaluation::Classification { confusion, .. } = s.evaluation(false) else { panic!("a classifier") };
    assert_eq!(r.rows, s.row_numbers()[1], "the validation rows, in the data's numbering");
    let mut listed = 0;
    for (t, row) in confusion.iter().enumerate() {
        for (p, &count) in row.iter().enumerate() {
            let rows = cell_rows(&r, t, p, None);
            assert_eq!(rows.len(), count, "cell [{t}, {p}]");
            listed += rows.len();
        }
    }
    assert_eq!(listed, r.rows.len(), "every validation row is in one cell");
    let off: usize = (0..10).map(|t| (0..10).filter(|&p| p != t).map(|p| confusion[t][p]).sum::<usize>()).sum();
    assert!(off > 0, "the model makes some mistakes to open");
    // Each row's true label and pixels are the data's own.
    let Target::Classes { labels, .. } = &ds.target else { panic!() };
    // 61 pixel columns: the three that are 0 in every image are left out of the data.
    assert_eq!((r.feature_count, r.classes), (ds.x.ncols(), 10));
    assert_eq!(ds.feature_names.len(), 61);
    for (i, &row) in r.rows.iter().enumerate() {
        assert_eq!(r.actual[i] as u32, labels[row]);
        assert_eq!(&r.features[i * 61..(i + 1) * 61], ds.x.row(row).to_vec().as_slice());
        let p = &r.proba[i * 10..(i + 1) * 10];
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert_eq!(p[r.predicted[i] as usize], p.iter().cloned().fold(f64::MIN, f64::max), "predicted = most probable");
    }
    // The test rows are the test part's, and their cells match the test matrix.
    let t = part_rows(&s, true, None).unwrap();
    let Evaluation::Classification { confusion, .. } = s.evaluation(true) else { panic!() };
    assert_eq!((t.part, &t.rows, t.feature_count), ("test", &s.row_numbers()[2], 0));
    assert_eq!(cell_rows(&t, 8, 1, None).len(), confusion[8][1]);
}

#[test]
fn at_every_threshold_the_four_cells_list_the_counted_rows() {
    let (s, _) = trained("breast_cancer", "logistic_regression");
    let r = part_rows(&s, false, None).unwrap();
    let Evaluation::Classification { cuts: Some(c), confusion, .. } = s.evaluation(false) else { panic!("binary") };
    assert!(c.threshold.len() > 10);
    for k in 0..c.threshold.len() {
        let th = Some(c.threshold[k]);
        let n = |t, p| cell_rows(&r, t, p, th).len();
        assert_eq!([n(1, 1), n(0, 1), n(0, 0), n(1, 0)], [c.tp[k], c.fp[k], c.tn[k], c.fn_[k]], "cut {k} at {th:?}");
    }
    // Without a threshold, the most probable class: the argmax matrix.
    assert_eq!(cell_rows(&r, 1, 0, None).len(), confusion[1][0]);
}

#[test]
fn regression_lists_the_largest_errors_first() {
    let (s, _) = trained("diabetes", "linear_regression");
    let r = part_rows(&s, false, None).unwrap();
    assert_eq!((r.classes, r.proba.len()), (0, 0));
    let top = largest_errors(&r, 5);
    let err = |i: usize| (r.actual[i] - r.predicted[i]).abs();
    let max = (0..r.rows.len()).map(err).fold(0.0, f64::max);
    assert_eq!(top.len(), 5);
    assert_eq!(err(top[0]), max);
    assert!(top.windows(2).all(|w| err(w[0]) >= err(w[1])));
}

#[test]
fn a_link_carries_the_selection_and_refuses_a_huge_one() {
    let mut s = AppState::default();
    assert!(!s.to_json().contains("errors"), "no selection, no key");
    s.view.errors = Some(ErrorSelection { cell: Some([1, 2]), rows: vec![] });
    let back = link::decode(&link::encode(&s)).unwrap();
    assert_eq!(back.view.errors, s.view.errors);
    assert_eq!(back.fingerprint(), AppState::default().fingerprint(), "the selection is view only");
    s.view.errors = Some(ErrorSelection { cell: None, rows: (0..51).collect() });
    assert!(AppState::from_json(&s.to_json()).unwrap_err().to_string().contains("view.errors.rows"));
}
