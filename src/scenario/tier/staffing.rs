//! A tier's staffing: `servers` always on duty, or `shifts` (a roster over
//! the week, with breaks); unlimited for a chatbot.

use std::ops::Range;

use toml::Spanned;

use super::super::diagnostics::Checker;
use super::super::raw::{RawShift, RawTier};
use crate::model::{Roster, Servers, Shift, TierKind, Week};

/// How a tier is staffed.
pub(super) struct Staffing {
    /// Servers: fixed, rostered (the roster's peak) or unlimited (a
    /// chatbot).
    pub(super) servers: Servers,
    /// The roster, when the tier has shifts.
    pub(super) roster: Option<Roster>,
}

impl Staffing {
    /// A tier staffed by its groups: their staff (each group's peak) and
    /// the hires there from week 0, on duty as their rosters say (the sum
    /// of the groups').
    pub(super) fn of_groups(groups: &crate::model::groups::Groups) -> Staffing {
        let hired: u32 = groups
            .groups
            .iter()
            .filter_map(|g| g.agents.new_hires.as_ref())
            .filter(|h| h.start_week == 0)
            .map(|h| h.count)
            .sum();
        let servers = groups.servers().saturating_add(hired).max(1);
        let roster = groups.roster();
        Staffing {
            servers: if roster.is_some() {
                Servers::Rostered(servers)
            } else {
                Servers::Fixed(servers)
            },
            roster,
        }
    }
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
                servers: Servers::Unlimited,
                roster: None,
            };
        }
        let roster = t.shifts.as_ref().and_then(|shifts| {
            self.roster(shifts, &field("shifts"), week.map_or(0, |w| w.start_day))
        });
        if let (Some(r), Some(shifts)) = (&roster, &t.shifts)
            && r.max() == 0
        {
            let span = shifts.first().map_or(t.name.span(), Spanned::span);
            self.problem(
                span,
                field("shifts"),
                "nobody is ever on duty (no shift); allowed: at least one shift, or `servers`",
            );
        }
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
            servers: if roster.is_some() {
                Servers::Rostered(servers)
            } else {
                Servers::Fixed(servers)
            },
            roster,
        }
    }

    /// A tier's roster from its shifts; `None` when a shift has problems.
    pub(super) fn roster(
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
        if r.days.as_ref().is_some_and(Vec::is_empty) {
            self.problem(
                r.servers.span(),
                format!("{field}.days"),
                "got no weekday: the shift is never on duty; allowed: one or more of `mon` .. `sun` (leave `days` out for every day)",
            );
        }
        let mut breaks = Vec::new();
        for b in r.breaks.iter().flatten() {
            let (b0, b1) = (
                self.time_of_day(&b.get_ref().start, &format!("{field}.breaks.start")),
                self.time_of_day(&b.get_ref().end, &format!("{field}.breaks.end")),
            );
            if let (Some(b0), Some(b1)) = (b0, b1) {
                breaks.push(((b0 % 1440, b1 % 1440), b.span()));
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
        let (start, end) = (start % 1440, end % 1440);
        self.breaks(&breaks, (start, end), &format!("{field}.breaks"));
        let breaks = breaks.into_iter().map(|(b, _)| b).collect();
        Some(Shift {
            start,
            end,
            servers: *r.servers.get_ref(),
            days,
            breaks,
        })
    }
}

impl Checker<'_> {
    /// A shift's breaks, each inside its own shift (`start`, `end` in
    /// minutes of the day), none reversed, none overlapping another, and
    /// together shorter than the shift.
    fn breaks(&mut self, breaks: &[((u32, u32), Range<usize>)], shift: (u32, u32), field: &str) {
        let length = shift_length(shift);
        let text = |(a, b): (u32, u32)| {
            let end = if b == 0 { "24:00".to_string() } else { hhmm(b) };
            format!("{}-{end}", hhmm(a))
        };
        let mut inside: Vec<(u32, u32, Range<usize>)> = Vec::new();
        for ((b0, b1), span) in breaks {
            let (o0, o1) = offsets((*b0, *b1), shift);
            let message = if o0 < length && o1 <= length {
                (o1 <= o0).then_some("ends before it starts")
            } else if (*b1 + 1440 - *b0) % 1440 > length {
                Some("is longer than its shift")
            } else {
                Some("is outside its shift")
            };
            match message {
                Some(m) => self.problem(
                    span.clone(),
                    field,
                    format!(
                        "break {} {m} (its shift is {}); allowed: a break from the shift's start to its end, ending after it starts (a shift's breaks take only its own servers off duty)",
                        text((*b0, *b1)),
                        text(shift)
                    ),
                ),
                None => inside.push((o0, o1, span.clone())),
            }
        }
        inside.sort_by_key(|b| b.0);
        for pair in inside.windows(2) {
            if pair[1].0 < pair[0].1 {
                self.problem(
                    pair[1].2.clone(),
                    field,
                    format!(
                        "this break overlaps another break of its shift {}; allowed: breaks that do not overlap (merge them into one)",
                        text(shift)
                    ),
                );
            }
        }
        let off: u32 = inside.iter().map(|b| b.1 - b.0).sum();
        if !inside.is_empty() && off >= length {
            self.problem(
                inside[0].2.clone(),
                field,
                format!(
                    "the breaks cover the whole shift {}: it is never on duty; allowed: breaks shorter in total than the shift",
                    text(shift)
                ),
            );
        }
    }
}

/// Minutes of a shift from `start` to `end` (minutes of the day; an end at
/// or before the start is on the next day).
fn shift_length((start, end): (u32, u32)) -> u32 {
    match (end + 1440 - start) % 1440 {
        0 => 1440,
        n => n,
    }
}

/// A break's start and end in minutes from its shift's start (an end at the
/// shift's start counts as the shift's end).
fn offsets((b0, b1): (u32, u32), (start, end): (u32, u32)) -> (u32, u32) {
    let o0 = (b0 + 1440 - start) % 1440;
    let o1 = (b1 + 1440 - start) % 1440;
    let o1 = if o1 == 0 {
        shift_length((start, end))
    } else {
        o1
    };
    (o0, o1)
}

/// `HH:MM` of minute `m` of the day.
fn hhmm(m: u32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{BASE, model, problem, problems};
    use crate::model::Servers;

    /// [`BASE`] with tier `t`'s `servers = 2` replaced by `line`.
    fn staffed(line: &str) -> String {
        BASE.replace("servers = 2", line)
    }

    #[test]
    fn servers_or_shifts() {
        let t = &model(BASE).tiers[0];
        assert_eq!((t.servers, t.roster.is_none()), (Servers::Fixed(2), true));
        let t = &model(&staffed(
            "shifts = [{ start = \"08:00\", end = \"16:00\", servers = 3, days = [\"mon\"] }, { start = \"12:00\", end = \"20:00\", servers = 2, breaks = [{ start = \"13:00\", end = \"13:30\" }] }]",
        ))
        .tiers[0];
        let roster = t.roster.as_ref().unwrap();
        assert_eq!(t.servers, Servers::Rostered(5), "the roster's peak");
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
            (
                "shifts = [{ start = \"08:00\", end = \"16:00\", servers = 1, breaks = [{ start = \"20:00\", end = \"20:30\" }] }]",
                "tier.t.shifts.breaks",
                "break 20:00-20:30 is outside its shift (its shift is 08:00-16:00); allowed: a break from the shift's start to its end, ending after it starts (a shift's breaks take only its own servers off duty)",
            ),
            (
                "shifts = [{ start = \"00:00\", end = \"24:00\", servers = 1, breaks = [{ start = \"13:00\", end = \"12:00\" }] }]",
                "tier.t.shifts.breaks",
                "break 13:00-12:00 ends before it starts (its shift is 00:00-24:00); allowed: a break from the shift's start to its end, ending after it starts (a shift's breaks take only its own servers off duty)",
            ),
            (
                "shifts = [{ start = \"22:00\", end = \"06:00\", servers = 1, breaks = [{ start = \"01:00\", end = \"02:00\" }, { start = \"01:30\", end = \"02:30\" }] }]",
                "tier.t.shifts.breaks",
                "this break overlaps another break of its shift 22:00-06:00; allowed: breaks that do not overlap (merge them into one)",
            ),
            (
                "shifts = []",
                "tier.t.shifts",
                "nobody is ever on duty (no shift); allowed: at least one shift, or `servers`",
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
