//! Rosters and the silent nonsense of issue 21: a proptest over random
//! valid rosters (servers on duty are exactly the shifts on duty less their
//! own breaks, so never fewer), breaks that can only take their own shift
//! off duty, the warnings of a valid scenario (overload on a roster's mean
//! on duty, a tier nobody reaches), and `run` refusing what `check` refuses.

use proptest::prelude::*;
use tiersim::model::week::WEEK;
use tiersim::model::{Roster, Shift};

use crate::common::{model, scratch, text, tiersim};

/// A shift as generated: start and length in minutes, servers, weekdays,
/// and breaks as [from, to) minutes from the shift's start.
#[derive(Clone, Debug)]
struct Spec {
    start: u32,
    length: u32,
    servers: u32,
    days: [bool; 7],
    breaks: Vec<(u32, u32)>,
}

/// `HH:MM` of minute `m` of the day (`24:00` for 1440).
fn hhmm(m: u32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// One valid shift: 15-minute steps, up to two breaks inside it that do
/// not overlap.
fn shift() -> impl Strategy<Value = Spec> {
    (
        0u32..96,
        1u32..96,
        1u32..6,
        prop::array::uniform7(any::<bool>()),
        prop::collection::vec(0u32..1000, 0..5),
    )
        .prop_map(|(start, length, servers, mut days, cuts)| {
            if !days.contains(&true) {
                days[0] = true;
            }
            let length = length * 15;
            // Break bounds strictly inside the shift, paired in order.
            let mut inside: Vec<u32> = cuts.iter().map(|c| 1 + c % (length.max(2) - 1)).collect();
            inside.sort_unstable();
            inside.dedup();
            let breaks = inside
                .chunks_exact(2)
                .map(|p| (p[0], p[1]))
                .filter(|(a, b)| a < b && *b < length)
                .collect();
            Spec {
                start: start * 15,
                length,
                servers,
                days,
                breaks,
            }
        })
}

/// The tier's `shifts = [...]` as a user would write it.
fn shifts_toml(specs: &[Spec]) -> String {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let one = |s: &Spec| {
        let at = |m: u32| (s.start + m) % 1440;
        let end = (s.start + s.length) % 1440;
        let days: Vec<String> = (0..7)
            .filter(|&d| s.days[d])
            .map(|d| format!("\"{}\"", DAYS[d]))
            .collect();
        let breaks: Vec<String> = s
            .breaks
            .iter()
            .map(|&(a, b)| {
                format!(
                    "{{ start = \"{}\", end = \"{}\" }}",
                    hhmm(at(a)),
                    hhmm(at(b))
                )
            })
            .collect();
        format!(
            "{{ start = \"{}\", end = \"{}\", servers = {}, days = [{}], breaks = [{}] }}",
            hhmm(s.start),
            hhmm(end),
            s.servers,
            days.join(", "),
            breaks.join(", ")
        )
    };
    let all: Vec<String> = specs.iter().map(one).collect();
    format!("shifts = [{}]", all.join(", "))
}

/// Servers of `specs` on duty at minute `t` of the week (time 0 a Monday at
/// 00:00), less those of each shift on its own break: the reference.
fn on_duty(specs: &[Spec], t: u32) -> u32 {
    let week = WEEK as u32;
    let mut n = 0;
    for s in specs {
        for d in (0..7).filter(|&d| s.days[d]) {
            let from = d as u32 * 1440 + s.start;
            let offset = (t + week - from % week) % week;
            let on_break = s.breaks.iter().any(|&(a, b)| offset >= a && offset < b);
            if offset < s.length && !on_break {
                n += s.servers;
            }
        }
    }
    n
}

/// A scenario with one rostered tier.
fn scenario(shifts: &str) -> String {
    format!(
        "name = \"roster\"\n[run]\nhorizon = 10080.0\nservice_level_threshold = 1.0\n\
         [[segment]]\nname = \"s\"\nrate_per_hour = 1.0\n\
         [[tier]]\nname = \"t\"\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n{shifts}\n"
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Through the parser: at every minute of the week the servers on duty
    /// are the shifts on duty less their own breaks, never fewer.
    #[test]
    fn servers_on_duty_are_the_shifts_less_their_own_breaks(
        specs in prop::collection::vec(shift(), 1..5)
    ) {
        let toml = scenario(&shifts_toml(&specs));
        let m = model(&toml);
        let roster = m.tiers[0].roster.as_ref().expect("a roster");
        for t in 0..WEEK as u32 {
            let expected = on_duty(&specs, t);
            let got = roster.at(t as f64);
            prop_assert!(got >= expected, "minute {t}: {got} on duty, below {expected}\n{toml}");
            prop_assert_eq!(got, expected, "minute {}\n{}", t, toml);
        }
    }
}

/// Built directly (as a sweep or a library user could), a break outside
/// its shift, a reversed one and overlapping ones take off only their own
/// shift's servers, and each only once.
#[test]
fn a_break_takes_only_its_own_shift_off_duty() {
    let day = [true; 7];
    let shift = |start: u32, end: u32, servers: u32, breaks: Vec<(u32, u32)>| Shift {
        start,
        end,
        servers,
        days: day,
        breaks,
    };
    let roster = Roster::from_shifts(
        &[
            shift(480, 960, 2, vec![(1200, 1230), (780, 720)]),
            shift(960, 0, 2, vec![]),
            shift(0, 480, 1, vec![(120, 180), (150, 210)]),
            shift(0, 480, 1, vec![]),
        ],
        0,
    );
    // 20:00 is in the evening shift only: the day shift's stray break there
    // takes nobody off.
    assert_eq!(roster.at(1210.0), 2);
    // The reversed break 13:00-12:00 is clipped to the day shift's end.
    assert_eq!(roster.at(12.0 * 60.0 - 30.0), 2);
    assert_eq!(roster.at(13.0 * 60.0 + 30.0), 0);
    assert_eq!(
        roster.at(17.0 * 60.0),
        2,
        "the evening shift keeps its staff"
    );
    // Overlapping breaks 02:00-03:00 and 02:30-03:30 take their shift's one
    // server off once, not the other night shift's too.
    assert_eq!(roster.at(100.0), 2);
    assert_eq!(roster.at(160.0), 1);
    assert_eq!(roster.at(200.0), 1);
    assert_eq!(roster.at(215.0), 2);
}

/// The overload warning of a roster names its mean on duty, not its peak.
#[test]
fn overload_warnings_use_the_mean_on_duty() {
    let toml = "name = \"w\"\n[run]\nhorizon = 1000.0\nservice_level_threshold = 1.0\n\
        [[segment]]\nname = \"s\"\nrate_per_hour = 60.0\n\
        [[tier]]\nname = \"t\"\nservice = { dist = \"exponential\", mean = 1.5 }\n\
        shifts = [{ start = \"08:00\", end = \"10:00\", servers = 3, days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"] }]\n";
    let s = tiersim::scenario::parse(toml, "w.toml").unwrap();
    let warning = s
        .warnings
        .iter()
        .find(|w| w.contains("loaded at or over capacity"))
        .expect("an overload warning");
    assert!(
        warning.contains("on 0.25 servers on duty on average over the week"),
        "{warning}"
    );
    assert!(!warning.contains("on 3 servers"), "{warning}");
}

/// A tier no client can reach is warned about.
#[test]
fn an_unreachable_tier_is_warned_about() {
    let toml = "name = \"w\"\n[run]\nhorizon = 1000.0\nservice_level_threshold = 1.0\n\
        [[segment]]\nname = \"s\"\nrate_per_hour = 6.0\n\
        [[tier]]\nname = \"t\"\nservers = 2\nservice = { dist = \"exponential\", mean = 1.0 }\n\
        [[tier]]\nname = \"lonely\"\nservers = 2\nservice = { dist = \"exponential\", mean = 1.0 }\n";
    let s = tiersim::scenario::parse(toml, "w.toml").unwrap();
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("tier `lonely` is never reached")),
        "{:?}",
        s.warnings
    );
    let reached = tiersim::scenario::parse(
        &toml
            .replace("rate_per_hour = 6.0", "rate_per_hour = 6.0\nentry = \"t\"")
            .replace(
                "mean = 1.0 }\n[[tier]]",
                "mean = 1.0 }\nescalate = [{ to = \"lonely\", probability = 0.5 }]\n[[tier]]",
            ),
        "w.toml",
    )
    .unwrap();
    assert!(!reached.warnings.iter().any(|w| w.contains("never reached")));
}

/// `run` refuses what `check` refuses (the same parser), before writing
/// anything: here a break outside its shift and `replications = u32::MAX`,
/// which the pre-session binary accepted (and then tried to allocate
/// 650 GB for).
#[test]
fn run_refuses_silent_nonsense_before_any_work() {
    for (name, file) in [
        ("break", "tests/bad/81-break-outside-shift.toml"),
        ("reps", "tests/bad/127-replications-u32-max.toml"),
        ("never", "tests/bad/86-shifts-empty.toml"),
    ] {
        let dir = scratch(&format!("refuse-{name}"));
        let o = tiersim(&["run", file, "--out", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains(&format!("error: {file}:")));
        assert!(!dir.join("summary.json").exists());
    }
}

/// Non-client work leaving less of each hour than a service is refused
/// (the 0.99 on one server: 0.6 minutes an hour for 4-minute
/// services, whose time shares summed to 1.056), at its line; a share that
/// leaves room is not.
#[test]
fn non_client_share_leaving_no_room_for_a_service_is_refused() {
    let toml = |share: f64| {
        format!(
            "name = \"w\"\n[run]\nhorizon = 1000.0\nservice_level_threshold = 1.0\n\
             [[segment]]\nname = \"s\"\nrate_per_hour = 1.0\npatience = {{ dist = \"exponential\", mean = 5.0 }}\n\
             [[tier]]\nname = \"t\"\nservers = 1\nnon_client_share = {share:?}\n\
             service = {{ dist = \"exponential\", mean = 4.0 }}\n"
        )
    };
    let e = tiersim::scenario::parse(&toml(0.99), "w.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("w.toml:12:20:"), "{e}");
    assert!(e.contains("field `tier.t.non_client_share`"), "{e}");
    assert!(
        e.contains("sum above 1") && e.contains("at most 0.933"),
        "{e}"
    );
    assert!(tiersim::scenario::parse(&toml(0.5), "w.toml").is_ok());
}
