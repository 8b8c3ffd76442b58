//! `ModelSpec`, a kind with its hyperparameters as the state and the link store it
//! (`{"kind": "logistic_regression", "C": 1.0, ...}`), and the registry's one list of kinds.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::{Describe, Kind, Sizes};
use crate::base::error::{Error, Result};
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::Trainer;
use crate::unsupervised::Unsupervised;

use crate::cluster::{dbscan, kmeans};
use crate::embed::{pca, tsne, umap};
use crate::models::{autoencoder, bayes, boosting, forest, knn, lasso, linear, logistic, mlp, semi, tree};

/// The registry: one line per kind, `Variant(HyperparameterStruct) = description module`,
/// in the order the page lists them. The variant's snake_case name is the kind's name.
macro_rules! registry {
    ($($variant:ident($params:ty) = $module:ident),* $(,)?) => {
        /// A model kind with its hyperparameters.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum ModelSpec {
            $($variant($params),)*
        }

        const ALL: &[&Kind] = &[$(&super::$module::KIND,)*];

        impl ModelSpec {
            /// The kind's description.
            pub fn describe(&self) -> &'static Kind {
                match self {
                    $(ModelSpec::$variant(_) => &super::$module::KIND,)*
                }
            }

            fn hooks(&self) -> &dyn Describe {
                match self {
                    $(ModelSpec::$variant(p) => p,)*
                }
            }
        }
    };
}

registry! {
    LogisticRegression(logistic::LogisticParams) = logistic_regression,
    Knn(knn::KnnParams) = knn,
    NaiveBayes(bayes::NaiveBayesParams) = naive_bayes,
    LinearRegression(linear::LinearRegressionParams) = linear_regression,
    Ridge(linear::RidgeParams) = ridge,
    Lasso(lasso::LassoParams) = lasso,
    DecisionTree(tree::TreeParams) = decision_tree,
    RandomForest(forest::ForestParams) = random_forest,
    GradientBoosting(boosting::BoostingParams) = gradient_boosting,
    SelfTraining(semi::SelfTrainingParams) = self_training,
    Mlp(mlp::MlpParams) = mlp,
    Autoencoder(autoencoder::AutoencoderParams) = autoencoder,
    Kmeans(kmeans::KMeansParams) = kmeans,
    Dbscan(dbscan::DbscanParams) = dbscan,
    Pca(pca::PcaParams) = pca,
    Tsne(tsne::TsneParams) = tsne,
    Umap(umap::UmapParams) = umap,
}

/// Every kind, in the page's order.
pub fn all() -> &'static [&'static Kind] {
    ALL
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec::LogisticRegression(Default::default())
    }
}

impl ModelSpec {
    pub fn kind(&self) -> &'static str {
        self.describe().name
    }

    pub fn validate(&self) -> Result<()> {
        self.hooks().validate()
    }

    /// Clusterings and projections: fitted on the features alone (`fitter`).
    pub fn is_unsupervised(&self) -> bool {
        self.describe().family != super::Family::Supervised
    }

    /// How this kind wants its features (trees read raw values and categories).
    pub fn encoding(&self) -> Encoding {
        self.describe().encoding
    }

    /// Whether the kind routes missing values itself (`Imputer::Keep` allowed).
    pub fn handles_missing(&self) -> bool {
        self.encoding() == Encoding::Native
    }

    /// Extra bytes the model needs on top of the data while it trains.
    pub fn memory(&self, sizes: Sizes) -> u64 {
        self.hooks().memory(sizes)
    }

    /// A trainer for `data`; `seed` (the state's) drives any randomness of the model.
    pub fn trainer(&self, data: &Prepared, seed: u32) -> Result<Box<dyn Trainer>> {
        self.validate()?;
        if !self.describe().tasks.contains(&data.task) {
            let task = match data.task {
                Task::Classification => "classification",
                Task::Regression => "regression",
            };
            return Err(Error::Data(format!(
                "{} cannot learn this {task} target; pick a model made for {task}",
                self.kind()
            )));
        }
        self.hooks().trainer(data, seed).unwrap_or_else(|| {
            Err(Error::Training(format!("{} learns without a target; it has no supervised trainer", self.kind())))
        })
    }

    /// Clusterings and projections: the fitter for `x`; `None` for supervised kinds.
    pub fn fitter(&self, x: &Array2<f64>, seed: u32) -> Option<Result<Box<dyn Unsupervised>>> {
        self.hooks().fitter(x, seed)
    }

    /// The hyperparameters alone, as a JSON object.
    pub fn params_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).expect("params serialise");
        if let Some(o) = v.as_object_mut() {
            o.remove("kind");
        }
        v
    }
}
