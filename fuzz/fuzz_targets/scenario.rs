//! Scenario bytes through parsing, validation, sweep expansion and a short
//! simulation (see `tiersim::fuzzing`): no input may panic, hang or eat
//! memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| tiersim::fuzzing::exercise(data));
