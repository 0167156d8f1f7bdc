//! `[[channel]]`: the ways clients arrive (phone, chat, branch), each with
//! its opening hours, what happens to a client arriving while it is closed,
//! its service multiplier, tolerance, satisfaction offset and entry tier.

use std::collections::BTreeMap;

use toml::Spanned;

use super::calendar::clock;
use super::diagnostics::{Checker, list, nearest};
use super::raw::{RawChannel, RawScenario};
use crate::model::week::DAYS;
use crate::model::{Channel, OpeningHours, Week, WhenClosed};

/// Keys of `hours` naming several days at once, and the days they name.
const DAY_GROUPS: [(&str, &[usize]); 3] = [
    ("daily", &[0, 1, 2, 3, 4, 5, 6]),
    ("weekdays", &[0, 1, 2, 3, 4]),
    ("weekend", &[5, 6]),
];

impl Checker<'_> {
    /// `[[channel]]` tables, in file order.
    pub(super) fn channels(
        &mut self,
        raw: &RawScenario,
        week: Option<&Week>,
        tiers: &[String],
    ) -> Vec<Channel> {
        let start_day = week.map_or(0, |w| w.start_day);
        raw.channel
            .iter()
            .map(|c| self.channel(c.get_ref(), start_day, tiers))
            .collect()
    }

    /// One channel.
    fn channel(&mut self, c: &RawChannel, start_day: usize, tiers: &[String]) -> Channel {
        let field = |f: &str| format!("channel.{}.{f}", c.name.get_ref());
        let hours = c
            .hours
            .as_ref()
            .map(|h| self.opening_hours(h, &field("hours"), start_day));
        let when_closed = match c.when_closed.as_ref().map(|w| (w, w.get_ref().as_str())) {
            None | Some((_, "wait")) => WhenClosed::Wait,
            Some((_, "lost")) => WhenClosed::Lost,
            Some((w, other)) => {
                self.problem(
                    w.span(),
                    field("when_closed"),
                    format!("unknown rule `{other}`; allowed: \"wait\", \"lost\""),
                );
                WhenClosed::Wait
            }
        };
        let entry = c
            .entry
            .as_ref()
            .and_then(|e| self.reference(e, tiers, &field("entry"), "tier"));
        let redial = c
            .redial
            .as_ref()
            .and_then(|r| self.redial(r, &field("redial")));
        Channel {
            entry,
            redial,
            name: c.name.get_ref().clone(),
            hours,
            when_closed,
            service_multiplier: c
                .service_multiplier
                .as_ref()
                .map_or(1.0, |m| self.positive(m, &field("service_multiplier"))),
            tolerance: c
                .tolerance
                .as_ref()
                .map(|t| self.positive(t, &field("tolerance"))),
            satisfaction_offset: c.satisfaction_offset.as_ref().map_or(0.0, |o| {
                self.number(
                    o,
                    &field("satisfaction_offset"),
                    |_| true,
                    "a finite number",
                )
            }),
        }
    }

    /// `hours = { mon = "09:00-17:00", weekend = "closed", ... }`: later
    /// single days override groups (`daily`, `weekdays`, `weekend`); days
    /// not named are closed.
    fn opening_hours(
        &mut self,
        hours: &BTreeMap<Spanned<String>, Spanned<String>>,
        field: &str,
        start_day: usize,
    ) -> OpeningHours {
        let mut days: [Option<(u32, u32)>; 7] = [None; 7];
        let before = self.count();
        // Groups first, then single days, whatever the order in the file.
        let mut entries: Vec<_> = hours.iter().collect();
        entries.sort_by_key(|(k, _)| DAYS.contains(&k.get_ref().as_str()));
        for (key, value) in entries {
            let name = key.get_ref().as_str();
            let Some(which) = self.days_named(key, field) else {
                continue;
            };
            let text = value.get_ref().trim();
            let interval = if text == "closed" {
                None
            } else {
                let parsed = text
                    .split_once('-')
                    .and_then(|(a, b)| Some((clock(a.trim())?, clock(b.trim())?)));
                match parsed {
                    Some((a, b)) if a < 1440 && b <= 1440 && a != b => Some((a, b % 1440)),
                    _ => {
                        self.problem(
                            value.span(),
                            format!("{field}.{name}"),
                            format!(
                                "cannot read opening hours `{text}`; allowed: \"HH:MM-HH:MM\" (e.g. \"09:00-17:30\", \"00:00-24:00\" for all day, a close before the open runs past midnight) or \"closed\""
                            ),
                        );
                        continue;
                    }
                }
            };
            for d in which {
                days[d] = interval;
            }
        }
        // Unreadable hours are the cause; "never open" would be their side
        // effect, so it is said only of hours that were all read.
        if days.iter().all(Option::is_none) && self.count() == before {
            let span = hours.keys().next().map_or(0..0, Spanned::span);
            self.problem(
                span,
                field,
                "the channel is never open; allowed: at least one day with \"HH:MM-HH:MM\" (leave out `hours` for a channel open 7x24)",
            );
        }
        OpeningHours::from_days(&days, start_day)
    }

    /// The days a key of `hours` names: a weekday or a group of days.
    fn days_named(&mut self, key: &Spanned<String>, field: &str) -> Option<Vec<usize>> {
        let name = key.get_ref().as_str();
        if let Some(d) = DAYS.iter().position(|d| *d == name) {
            return Some(vec![d]);
        }
        if let Some((_, group)) = DAY_GROUPS.iter().find(|(g, _)| *g == name) {
            return Some(group.to_vec());
        }
        let keys = DAYS.iter().copied().chain(DAY_GROUPS.iter().map(|g| g.0));
        let mut message = format!("unknown day `{name}`; allowed: {}", list(keys.clone()));
        if let Some(near) = nearest(name, keys) {
            message.push_str(&format!(" (did you mean `{near}`?)"));
        }
        self.problem(key.span(), field, message);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{model, problem, problems, with};
    use crate::model::WhenClosed;

    /// [`BASE`](super::super::testing::BASE) with one channel `c` holding
    /// `line`.
    fn channel(line: &str) -> String {
        with("", &format!("[[channel]]\nname = \"c\"\n{line}"))
    }

    #[test]
    fn defaults() {
        let c = &model(&channel("")).channels[0];
        assert!(c.hours.is_none(), "open 7x24");
        assert_eq!(c.when_closed, WhenClosed::Wait);
        assert_eq!(c.service_multiplier, 1.0);
        assert_eq!(c.tolerance, None);
        assert_eq!(c.satisfaction_offset, 0.0);
        assert_eq!(c.entry, None);
        let m = model(&channel(
            "when_closed = \"lost\"\nentry = \"t\"\nhours = { weekdays = \"09:00-17:00\", fri = \"closed\" }",
        ));
        let c = &m.channels[0];
        assert_eq!((c.when_closed, c.entry), (WhenClosed::Lost, Some(0)));
        let hours = c.hours.as_ref().unwrap();
        assert!(hours.is_open(9.0 * 60.0));
        assert!(!hours.is_open(8.0 * 60.0));
        assert!(
            !hours.is_open(4.0 * 1440.0 + 10.0 * 60.0),
            "a single day overrides its group"
        );
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                "hours = { tues = \"09:00-10:00\", mon = \"09:00-10:00\" }",
                "channel.c.hours",
                "unknown day `tues`; allowed: `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`, `daily`, `weekdays`, `weekend` (did you mean `tue`?)",
            ),
            (
                "hours = { daily = \"closed\" }",
                "channel.c.hours",
                "the channel is never open; allowed: at least one day with \"HH:MM-HH:MM\" (leave out `hours` for a channel open 7x24)",
            ),
            (
                "when_closed = \"drop\"",
                "channel.c.when_closed",
                "unknown rule `drop`; allowed: \"wait\", \"lost\"",
            ),
            (
                "service_multiplier = 0.0",
                "channel.c.service_multiplier",
                "got 0; allowed: a finite number > 0",
            ),
            (
                "tolerance = -1.0",
                "channel.c.tolerance",
                "got -1; allowed: a finite number > 0",
            ),
            (
                "satisfaction_offset = inf",
                "channel.c.satisfaction_offset",
                "got inf; allowed: a finite number",
            ),
            (
                "entry = \"x\"",
                "channel.c.entry",
                "no tier named `x`; allowed: `t`",
            ),
        ];
        for (line, field, message) in cases {
            assert_eq!(
                problem(&channel(line)),
                (field.to_string(), message.to_string()),
                "{line}"
            );
        }
        let unreadable = problems(&channel("hours = { mon = \"9-5\", tue = \"09:00-10:00\" }"));
        assert_eq!(
            unreadable,
            [(
                "channel.c.hours.mon".to_string(),
                "cannot read opening hours `9-5`; allowed: \"HH:MM-HH:MM\" (e.g. \"09:00-17:30\", \"00:00-24:00\" for all day, a close before the open runs past midnight) or \"closed\"".to_string()
            )]
        );
    }
}
