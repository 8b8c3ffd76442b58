//! Data parallelism whose results do not depend on the number of threads.
//!
//! Work is cut into pieces of a fixed size (never one piece per thread), and whatever the
//! pieces produce is combined in piece order. A run on one thread and on sixteen therefore
//! gives the same bits, so a shared link reproduces the same model on any machine and in
//! the single-thread build of the page.
//!
//! Threads come from rayon's global pool: natively one per core (`RAYON_NUM_THREADS`
//! overrides), in the browser the Web Workers of `web::threads` when the page is
//! cross-origin isolated, and otherwise only the calling thread. The single-thread wasm
//! build leaves rayon out altogether (it would be dead weight in the download).

#[cfg(threads)]
use crate::base::shared_memory::see_grown_memory;
#[cfg(threads)]
use rayon::prelude::*;
use std::ops::Range;

/// Threads that work on a parallel call (1 where the page has no worker pool).
pub fn threads() -> usize {
    #[cfg(threads)]
    return rayon::current_num_threads();
    #[cfg(not(threads))]
    return 1;
}

/// `f` over `0..n` cut into ranges of `piece` items, results in range order.
pub fn map_ranges<T: Send>(n: usize, piece: usize, f: impl Fn(Range<usize>) -> T + Sync + Send) -> Vec<T> {
    let piece = piece.max(1);
    let count = n.div_ceil(piece);
    if count <= 1 || threads() == 1 {
        return (0..count).map(|p| f(p * piece..((p + 1) * piece).min(n))).collect();
    }
    #[cfg(threads)]
    return seen((0..count).into_par_iter().map(|p| f(seeing(p) * piece..((p + 1) * piece).min(n))).collect());
    #[cfg(not(threads))]
    unreachable!("one thread")
}

/// `f(first_item, chunk)` over `data` cut into chunks of `piece` items, results in chunk
/// order.
pub fn map_chunks_mut<T: Send, R: Send>(
    data: &mut [T],
    piece: usize,
    f: impl Fn(usize, &mut [T]) -> R + Sync + Send,
) -> Vec<R> {
    let piece = piece.max(1);
    if data.len() <= piece || threads() == 1 {
        return data.chunks_mut(piece).enumerate().map(|(p, c)| f(p * piece, c)).collect();
    }
    #[cfg(threads)]
    return seen(data.par_chunks_mut(piece).enumerate().map(|(p, c)| f(seeing(p) * piece, c)).collect());
    #[cfg(not(threads))]
    unreachable!("one thread")
}

/// `f(i)` for each `i` in `0..n`, results in order: for items that are each a sizeable job
/// (a tree, a restart), so no pieces.
pub fn map_each<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    if n <= 1 || threads() == 1 {
        return (0..n).map(f).collect();
    }
    #[cfg(threads)]
    return seen((0..n).into_par_iter().map(|i| f(seeing(i))).collect());
    #[cfg(not(threads))]
    unreachable!("one thread")
}

// A piece may run on another thread than the one that allocated its data, and the calling
// thread gets back what the pieces allocated: each first sees memory grown meanwhile (see
// base::shared_memory; nothing natively).
#[cfg(threads)]
fn seeing(piece: usize) -> usize {
    see_grown_memory();
    piece
}

#[cfg(threads)]
fn seen<T>(results: T) -> T {
    see_grown_memory();
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(n: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new().num_threads(n).build().expect("a test pool")
    }

    #[test]
    fn sums_by_pieces_are_the_same_bits_on_any_number_of_threads() {
        let xs: Vec<f64> = (0..100_003).map(|i| ((i * 7919) % 1000) as f64 * 1e-3 + 1e-9 * i as f64).collect();
        let sum = || map_ranges(xs.len(), 4096, |r| xs[r].iter().sum::<f64>()).iter().sum::<f64>();
        let one = pool(1).install(sum);
        for t in [2, 3, 8] {
            assert_eq!(pool(t).install(sum).to_bits(), one.to_bits(), "{t} threads");
        }
    }

    #[test]
    fn chunks_and_items_arrive_in_order() {
        let mut v = vec![0usize; 1000];
        let firsts = pool(4).install(|| {
            map_chunks_mut(&mut v, 64, |first, c| {
                c.iter_mut().enumerate().for_each(|(i, x)| *x = first + i);
                first
            })
        });
        assert_eq!(firsts, (0..1000).step_by(64).collect::<Vec<_>>());
        assert!(v.iter().enumerate().all(|(i, &x)| i == x));
        assert_eq!(pool(3).install(|| map_each(10, |i| i * i)), (0..10).map(|i| i * i).collect::<Vec<_>>());
        assert_eq!(map_ranges(0, 8, |r| r.len()), Vec::<usize>::new());
    }
}
