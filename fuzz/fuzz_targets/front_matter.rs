//! Front matter split, parse and validate: any bytes as a review and as the vocabulary file.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| casebook_fuzz::props::front_matter(data));
