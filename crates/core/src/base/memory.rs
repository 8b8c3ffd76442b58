//! Memory limits every layer checks against: what one wasm instance may hold, the bytes a
//! data set needs, and the refusal message when work would not fit.

use crate::base::error::{Error, Result};

/// What one wasm instance may use: wasm32 addresses 4 GiB, and growing the memory past
/// about 2 GB fails in some browsers (the whole block is copied on growth).
pub const LIMIT_BYTES: u64 = 2_000_000_000;

const F64: u64 = 8;

/// Bytes of the data itself for `rows` rows of `columns` raw columns, `features` of them
/// after encoding (one-hot columns counted): the parsed table, the dataset's matrix and the
/// prepared (imputed, scaled) matrix live at once while a session starts.
pub fn data_bytes(rows: u64, columns: u64, features: u64) -> u64 {
    rows * (columns * F64 + features * F64 * 2 + 2 * F64)
}

/// "3.1 GB", "740 MB": decimal units, as file sizes are shown.
pub fn human(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else {
        format!("{:.0} MB", (b / 1e6).max(1.0))
    }
}

/// Refuse `need` bytes over `limit`, naming both and what needs them.
pub fn check(what: &str, need: u64, limit: u64) -> Result<()> {
    if need <= limit {
        return Ok(());
    }
    Err(Error::TooLarge(format!(
        "{what} needs about {} in memory; the limit is {} (a browser tab cannot hold more): use fewer rows{}",
        human(need),
        human(limit),
        if what.contains("t-SNE") { ", or PCA/UMAP" } else { "" }
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human(3_100_000_000), "3.1 GB");
        assert_eq!(human(740_000_000), "740 MB");
        assert_eq!(human(10), "1 MB");
        let e = check("this dataset", 3_100_000_000, 2_000_000_000).unwrap_err().to_string();
        assert!(e.contains("about 3.1 GB") && e.contains("limit is 2.0 GB"), "{e}");
        assert!(check("this dataset", 1_000, 2_000).is_ok());
    }
}
