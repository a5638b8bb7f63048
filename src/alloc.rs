//! Control of the allocator. The binary allocates with mimalloc (`#[global_allocator]` in
//! `src/main.rs`): a build allocates millions of small strings across threads, and glibc's
//! allocator spent over a third of a 100,000-document build in its own bookkeeping. A server
//! tunes it here: freed memory goes back to the system a second later, and a build's peak is
//! handed back once the build is swapped in.

/// Gives the memory a build freed back to the system. A build holds the whole site in memory
/// for a moment; the allocator keeps what was freed for reuse, so without this a server's
/// resident memory would stay at its largest build's peak.
pub(crate) fn release_memory() {
    // SAFETY: mi_collect takes no pointers; it frees what mimalloc holds unused and may be
    // called at any time from any thread.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: glibc's malloc_trim only returns free heap pages to the system; it takes no
        // pointers and may be called at any time from any thread. (libgit2 allocates there.)
        unsafe {
            malloc_trim(0);
        }
    }
}

/// `mi_option_purge_delay` in mimalloc 2's `mi_option_e` (include/mimalloc.h): how many
/// milliseconds freed memory is kept before it is returned to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long a server keeps freed memory for reuse.
const PURGE_DELAY_MS: std::ffi::c_long = 1000;

/// For a long-running server: memory freed is returned to the system a second later rather
/// than kept for reuse, so a rebuild's peak does not stay resident (call before the first
/// build). Not at once: a search frees what it allocated within a millisecond and the next
/// one allocates it again, and memory handed back and asked for again on every request cost a
/// fresh search a tenth of its time in page faults (54,000 a second under load against 3,500
/// with this delay). A one-off command keeps mimalloc's default.
pub(crate) fn prefer_small_memory() {
    // SAFETY: setting an option takes no pointers and is allowed at any time.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
    }
}
