//! The registry of kinds: every kind described once and consistently, and every consumer's
//! view of a kind (schema, defaults, sweep, export mappings) agreeing with it.

use mlplay::app::export::sklearn_model::estimator;
use mlplay::app::export::spark_model::spark_model;
use mlplay::base::schema::Domain;
use mlplay::data::Task;
use mlplay::kinds::{self, spec_from_json, Family};
use serde_json::{json, Value};

#[test]
fn every_kind_is_listed_once_and_parses_with_its_defaults() {
    let names = kinds::names();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    for k in kinds::all() {
        let spec = spec_from_json(json!({ "kind": k.name })).unwrap();
        assert_eq!(spec.kind(), k.name);
        assert!(std::ptr::eq(spec.describe(), *k), "{}", k.name);
        spec.validate().unwrap_or_else(|e| panic!("{}: defaults invalid: {e}", k.name));
        assert!(!k.title.is_empty() && !k.about.is_empty() && !k.glossary.is_empty(), "{}", k.name);
        assert!(!k.tasks.is_empty(), "{}", k.name);
        assert_eq!(spec.is_unsupervised(), k.family != Family::Supervised);
    }
    assert!(kinds::get("no_such_kind").is_none());
    let e = spec_from_json(json!({ "kind": "no_such_kind" })).unwrap_err().to_string();
    assert!(names.iter().all(|n| e.contains(n)), "{e}");
}

/// Whether `domain` allows `v`; null is an optional number left unset (no limit).
fn allowed(domain: &Domain, v: &Value) -> bool {
    let within = |x: i64, min: i64, max: i64| (min..=max).contains(&x);
    match domain {
        Domain::Float { min, max, min_exclusive, .. } => {
            v.as_f64().is_some_and(|x| x <= *max && if *min_exclusive { x > *min } else { x >= *min })
        }
        Domain::Int { min, max } => v.is_null() || v.as_i64().is_some_and(|x| within(x, *min, *max)),
        Domain::Choice { options } => v.as_str().is_some_and(|s| options.contains(&s)),
        Domain::Bool => v.is_boolean(),
        Domain::IntList { min, max, min_len, max_len } => v.as_array().is_some_and(|a| {
            (*min_len..=*max_len).contains(&a.len())
                && a.iter().all(|x| x.as_i64().is_some_and(|x| within(x, *min, *max)))
        }),
    }
}

#[test]
fn schema_names_are_the_struct_fields_and_defaults_come_from_the_struct() {
    for k in kinds::all() {
        let params = spec_from_json(json!({ "kind": k.name })).unwrap().params_json();
        let fields: Vec<&String> = params.as_object().unwrap().keys().collect();
        let schema = (k.params)();
        let mut names: Vec<&str> = schema.iter().map(|p| p.name).collect();
        names.sort();
        let mut fields: Vec<&str> = fields.iter().map(|s| s.as_str()).collect();
        fields.sort();
        assert_eq!(names, fields, "{}: schema and hyperparameter struct differ", k.name);
        for (written, shown) in schema.iter().zip(k.param_info()) {
            // The algorithm's schema writes no default: the struct's Default is the one source.
            assert!(written.default.is_null(), "{}.{}: a second default in the schema", k.name, written.name);
            assert_eq!(shown.default, params[shown.name], "{}.{}: the catalog's default", k.name, shown.name);
            assert!(
                allowed(&shown.domain, &shown.default),
                "{}.{}: default {} outside {:?}",
                k.name,
                shown.name,
                shown.default,
                shown.domain
            );
        }
    }
}

#[test]
fn catalog_carries_what_the_page_reads() {
    let gpu: Vec<&str> = kinds::all().iter().filter(|k| k.gpu).map(|k| k.name).collect();
    assert_eq!(gpu, ["mlp", "autoencoder", "cnn"]);
    let anomaly: Vec<&str> = kinds::all().iter().filter(|k| k.anomaly).map(|k| k.name).collect();
    assert_eq!(anomaly, ["autoencoder", "isolation_forest"]);
    for info in kinds::catalog() {
        let v = serde_json::to_value(&info).unwrap();
        for field in [
            "kind",
            "title",
            "about",
            "glossary",
            "tasks",
            "family",
            "anomaly",
            "views",
            "axis",
            "picture_note",
            "step_unit",
            "gpu",
            "sweep",
            "params",
        ] {
            assert!(v.get(field).is_some(), "{}: no {field}", info.kind);
        }
        if let Some(p) = info.sweep {
            assert!(info.params.iter().any(|q| q.name == p), "{}: sweeps {p}, not a parameter", info.kind);
        }
    }
    assert_eq!(kinds::step_unit("random_forest"), "tree");
    assert_eq!(kinds::family("pca"), Family::Projection);
    assert_eq!(
        kinds::self_training_bases(),
        ["logistic_regression", "knn", "naive_bayes", "decision_tree", "random_forest", "gradient_boosting"]
    );
}

/// Values to try for a parameter: each choice, the ends of a range, the other boolean.
fn variations(domain: &Domain, default: &Value) -> Vec<Value> {
    let mut out = vec![Value::Null];
    match domain {
        Domain::Float { min, max, min_exclusive, .. } => {
            if !min_exclusive {
                out.push((*min).into());
            }
            out.push((*max).into());
            out.push(((min.max(1e-3) + max.min(1e3)) / 3.0).into());
        }
        Domain::Int { min, max } => out.extend([Value::from(*min), Value::from(*max), Value::from((min + max) / 2)]),
        Domain::Choice { options } => out.extend(options.iter().map(|o| Value::from(*o))),
        Domain::Bool => out.push((!default.as_bool().unwrap_or(false)).into()),
        Domain::IntList { min, max, .. } => out.extend([json!([min]), json!([max, min])]),
    }
    out.retain(|v| v != default);
    out
}

/// Parameters the exports leave out on purpose: mlplay's own knobs with no counterpart.
/// Each entry is a decision, not an accident; a renamed parameter is not in this list.
const NOT_EXPORTED: &[(&str, &str)] = &[
    // Hidden labels: the exported scripts train on every label (they say so).
    ("self_training", "unlabeled_fraction"),
    // Step sizes of mlplay's gradient-descent solvers; scikit-learn solves directly.
    ("logistic_regression", "learning_rate"),
    ("linear_regression", "max_iter"),
    ("linear_regression", "learning_rate"),
    // scikit-learn's MLP has no dropout (the autoencoder's export notes it).
    ("mlp", "dropout"),
    // t-SNE's PCA pre-reduction before the neighbour search; scikit-learn has no such knob.
    ("tsne", "pca_components"),
];

/// Renaming a hyperparameter (its struct field and schema name) must not silently drop
/// it from the exported scripts: every parameter of every kind changes the scikit-learn
/// or the Spark estimator when its value changes.
#[test]
fn every_parameter_reaches_an_export_mapping() {
    let mut missing = vec![];
    for k in kinds::all() {
        let params = spec_from_json(json!({ "kind": k.name })).unwrap().params_json();
        let render = |p: &Value| {
            k.tasks
                .iter()
                .map(|&t| {
                    let n = if t == Task::Classification { 3 } else { 0 };
                    format!("{:?} {:?}", estimator(k.name, p, t), spark_model(k.name, p, t, n))
                })
                .collect::<Vec<_>>()
        };
        let base = render(&params);
        for info in k.param_info() {
            if NOT_EXPORTED.contains(&(k.name, info.name)) {
                continue;
            }
            let used = variations(&info.domain, &params[info.name]).into_iter().any(|v| {
                let mut p = params.clone();
                if v.is_null() {
                    p.as_object_mut().unwrap().remove(info.name);
                } else {
                    p[info.name] = v;
                }
                render(&p) != base
            });
            if !used {
                missing.push(format!("{}.{}", k.name, info.name));
            }
        }
    }
    assert!(missing.is_empty(), "parameters no export reads: {missing:?}");
}

/// A clustering's or projection's learning curve is the objective it names: k-means'
/// inertia, t-SNE's KL divergence; PCA has none.
#[test]
fn a_step_reports_the_objective_its_kind_names() {
    use mlplay::data::builtin::{self, DatasetSpec};
    use mlplay::engine::session::Session;
    use mlplay::state::AppState;
    for (kind, objective) in [("kmeans", Some("inertia")), ("tsne", Some("kl_divergence")), ("pca", None)] {
        let state = AppState {
            dataset: DatasetSpec::new("iris"),
            model: spec_from_json(json!({ "kind": kind })).unwrap(),
            ..Default::default()
        };
        let ds = builtin::load(&state.dataset, None, state.seed).unwrap();
        let mut s = Session::new(state, &ds).unwrap();
        s.run_to_end().unwrap();
        let (fitter, _) = s.unsupervised_fit().unwrap();
        assert_eq!(fitter.objective(), objective, "{kind}");
        let curve = &s.snapshot().train_loss;
        match objective {
            Some(name) => {
                assert!(!curve.is_empty(), "{kind}: no learning curve");
                assert_eq!(curve.last().copied(), fitter.metrics().get(name).copied(), "{kind}");
            }
            None => assert!(curve.is_empty(), "{kind}: {curve:?}"),
        }
    }
}

/// The quoted names in the page's `export const VIEWS = [...]` (www/ui/unsupervised.js).
fn page_views(js: &str) -> Vec<String> {
    let line = js.lines().find(|l| l.starts_with("export const VIEWS = [")).expect("unsupervised.js lists VIEWS");
    line.split('\'').skip(1).step_by(2).map(str::to_string).collect()
}

#[test]
fn every_view_and_axis_in_the_catalog_is_one_the_page_draws() {
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |f: &str| std::fs::read_to_string(format!("{root}/www/ui/{f}")).unwrap();
    let (unsup, explain) = (read("unsupervised.js"), read("explain.js"));
    let known = page_views(&unsup);
    assert!(known.len() >= 5, "VIEWS parsed as {known:?}");
    let mut offered = std::collections::BTreeSet::new();
    for info in kinds::catalog() {
        let v = serde_json::to_value(&info).unwrap();
        for view in v["views"].as_array().unwrap() {
            let view = view.as_str().unwrap();
            assert!(known.iter().any(|k| k == view), "{}: the page does not know the view {view}", info.kind);
            offered.insert(view.to_string());
        }
        // Projections name their axes ("PC{}" -> PC1, PC2); nothing else has axes of its own.
        match info.axis {
            Some(a) => {
                assert_eq!(info.family, Family::Projection, "{}: axis {a} but not a projection", info.kind);
                assert_eq!(a.matches("{}").count(), 1, "{}: axis {a} has no single {{}}", info.kind);
            }
            None => assert_ne!(info.family, Family::Projection, "{}: a projection without axis names", info.kind),
        }
        if let Some(note) = info.picture_note {
            assert!(note.ends_with('.') && note.len() > 20, "{}: picture_note {note:?}", info.kind);
        }
    }
    for view in &known {
        // Each view the page knows is offered by some kind and used beyond the list itself.
        assert!(offered.contains(view), "the page knows {view}, which no kind offers");
        let (quoted, key) = (format!("'{view}'"), format!("  {view}: ["));
        let uses = [&quoted, &key]
            .iter()
            .map(|p| unsup.matches(p.as_str()).count() + explain.matches(p.as_str()).count())
            .sum::<usize>();
        assert!(uses >= 2, "{view} is listed in VIEWS but the page never draws it");
    }
    let with = |view: &str| -> Vec<&str> {
        kinds::catalog()
            .into_iter()
            .filter(|i| i.views.iter().any(|v| serde_json::json!(v) == view))
            .map(|i| i.kind)
            .collect()
    };
    assert_eq!(with("elbow"), ["kmeans"]);
    assert_eq!(with("k_distance"), ["dbscan"]);
    assert_eq!(with("scree"), ["pca"]);
    assert_eq!(kinds::get("tsne").and_then(|k| k.axis), Some("t-SNE {}"));
}
