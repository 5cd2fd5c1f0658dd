#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| (dateline_fuzz::target("jsonl").expect("target").run)(data));
