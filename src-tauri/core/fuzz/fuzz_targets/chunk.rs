#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| silta_core::vault::fuzzing::chunk(data));
