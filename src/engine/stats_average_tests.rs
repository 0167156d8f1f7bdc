//! Tests of the time averages: the window, the slots, and the single-slot
//! fast path against the integrator.

use super::*;

#[test]
fn time_average_respects_window() {
    // Value 1 on [0, 5), 3 on [5, 10), 0 after; window [2, 8].
    let mut ta = TimeAverage::new(2.0, 8.0);
    ta.change(0.0, 1.0);
    ta.change(5.0, 2.0);
    ta.change(10.0, -3.0);
    assert!((ta.mean() - (3.0 * 1.0 + 3.0 * 3.0) / 6.0).abs() < 1e-12);
    // A quantity still set when the clock stops counts to the window end.
    let mut open = TimeAverage::new(0.0, 10.0);
    open.change(4.0, 2.0);
    assert!((open.mean() - 1.2).abs() < 1e-12);
}

#[test]
fn slot_average_splits_by_slot() {
    // Slots of 10 minutes, 3 per cycle; window [5, 65].
    let mut a = SlotAverage::new(5.0, 65.0, 10.0, 3);
    a.change(0.0, 2.0); // 2 until 25
    a.change(25.0, -2.0); // 0 until 40
    a.change(40.0, 1.0); // 1 to the end
    let areas = a.slot_areas();
    // Slot 0: [5,10) 2*5 + [30,40) 0 + [60,65) 1*5 = 15.
    // Slot 1: [10,20) 2*10 + [40,50) 1*10 = 30.
    // Slot 2: [20,25) 2*5 + [25,30) 0 + [50,60) 1*10 = 20.
    assert_eq!(areas, vec![15.0, 30.0, 20.0]);
    // Each slot covers 20 of the 60 minutes of the window.
    assert_eq!(a.slot_exposure(), vec![20.0, 20.0, 20.0]);
    assert!((a.mean() - 65.0 / 60.0).abs() < 1e-12);
    let one = SlotAverage::new(0.0, 10.0, f64::INFINITY, 1);
    assert_eq!(one.slot_exposure(), vec![10.0]);
}

/// The single-slot fast path inside the window sums bit for bit what
/// the clamping integrator summed: random changes (zero values, repeated
/// times, some before the warm-up and after the end) against the
/// integrator written out.
#[test]
fn single_slot_fast_path_is_the_integrator() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
    for _ in 0..50 {
        let (start, end) = (rng.random_range(0.0..50.0), rng.random_range(50.0..400.0));
        let mut fast = SlotAverage::new(start, end, f64::INFINITY, 1);
        let (mut area, mut last, mut value) = (0.0f64, 0.0f64, 0.0f64);
        let mut t = 0.0;
        for _ in 0..400 {
            if rng.random::<f64>() < 0.8 {
                t += rng.random::<f64>() * 2.0;
            }
            let delta = if value > 0.0 && rng.random::<bool>() {
                -1.0
            } else {
                1.0
            };
            let (from, to) = (last.clamp(start, end), f64::clamp(t, start, end));
            if value != 0.0 && from < to {
                area += value * (to - from);
            }
            (last, value) = (t, value + delta);
            fast.change(t, delta);
        }
        let tail = value * (end - last.clamp(start, end));
        let expected = if value != 0.0 && last < end {
            area + tail
        } else {
            area
        };
        assert_eq!(fast.total().to_bits(), expected.to_bits());
    }
}
