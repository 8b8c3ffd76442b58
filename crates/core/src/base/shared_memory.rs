//! Memory that another thread grew, in the wasm build with threads.
//!
//! The page's threads share one wasm memory, and each holds its own instance of the module.
//! When one thread grows the memory, Chromium (156, measured) brings the other instances'
//! memory size up to date only some time later; until then an atomic or bulk (memory.copy,
//! memory.fill) access to the new pages traps with "memory access out of bounds", though
//! the address is valid (plain loads and stores are fine). tests/e2e/grow_race/ shows it:
//! about 3 in 4 such accesses trap when made just after the other thread's growth. A
//! `memory.grow(0)` in the thread brings its instance up to date at once (the JS side's
//! `memory.buffer` too).
//!
//! So every allocation records how big the memory has become (`GROWN`), and a thread calls
//! `see_grown_memory` before it touches memory another thread may have allocated (the
//! allocator does it for blocks it hands out; `par` at the start of each piece and after
//! gathering the pieces; the pool's threads when they are handed their work). It costs one
//! comparison, and a call into the browser only when the memory did grow. Elsewhere
//! (natively, single-thread wasm) all of this compiles to nothing.

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
mod imp {
    use core::arch::wasm32::{memory_grow, memory_size};
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering};

    const PAGE: usize = 65536;

    /// Pages the memory has grown to, as the thread that grew it saw right after.
    static GROWN: AtomicUsize = AtomicUsize::new(0);

    /// Pages this thread's instance knows of (the stale figure until it is brought up to date).
    fn known_pages() -> usize {
        memory_size::<0>()
    }

    fn note_size() {
        let pages = known_pages();
        if pages > GROWN.load(Ordering::SeqCst) {
            GROWN.fetch_max(pages, Ordering::SeqCst);
        }
    }

    // Out of line: the allocator's methods are inlined at every allocation site.
    #[inline(never)]
    pub fn see_grown_memory() {
        if known_pages() < GROWN.load(Ordering::SeqCst) {
            // Grows by nothing; the browser updates this instance's size on the way.
            memory_grow::<0>(0);
        }
    }

    /// The system allocator, keeping `GROWN` and this thread's view of the memory current.
    struct SeesGrownMemory;

    /// A block the system allocator just handed out: if it lies past what this instance
    /// knows, another thread grew the memory for it.
    #[inline(never)]
    fn checked(block: *mut u8, size: usize) -> *mut u8 {
        note_size();
        if (block as usize).saturating_add(size) > known_pages() * PAGE {
            memory_grow::<0>(0);
            note_size();
        }
        block
    }

    // SAFETY: every call goes to `System` with the caller's own arguments; blocks are
    // only inspected (their address), and zeroed in full (`alloc_zeroed`) before use.
    unsafe impl GlobalAlloc for SeesGrownMemory {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            see_grown_memory();
            checked(unsafe { System.alloc(layout) }, layout.size())
        }

        // Zeroed here rather than by the system allocator: its memory.fill would run before
        // `checked` could bring this instance up to date.
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let block = unsafe { self.alloc(layout) };
            if !block.is_null() {
                unsafe { block.write_bytes(0, layout.size()) };
            }
            block
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) }
        }

        // The system's realloc copies (memory.copy) before `checked` runs: the check before
        // it covers growth another thread finished; growth still in flight is not covered.
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            see_grown_memory();
            checked(unsafe { System.realloc(ptr, layout, new_size) }, new_size)
        }
    }

    #[global_allocator]
    static ALLOCATOR: SeesGrownMemory = SeesGrownMemory;
}

/// Bring this thread's view of the shared memory up to date if another thread grew it (the
/// wasm build with threads; a no-op elsewhere). Call it before touching memory another
/// thread may have allocated.
#[inline]
pub fn see_grown_memory() {
    #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
    imp::see_grown_memory();
}
