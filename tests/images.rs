//! Image data: the generated `shapes` set (seeded, balanced, learnable), image sizes read
//! from column names, a drawing reduced to a set's format, and a trained model's answer
//! for one image through the path the page's drawing pad uses.

use mlplay::app::images::{gallery, layout, predict_image};
use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::data::drawing::{reduce, ImageFormat};
use mlplay::data::infer::image_columns;
use mlplay::data::synth_images::{SHAPES, SIDE};
use mlplay::data::table::ColumnData;
use mlplay::engine::session::Session;
use mlplay::kinds::spec_from_json;
use mlplay::models::Prediction;
use mlplay::state::AppState;
use serde_json::json;

fn shapes(n_samples: u32, noise: f64) -> DatasetSpec {
    DatasetSpec { n_samples, noise, ..DatasetSpec::new("shapes") }
}

#[test]
fn shapes_are_the_same_for_a_seed_balanced_and_in_range() {
    let a = builtin::generate_table(&shapes(600, 0.1), 7).unwrap();
    let b = builtin::generate_table(&shapes(600, 0.1), 7).unwrap();
    let c = builtin::generate_table(&shapes(600, 0.1), 8).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.columns.len(), SIDE * SIDE + 1);
    assert_eq!((a.columns[0].name.as_str(), a.columns[255].name.as_str()), ("p0", "p255"));
    let ColumnData::Categorical { codes, levels } = &a.columns[256].data else { panic!("the class is text") };
    assert_eq!(levels, &SHAPES);
    let counts: Vec<usize> = (0..SHAPES.len() as u32).map(|k| codes.iter().filter(|&&c| c == k).count()).collect();
    assert_eq!(counts, vec![100; 6]);
    let odd = builtin::generate_table(&shapes(605, 0.1), 7).unwrap();
    let ColumnData::Categorical { codes, .. } = &odd.columns[256].data else { panic!() };
    let counts: Vec<usize> = (0..6).map(|k| codes.iter().filter(|&&c| c == k).count()).collect();
    assert!(counts.iter().max().unwrap() - counts.iter().min().unwrap() <= 1, "{counts:?}");
    for col in &a.columns[..256] {
        let ColumnData::Numeric(v) = &col.data else { panic!("pixels are numbers") };
        assert!(v.iter().all(|p| (0.0..=1.0).contains(p)), "{}", col.name);
    }
    // Every image has ink: a shape is drawn, not lost off the grid.
    for r in 0..600 {
        let ink: f64 = a.columns[..256]
            .iter()
            .map(|c| match &c.data {
                ColumnData::Numeric(v) => v[r],
                _ => 0.0,
            })
            .sum();
        assert!(ink > 5.0, "row {r} has almost no ink ({ink})");
    }
}

#[test]
fn image_sizes_are_read_from_column_names() {
    let names = |v: Vec<String>| v;
    let mnist: Vec<String> = std::iter::once("label".into()).chain((0..784).map(|i| format!("pixel{i}"))).collect();
    let (cols, size) = image_columns(&mnist).unwrap();
    assert_eq!(size, [28, 28]);
    assert_eq!((cols[0], cols[783]), (1, 784));
    let digits: Vec<String> = (0..64).map(|i| format!("p{i}")).chain(["digit".into()]).collect();
    assert_eq!(image_columns(&digits).unwrap().1, [8, 8]);
    let one_based = names((1..=256).map(|i| format!("px_{i}")).collect());
    assert_eq!(image_columns(&one_based).unwrap().1, [16, 16]);
    let bare = names((0..100).map(|i| i.to_string()).chain(["y".into()]).collect());
    assert_eq!(image_columns(&bare).unwrap().1, [10, 10]);
    // Row x column names, a 4-row, 5-column grid listed column by column.
    let grid: Vec<String> = (1..=5).flat_map(|c| (1..=4).map(move |r| format!("{r}x{c}"))).collect();
    let (cols, size) = image_columns(&grid).unwrap();
    assert_eq!(size, [5, 4]);
    assert_eq!(cols[1], 4, "pixel (row 1, column 2) is the fifth name");
    // Not images: a non-square count, a gap in the numbering, ordinary names, too few.
    assert!(image_columns(&names((0..50).map(|i| format!("pixel{i}")).collect())).is_none());
    assert!(image_columns(&names((0..65).filter(|&i| i != 3).map(|i| format!("p{i}")).collect())).is_none());
    assert!(image_columns(&names(["x1", "x2", "class"].map(String::from).to_vec())).is_none());
    assert!(image_columns(&names((0..9).map(|i| format!("p{i}")).collect())).is_none());
    assert!(image_columns(&names((0..64).map(|i| format!("x{i}")).collect())).is_none());
}

const DIGITS: ImageFormat = ImageFormat { width: 8, height: 8, max_value: 16.0, integer: true };

#[test]
fn a_drawn_stroke_becomes_a_digit_image() {
    // A vertical stroke (a "1") drawn anywhere on a 300-pixel pad.
    let one = reduce(&[vec![[150.0, 40.0], [150.0, 260.0]]], &DIGITS);
    assert_eq!(one.len(), 64);
    assert!(one.iter().all(|v| (0.0..=16.0).contains(v) && v.fract() == 0.0), "{one:?}");
    for row in 0..8 {
        let r = &one[row * 8..row * 8 + 8];
        // The stroke is centred: its ink falls in the middle two columns of every row.
        assert!(r[3] + r[4] >= 8.0, "row {row}: {r:?}");
        assert_eq!(r[..2].iter().chain(&r[6..]).sum::<f64>(), 0.0, "row {row}: {r:?}");
    }
    // As thick as the digits' own strokes: about 1.9 of 8 pixels wide (the median over
    // the digits of the ink per stroke crossing), not a hairline a thin "1" reads as "4" with.
    for row in 1..7 {
        let width = one[row * 8..row * 8 + 8].iter().sum::<f64>() / 16.0;
        assert!((1.5..=2.5).contains(&width), "row {row}: the stroke is {width} pixels wide");
    }
    // Where and how large it is drawn does not matter: the box is resized and centred.
    let small = reduce(&[vec![[30.0, 10.0], [30.0, 65.0]]], &DIGITS);
    assert_eq!(one, small);
    // A horizontal stroke inks one or two middle rows, whole.
    let dash = reduce(&[vec![[10.0, 100.0], [250.0, 100.0]]], &DIGITS);
    let rows: Vec<f64> = (0..8).map(|r| dash[r * 8..r * 8 + 8].iter().sum()).collect();
    assert!(rows[3] + rows[4] > 100.0 && rows[0] + rows[7] == 0.0, "{rows:?}");
    assert_eq!(reduce(&[], &DIGITS), vec![0.0; 64]);
    // The generated set's format: 16x16, values 0..1, a margin around the drawing.
    let f = ImageFormat { width: 16, height: 16, max_value: 1.0, integer: false };
    let px = reduce(&[vec![[0.0, 0.0], [100.0, 100.0]]], &f);
    assert_eq!(px.len(), 256);
    assert!(px[0] == 0.0 && px[255] == 0.0 && px[8 * 16 + 8] > 0.5, "{px:?}");
}

fn trained(data: DatasetSpec, model: serde_json::Value) -> (Session, mlplay::data::Dataset, mlplay::data::Table) {
    let state = AppState { dataset: data, model: spec_from_json(model).unwrap(), seed: 3, ..Default::default() };
    let table = builtin::load_table(&state.dataset, None, state.seed).unwrap();
    let ds = builtin::load(&state.dataset, None, state.seed).unwrap();
    let mut s = Session::new(state, &ds).unwrap();
    s.run_to_end().unwrap();
    (s, ds, table)
}

#[test]
fn one_image_gets_the_models_answer_for_its_row() {
    let (s, ds, table) = trained(DatasetSpec::new("digits"), json!({"kind": "logistic_regression"}));
    let l = layout(&table, &ds, None).unwrap();
    assert_eq!((l.width, l.height, l.max_value, l.integer, l.source), (8, 8, 16.0, true, "builtin"));
    // Row 5 of the data, given as an image, gets the same probabilities as the row itself.
    let pixels: Vec<f64> = l
        .columns
        .iter()
        .map(|&c| match &table.columns[c].data {
            ColumnData::Numeric(v) => v[5],
            _ => unreachable!(),
        })
        .collect();
    let a = predict_image(&s, &ds, &table, &l, &pixels).unwrap();
    let Prediction::Proba(p) = s.model().unwrap().predict(&s.data().preprocessor.transform(&ds, &[5])) else {
        panic!("a classifier")
    };
    assert_eq!(a.proba.len(), 10);
    for (x, y) in a.proba.iter().zip(p.row(0)) {
        assert!((x - y).abs() < 1e-12, "{:?} vs {p:?}", a.proba);
    }
    assert!((a.proba.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert_eq!(a.classes, s.data().class_names);
    assert!(a.micros > 0.0 && a.repeats >= 1 && a.model_bytes > 50 * 10 * 8, "{a:?}");
    // A "1" drawn as the page's e2e test draws it, with the digits' pen width, reads as a 1
    // (with a hairline pen, logistic regression read it as a 4).
    let one = reduce(&[vec![[45.0, 10.0], [50.0, 50.0], [50.0, 90.0]]], &l.format());
    let a = predict_image(&s, &ds, &table, &l, &one).unwrap();
    println!("a drawn 1: {} {:?}", a.predicted, a.proba);
    assert_eq!(a.predicted, "1", "{a:?}");
    // The gallery: every class, a few images each, counts adding up to the rows.
    let g = gallery(&table, &ds, &l, 4);
    assert_eq!(g.len(), 10);
    assert_eq!(g.iter().map(|c| c.count).sum::<usize>(), 1797);
    assert!(g.iter().all(|c| c.images.len() == 4 && c.images[0].len() == 64));
    // Not images: iris.
    let iris = builtin::load(&DatasetSpec::new("iris"), None, 0).unwrap();
    let t = builtin::load_table(&DatasetSpec::new("iris"), None, 0).unwrap();
    assert!(layout(&t, &iris, None).is_none());
    // A size the user gives: iris's four measurements as a 2x2 "image".
    assert_eq!(layout(&t, &iris, Some([2, 2])).unwrap().columns, vec![0, 1, 2, 3]);
    assert!(layout(&t, &iris, Some([3, 3])).is_none());
}

#[test]
fn drawn_shapes_are_recognised_by_a_model_trained_on_the_generated_set() {
    let (s, ds, table) = trained(shapes(1200, 0.1), json!({"kind": "knn", "n_neighbors": 5}));
    let acc = s.report().metrics.validation["accuracy"];
    assert!(acc > 0.6, "validation accuracy {acc}");
    let l = layout(&table, &ds, None).unwrap();
    assert_eq!((l.width, l.height, l.source), (16, 16, "builtin"));
    // The gallery lists the classes in the legend's order, not in the rows' shuffled order.
    let names: Vec<String> = gallery(&table, &ds, &l, 1).into_iter().map(|g| g.name).collect();
    assert_eq!(names, ds.class_names());
    let ring: Vec<[f64; 2]> = (0..=40)
        .map(|i| {
            let t = std::f64::consts::TAU * i as f64 / 40.0;
            [100.0 + 80.0 * t.cos(), 100.0 + 80.0 * t.sin()]
        })
        .collect();
    let plus = vec![vec![[100.0, 20.0], [100.0, 180.0]], vec![[20.0, 100.0], [180.0, 100.0]]];
    for (drawing, want) in [(vec![ring], "circle"), (plus, "plus")] {
        let a = predict_image(&s, &ds, &table, &l, &reduce(&drawing, &l.format())).unwrap();
        assert_eq!(a.predicted, want, "{a:?}");
    }
}
