//! Markdown to HTML: valid nesting, no link in a link, no executable HTML.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| casebook_fuzz::props::markdown(data));
