//! `[calendar]`: slot length, the weekday of time 0, day factors and the
//! intraday arrival profile; and the clock and weekday words every table
//! with times of day uses (shifts, breaks, opening hours).

use toml::Spanned;

use super::diagnostics::{Checker, did_you_mean, list};
use super::raw::RawScenario;
use crate::model::Week;
use crate::model::week::{DAY, DAYS};

impl Checker<'_> {
    /// `[calendar]`, or the default week when only rosters need a clock;
    /// `None` when the scenario has neither.
    pub(super) fn week(&mut self, raw: &RawScenario) -> Option<Week> {
        let has_shifts = raw.tier.iter().any(|t| t.get_ref().shifts.is_some());
        let Some(c) = &raw.calendar else {
            return has_shifts.then(Week::default);
        };
        let c = c.get_ref();
        let mut week = Week::default();
        if let Some(m) = &c.slot_minutes {
            if [15, 30, 60].contains(m.get_ref()) {
                week.slot_minutes = *m.get_ref() as f64;
            } else {
                self.problem(
                    m.span(),
                    "calendar.slot_minutes",
                    format!("got {}; allowed: 15, 30 or 60", m.get_ref()),
                );
            }
        }
        if let Some(d) = &c.start_day {
            week.start_day = self.weekday(d, "calendar.start_day").unwrap_or(0);
        }
        let mut given: [Option<&str>; 7] = [None; 7];
        for (day, factor) in c.day_factors.iter().flatten() {
            let f = self.non_negative(factor, "calendar.day_factors");
            if let Some(d) = self.weekday(day, "calendar.day_factors") {
                if let Some(first) = given[d] {
                    self.problem(
                        day.span(),
                        "calendar.day_factors",
                        format!(
                            "`{}` repeats `{first}` (weekdays ignore case); allowed: each weekday at most once",
                            day.get_ref()
                        ),
                    );
                }
                given[d] = Some(day.get_ref());
                week.day_factors[d] = f;
            }
        }
        if let Some(profile) = &c.profile {
            week.profile = crate::model::week::shared_profile(self.profile(profile));
        }
        Some(week)
    }

    /// `{ "HH:MM-HH:MM" = factor }`: the factor of each minute of the day
    /// (0 where no range covers it).
    fn profile(
        &mut self,
        profile: &std::collections::BTreeMap<Spanned<String>, Spanned<f64>>,
    ) -> Vec<f64> {
        self.minute_ranges(profile, "calendar.profile", 0.0, false)
    }

    /// `{ "HH:MM-HH:MM" = factor }` read as the factor of each minute of
    /// the day (`default` where no range covers it); factors >= 0, or > 0
    /// when `positive`. Problems are reported at `field`.
    pub(super) fn minute_ranges(
        &mut self,
        ranges: &std::collections::BTreeMap<Spanned<String>, Spanned<f64>>,
        field: &str,
        default: f64,
        positive: bool,
    ) -> Vec<f64> {
        let mut out = vec![default; DAY as usize];
        let mut covered = vec![false; DAY as usize];
        for (range, factor) in ranges {
            let f = if positive {
                self.positive(factor, field)
            } else {
                self.non_negative(factor, field)
            };
            let text = range.get_ref();
            let Some((a, b)) = text.split_once('-') else {
                self.problem(
                    range.span(),
                    field,
                    format!("`{text}` is not a time range; allowed: \"HH:MM-HH:MM\""),
                );
                continue;
            };
            let (Some(a), Some(b)) = (clock(a.trim()), clock(b.trim())) else {
                self.problem(
                    range.span(),
                    field,
                    format!("`{text}`: times are HH:MM from 00:00 to 24:00"),
                );
                continue;
            };
            if a >= b {
                self.problem(
                    range.span(),
                    field,
                    format!("`{text}` ends before it starts; allowed: a range within one day"),
                );
                continue;
            }
            if covered[a as usize..b as usize].iter().any(|c| *c) {
                self.problem(
                    range.span(),
                    field,
                    format!("`{text}` overlaps another range"),
                );
                continue;
            }
            for m in a..b {
                covered[m as usize] = true;
                out[m as usize] = f;
            }
        }
        out
    }

    /// A weekday name.
    pub(super) fn weekday(&mut self, day: &Spanned<String>, field: &str) -> Option<usize> {
        let found = DAYS.iter().position(|d| *d == day.get_ref().to_lowercase());
        if found.is_none() {
            self.problem(
                day.span(),
                field,
                format!(
                    "`{}` is not a weekday; allowed: {}{}",
                    day.get_ref(),
                    list(DAYS.into_iter()),
                    did_you_mean(&day.get_ref().to_lowercase(), DAYS.into_iter())
                ),
            );
        }
        found
    }

    /// A `HH:MM` time of day in minutes.
    pub(super) fn time_of_day(&mut self, v: &Spanned<String>, field: &str) -> Option<u32> {
        let t = clock(v.get_ref());
        if t.is_none() {
            self.problem(
                v.span(),
                field,
                format!(
                    "`{}` is not a time; allowed: HH:MM from 00:00 to 24:00",
                    v.get_ref()
                ),
            );
        }
        t
    }
}

/// `HH:MM` (00:00 to 24:00) in minutes of the day.
pub(crate) fn clock(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{BASE, model, problem, problems, with};
    use super::clock;

    #[test]
    fn clock_reads_hours_and_minutes_up_to_midnight() {
        assert_eq!(clock("00:00"), Some(0));
        assert_eq!(clock("09:30"), Some(570));
        assert_eq!(clock("24:00"), Some(1440));
        for bad in ["24:01", "12:60", "1230", "ab:cd", ""] {
            assert_eq!(clock(bad), None, "{bad}");
        }
    }

    #[test]
    fn defaults() {
        assert!(model(BASE).week.is_none(), "no calendar and no shifts");
        let week = model(&with("", "[calendar]")).week.unwrap();
        assert_eq!(week.slot_minutes, 60.0);
        assert_eq!(week.start_day, 0);
        assert_eq!(week.day_factors, [1.0; 7]);
        let week = model(&with(
            "",
            "[calendar]\nstart_day = \"Wed\"\nday_factors = { sun = 0.5 }\nprofile = { \"08:00-09:00\" = 2.0 }",
        )
        // A week, so that clients arrive once the profile opens.
        .replace("horizon = 100.0", "horizon = 10080.0"))
        .week
        .unwrap();
        assert_eq!(week.start_day, 2);
        assert_eq!(week.day_factors[6], 0.5);
        assert_eq!(week.profile[8 * 60], 2.0);
        assert_eq!(week.profile[9 * 60], 0.0);
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                "slot_minutes = 20",
                "calendar.slot_minutes",
                "got 20; allowed: 15, 30 or 60",
            ),
            (
                "start_day = \"mnday\"",
                "calendar.start_day",
                "`mnday` is not a weekday; allowed: `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`",
            ),
            (
                "day_factors = { tue = -1.0 }",
                "calendar.day_factors",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                "profile = { \"08:00\" = 1.0 }",
                "calendar.profile",
                "`08:00` is not a time range; allowed: \"HH:MM-HH:MM\"",
            ),
            (
                "profile = { \"08:00-25:00\" = 1.0 }",
                "calendar.profile",
                "`08:00-25:00`: times are HH:MM from 00:00 to 24:00",
            ),
            (
                "profile = { \"18:00-17:00\" = 1.0 }",
                "calendar.profile",
                "`18:00-17:00` ends before it starts; allowed: a range within one day",
            ),
        ];
        for (line, field, message) in cases {
            assert_eq!(
                problem(&with("", &format!("[calendar]\n{line}"))),
                (field.to_string(), message.to_string()),
                "{line}"
            );
        }
        let overlap = problems(&with(
            "",
            "[calendar]\nprofile = { \"08:00-12:00\" = 1.0, \"11:00-13:00\" = 1.0 }",
        ));
        assert_eq!(
            overlap,
            [(
                "calendar.profile".to_string(),
                "`11:00-13:00` overlaps another range".to_string()
            )]
        );
    }
}
