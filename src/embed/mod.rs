//! Geometry shared by models that look at distances between rows: nearest-neighbour
//! search (k-NN now, DBSCAN and embeddings later).

pub mod neighbors;
pub mod pca;
