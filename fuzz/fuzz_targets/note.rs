#![no_main]
//! Fuzzes partnernet's reader of note; the body is [`partnernet_fuzz::note`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnernet_fuzz::note(data));
