//! What a model predicts over the plane of two features: the decision boundary (or the
//! regression surface) drawn behind the scatter plot. Every other feature is held at a
//! typical value (its median, or its most frequent category), so with more than two
//! features the picture is a slice through the model, as the page says.

use crate::data::prep::Preprocessor;
use crate::data::table::MISSING_CODE;
use crate::data::Dataset;
use crate::embed::pca::{Pca, PcaParams};
use crate::linalg::padded_range;
use crate::metrics::classification::argmax_rows;
use crate::models::{Model, Prediction};

/// Grid predictions, row-major from the lowest y: cell `(i, j)` is at index `j * nx + i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Surface {
    pub nx: usize,
    pub ny: usize,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    /// Predicted class index, or predicted value for regression.
    pub value: Vec<f64>,
    /// Probability of the predicted class (1 for regression).
    pub confidence: Vec<f64>,
    /// Classes the model knows; 0 for a regression surface.
    pub n_classes: usize,
}

/// The value every other feature is held at.
#[derive(Debug, Clone)]
pub struct Typical {
    numeric: Vec<f64>,
    codes: Vec<u32>,
}

impl Typical {
    pub fn of(ds: &Dataset) -> Typical {
        let numeric = (0..ds.x.ncols())
            .map(|j| {
                let mut v: Vec<f64> = ds.x.column(j).iter().copied().filter(|v| v.is_finite()).collect();
                if v.is_empty() {
                    return f64::NAN;
                }
                let mid = v.len() / 2;
                *v.select_nth_unstable_by(mid, f64::total_cmp).1
            })
            .collect();
        let codes = ds
            .categorical
            .iter()
            .map(|c| {
                let mut counts = vec![0usize; c.levels.len()];
                c.codes.iter().filter(|&&k| k != MISSING_CODE).for_each(|&k| counts[k as usize] += 1);
                (0..counts.len()).max_by_key(|&k| (counts[k], std::cmp::Reverse(k))).map_or(MISSING_CODE, |k| k as u32)
            })
            .collect();
        Typical { numeric, codes }
    }
}

/// Predict on an `nx` x `ny` grid over features `xf` and `yf` (numeric columns of the
/// dataset), spanning the same padded range the scatter plot shows.
#[allow(clippy::too_many_arguments)]
pub fn surface(
    model: &dyn Model,
    pre: &Preprocessor,
    ds: &Dataset,
    typical: &Typical,
    xf: usize,
    yf: usize,
    nx: usize,
    ny: usize,
) -> Surface {
    let x_range = padded_range(ds.x.column(xf).iter().copied());
    let y_range = padded_range(ds.x.column(yf).iter().copied());
    predict_grid(model, pre, typical, (nx, ny), (x_range, y_range), |u, v, j| match j {
        _ if j == xf => Some(u),
        _ if j == yf => Some(v),
        _ => None,
    })
}

/// The first two principal components of the numeric features (standardised, missing
/// values at the mean): a plane that shows as much of the data's spread as any two axes can.
#[derive(Debug, Clone)]
pub struct PcaPlane {
    mean: Vec<f64>,
    scale: Vec<f64>,
    /// 2 x features.
    components: ndarray::Array2<f64>,
    /// Every row on the plane, n x 2.
    pub coords: ndarray::Array2<f64>,
    pub explained_variance_ratio: [f64; 2],
}

impl PcaPlane {
    pub fn of(ds: &Dataset) -> crate::Result<PcaPlane> {
        let d = ds.x.ncols();
        if d < 2 {
            return Err(crate::Error::Data("a PCA plane needs at least two numeric features".into()));
        }
        let mut mean = vec![0.0; d];
        let mut scale = vec![1.0; d];
        for j in 0..d {
            let vals: Vec<f64> = ds.x.column(j).iter().copied().filter(|v| v.is_finite()).collect();
            if vals.is_empty() {
                continue;
            }
            mean[j] = vals.iter().sum::<f64>() / vals.len() as f64;
            let var = vals.iter().map(|v| (v - mean[j]) * (v - mean[j])).sum::<f64>() / vals.len() as f64;
            scale[j] = if var > 0.0 { var.sqrt() } else { 1.0 };
        }
        let z = ndarray::Array2::from_shape_fn(ds.x.dim(), |(i, j)| {
            let v = ds.x[[i, j]];
            if v.is_finite() {
                (v - mean[j]) / scale[j]
            } else {
                0.0
            }
        });
        let pca = Pca::fit(&PcaParams { n_components: 2 }, &z)?;
        let coords = pca.transform(&z)?;
        let r = &pca.explained_variance_ratio;
        Ok(PcaPlane { mean, scale, components: pca.components.clone(), coords, explained_variance_ratio: [r[0], r[1]] })
    }
}

/// The model over the PCA plane: each grid point is mapped back to raw feature values
/// (the plane through the mean; categories at their most frequent).
pub fn surface_on_plane(
    model: &dyn Model,
    pre: &Preprocessor,
    typical: &Typical,
    plane: &PcaPlane,
    n: usize,
) -> Surface {
    let x_range = padded_range(plane.coords.column(0).iter().copied());
    let y_range = padded_range(plane.coords.column(1).iter().copied());
    let c = &plane.components;
    predict_grid(model, pre, typical, (n, n), (x_range, y_range), |u, v, j| {
        Some(plane.mean[j] + plane.scale[j] * (u * c[[0, j]] + v * c[[1, j]]))
    })
}

/// Predict at the centre of every grid cell; `place(u, v, j)` gives numeric column j's raw
/// value there, `None` to hold it at its typical value.
fn predict_grid(
    model: &dyn Model,
    pre: &Preprocessor,
    typical: &Typical,
    (nx, ny): (usize, usize),
    (x_range, y_range): ((f64, f64), (f64, f64)),
    place: impl Fn(f64, f64, usize) -> Option<f64>,
) -> Surface {
    let x = grid_rows(pre, typical, (nx, ny), (x_range, y_range), place);
    let (value, confidence, n_classes) = match model.predict(&x) {
        Prediction::Proba(p) => {
            let best = argmax_rows(&p);
            let conf = best.iter().enumerate().map(|(r, &k)| p[[r, k as usize]]).collect();
            (best.into_iter().map(f64::from).collect(), conf, p.ncols())
        }
        Prediction::Values(v) => (v.to_vec(), vec![1.0; nx * ny], 0),
    };
    Surface { nx, ny, x_range, y_range, value, confidence, n_classes }
}

/// The model-ready rows of the grid cells' centres, row-major from the lowest y.
fn grid_rows(
    pre: &Preprocessor,
    typical: &Typical,
    (nx, ny): (usize, usize),
    (x_range, y_range): ((f64, f64), (f64, f64)),
    place: impl Fn(f64, f64, usize) -> Option<f64>,
) -> ndarray::Array2<f64> {
    let at = |(lo, hi): (f64, f64), i: usize, n: usize| lo + (hi - lo) * (i as f64 + 0.5) / n as f64;
    pre.transform_with(
        nx * ny,
        |r, j| place(at(x_range, r % nx, nx), at(y_range, r / nx, ny), j).unwrap_or(typical.numeric[j]),
        |_, c| typical.codes[c],
    )
}

/// Every hidden unit of a neural network over the same grid as `surface`: what each
/// neuron responds to across the plane (TensorFlow Playground's small pictures).
#[derive(Debug, Clone, PartialEq)]
pub struct NeuronGrids {
    pub nx: usize,
    pub ny: usize,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    /// `layers[l][u]`: unit u of hidden layer l at every cell (index `j * nx + i`).
    pub layers: Vec<Vec<Vec<f64>>>,
}

/// The hidden units' outputs over the plane of features `xf` and `yf`; `None` for models
/// without hidden units.
#[allow(clippy::too_many_arguments)]
pub fn neuron_grids(
    model: &dyn Model,
    pre: &Preprocessor,
    ds: &Dataset,
    typical: &Typical,
    xf: usize,
    yf: usize,
    nx: usize,
    ny: usize,
) -> Option<NeuronGrids> {
    let x_range = padded_range(ds.x.column(xf).iter().copied());
    let y_range = padded_range(ds.x.column(yf).iter().copied());
    let x = grid_rows(pre, typical, (nx, ny), (x_range, y_range), |u, v, j| match j {
        _ if j == xf => Some(u),
        _ if j == yf => Some(v),
        _ => None,
    });
    let layers = model
        .hidden_activations(&x)?
        .into_iter()
        .map(|h| h.columns().into_iter().map(|c| c.to_vec()).collect())
        .collect();
    Some(NeuronGrids { nx, ny, x_range, y_range, layers })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::csv::parse;
    use crate::data::prep::{Encoding, PrepSpec};
    use ndarray::Array2;

    /// Class 1 exactly where the first model input is positive.
    struct SignOfFirst;
    impl Model for SignOfFirst {
        fn predict(&self, x: &Array2<f64>) -> Prediction {
            Prediction::Proba(Array2::from_shape_fn((x.nrows(), 2), |(r, k)| {
                ((x[[r, 0]] > 0.0) == (k == 1)) as u8 as f64
            }))
        }
        fn size_bytes(&self) -> usize {
            0
        }
    }

    #[test]
    fn grid_follows_the_model_in_raw_units() {
        let ds =
            Dataset::from_table("t", &parse("a,b,c,y\n0,0,5,0\n10,4,5,1\n4,2,7,0\n6,3,5,1\n").unwrap(), None).unwrap();
        let pre = Preprocessor::fit(&ds, &[0, 1, 2, 3], &PrepSpec::default(), Encoding::Dense);
        let s = surface(&SignOfFirst, &pre, &ds, &Typical::of(&ds), 0, 1, 4, 3);
        assert_eq!((s.value.len(), s.x_range), (12, (-0.5, 10.5)));
        // Standardised `a` is positive above its mean (5): the right half of every row.
        assert_eq!(&s.value[0..4], &[0.0, 0.0, 1.0, 1.0]);
        assert_eq!(s.value[4..8], s.value[8..12]);
        assert!(s.confidence.iter().all(|&c| c == 1.0));
    }

    #[test]
    fn the_pca_plane_holds_most_of_the_spread_and_maps_back() {
        // Two strongly correlated features and a weak third: PC1 carries almost everything.
        let rows: String = (0..40)
            .map(|i| format!("{},{},{},{}\n", (i * 3) % 17, 2 * ((i * 3) % 17) + (i % 3), (i * 7) % 5, i % 2))
            .collect();
        let ds = Dataset::from_table("t", &parse(&format!("a,b,c,y\n{rows}")).unwrap(), None).unwrap();
        let plane = PcaPlane::of(&ds).unwrap();
        assert_eq!(plane.coords.dim(), (40, 2));
        assert!(
            plane.explained_variance_ratio[0] > 0.6 && plane.explained_variance_ratio[1] < 0.4,
            "{:?}",
            plane.explained_variance_ratio
        );
        let pre = Preprocessor::fit(&ds, &(0..40).collect::<Vec<_>>(), &PrepSpec::default(), Encoding::Dense);
        let s = surface_on_plane(&SignOfFirst, &pre, &Typical::of(&ds), &plane, 8);
        // Standardised `a` rises along PC1 (up to its sign), so one side is class 1 and the other 0.
        let row: Vec<f64> = s.value[..8].to_vec();
        assert!(row[0] != row[7], "{row:?}");
    }

    #[test]
    fn neuron_grids_follow_each_hidden_unit() {
        use crate::kinds::spec_from_json;
        let rows: String = (0..40).map(|i| format!("{},{},{}\n", i % 7, (i * 3) % 11, i % 2)).collect();
        let ds = Dataset::from_table("t", &parse(&format!("a,b,y\n{rows}")).unwrap(), None).unwrap();
        let idx = crate::data::split::SplitIndices { train: (0..40).collect(), validation: vec![], test: vec![] };
        let data = crate::data::prep::prepare(&ds, &idx, &PrepSpec::default(), Encoding::Dense);
        let spec =
            spec_from_json(serde_json::json!({"kind": "mlp", "hidden_layer_sizes": [3, 2], "max_iter": 2})).unwrap();
        let mut t = spec.trainer(&data, 1).unwrap();
        t.step(&data).unwrap();
        let g = neuron_grids(t.model().unwrap(), &data.preprocessor, &ds, &Typical::of(&ds), 0, 1, 5, 4).unwrap();
        assert_eq!((g.layers.len(), g.layers[0].len(), g.layers[1].len(), g.layers[0][0].len()), (2, 3, 2, 20));
        assert!(neuron_grids(&SignOfFirst, &data.preprocessor, &ds, &Typical::of(&ds), 0, 1, 5, 4).is_none());
    }
}
