//! Native side of the CSV benchmark: parse + infer a file with the same streaming loader
//! the page uses (1 MiB chunks), then profile every column. Prints one JSON line.
//! Run: cargo run --release --example bench_csv -- file.csv

use mlplay::data::infer::profile;
use mlplay::data::loader::CsvLoader;

fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb * 1024)
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: bench_csv FILE.csv");
    let bytes = std::fs::read(&path).expect("readable file");
    let before = peak_rss_bytes().unwrap_or(0);
    let t0 = std::time::Instant::now();
    let mut loader = CsvLoader::new().with_size_hint(bytes.len());
    for chunk in bytes.chunks(1 << 20) {
        loader.push(chunk).expect("parses");
    }
    let table = loader.finish().expect("parses");
    let profiles: Vec<_> = table.columns.iter().map(profile).collect();
    let secs = t0.elapsed().as_secs_f64();
    let peak = peak_rss_bytes().unwrap_or(0);
    println!(
        "{{\"mb\": {:.1}, \"seconds\": {:.3}, \"rows\": {}, \"columns\": {}, \"peak_extra_bytes\": {}}}",
        bytes.len() as f64 / 1e6,
        secs,
        table.n_rows(),
        profiles.len(),
        peak.saturating_sub(before)
    );
}
