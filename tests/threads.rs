//! The same run on one thread and on several gives the same numbers, bit for bit: the CLI
//! with RAYON_NUM_THREADS=1 and =3, each model family whose work is split over threads.

use std::process::Command;

use serde_json::Value;

fn run(threads: &str, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .args(["run", "--seed", "4", "--json"])
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("mlplay runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let mut v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    v.as_object_mut().expect("an object").remove("timing"); // the one thing that may differ
    v
}

#[test]
fn every_parallel_family_gives_the_same_result_on_one_and_three_threads() {
    let runs: &[&[&str]] = &[
        &["--data", "builtin:digits", "--model", "random_forest", "--set", "n_estimators=7"],
        &["--data", "builtin:digits", "--model", "gradient_boosting", "--set", "max_iter=10"],
        &["--data", "builtin:digits", "--model", "knn"],
        &["--data", "builtin:digits", "--model", "mlp", "--set", "max_iter=5"],
        &["--data", "builtin:digits", "--model", "kmeans", "--set", "n_clusters=10"],
        &["--data", "builtin:digits", "--model", "pca", "--set", "n_components=5"],
        &["--data", "builtin:digits", "--model", "tsne", "--set", "max_iter=260"],
        &["--data", "builtin:digits", "--model", "umap", "--set", "n_epochs=30"],
    ];
    for args in runs {
        let one = run("1", args);
        assert!(one["metrics"].is_object(), "{args:?}: {one}");
        assert_eq!(run("3", args), one, "{args:?}");
    }
}
