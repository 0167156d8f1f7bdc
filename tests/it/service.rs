//! The bank's service model beyond tiers: back offices and turnaround,
//! skill escalation, call-back transfers, channels and opening hours,
//! dedicated RMs, non-client work, concurrent sessions and outbound calls.
//! Each test checks a mechanism against what it must give exactly, or
//! against theory within the replications' confidence.

use crate::common::{assert_agrees, assert_share, model, rejects};
use tiersim::analytic::Mmc;
use tiersim::engine::stats::Estimate;
use tiersim::experiment;
use tiersim::model::metrics::overall;
use tiersim::model::week::WEEK;
use tiersim::model::{Model, OpeningHours, ReplicationResult};

/// A fast client-facing tier (never a queue: 60 servers, one minute each)
/// with `extra` appended (segments, tiers, channels...).
fn scenario(run: &str, extra: &str) -> tiersim::model::Model {
    model(&format!(
        "name = \"svc\"\n[run]\n{run}\n\
         [[tier]]\nname = \"front\"\nservers = 60\nservice = {{ dist = \"deterministic\", mean = 1.0 }}\n{extra}"
    ))
}

/// Per replication, `num / den` of its raw results: the estimate of the
/// ratio over replications and the mean denominator (the trials behind a
/// share).
fn ratio(
    m: &Model,
    num: impl Fn(&ReplicationResult) -> f64,
    den: impl Fn(&ReplicationResult) -> f64,
) -> (Estimate, f64) {
    let results = experiment::replicate(m);
    let trials = results.iter().map(&den).sum::<f64>() / results.len() as f64;
    (
        Estimate::from_values(results.iter().map(|r| num(r) / den(r))),
        trials,
    )
}

/// The mean over arrivals spread evenly over the week (Poisson arrivals at
/// a constant rate) of `f(arrival time)`, by the midpoint rule on seconds.
fn weekly_mean(f: impl Fn(f64) -> f64) -> f64 {
    let steps = (WEEK * 60.0) as usize;
    (0..steps).map(|i| f((i as f64 + 0.5) / 60.0)).sum::<f64>() / steps as f64
}

/// Back office open 09:00-17:00 on weekdays (a roster), 60 minutes a case
/// with servers to spare: a case ready at r finishes at next_open(r) + 60,
/// so the mean turnaround over a week of arrivals is known exactly,
/// nights and weekends included; the simulated one agrees within its CI.
/// It would not if anything started outside office hours.
#[test]
fn back_office_turnaround_runs_through_nights_and_weekends() {
    let m = scenario(
        "horizon = 40320.0\nreplications = 10\nseed = 7\nservice_level_threshold = 1.0",
        "[[tier]]\nname = \"credit\"\nkind = \"back_office\"\n\
         service = { dist = \"deterministic\", mean = 60.0 }\n\
         shifts = [{ start = \"09:00\", end = \"17:00\", servers = 300, days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"] }]\n\
         [[request]]\nname = \"loan\"\nback_office = [\"credit\"]\npromised_turnaround_hours = 24.0\n\
         [[request]]\nname = \"query\"\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 6.0\nrequests = { loan = 0.5, query = 0.5 }\n",
    );
    let mut days = [Some((9 * 60, 17 * 60)); 7];
    days[5] = None;
    days[6] = None;
    let hours = OpeningHours::from_days(&days, 0);
    // Ready one minute after arrival; starts at the next opening.
    let expected = weekly_mean(|t| hours.next_open(t + 1.0) - t) + 60.0;
    let s = experiment::run(&m);
    let turnaround = s.request("loan", "turnaround_mean_hours").unwrap();
    assert_agrees("loan turnaround (hours)", turnaround, expected / 60.0, 0.05);
    // A query needs no back office: its turnaround is its one minute.
    let query = s.request("query", "turnaround_mean_hours").unwrap();
    assert!((query.mean - 1.0 / 60.0).abs() < 1e-9, "{query:?}");
    // The back office is no wait on the line: clients never queued.
    assert_eq!(s.overall("wait_mean").unwrap().mean, 0.0);
    // Late answers (beyond 24 h: over weekends) cost satisfaction.
    let loan = s.request("loan", "satisfaction_mean").unwrap().mean;
    let query = s.request("query", "satisfaction_mean").unwrap().mean;
    assert!(loan < query - 1.0, "{loan} vs {query}");
    // Every case that arrived was answered (the run drains).
    let c = |k| s.overall(k).unwrap().mean;
    assert_eq!(c("arrived"), c("served"));
}

/// Skill escalation: complexity uniform on [0, 1] against a junior skill of
/// 0.6 sends 40% up after a 2-minute triage (binomial check), and the
/// junior's time per visit is 0.6 x service + 0.4 x triage (no queue).
#[test]
fn skill_escalation_sends_what_is_beyond_the_level_up_after_triage() {
    let m = model(
        "name = \"skill\"\n[run]\nhorizon = 20000.0\nreplications = 10\nseed = 9\nservice_level_threshold = 1.0\n\
         [[request]]\nname = \"advice\"\ncomplexity = { dist = \"uniform\", low = 0.0, high = 1.0 }\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 30.0\nrequests = { advice = 1.0 }\n\
         [[tier]]\nname = \"junior\"\nservers = 40\nservice = { dist = \"exponential\", mean = 4.0 }\n\
         skill = 0.6\ntriage = { dist = \"deterministic\", mean = 2.0 }\nescalate_to = \"senior\"\n\
         [[tier]]\nname = \"senior\"\nservers = 40\nservice = { dist = \"exponential\", mean = 6.0 }\n",
    );
    let s = experiment::run(&m);
    let arrived = s.tier("junior", "arrived").unwrap().mean;
    assert_share(
        "junior escalation_rate",
        s.tier("junior", "escalation_rate").unwrap(),
        0.4,
        arrived,
    );
    assert_agrees(
        "junior time per visit",
        s.tier("junior", "sojourn_mean").unwrap(),
        0.6 * 4.0 + 0.4 * 2.0,
        0.02,
    );
    // The senior serves everything it gets: no escalation beyond.
    assert_eq!(s.tier("senior", "escalated").unwrap().mean, 0.0);
}

/// A request type whose complexity can exceed every skill on its way has
/// no tier to serve it: rejected, not run for ever.
#[test]
fn unservable_complexity_is_rejected() {
    let base = "name = \"x\"\n[run]\nhorizon = 100.0\nservice_level_threshold = 1.0\n\
         [[request]]\nname = \"advice\"\ncomplexity = { dist = \"uniform\", low = 0.0, high = 0.9 }\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 30.0\nrequests = { advice = 1.0 }\n\
         [[tier]]\nname = \"junior\"\nservers = 4\nservice = { dist = \"exponential\", mean = 4.0 }\n\
         skill = 0.5\ntriage = { dist = \"deterministic\", mean = 2.0 }\nescalate_to = \"senior\"\n\
         [[tier]]\nname = \"senior\"\nservers = 4\nservice = { dist = \"exponential\", mean = 6.0 }\n\
         skill = 0.95\ntriage = { dist = \"deterministic\", mean = 2.0 }\nescalate_to = \"junior\"\n";
    tiersim::scenario::parse(base, "ok.toml").unwrap();
    rejects(
        base,
        "high = 0.9 }",
        "high = 1.0 }",
        "tier.junior.escalate",
        "no tier can serve the most complex requests",
    );
    rejects(
        base,
        "escalate_to = \"senior\"",
        "escalate_to = \"senoir\"",
        "tier.junior.escalate_to",
        "did you mean `senior`?",
    );
    rejects(
        base,
        "skill = 0.5\ntriage = { dist = \"deterministic\", mean = 2.0 }\n",
        "skill = 0.5\n",
        "tier.junior.triage",
        "missing",
    );
}

/// Call-back transfers: every escalated client hangs up and is called
/// back; half the attempts fail and two failures give up, so a quarter of
/// the escalated are unreached (binomial), attempts average 1.5 a case,
/// and the time on the call-back list is no queue wait: the clients never
/// waited on the line. With the run cut at the horizon, clients waiting
/// for a call-back are still counted (inside), so nobody is lost.
#[test]
fn callbacks_keep_the_client_counted_until_served() {
    let base = "horizon = 20000.0\nwarmup = 500.0\nreplications = 10\nseed = 4\nservice_level_threshold = 1.0";
    let tiers = "transfer = \"callback\"\nescalate = [{ to = \"expert\", probability = 1.0 }]\n\
         [[tier]]\nname = \"expert\"\nservers = 1\nservice = { dist = \"exponential\", mean = 4.0 }\n\
         callback = { success = 0.5, attempts = 2, retry_minutes = 20.0, attempt_minutes = 1.0 }\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 6.0\n";
    let m = scenario(base, tiers);
    let escalated = |r: &ReplicationResult| r.tiers[0].escalated as f64;
    let (unreached, trials) = ratio(&m, |r| overall(&r.segments).unreached as f64, escalated);
    assert_share("unreached share", unreached, 0.25, trials);
    let (attempts, _) = ratio(&m, |r| r.tiers[1].callback_attempts as f64, escalated);
    assert_agrees("attempts per case", attempts, 1.5, 0.05);
    let s = experiment::run(&m);
    let c = |k| s.overall(k).unwrap();
    assert_eq!(c("wait_mean").mean, 0.0);
    assert!(c("sojourn_mean").mean > 1.0 + 4.0);
    assert_eq!(c("inside").mean, 0.0);
    assert_eq!(
        c("arrived").mean,
        c("served").mean + c("abandoned").mean + c("blocked").mean
    );
    // Cut at the horizon: some clients wait for a call-back, counted.
    let cut = scenario(&format!("{base}\ndrain_limit = 0.0"), tiers);
    for r in experiment::replicate(&cut) {
        let o = overall(&r.segments);
        assert_eq!(o.arrived, o.served + o.abandoned + o.blocked + o.inside);
    }
    // A warm transfer keeps them on the line instead: they wait.
    let warm = experiment::run(&scenario(
        base,
        &tiers.replace("transfer = \"callback\"", "transfer = \"warm\""),
    ));
    assert!(warm.overall("wait_mean").unwrap().mean > 0.5);
    assert_eq!(warm.overall("unreached").unwrap().mean, 0.0);
}

/// Channels: a branch open 09:00-17:00 loses the clients arriving while
/// closed (2/3 of a day, binomial); an app open the same hours keeps them
/// for the opening (fewer than the 60 servers pile up overnight, so none
/// queues then), so a client's time to the answer is the wait for the
/// opening plus the service (known exactly), and that wait is no queue
/// wait. The video channel's service multiplier stretches service.
#[test]
fn channels_open_hours_lose_or_hold_clients() {
    let run = "horizon = 20160.0\nreplications = 10\nseed = 2\nservice_level_threshold = 1.0";
    let channels = "[[channel]]\nname = \"branch\"\nhours = { daily = \"09:00-17:00\" }\nwhen_closed = \"lost\"\n\
         [[channel]]\nname = \"app\"\nhours = { daily = \"09:00-17:00\" }\nwhen_closed = \"wait\"\n\
         [[channel]]\nname = \"video\"\nservice_multiplier = 1.5\n";
    let branch = scenario(
        run,
        &format!(
            "{channels}[[segment]]\nname = \"walk-in\"\nrate_per_hour = 12.0\nchannels = {{ branch = 1.0 }}\n"
        ),
    );
    let s = experiment::run(&branch);
    assert_share(
        "lost outside opening hours",
        s.overall("blocked_rate").unwrap(),
        16.0 / 24.0,
        s.overall("arrived").unwrap().mean,
    );
    let app = scenario(
        run,
        &format!(
            "{channels}[[segment]]\nname = \"app\"\nrate_per_hour = 2.0\nchannels = {{ app = 1.0 }}\n"
        ),
    );
    let hours = OpeningHours::from_days(&[Some((9 * 60, 17 * 60)); 7], 0);
    let expected = weekly_mean(|t| hours.next_open(t) - t) + 1.0;
    let s = experiment::run(&app);
    assert_agrees(
        "app sojourn",
        s.overall("sojourn_mean").unwrap(),
        expected,
        0.05,
    );
    assert_eq!(s.overall("wait_mean").unwrap().mean, 0.0);
    assert_eq!(s.overall("blocked").unwrap().mean, 0.0);
    let video = scenario(
        run,
        &format!(
            "{channels}[[segment]]\nname = \"remote\"\nrate_per_hour = 12.0\nchannels = {{ video = 1.0 }}\n"
        ),
    );
    let s = experiment::run(&video);
    assert!((s.overall("sojourn_mean").unwrap().mean - 1.5).abs() < 1e-9);
}

/// Dedicated RMs: four RMs with books of 50 share a population of 200, so
/// each booked client queues for their own RM only: four M/M/1 queues at a
/// quarter of the arrivals each, much slower than the pooled M/M/4, and
/// every client is served by their own RM.
#[test]
fn booked_clients_are_served_by_their_own_rm() {
    let run = "horizon = 40000.0\nwarmup = 1000.0\nreplications = 10\nseed = 6\nservice_level_threshold = 1.0";
    let tiers = "[[tier]]\nname = \"rm\"\nkind = \"dedicated\"\nservers = 4\nservice = { dist = \"exponential\", mean = 10.0 }\n\
         [[segment]]\nname = \"private\"\nrate_per_hour = 12.0\nentry = \"front\"\n\
         book = { tier = \"rm\", population = 200, clients_per_rm = 50 }\n";
    let s = experiment::run(&scenario(run, tiers));
    let own = Mmc {
        arrival_rate: 3.0 / 60.0,
        service_rate: 0.1,
        servers: 1,
    };
    assert_agrees(
        "own-RM wait",
        s.tier("rm", "wait_mean").unwrap(),
        own.wait_mean(),
        0.05,
    );
    assert_eq!(s.overall("own_rm_share").unwrap().mean, 1.0);
    assert_eq!(s.tier("front", "arrived").unwrap().mean, 0.0);
    let pooled = Mmc {
        arrival_rate: 12.0 / 60.0,
        service_rate: 0.1,
        servers: 4,
    };
    assert!(pooled.wait_mean() < own.wait_mean() / 3.0);
    // Overflow after 2 minutes to a pool: some are served by the pool,
    // every overflowed visit reaches it, and the own-RM share is what is
    // left.
    let overflow = tiers.replace(
        "clients_per_rm = 50 }",
        "clients_per_rm = 50, overflow_after = 2.0, overflow = \"front\" }",
    );
    let s = experiment::run(&scenario(run, &overflow));
    let share = s.overall("own_rm_share").unwrap().mean;
    assert!(share < 1.0 && share > 1.0 - own.p_wait(), "{share}");
    assert_eq!(
        s.tier("rm", "overflowed").unwrap().mean,
        s.tier("front", "arrived").unwrap().mean
    );
    // Half the population beyond the books: those go to the entry.
    let half = scenario(run, &tiers.replace("population = 200", "population = 400"));
    let (unbooked, trials) = ratio(
        &half,
        |r| r.tiers[0].arrived as f64,
        |r| overall(&r.segments).arrived as f64,
    );
    assert_share("unbooked share", unbooked, 0.5, trials);
    rejects(
        &format!(
            "name = \"x\"\n[run]\n{run}\n[[tier]]\nname = \"front\"\nservers = 6\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n{tiers}"
        ),
        "population = 200",
        "population = 150",
        "segment.private.book.clients_per_rm",
        "more than the segment's population of 150",
    );
}

/// Non-client work: four servers each away a quarter of every hour,
/// staggered, leave exactly three for clients at all times, so the tier is
/// an M/M/3 (Erlang C) and its time split shows the quarter.
#[test]
fn non_client_work_leaves_the_available_servers() {
    let m = model(
        "name = \"admin\"\n[run]\nhorizon = 40000.0\nwarmup = 1000.0\nreplications = 10\nseed = 8\nservice_level_threshold = 1.0\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 24.0\n\
         [[tier]]\nname = \"rm\"\nservers = 4\nnon_client_share = 0.25\nservice = { dist = \"exponential\", mean = 5.0 }\n",
    );
    let s = experiment::run(&m);
    let mmc = Mmc {
        arrival_rate: 0.4,
        service_rate: 0.2,
        servers: 3,
    };
    assert_agrees(
        "wait with 3 of 4 available",
        s.tier("rm", "wait_mean").unwrap(),
        mmc.wait_mean(),
        0.05,
    );
    let t = |k| s.tier("rm", k).unwrap().mean;
    assert!((t("non_client_share") - 0.25).abs() < 1e-9);
    assert_agrees(
        "serving share",
        s.tier("rm", "serving_share").unwrap(),
        2.0 / 4.0,
        0.02,
    );
    assert!(
        (t("serving_share") + t("non_client_share") + t("idle_share") + t("outbound_share") - 1.0)
            .abs()
            < 1e-9
    );
    assert_agrees(
        "occupancy",
        s.tier("rm", "occupancy").unwrap(),
        2.0 / 3.0,
        0.02,
    );
}

/// Concurrent sessions: two chats at once per server, each 1.5 times
/// slower, make an M/M/(2c) with the slower service.
#[test]
fn concurrent_sessions_act_as_more_slower_servers() {
    let m = model(
        "name = \"chat\"\n[run]\nhorizon = 40000.0\nwarmup = 1000.0\nreplications = 10\nseed = 12\nservice_level_threshold = 1.0\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 30.0\n\
         [[tier]]\nname = \"chat\"\nservers = 2\nsessions = 2\nsession_slowdown = 1.5\nservice = { dist = \"exponential\", mean = 4.0 }\n",
    );
    let s = experiment::run(&m);
    let mmc = Mmc {
        arrival_rate: 30.0 / 60.0,
        service_rate: 1.0 / 6.0,
        servers: 4,
    };
    assert_agrees(
        "chat wait",
        s.tier("chat", "wait_mean").unwrap(),
        mmc.wait_mean(),
        0.05,
    );
    // Utilization per server: sessions in use over sessions on duty.
    assert_agrees(
        "chat utilization",
        s.tier("chat", "utilization").unwrap(),
        mmc.utilization(),
        0.02,
    );
    assert_eq!(s.tier("chat", "servers_mean").unwrap().mean, 2.0);
}

/// Outbound calls in idle time: with next to no inbound clients, all but
/// the one server kept free are on outbound calls, and a tenth of the
/// calls sell (binomial).
#[test]
fn outbound_calls_fill_idle_time() {
    let m = model(
        "name = \"outbound\"\n[run]\nhorizon = 20000.0\nwarmup = 100.0\nreplications = 5\nseed = 1\nservice_level_threshold = 1.0\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 0.01\n\
         [[tier]]\nname = \"rm\"\nservers = 4\nservice = { dist = \"exponential\", mean = 5.0 }\n\
         outbound = { call = { dist = \"deterministic\", mean = 10.0 }, sale_probability = 0.1, revenue_per_sale = 100.0, keep_idle = 1 }\n",
    );
    let s = experiment::run(&m);
    let t = |k| s.tier("rm", k).unwrap();
    assert!(
        (t("outbound_share").mean - 0.75).abs() < 0.01,
        "{:?}",
        t("outbound_share")
    );
    let (conversion, calls) = ratio(
        &m,
        |r| r.tiers[0].outbound_sales as f64,
        |r| r.tiers[0].outbound_calls as f64,
    );
    assert_share("outbound conversion", conversion, 0.1, calls);
    assert!((t("outbound_revenue").mean - 100.0 * t("outbound_sales").mean).abs() < 1e-6);
}

/// Bad input of the service model: each gives a clear error on its field.
#[test]
fn bad_service_input() {
    let base = "name = \"x\"\n[run]\nhorizon = 100.0\nservice_level_threshold = 1.0\n\
         [[channel]]\nname = \"branch\"\nhours = { weekdays = \"09:00-17:00\", sat = \"10:00-13:00\" }\n\
         [[request]]\nname = \"loan\"\nback_office = [\"credit\"]\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 30.0\nrequests = { loan = 1.0 }\nchannels = { branch = 1.0 }\n\
         [[tier]]\nname = \"junior\"\nservers = 4\nservice = { dist = \"exponential\", mean = 4.0 }\n\
         [[tier]]\nname = \"credit\"\nkind = \"back_office\"\nservers = 2\nservice = { dist = \"exponential\", mean = 60.0 }\n";
    tiersim::scenario::parse(base, "ok.toml").unwrap();
    rejects(
        base,
        "\"09:00-17:00\"",
        "\"9 to 5\"",
        "channel.branch.hours.weekdays",
        "cannot read opening hours `9 to 5`",
    );
    rejects(
        base,
        "sat = ",
        "saturday = ",
        "channel.branch.hours",
        "did you mean `sat`?",
    );
    rejects(
        base,
        "channels = { branch = 1.0 }",
        "channels = { branch = 0.5 }",
        "segment.retail.channels",
        "sum to 0.5",
    );
    rejects(
        base,
        "back_office = [\"credit\"]",
        "back_office = [\"junior\"]",
        "request.loan.back_office",
        "not a back office",
    );
    rejects(
        base,
        "[[tier]]\nname = \"junior\"\nservers = 4\n",
        "[[tier]]\nname = \"junior\"\nservers = 4\nescalate = [{ to = \"credit\", probability = 0.5 }]\n",
        "tier.junior.escalate",
        "is a back office",
    );
    rejects(
        base,
        "kind = \"back_office\"",
        "kind = \"back_ofice\"",
        "tier.credit.kind",
        "did you mean `back_office`?",
    );
    rejects(
        base,
        "servers = 2\nservice",
        "servers = 2\nqueue_capacity = 3\nservice",
        "tier.credit.queue_capacity",
        "does not apply to a back office",
    );
    rejects(
        base,
        "servers = 4\nservice",
        "servers = 4\nsessions = 0\nservice",
        "tier.junior.sessions",
        "got 0",
    );
    rejects(
        base,
        "servers = 4\nservice",
        "servers = 4\nnon_client_share = 1.0\nservice",
        "tier.junior.non_client_share",
        "a share in [0, 1)",
    );
    rejects(
        base,
        "servers = 4\nservice",
        "servers = 4\ntransfer = \"email\"\nservice",
        "tier.junior.transfer",
        "allowed: \"warm\", \"callback\"",
    );
    // Without `entry` a segment joins the first tier, here a back office.
    let first = base.replace(
        "[[tier]]\nname = \"junior\"",
        "[[tier]]\nname = \"first\"\nkind = \"back_office\"\nservers = 1\nservice = { dist = \"exponential\", mean = 4.0 }\n[[tier]]\nname = \"junior\"",
    );
    rejects(
        &first,
        "requests = { loan = 1.0 }",
        "requests = { loan = 1.0 }\n",
        "segment.retail.entry",
        "which is a back office and cannot be an entry",
    );
    // A roster with nobody on duty while the channel is open: a warning.
    let gap = base.replace(
        "[[tier]]\nname = \"junior\"\nservers = 4\n",
        "[[tier]]\nname = \"junior\"\nshifts = [{ start = \"09:00\", end = \"17:00\", servers = 4, days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"] }]\n",
    );
    let warnings = tiersim::scenario::parse(&gap, "gap.toml").unwrap().warnings;
    assert!(
        warnings.iter().any(|w| w.contains("tier `junior` has nobody on duty for 3.0 hours a week while channel `branch` is open (first on sat at 10:00)")),
        "{warnings:?}"
    );
}

/// Found by the property tests: a back office whose last roster change
/// before the horizon found it empty stopped its staffing, so cases
/// arriving over the last weekend waited for ever while another tier's
/// non-client blocks kept the run going. Now every roster runs on after
/// the horizon while anyone is inside (and stops after a week without a
/// departure): every case is answered and the run ends.
#[test]
fn back_office_cases_left_at_the_horizon_are_answered() {
    let m = model(
        "name = \"weekend\"\n[run]\nhorizon = 20000.0\nreplications = 2\nseed = 912\nservice_level_threshold = 0.5\n\
         [calendar]\nprofile = { \"00:00-08:00\" = 0.2, \"08:00-20:00\" = 1.5, \"20:00-24:00\" = 0.5 }\n\
         [[channel]]\nname = \"phone\"\nhours = { daily = \"08:00-18:00\" }\nwhen_closed = \"lost\"\n\
         [[segment]]\nname = \"s0\"\nrate_per_hour = 1.0\nback_office = [\"bo\"]\n\
         [[tier]]\nname = \"t0\"\nservers = 5\nnon_client_share = 0.25\nservice = { dist = \"deterministic\", mean = 2.27 }\n\
         escalate = [{ to = \"t0\", probability = 0.63 }]\n\
         [[tier]]\nname = \"bo\"\nkind = \"back_office\"\nservice = { dist = \"exponential\", mean = 20.0 }\n\
         shifts = [{ start = \"09:00\", end = \"17:00\", servers = 4, days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"] }]\n",
    );
    for r in experiment::replicate(&m) {
        let o = overall(&r.segments);
        assert_eq!(o.inside, 0);
        assert_eq!(o.arrived, o.served + o.abandoned + o.blocked);
    }
}
