#![no_main]
//! Fuzzes partnernet's reader of lead_status; the body is [`partnernet_fuzz::lead_status`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnernet_fuzz::lead_status(data));
