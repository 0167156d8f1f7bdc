//! A tier's staffing: `servers` always on duty, or `shifts` (a roster over
//! the week, with breaks); unlimited for a chatbot.

use toml::Spanned;

use super::super::diagnostics::Checker;
use super::super::raw::{RawShift, RawTier};
use crate::model::{Roster, Shift, TierKind, Week};

/// How a tier is staffed.
pub(super) struct Staffing {
    /// Servers (the roster's peak with shifts; `u32::MAX` when unlimited).
    pub(super) servers: u32,
    /// Every client is served at once (a chatbot).
    pub(super) unlimited: bool,
    /// The roster, when the tier has shifts.
    pub(super) roster: Option<Roster>,
}

impl Checker<'_> {
    /// `servers` or `shifts` of a tier of kind `kind`.
    pub(super) fn staffing(
        &mut self,
        t: &RawTier,
        kind: TierKind,
        week: Option<&Week>,
    ) -> Staffing {
        let field = |f: &str| format!("tier.{}.{f}", t.name.get_ref());
        if kind == TierKind::Chatbot {
            return Staffing {
                servers: u32::MAX,
                unlimited: true,
                roster: None,
            };
        }
        let roster = t.shifts.as_ref().and_then(|shifts| {
            self.roster(shifts, &field("shifts"), week.map_or(0, |w| w.start_day))
        });
        let servers = match &t.servers {
            Some(s) if roster.is_some() => {
                self.problem(
                    s.span(),
                    field("servers"),
                    "a tier with `shifts` takes its staffing from them; remove `servers`",
                );
                1
            }
            None if roster.is_some() => roster.as_ref().map_or(1, Roster::max).max(1),
            Some(s) => {
                if *s.get_ref() == 0 {
                    self.problem(
                        s.span(),
                        field("servers"),
                        "got 0; allowed: an integer >= 1",
                    );
                }
                *s.get_ref()
            }
            // Shifts with problems (already reported) stand in for servers.
            None if t.shifts.is_some() => 1,
            None => {
                self.problem(
                    t.name.span(),
                    field("servers"),
                    "missing; a staffed tier needs `servers` (an integer >= 1) or `shifts`",
                );
                1
            }
        };
        if kind == TierKind::Dedicated
            && let Some(s) = t.shifts.as_ref().and_then(|s| s.first())
        {
            self.problem(
                s.span(),
                field("shifts"),
                "a dedicated tier's RMs are each always on duty (their non-client work is `non_client_share`); allowed: `servers` (the number of RMs)",
            );
        }
        Staffing {
            servers,
            unlimited: false,
            roster,
        }
    }

    /// A tier's roster from its shifts; `None` when a shift has problems.
    fn roster(
        &mut self,
        shifts: &[Spanned<RawShift>],
        field: &str,
        start_day: usize,
    ) -> Option<Roster> {
        let before = self.count();
        let out: Vec<Shift> = shifts
            .iter()
            .filter_map(|s| self.shift(s.get_ref(), field))
            .collect();
        (self.count() == before).then(|| Roster::from_shifts(&out, start_day))
    }

    /// One shift (`None` when its start or end cannot be read).
    fn shift(&mut self, r: &RawShift, field: &str) -> Option<Shift> {
        let start = self.time_of_day(&r.start, &format!("{field}.start"));
        let end = self.time_of_day(&r.end, &format!("{field}.end"));
        if *r.servers.get_ref() == 0 {
            self.problem(
                r.servers.span(),
                format!("{field}.servers"),
                "got 0; allowed: an integer >= 1",
            );
        }
        let mut days = [r.days.is_none(); 7];
        for d in r.days.iter().flatten() {
            if let Some(i) = self.weekday(d, &format!("{field}.days")) {
                days[i] = true;
            }
        }
        let mut breaks = Vec::new();
        for b in r.breaks.iter().flatten() {
            let (b0, b1) = (
                self.time_of_day(&b.get_ref().start, &format!("{field}.breaks.start")),
                self.time_of_day(&b.get_ref().end, &format!("{field}.breaks.end")),
            );
            if let (Some(b0), Some(b1)) = (b0, b1) {
                breaks.push((b0 % 1440, b1 % 1440));
            }
        }
        let (start, end) = (start?, end?);
        if start % 1440 == end % 1440 && start != 0 {
            self.problem(
                r.end.span(),
                format!("{field}.end"),
                "a shift needs an end different from its start (00:00-24:00 for all day)",
            );
        }
        Some(Shift {
            start: start % 1440,
            end: end % 1440,
            servers: *r.servers.get_ref(),
            days,
            breaks,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{BASE, model, problem, problems};

    /// [`BASE`] with tier `t`'s `servers = 2` replaced by `line`.
    fn staffed(line: &str) -> String {
        BASE.replace("servers = 2", line)
    }

    #[test]
    fn servers_or_shifts() {
        let t = &model(BASE).tiers[0];
        assert_eq!(
            (t.servers, t.unlimited, t.roster.is_none()),
            (2, false, true)
        );
        let t = &model(&staffed(
            "shifts = [{ start = \"08:00\", end = \"16:00\", servers = 3, days = [\"mon\"] }, { start = \"12:00\", end = \"20:00\", servers = 2, breaks = [{ start = \"13:00\", end = \"13:30\" }] }]",
        ))
        .tiers[0];
        let roster = t.roster.as_ref().unwrap();
        assert_eq!(t.servers, 5, "the roster's peak");
        assert_eq!(roster.at(9.0 * 60.0), 3);
        assert_eq!(roster.at(12.0 * 60.0), 5);
        assert_eq!(roster.at(13.0 * 60.0 + 10.0), 3, "one shift on its break");
        assert_eq!(
            roster.at(1440.0 + 9.0 * 60.0),
            0,
            "the first shift works Mondays only"
        );
    }

    #[test]
    fn refusals() {
        let shifts = "shifts = [{ start = \"08:00\", end = \"16:00\", servers = 1 }]";
        let cases = [
            (
                "servers = 0",
                "tier.t.servers",
                "got 0; allowed: an integer >= 1",
            ),
            (
                "",
                "tier.t.servers",
                "missing; a staffed tier needs `servers` (an integer >= 1) or `shifts`",
            ),
            (
                &format!("servers = 2\n{shifts}"),
                "tier.t.servers",
                "a tier with `shifts` takes its staffing from them; remove `servers`",
            ),
            (
                "shifts = [{ start = \"8h\", end = \"16:00\", servers = 1 }]",
                "tier.t.shifts.start",
                "`8h` is not a time; allowed: HH:MM from 00:00 to 24:00",
            ),
            (
                "shifts = [{ start = \"08:00\", end = \"16:00\", servers = 0 }]",
                "tier.t.shifts.servers",
                "got 0; allowed: an integer >= 1",
            ),
            (
                "shifts = [{ start = \"08:00\", end = \"08:00\", servers = 1 }]",
                "tier.t.shifts.end",
                "a shift needs an end different from its start (00:00-24:00 for all day)",
            ),
            (
                "shifts = [{ start = \"08:00\", end = \"16:00\", servers = 1, days = [\"mo\"] }]",
                "tier.t.shifts.days",
                "`mo` is not a weekday; allowed: `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun` (did you mean `mon`?)",
            ),
            (
                "shifts = [{ start = \"08:00\", end = \"16:00\", servers = 1, breaks = [{ start = \"12:00\", end = \"1230\" }] }]",
                "tier.t.shifts.breaks.end",
                "`1230` is not a time; allowed: HH:MM from 00:00 to 24:00",
            ),
        ];
        for (line, field, message) in cases {
            assert_eq!(
                problem(&staffed(line)),
                (field.to_string(), message.to_string()),
                "{line}"
            );
        }
        let dedicated = problems(&staffed(&format!("kind = \"dedicated\"\n{shifts}")));
        assert!(dedicated.contains(&(
            "tier.t.shifts".to_string(),
            "a dedicated tier's RMs are each always on duty (their non-client work is `non_client_share`); allowed: `servers` (the number of RMs)".to_string()
        )), "{dedicated:?}");
    }
}
