//! Geometry shared by models that look at distances between rows: nearest-neighbour
//! search (k-NN now, DBSCAN and embeddings later), PCA, and the 2-D embeddings t-SNE and UMAP.

mod common;
mod fft;
mod nn_descent;
pub mod pca;
mod phase_times;
mod spectral;
pub mod tsne;
mod tsne_affinity;
mod tsne_bh;
mod tsne_fft;
pub mod umap;
mod umap_graph;
mod umap_sgd;
