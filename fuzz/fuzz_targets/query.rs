//! Query text searched in the built sample (run with `-timeout` to bound each search).
#![no_main]

use std::sync::OnceLock;

use casebook::index::KbIndex;

fn index() -> &'static KbIndex {
    static INDEX: OnceLock<KbIndex> = OnceLock::new();
    INDEX.get_or_init(|| KbIndex::open(&casebook_fuzz::sample().1).expect("open the sample index"))
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| casebook_fuzz::props::query(index(), data));
