#![no_main]
//! Fuzzes partnernet's reader of tables; the body is [`partnernet_fuzz::tables`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnernet_fuzz::tables(data));
