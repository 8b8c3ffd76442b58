//! The image size a user gives for an uploaded file whose rows are images (one column per
//! pixel, row by row), when the column names do not reveal it: part of the dataset spec,
//! so a share link, a model file and `mlplay run --image-size WxH` read the rows alike.

use serde::{Deserialize, Serialize};

use super::table::{ColumnData, Table};
use crate::base::error::{Error, Result};

/// Largest side accepted, as the page's size inputs.
pub const MAX_SIDE: u32 = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageSize {
    pub width: u32,
    pub height: u32,
}

impl ImageSize {
    pub fn validate(&self) -> Result<()> {
        let ok = |v: u32| (1..=MAX_SIDE).contains(&v);
        if !ok(self.width) || !ok(self.height) {
            return Err(Error::param(
                "dataset.image",
                format!("{}x{}", self.width, self.height),
                &format!("a width and a height from 1 to {MAX_SIDE} pixels"),
            ));
        }
        Ok(())
    }

    /// `WxH`, as `12x6` (the CLI's `--image-size`).
    pub fn parse(text: &str) -> Result<ImageSize> {
        let bad = || Error::param("--image-size", text, "WIDTHxHEIGHT in pixels, e.g. 28x28");
        let (w, h) = text.trim().split_once(['x', 'X']).ok_or_else(bad)?;
        let size =
            ImageSize { width: w.trim().parse().map_err(|_| bad())?, height: h.trim().parse().map_err(|_| bad())? };
        size.validate()?;
        Ok(size)
    }
}

/// Where the pixels of a table's images are: the names of its pixel columns, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageGrid {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<String>,
}

impl ImageGrid {
    /// The pixels of `table` read as `size` images: every numeric column other than the
    /// target (`target`, empty for none), in order. Their number must be width x height.
    pub fn of(table: &Table, target: &str, size: ImageSize) -> Result<ImageGrid> {
        size.validate()?;
        let pixels: Vec<String> = table
            .columns
            .iter()
            .filter(|c| c.name != target && matches!(c.data, ColumnData::Numeric(_)))
            .map(|c| c.name.clone())
            .collect();
        let (w, h) = (size.width as usize, size.height as usize);
        if pixels.len() != w * h {
            let besides = if target.is_empty() { String::new() } else { format!(" besides the target '{target}'") };
            return Err(Error::Data(format!(
                "the image size {w}x{h} makes {} pixels, but the data has {} numeric columns{besides}; \
                 width x height must equal the number of pixel columns",
                w * h,
                pixels.len()
            )));
        }
        Ok(ImageGrid { width: w, height: h, pixels })
    }

    /// For each name in `features`, its pixel (index row by row); an error names the first
    /// feature that is not a pixel column.
    pub fn pixel_of(&self, features: &[String]) -> Result<Vec<u32>> {
        features
            .iter()
            .map(|f| {
                self.pixels.iter().position(|p| p == f).map(|p| p as u32).ok_or_else(|| {
                    Error::Data(format!(
                        "feature '{f}' is not one of the {}x{} image's pixel columns (leave it out to read the rows \
                         as images)",
                        self.width, self.height
                    ))
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::csv::parse;

    #[test]
    fn sizes_parse_and_bad_ones_are_named() {
        assert_eq!(ImageSize::parse("12x6").unwrap(), ImageSize { width: 12, height: 6 });
        assert_eq!(ImageSize::parse(" 3X4 ").unwrap(), ImageSize { width: 3, height: 4 });
        for bad in ["12", "x6", "12x", "0x6", "12x-1", "300x2", "axb"] {
            let e = ImageSize::parse(bad).unwrap_err().to_string();
            assert!(e.contains("image"), "{bad}: {e}");
        }
        let e = ImageSize { width: 0, height: 5 }.validate().unwrap_err().to_string();
        assert!(e.contains("0x5"), "{e}");
    }

    #[test]
    fn the_grid_takes_the_numeric_columns_besides_the_target() {
        let t = parse("a,b,c,d,e,f,label\n1,2,3,4,5,6,x\n0,0,1,1,0,0,y\n").unwrap();
        let g = ImageGrid::of(&t, "label", ImageSize { width: 3, height: 2 }).unwrap();
        assert_eq!((g.width, g.height), (3, 2));
        assert_eq!(g.pixels, ["a", "b", "c", "d", "e", "f"]);
        assert_eq!(g.pixel_of(&["b".into(), "f".into()]).unwrap(), [1, 5]);
        let e = g.pixel_of(&["label".into()]).unwrap_err().to_string();
        assert!(e.contains("'label'") && e.contains("3x2"), "{e}");
        let e = ImageGrid::of(&t, "label", ImageSize { width: 2, height: 2 }).unwrap_err().to_string();
        assert!(e.contains("2x2 makes 4 pixels") && e.contains("6 numeric columns") && e.contains("'label'"), "{e}");
    }
}
