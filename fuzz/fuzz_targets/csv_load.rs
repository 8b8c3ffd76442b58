//! The CSV loader and type inference on arbitrary bytes, fed in two chunks split where the
//! first byte says (the page streams files in chunks): an error is fine, a panic is not.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mlplay::data::loader::CsvLoader;
use mlplay::data::prep::{prepare, Encoding, PrepSpec};
use mlplay::data::split::{split, SplitSpec};
use mlplay::data::Dataset;

fuzz_target!(|data: &[u8]| {
    let cut = data.first().map_or(0, |&b| b as usize).min(data.len());
    let mut loader = CsvLoader::with_limit(1 << 20);
    if loader.push(&data[..cut]).is_err() || loader.push(&data[cut..]).is_err() {
        return;
    }
    let Ok(table) = loader.finish() else { return };
    if let Ok(dataset) = Dataset::from_table("fuzz.csv", &table, None) {
        // The summary the page draws first, and a default preparation, must not panic either.
        let _ = mlplay::data::summary::summarize("fuzz.csv", &table, &dataset);
        let _ = mlplay::data::summary::preview(&table);
        // And the default split and preparation: NaN, constant and empty columns reach them.
        if let Ok(idx) = split(&dataset.target, &SplitSpec::default(), 7) {
            let _ = prepare(&dataset, &idx, &PrepSpec::default(), Encoding::Dense);
        }
    }
});
