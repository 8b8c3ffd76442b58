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
#[cfg(threads)]
use std::sync::{Mutex, PoisonError};

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
    return gather(count, |p| f(p * piece..((p + 1) * piece).min(n)));
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
    {
        let chunks: Vec<Mutex<Option<&mut [T]>>> = data.chunks_mut(piece).map(|c| Mutex::new(Some(c))).collect();
        gather(chunks.len(), |p| f(p * piece, lock(&chunks[p]).take().expect("each chunk once")))
    }
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
    return gather(n, f);
    #[cfg(not(threads))]
    unreachable!("one thread")
}

// rayon's generic machinery is instantiated once, here, for a type-erased job: each call
// site then costs its closure, not its own copy of rayon's splitting and joining (that was
// about 100 KB of the threads build's wasm). A piece is coarse, so the dynamic call is free.
#[cfg(threads)]
fn run_pieces(count: usize, job: &(dyn Fn(usize) + Sync)) {
    (0..count).into_par_iter().for_each(|p| job(seeing(p)));
    see_grown_memory();
}

/// `f(p)` for each piece `p` in `0..count` on the pool, results in piece order.
#[cfg(threads)]
fn gather<R: Send>(count: usize, f: impl Fn(usize) -> R + Sync) -> Vec<R> {
    let slots: Vec<Mutex<Option<R>>> = (0..count).map(|_| Mutex::new(None)).collect();
    run_pieces(count, &|p| {
        let r = f(p);
        *lock(&slots[p]) = Some(r);
    });
    slots
        .into_iter()
        .map(|s| s.into_inner().unwrap_or_else(PoisonError::into_inner).expect("every piece ran"))
        .collect()
}

// Each slot is locked by one piece and then by the caller, never by two at once; a panic in
// a piece reaches the caller through rayon, so a poisoned lock is never read as data.
#[cfg(threads)]
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

// A piece may run on another thread than the one that allocated its data, and the calling
// thread gets back what the pieces allocated: each first sees memory grown meanwhile (see
// base::shared_memory; nothing natively).
#[cfg(threads)]
fn seeing(piece: usize) -> usize {
    see_grown_memory();
    piece
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
