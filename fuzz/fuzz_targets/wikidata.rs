#![no_main]
//! Fuzzes partnernet's reader of wikidata; the body is [`partnernet_fuzz::wikidata`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnernet_fuzz::wikidata(data));
