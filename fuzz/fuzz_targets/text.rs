#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| (dateline_fuzz::target("text").expect("target").run)(data));
