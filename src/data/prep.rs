//! Preprocessing fitted on the training rows only and applied to every part, so nothing
//! about validation or test rows leaks into training: mean imputation of missing values,
//! then standardisation (zero mean, unit variance, as scikit-learn's StandardScaler).

use ndarray::{Array1, Array2, Axis};

use super::dataset::{Dataset, Target, Task};
use super::split::SplitIndices;

#[derive(Debug, Clone)]
pub struct Scaler {
    pub mean: Array1<f64>,
    pub scale: Array1<f64>,
}

impl Scaler {
    /// Means and population standard deviations of the present values; a constant or
    /// empty column gets scale 1 (as scikit-learn does) so it maps to zeros, not NaN.
    pub fn fit(x: &Array2<f64>) -> Scaler {
        let cols = x.ncols();
        let mut mean = Array1::zeros(cols);
        let mut scale = Array1::ones(cols);
        for (j, col) in x.axis_iter(Axis(1)).enumerate() {
            let present: Vec<f64> = col.iter().copied().filter(|v| !v.is_nan()).collect();
            if present.is_empty() {
                continue;
            }
            let m = present.iter().sum::<f64>() / present.len() as f64;
            let var = present.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / present.len() as f64;
            mean[j] = m;
            if var > 0.0 {
                scale[j] = var.sqrt();
            }
        }
        Scaler { mean, scale }
    }

    /// Standardise; a missing value becomes the training mean (0 after scaling).
    pub fn transform(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut out = x.clone();
        for mut row in out.rows_mut() {
            for (j, v) in row.iter_mut().enumerate() {
                *v = if v.is_nan() { 0.0 } else { (*v - self.mean[j]) / self.scale[j] };
            }
        }
        out
    }
}

/// One part of the split, ready for a model.
#[derive(Debug, Clone)]
pub struct Part {
    pub x: Array2<f64>,
    pub y: Target,
}

impl Part {
    pub fn n_rows(&self) -> usize {
        self.x.nrows()
    }
}

#[derive(Debug, Clone)]
pub struct Prepared {
    pub train: Part,
    pub validation: Part,
    pub test: Part,
    pub feature_names: Vec<String>,
    pub class_names: Vec<String>,
    pub task: Task,
    pub scaler: Scaler,
}

pub fn prepare(ds: &Dataset, idx: &SplitIndices) -> Prepared {
    let raw_train = ds.x.select(Axis(0), &idx.train);
    let scaler = Scaler::fit(&raw_train);
    let part = |rows: &[usize], raw: Option<Array2<f64>>| Part {
        x: scaler.transform(&raw.unwrap_or_else(|| ds.x.select(Axis(0), rows))),
        y: ds.target.select(rows),
    };
    Prepared {
        train: part(&idx.train, Some(raw_train.clone())),
        validation: part(&idx.validation, None),
        test: part(&idx.test, None),
        feature_names: ds.feature_names.clone(),
        class_names: ds.class_names().to_vec(),
        task: ds.task(),
        scaler,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn fit_on_train_only_and_constant_columns_stay_finite() {
        let train = array![[1.0, 5.0], [3.0, 5.0]];
        let s = Scaler::fit(&train);
        assert_eq!(s.mean, array![2.0, 5.0]);
        assert_eq!(s.scale, array![1.0, 1.0]);
        let test = array![[5.0, f64::NAN]];
        assert_eq!(s.transform(&test), array![[3.0, 0.0]]);
    }
}
