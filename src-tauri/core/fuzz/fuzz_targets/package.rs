#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| silta_core::referral::package::fuzz_open(data));
