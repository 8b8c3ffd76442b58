//! `mlplay run`: build a state from a link and/or options, train to the end, report.

use std::path::Path;

use clap::Args;
use mlplay::app::workspace::{self, fitted_rows_csv, predictions_csv, ModelFiles};
use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::data::image_size::ImageSize;
use mlplay::data::loader::CsvLoader;
use mlplay::data::Table;
use mlplay::data::{Dataset, Task};
use mlplay::engine::eval::report::Report;
use mlplay::engine::eval::validation_curve::default_sweep;
use mlplay::engine::session::Session;
use mlplay::kinds::spec_from_json;
use mlplay::models::Prediction;
use mlplay::state::{link, AppState};
use mlplay::{Error, Result};
use serde_json::json;

#[derive(Args)]
pub struct RunArgs {
    /// A CSV file, or builtin:NAME (e.g. builtin:iris, builtin:moons).
    #[arg(long)]
    data: Option<String>,
    /// Column to predict (default: the last column).
    #[arg(long)]
    target: Option<String>,
    /// The size of the images the rows of --data are (one numeric column per pixel, row by
    /// row, besides the target), as WIDTHxHEIGHT, e.g. 28x28; default: read from the names.
    #[arg(long, value_name = "WxH")]
    image_size: Option<String>,
    /// Leave a column out of the features; repeatable.
    #[arg(long, value_name = "COLUMN")]
    exclude: Vec<String>,
    /// Use a column that is left out by default (an identifier, a constant); repeatable.
    #[arg(long, value_name = "COLUMN")]
    include: Vec<String>,
    /// Treat a numeric column as categories (one-hot encoded); repeatable.
    #[arg(long, value_name = "COLUMN")]
    categorical: Vec<String>,
    /// classification or regression, when the target column suggests the other.
    #[arg(long)]
    task: Option<String>,
    /// With two classes, the one recall and precision are about (default: the class the
    /// set is about, e.g. malignant; for a file, the rarer class).
    #[arg(long, value_name = "CLASS")]
    positive: Option<String>,
    /// Model kind, e.g. logistic_regression.
    #[arg(long)]
    model: Option<String>,
    /// A hyperparameter, as key=value; repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// A held-out CSV with the same columns: the test set, instead of a split of --data.
    #[arg(long)]
    test_data: Option<String>,
    /// Train, validation and test fractions, e.g. 0.7,0.15,0.15.
    #[arg(long)]
    split: Option<String>,
    #[arg(long)]
    seed: Option<u32>,
    /// A share link (or just its #hash) to reproduce; other options override it.
    #[arg(long)]
    link: Option<String>,
    /// Also cross-validate the model with K folds of the training rows (adds `cv`).
    #[arg(long, value_name = "K")]
    cv: Option<usize>,
    /// Also sweep one hyperparameter, PARAM=v1,v2,... or auto (the kind's usual one),
    /// scoring training and validation rows per value (adds `validation_curve`).
    #[arg(long, value_name = "PARAM=V1,V2,..|auto")]
    sweep: Option<String>,
    /// Also write each row's prediction to this CSV file: row, split, true value,
    /// prediction and class probabilities (clusterings and projections: target, cluster
    /// and coordinates per row; the same file as the page's download).
    #[arg(long, value_name = "FILE")]
    predictions: Option<String>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// After training, write the model (with its preprocessing) to FILE as JSON, for
    /// `mlplay predict` or to reload in the page.
    #[arg(long, value_name = "FILE")]
    save_model: Option<String>,
}

impl RunArgs {
    /// Options that reproduce a link (on `data` when the link was made with an uploaded file).
    pub fn for_link(link: String, data: Option<String>) -> RunArgs {
        RunArgs {
            data,
            target: None,
            image_size: None,
            exclude: vec![],
            include: vec![],
            categorical: vec![],
            task: None,
            positive: None,
            model: None,
            set: vec![],
            test_data: None,
            split: None,
            seed: None,
            link: Some(link),
            cv: None,
            sweep: None,
            predictions: None,
            json: false,
            save_model: None,
        }
    }
}

pub fn run(a: RunArgs) -> Result<()> {
    let (state, dataset, holdout_from) = build(&a)?;
    if state.model.is_unsupervised() {
        return run_unsupervised(&a, state, &dataset, holdout_from.is_some());
    }
    let cv = a.cv.map(|k| workspace::cross_validate(&state, &dataset, holdout_from, k)).transpose()?;
    let curve = match &a.sweep {
        Some(s) => {
            let (param, values) = parse_sweep(s, &state.model)?;
            Some(workspace::validation_curve(&state, &dataset, holdout_from, &param, &values)?)
        }
        None => None,
    };
    let mut session = match holdout_from {
        Some(h) => Session::with_holdout(state, &dataset, h)?,
        None => Session::new(state, &dataset)?,
    };
    session.run_to_end()?;
    save_model(a.save_model.as_deref(), &session)?;
    let report = session.report();
    let positive = match &session.data().class_names[..] {
        [_, p] => Some(p.clone()),
        _ => None,
    };
    if let Some(path) = &a.predictions {
        let csv = predictions_csv(&session, true).ok_or_else(|| Error::Training("the model was not trained".into()))?;
        write_file(path, &csv)?;
    }
    if a.json {
        let mut v = serde_json::to_value(&report).expect("report serialises");
        if let Some(p) = &positive {
            v["positive_class"] = json!(p);
        }
        if let Some(cv) = &cv {
            v["cv"] = json!({ "scores": cv.scores, "mean": cv.mean, "std": cv.std, "metric": cv.metric });
        }
        if let Some((name, scores)) = row_scores(&session, &dataset)? {
            v["scores"] = json!(scores);
            v["score_name"] = json!(name);
        }
        if let Some(c) = &curve {
            v["validation_curve"] = json!({ "param": c.param, "values": c.values, "train": c.train, "validation": c.validation,
                                            "metric": c.metric, "best": c.best, "gap_opens": c.gap_opens });
        }
        println!("{}", serde_json::to_string_pretty(&v).expect("report serialises"));
    } else {
        print_table(&report);
        if let Some(p) = &positive {
            println!("positive class: {p} (recall, precision and f1 are about it)");
        }
        if let Some(cv) = &cv {
            println!("cv       {} {:.4} ± {:.4} over {} folds", cv.metric, cv.mean, cv.std, cv.scores.len());
        }
        if let Some(c) = &curve {
            println!(
                "sweep    {:>16}{:>18}{:>18}",
                c.param,
                format!("train {}", c.metric),
                format!("validation {}", c.metric)
            );
            for (i, v) in c.values.iter().enumerate() {
                let mark = if i == c.best {
                    "  best"
                } else if Some(i) == c.gap_opens {
                    "  gap opens"
                } else {
                    ""
                };
                println!("         {:>16}{:>18.4}{:>18.4}{mark}", v.to_string(), c.train[i], c.validation[i]);
            }
        }
    }
    Ok(())
}

/// DESIGN.md's per-row `scores`: an anomaly detector's score (the autoencoder's
/// reconstruction error) or a binary classifier's probability of the second class, for
/// every row of the data as read (with `--test-data` the test file's rows follow), in
/// file order; `None` for other models.
fn row_scores(session: &Session, dataset: &Dataset) -> Result<Option<(&'static str, Vec<f64>)>> {
    let Some(model) = session.model() else { return Ok(None) };
    // `dataset` is already in the state's task (`workspace::dataset`).
    let x = session.data().preprocessor.transform(dataset, &(0..dataset.n_rows()).collect::<Vec<_>>());
    if let Some(errors) = model.anomaly_scores(&x) {
        return Ok(Some(("reconstruction_error", errors)));
    }
    Ok(match model.predict(&x) {
        Prediction::Proba(p) if p.ncols() == 2 => Some(("positive_class_probability", p.column(1).to_vec())),
        _ => None,
    })
}

/// A clustering or projection: fitted on every row, metrics at top level, and per row
/// `labels` and/or `embedding` in the JSON.
fn run_unsupervised(a: &RunArgs, state: AppState, dataset: &Dataset, holdout: bool) -> Result<()> {
    let kind = state.model.kind();
    let refuse = |what: &str| {
        Err(Error::Data(format!("{what} applies to models that learn a target; {kind} learns from the features alone")))
    };
    if a.cv.is_some() {
        return refuse("--cv");
    }
    if a.sweep.is_some() {
        return refuse("--sweep");
    }
    if holdout {
        return refuse("--test-data");
    }
    let mut session = Session::new(state, dataset)?;
    session.run_to_end()?;
    save_model(a.save_model.as_deref(), &session)?;
    if let Some(path) = &a.predictions {
        write_file(path, &fitted_rows_csv(&session).expect("an unsupervised session"))?;
    }
    let r = session.unsupervised_report(a.json).expect("an unsupervised session");
    if a.json {
        println!("{}", serde_json::to_string_pretty(&r).expect("report serialises"));
        return Ok(());
    }
    println!("dataset  {} ({} rows)", r.dataset, r.rows);
    println!("model    {} {}", r.model, r.params);
    for (name, v) in &r.metrics {
        println!("{name:<36}{v:>12.4}");
    }
    println!("timing   fit {:.1} ms", r.timing.fit_ms);
    for n in &r.notes {
        println!("note     {n}");
    }
    println!("link     {}", r.link);
    println!("(per-row labels and coordinates: --json)");
    Ok(())
}

fn write_file(path: &str, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::Io(format!("cannot write {path}: {e}")))
}

fn save_model(path: Option<&str>, session: &Session) -> Result<()> {
    let Some(path) = path else { return Ok(()) };
    write_file(path, &session.save_model()?)
}

/// `PARAM=v1,v2,...` (each value read as JSON, else as text, as `--set`) or `auto`.
fn parse_sweep(s: &str, model: &mlplay::kinds::ModelSpec) -> Result<(String, Vec<serde_json::Value>)> {
    if s.trim() == "auto" {
        let (p, v) = default_sweep(model).ok_or_else(|| {
            Error::param(
                "--sweep",
                "auto",
                &format!("PARAM=v1,v2,...: {} has no usual parameter to sweep", model.kind()),
            )
        })?;
        return Ok((p.to_string(), v));
    }
    let (p, list) = s.split_once('=').ok_or_else(|| Error::param("--sweep", s, "PARAM=v1,v2,... or auto"))?;
    let values = list
        .split(',')
        .map(|v| serde_json::from_str(v.trim()).unwrap_or_else(|_| serde_json::Value::String(v.trim().to_string())))
        .collect();
    Ok((p.trim().to_string(), values))
}

/// Read a CSV file through the same streaming loader the page uses.
pub fn read_table(path: &str) -> Result<Table> {
    let bytes = std::fs::read(path).map_err(|e| Error::Io(format!("cannot read {path}: {e}")))?;
    parse_table(&bytes).map_err(|e| Error::Data(format!("{path}: {e}")))
}

fn parse_table(bytes: &[u8]) -> Result<Table> {
    let mut loader = CsvLoader::new().with_size_hint(bytes.len());
    loader.push(bytes).and_then(|_| loader.finish())
}

/// The state, the dataset and, with --test-data, the row where the held-out rows begin.
pub fn build(a: &RunArgs) -> Result<(AppState, Dataset, Option<usize>)> {
    let mut state = match &a.link {
        Some(l) => link::decode(l)?,
        None => AppState::default(),
    };
    if let Some(seed) = a.seed {
        state.seed = seed;
    }
    if let Some(s) = &a.split {
        let parts: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| Error::param("split", s, "three fractions separated by commas, e.g. 0.7,0.15,0.15"))?;
        let [train, validation, test] = parts[..] else {
            return Err(Error::param("split", s, "three fractions separated by commas, e.g. 0.7,0.15,0.15"));
        };
        state.split = mlplay::data::split::SplitSpec { train, validation, test };
    }
    // --set key=value: dataset generator knobs go to the dataset, the rest to the model.
    let mut knobs = Vec::new();
    let mut model_sets = Vec::new();
    for kv in &a.set {
        let (k, v) = kv.split_once('=').ok_or_else(|| Error::param("--set", kv, "key=value"))?;
        let value = serde_json::from_str(v).unwrap_or_else(|_| serde_json::Value::String(v.to_string()));
        let is_knob = builtin::knob_info().iter().any(|i| i.name == k.trim());
        if is_knob { &mut knobs } else { &mut model_sets }.push((k.trim().to_string(), value));
    }
    if a.model.is_some() || !model_sets.is_empty() {
        let mut spec = serde_json::json!({ "kind": a.model.as_deref().unwrap_or(state.model.kind()) });
        if a.model.is_none() {
            spec = serde_json::to_value(&state.model).expect("model serialises");
        }
        for (k, v) in model_sets {
            spec[k] = v;
        }
        state.model = spec_from_json(spec)?;
    }
    if let Some(t) = &a.target {
        // `--target none`: no column is predicted; every column is a feature.
        let none = t == "none" || t == "(none)";
        state.dataset.target = Some(if none { mlplay::data::dataset::NO_TARGET.to_string() } else { t.clone() });
    }
    if a.positive.is_some() {
        state.positive = a.positive.clone();
    }
    state.columns.exclude.extend(a.exclude.iter().cloned());
    state.columns.include.extend(a.include.iter().cloned());
    state.columns.categorical.extend(a.categorical.iter().cloned());
    if let Some(t) = &a.task {
        state.task = Some(match t.as_str() {
            "classification" => Task::Classification,
            "regression" => Task::Regression,
            _ => return Err(Error::param("--task", t, "classification or regression")),
        });
    }
    let (name, table) = match a.data.as_deref() {
        Some(d) if d.starts_with("builtin:") => {
            state.dataset =
                DatasetSpec { target: state.dataset.target.clone(), ..DatasetSpec::new(&d["builtin:".len()..]) };
            apply_knobs(&mut state.dataset, &knobs)?;
            (state.dataset.id.clone(), builtin::load_table(&state.dataset, None, state.seed)?)
        }
        Some(path) => {
            let name = Path::new(path).file_name().map_or(path.to_string(), |n| n.to_string_lossy().into_owned());
            let bytes = std::fs::read(path).map_err(|e| Error::Io(format!("cannot read {path}: {e}")))?;
            let sha = builtin::sha256_hex(&bytes);
            builtin::verify_file(&state.dataset, &name, &sha)?;
            state.dataset.id = format!("file:{name}");
            // The printed link names this file; small files travel in it, as in the page.
            state.dataset.csv =
                (bytes.len() <= builtin::MAX_EMBEDDED_CSV).then(|| String::from_utf8(bytes.clone()).ok()).flatten();
            state.dataset.sha256 = Some(sha);
            (name, parse_table(&bytes).map_err(|e| Error::Data(format!("{path}: {e}")))?)
        }
        None if state.dataset.csv.is_some() => {
            let name = state.dataset.id.trim_start_matches("file:").to_string();
            let table = parse_table(state.dataset.csv.as_deref().unwrap_or_default().as_bytes())?;
            (name, table)
        }
        None if state.dataset.id.starts_with("file:") => {
            return Err(Error::Data(format!(
                "this link was made with the file '{}'; pass it with --data",
                &state.dataset.id["file:".len()..]
            )))
        }
        None => {
            apply_knobs(&mut state.dataset, &knobs)?;
            (state.dataset.id.clone(), builtin::load_table(&state.dataset, None, state.seed)?)
        }
    };
    if let Some(size) = &a.image_size {
        state.dataset.image = Some(ImageSize::parse(size)?);
        state.dataset.validate()?;
    }
    let (table, holdout_from) = match &a.test_data {
        Some(path) => {
            (table.append(&read_table(path)?)?, Some(rows_with_target(&table, state.dataset.target.as_deref())))
        }
        None => (table, None),
    };
    let dataset = workspace::dataset(&table, &name, &state)?;
    state.validate()?;
    Ok((state, dataset, holdout_from))
}

fn apply_knobs(spec: &mut DatasetSpec, knobs: &[(String, serde_json::Value)]) -> Result<()> {
    if knobs.is_empty() {
        return Ok(());
    }
    let mut v = serde_json::to_value(&*spec).expect("spec serialises");
    for (k, value) in knobs {
        v[k] = value.clone();
    }
    *spec = serde_json::from_value(v).map_err(|e| Error::param("--set", "dataset knob", &e.to_string()))?;
    spec.validate()
}

/// Rows that keep their place in the dataset (those whose target is present).
fn rows_with_target(table: &Table, target: Option<&str>) -> usize {
    let col = match target {
        Some(mlplay::data::dataset::NO_TARGET) => return table.n_rows(),
        Some(t) => table.columns.iter().find(|c| c.name == t),
        None => table.columns.last(),
    };
    col.map_or(0, |c| c.len() - c.missing_count())
}

fn print_table(r: &Report) {
    println!("dataset  {} (train {}, validation {}, test {} rows)", r.dataset, r.rows[0], r.rows[1], r.rows[2]);
    println!("model    {} {}", r.model, r.params);
    let parts = [
        ("train", Some(&r.metrics.train)),
        ("validation", Some(&r.metrics.validation)),
        ("test", r.metrics.test.as_ref()),
    ];
    let names: Vec<&String> = r.metrics.train.keys().collect();
    print!("{:<12}", "");
    names.iter().for_each(|n| print!("{n:>18}"));
    println!();
    for (part, m) in parts {
        let Some(m) = m else { continue };
        print!("{part:<12}");
        names.iter().for_each(|n| print!("{:>18.4}", m.get(*n).copied().unwrap_or(f64::NAN)));
        println!();
    }
    println!(
        "timing   fit {:.1} ms, predict {:.3} us/row, model {} bytes",
        r.timing.fit_ms, r.timing.predict_us_per_row, r.timing.model_bytes
    );
    for n in &r.notes {
        println!("note     {n}");
    }
    println!("link     {}", r.link);
}
