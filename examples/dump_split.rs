//! Prints a built-in dataset as CSV with the part (train, validation, test) each row falls
//! in under the default split and the given seed, so scikit-learn fixture scripts train on
//! exactly the rows a session does. Numeric features only; the target as a class index or
//! value in the last-but-one column.
//! Run: cargo run --release --example dump_split -- ID SEED [N_SAMPLES] [NOISE]

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::data::split::{split, SplitSpec};
use mlplay::data::Target;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (id, seed) = (&args[0], args[1].parse::<u32>().expect("a seed"));
    let mut spec = DatasetSpec::new(id);
    if let Some(n) = args.get(2) {
        spec.n_samples = n.parse().expect("n_samples");
    }
    if let Some(noise) = args.get(3) {
        spec.noise = noise.parse().expect("noise");
    }
    let ds = builtin::load(&spec, None, seed).expect("a built-in set");
    assert!(ds.categorical.is_empty(), "numeric features only");
    let idx = split(&ds.target, &SplitSpec::default(), seed).expect("a split");
    let mut part = vec![""; ds.n_rows()];
    for (name, rows) in [("train", &idx.train), ("validation", &idx.validation), ("test", &idx.test)] {
        rows.iter().for_each(|&i| part[i] = name);
    }
    println!("{},{},part", ds.feature_names.join(","), ds.target_name);
    for i in 0..ds.n_rows() {
        let x: Vec<String> = ds.x.row(i).iter().map(|v| v.to_string()).collect();
        let y = match &ds.target {
            Target::Classes { labels, .. } => labels[i].to_string(),
            Target::Values(v) => v[i].to_string(),
        };
        println!("{},{y},{}", x.join(","), part[i]);
    }
}
