//! A request target (path and query) answered by the server's router over the built sample.
#![no_main]

use std::sync::OnceLock;

use casebook::serve::AppState;

fn setup() -> &'static (tokio::runtime::Runtime, AppState) {
    static SETUP: OnceLock<(tokio::runtime::Runtime, AppState)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        (runtime, casebook_fuzz::state())
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (runtime, state) = setup();
    runtime.block_on(casebook_fuzz::props::request(state, data));
});
