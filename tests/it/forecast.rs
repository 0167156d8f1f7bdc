//! Forecast uncertainty (issue 18 item 3): `segment.day_effect = { cv }`
//! with cv = 0 is the same run as no day effect, to the bit; a positive cv
//! changes the days but keeps the clients' keys (common random numbers).

use tiersim::model::simulate;

use crate::common::model;

/// A one-desk scenario over a week with a day profile; `extra` goes in the
/// segment.
fn scenario(extra: &str) -> String {
    format!(
        "name = \"days\"\n[run]\nhorizon = 10080.0\nservice_level_threshold = 0.5\nreplications = 2\nseed = 3\n\
         [calendar]\nslot_minutes = 60\nprofile = {{ \"08:00-18:00\" = 1.0 }}\n\
         [[segment]]\nname = \"callers\"\nrate_per_hour = 20.0\n{extra}\n\
         patience = {{ dist = \"exponential\", mean = 4.0 }}\n\
         [[tier]]\nname = \"desk\"\nservers = 6\nservice = {{ dist = \"exponential\", mean = 15.0 }}\n"
    )
}

#[test]
fn a_zero_day_effect_is_exactly_no_day_effect() {
    let none = model(&scenario(""));
    let zero = model(&scenario("day_effect = { cv = 0.0 }"));
    let some = model(&scenario("day_effect = { cv = 0.3 }"));
    for r in 0..2 {
        let a = format!("{:?}", simulate(&none, r));
        assert_eq!(a, format!("{:?}", simulate(&zero, r)));
        assert_ne!(a, format!("{:?}", simulate(&some, r)));
    }
}
