//! The model file importer on arbitrary text. A file that loads must then predict on a
//! small table with its own column names without panicking (shapes, tree links and
//! categories were all checked on load), and its session must rebuild on that data or
//! refuse with an error.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mlplay::data::loader::CsvLoader;
use mlplay::data::Dataset;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(loaded) = mlplay::app::model_file::load(text) else { return };
    // Three rows over the saved columns: numbers, a word, an empty cell.
    let prep = &loaded.file.preprocessing;
    let names: Vec<String> = prep.numeric.iter().map(|c| c.name.clone()).chain(prep.text.iter().map(|c| c.name.clone())).collect();
    if names.is_empty() || names.len() > 1000 {
        return;
    }
    // Column names as CSV fields (quoted, quotes doubled): hostile names stay names.
    let mut csv = names.iter().map(|n| format!("\"{}\"", n.replace('"', "\"\""))).collect::<Vec<_>>().join(",");
    for row in ["1", "a", ""] {
        csv.push('\n');
        csv.push_str(&vec![row; names.len()].join(","));
    }
    let mut loader = CsvLoader::new();
    if loader.push(csv.as_bytes()).is_err() {
        return;
    }
    let Ok(table) = loader.finish() else { return };
    if let Ok(p) = loaded.predict_table(&table) {
        let _ = loaded.predictions_csv(&p);
    }
    if let Ok(ds) = Dataset::from_table("fuzz.csv", &table, None) {
        let _ = mlplay::engine::session::Session::from_model_file(text, &ds);
    }
});
