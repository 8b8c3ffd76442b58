//! A run's rows as CSV, the same bytes from the page's download and `mlplay run
//! --predictions`.
//!
//! A supervised model's predictions: one line per row it was scored on, with the row's
//! number in the data (1-based, as the page's row tooltip counts), its split, the true
//! value, the prediction and, for classifiers, the probability of each class. Accuracy or
//! MAE recomputed from the file equal the metrics table's, since the predicted class is
//! the same argmax the metrics use.
//!
//! A clustering's or projection's fitted rows: the row number, the target (never seen by
//! the fit, carried along to compare with), the cluster ("noise" for DBSCAN's noise) and/or
//! the coordinates as fitted so far.

use std::fmt::Write;

use crate::data::Target;
use crate::engine::session::Session;
use crate::metrics::classification::argmax_rows;
use crate::models::Prediction;
use crate::unsupervised::NOISE;

/// A CSV field, quoted when it holds a comma, a quote or a line break; a leading `=`, `+`,
/// `-` or `@` is prefixed with `'` so a spreadsheet does not run a class name as a formula.
pub fn csv_field(s: &str) -> String {
    let s =
        if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The predictions of a supervised session; `None` before a supervised model exists. The test rows are included only when
/// `with_test` (the page keeps them locked until a final evaluation).
pub fn predictions_csv(session: &Session, with_test: bool) -> Option<String> {
    let model = session.model()?;
    let data = session.data();
    let classes = &data.class_names;
    let mut out = String::from("row,split,");
    out.push_str(&csv_field(&format!("true_{}", session.target_name())));
    out.push_str(",predicted");
    if let Target::Classes { .. } = data.train.y {
        for c in classes {
            out.push(',');
            out.push_str(&csv_field(&format!("proba_{c}")));
        }
    }
    out.push('\n');
    let parts = [("train", &data.train), ("validation", &data.validation), ("test", &data.test)];
    for (k, (name, part)) in parts.into_iter().enumerate() {
        if part.n_rows() == 0 || (k == 2 && !with_test) {
            continue;
        }
        let rows = &session.row_numbers()[k];
        match (model.predict(&part.x), &part.y) {
            (Prediction::Proba(p), Target::Classes { labels, .. }) => {
                let pred = argmax_rows(&p);
                for i in 0..part.n_rows() {
                    let name_of = |c: u32| csv_field(classes.get(c as usize).map_or("?", String::as_str));
                    let _ = write!(
                        out,
                        "{},{name},{},{}",
                        rows.get(i).copied().unwrap_or(i) + 1,
                        name_of(labels[i]),
                        name_of(pred[i])
                    );
                    for v in p.row(i) {
                        let _ = write!(out, ",{v}");
                    }
                    out.push('\n');
                }
            }
            (Prediction::Values(v), Target::Values(y)) => {
                for i in 0..part.n_rows() {
                    let _ = writeln!(out, "{},{name},{},{}", rows.get(i).copied().unwrap_or(i) + 1, y[i], v[i]);
                }
            }
            _ => {}
        }
    }
    Some(out)
}

/// The fitted rows of a clustering or projection; `None` for a supervised session.
pub fn fitted_rows_csv(session: &Session) -> Option<String> {
    let (fitter, rows) = session.unsupervised_fit()?;
    let data = session.data();
    let labels = fitter.labels();
    let embedding = fitter.embedding();
    let mut out = format!("row,{}", csv_field(session.target_name()));
    if labels.is_some() {
        out.push_str(",cluster");
    }
    for k in 0..embedding.as_ref().map_or(0, |e| e.ncols()) {
        match ["x", "y", "z"].get(k) {
            Some(name) => write!(out, ",{name}"),
            None => write!(out, ",c{}", k + 1),
        }
        .expect("writing to a string");
    }
    out.push('\n');
    for (i, &row) in rows.iter().enumerate() {
        let target = match &data.train.y {
            Target::Classes { labels, names } => csv_field(&names[labels[i] as usize]),
            Target::Values(v) => v[i].to_string(),
        };
        let _ = write!(out, "{},{target}", row + 1);
        if let Some(l) = labels.as_ref().and_then(|l| l.get(i)) {
            if *l == NOISE {
                out.push_str(",noise");
            } else {
                let _ = write!(out, ",{l}");
            }
        }
        for v in embedding.as_ref().map(|e| e.row(i)).into_iter().flatten() {
            let _ = write!(out, ",{v}");
        }
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::csv::parse;
    use crate::data::Dataset;
    use crate::kinds::spec_from_json;
    use crate::state::AppState;
    use serde_json::json;

    fn session(csv: &str, model: serde_json::Value) -> Session {
        let ds = Dataset::from_table("t", &parse(csv).unwrap(), None).unwrap();
        let state = AppState { model: spec_from_json(model).unwrap(), ..Default::default() };
        let mut s = Session::new(state, &ds).unwrap();
        s.run_to_end().unwrap();
        s
    }

    const TWO_CLOUDS: &str = "a,b,=kind\n0,0,x\n0.1,0,x\n0,0.1,x\n5,5,y\n5.1,5,y\n5,5.1,y\n20,-20,y\n";

    #[test]
    fn fitted_rows_name_the_target_and_write_noise_as_a_word() {
        let s = session(TWO_CLOUDS, json!({"kind": "dbscan", "eps": 0.5, "min_samples": 2}));
        let csv = fitted_rows_csv(&s).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        // A target whose name a spreadsheet would run as a formula is written as text.
        assert_eq!(lines[0], "row,'=kind,cluster");
        assert_eq!(lines[1], "1,x,0");
        assert_eq!(lines[4], "4,y,1");
        assert_eq!(lines[7], "7,y,noise");
        assert!(predictions_csv(&s, true).is_none(), "a clustering has no predictions");
    }

    #[test]
    fn a_projection_writes_its_coordinates() {
        let s = session(TWO_CLOUDS, json!({"kind": "pca", "n_components": 2}));
        let csv = fitted_rows_csv(&s).unwrap();
        assert!(csv.starts_with("row,'=kind,x,y\n1,x,"), "{csv}");
        assert_eq!(csv.lines().count(), 8);
        assert!(csv.lines().skip(1).all(|l| l.split(',').count() == 4));
    }
}
