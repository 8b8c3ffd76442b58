//! Seeded train/validation/test splits, stratified by class for classification.

use serde::{Deserialize, Serialize};

use super::dataset::Target;
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::sort::sort_indices;

/// Fractions of the rows for each part; they add up to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SplitSpec {
    pub train: f64,
    pub validation: f64,
    pub test: f64,
}

impl Default for SplitSpec {
    fn default() -> Self {
        SplitSpec { train: 0.7, validation: 0.15, test: 0.15 }
    }
}

impl SplitSpec {
    pub fn validate(&self) -> Result<()> {
        for (name, f) in [("split.train", self.train), ("split.validation", self.validation), ("split.test", self.test)]
        {
            if !(0.0..=1.0).contains(&f) {
                return Err(Error::param(name, f, "a fraction between 0 and 1"));
            }
        }
        if self.train < 0.05 {
            return Err(Error::param("split.train", self.train, "at least 0.05 (the model needs rows to learn from)"));
        }
        let sum = self.train + self.validation + self.test;
        if (sum - 1.0).abs() > 1e-6 {
            return Err(Error::param("split", format!("{sum:.4} in total"), "fractions that add up to 1"));
        }
        Ok(())
    }
}

/// Row indices of each part.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitIndices {
    pub train: Vec<usize>,
    pub validation: Vec<usize>,
    pub test: Vec<usize>,
}

/// Split rows by the fractions. Classes are split separately so each part keeps the class
/// proportions; each part is then shuffled.
pub fn split(target: &Target, spec: &SplitSpec, seed: u32) -> Result<SplitIndices> {
    spec.validate()?;
    let mut rng = Rng::derive(seed as u64, 2);
    let groups: Vec<Vec<usize>> = match target {
        Target::Classes { labels, names } => {
            let mut g = vec![Vec::new(); names.len()];
            labels.iter().enumerate().for_each(|(i, &l)| g[l as usize].push(i));
            g
        }
        Target::Values(v) => vec![(0..v.len()).collect()],
    };
    let mut out = SplitIndices { train: vec![], validation: vec![], test: vec![] };
    for mut g in groups {
        rng.shuffle(&mut g);
        let n = g.len() as f64;
        let n_train = ((n * spec.train).round() as usize).min(g.len());
        let n_val = ((n * spec.validation).round() as usize).min(g.len() - n_train);
        out.train.extend_from_slice(&g[..n_train]);
        out.validation.extend_from_slice(&g[n_train..n_train + n_val]);
        out.test.extend_from_slice(&g[n_train + n_val..]);
    }
    if out.train.is_empty() {
        return Err(Error::Data("the training split is empty: the dataset has too few rows".into()));
    }
    rng.shuffle(&mut out.train);
    rng.shuffle(&mut out.validation);
    rng.shuffle(&mut out.test);
    Ok(out)
}

/// Seeded k-fold cross-validation: each row is in exactly one validation fold; classes are
/// dealt round-robin into folds so each fold keeps the class proportions.
pub fn kfold(target: &Target, k: usize, seed: u32) -> Result<Vec<(Vec<usize>, Vec<usize>)>> {
    let n = target.len();
    if k < 2 || k > n {
        return Err(Error::param("folds", k, &format!("a whole number from 2 to the number of rows ({n})")));
    }
    let mut rng = Rng::derive(seed as u64, 3);
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    if let Target::Classes { labels, .. } = target {
        sort_indices(&mut order, &|a, b| labels[a].cmp(&labels[b])); // stable: shuffled within each class
    }
    let mut fold_of = vec![0usize; n];
    order.iter().enumerate().for_each(|(pos, &i)| fold_of[i] = pos % k);
    Ok((0..k)
        .map(|f| {
            let (val, train): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| fold_of[i] == f);
            (train, val)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(n: usize, k: u32) -> Target {
        Target::Classes {
            labels: (0..n).map(|i| i as u32 % k).collect(),
            names: (0..k).map(|i| i.to_string()).collect(),
        }
    }

    #[test]
    fn sizes_add_up_and_parts_are_disjoint() {
        for n in [10, 99, 150, 1001] {
            let s = split(&classes(n, 3), &SplitSpec::default(), 5).unwrap();
            let mut all: Vec<usize> = [s.train.clone(), s.validation.clone(), s.test.clone()].concat();
            all.sort();
            assert_eq!(all, (0..n).collect::<Vec<_>>());
            // Rounding per class (3 classes) moves each part by at most 2 rows.
            assert!((s.train.len() as f64 - 0.7 * n as f64).abs() <= 2.0, "n={n} train={}", s.train.len());
        }
    }

    #[test]
    fn stratified_keeps_class_shares() {
        let s = split(&classes(150, 3), &SplitSpec::default(), 1).unwrap();
        let t = classes(150, 3);
        let Target::Classes { labels, .. } = &t else { unreachable!() };
        for c in 0..3 {
            assert_eq!(s.validation.iter().filter(|&&i| labels[i] == c).count(), 8);
            // round(50 * 0.15)
        }
    }

    #[test]
    fn seeded() {
        let t = Target::Values((0..50).map(f64::from).collect());
        assert_eq!(split(&t, &SplitSpec::default(), 3).unwrap(), split(&t, &SplitSpec::default(), 3).unwrap());
        assert_ne!(split(&t, &SplitSpec::default(), 3).unwrap(), split(&t, &SplitSpec::default(), 4).unwrap());
    }

    #[test]
    fn kfold_covers_every_row_once_and_stratifies() {
        let t = classes(100, 2);
        let folds = kfold(&t, 5, 9).unwrap();
        let mut seen = vec![0; 100];
        for (train, val) in &folds {
            assert_eq!(train.len() + val.len(), 100);
            assert_eq!(val.len(), 20);
            val.iter().for_each(|&i| seen[i] += 1);
            let Target::Classes { labels, .. } = &t else { unreachable!() };
            assert_eq!(val.iter().filter(|&&i| labels[i] == 1).count(), 10);
        }
        assert!(seen.iter().all(|&c| c == 1));
        assert!(kfold(&t, 1, 0).is_err() && kfold(&t, 101, 0).is_err());
    }

    #[test]
    fn kfold_class_counts_per_fold_are_stratified_kfolds() {
        // scikit-learn 1.9: StratifiedKFold(3, shuffle=True) on 7, 5, 3 and 11 rows of
        // classes 0..3 puts these counts in its test folds, for any random_state.
        let counts = [7, 5, 3, 11];
        let labels: Vec<u32> = counts.iter().enumerate().flat_map(|(c, &n)| std::iter::repeat_n(c as u32, n)).collect();
        let t = Target::Classes { labels: labels.clone(), names: (0..4).map(|i| i.to_string()).collect() };
        for seed in [0, 1, 7] {
            let got: Vec<Vec<usize>> = kfold(&t, 3, seed)
                .unwrap()
                .iter()
                .map(|(_, val)| (0..4).map(|c| val.iter().filter(|&&i| labels[i] == c).count()).collect())
                .collect();
            assert_eq!(got, vec![vec![3, 1, 1, 4], vec![2, 2, 1, 4], vec![2, 2, 1, 3]], "seed {seed}");
        }
        // Shuffled within classes by the seed.
        assert_ne!(kfold(&t, 3, 0).unwrap(), kfold(&t, 3, 1).unwrap());
    }

    #[test]
    fn bad_fractions_name_the_field() {
        let e = SplitSpec { train: 1.2, validation: 0.0, test: 0.0 }.validate().unwrap_err();
        assert!(e.to_string().contains("split.train"), "{e}");
        assert!(SplitSpec { train: 0.5, validation: 0.2, test: 0.2 }.validate().is_err());
    }
}
