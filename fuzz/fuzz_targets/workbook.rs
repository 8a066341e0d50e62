#![no_main]
//! Fuzzes partnernet's reader of workbook; the body is [`partnernet_fuzz::workbook`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnernet_fuzz::workbook(data));
