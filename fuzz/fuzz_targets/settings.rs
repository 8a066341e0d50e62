#![no_main]
//! Fuzzes partnernet's reader of settings; the body is [`partnernet_fuzz::settings`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnernet_fuzz::settings(data));
