//! Contact records: one record per contact episode (a client's first
//! contact, a redial or a repeat contact), handed to a [`ContactSink`] as
//! the contact ends, for the journeys file (`--journeys`). The model only
//! describes the contact; writing it is the experiment layer's. The
//! mechanism that fills them is `replication/record.rs`.

/// How a contact ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactOutcome {
    /// Served, the need resolved (back-office steps included).
    Served,
    /// Served, but the last contact did not resolve the need (`resolves`
    /// < 1): the client leaves unresolved, or comes back (a repeat contact).
    Unresolved,
    /// Every call-back attempt failed to reach the client (also counted as
    /// abandoned).
    Unreached,
    /// Left a queue when their patience ran out.
    Abandoned,
    /// Turned away: a full queue, or a closed channel that loses its clients.
    Blocked,
    /// Still inside when the replication stopped.
    Inside,
}

impl ContactOutcome {
    /// The name written in the journeys file.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactOutcome::Served => "served",
            ContactOutcome::Unresolved => "unresolved",
            ContactOutcome::Unreached => "unreached",
            ContactOutcome::Abandoned => "abandoned",
            ContactOutcome::Blocked => "blocked",
            ContactOutcome::Inside => "inside",
        }
    }
}

/// What brought a contact about, or what follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactKind {
    /// A client's first contact (and, as what follows: none, the journey
    /// ended or is still going on).
    First,
    /// A redial after an abandoned or blocked attempt.
    Redial,
    /// A repeat contact about a need an earlier contact left unresolved.
    Repeat,
}

impl ContactKind {
    /// The name written in the journeys file.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::First => "first",
            ContactKind::Redial => "redial",
            ContactKind::Repeat => "repeat",
        }
    }
}

/// The scoring of a journey that ended with this contact.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JourneyScore {
    /// The satisfaction model's utility of the whole journey.
    pub utility: f64,
    /// Its satisfaction score, 0-100 (100 x the top-box probability).
    pub satisfaction: f64,
    /// A sale was made (only ever on a resolved journey).
    pub sale: bool,
}

/// One contact episode of one client, as it ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ContactRecord {
    /// The client's number in its replication (1 for the first arrival,
    /// warm-up included): the same for all its contacts.
    pub client: u64,
    /// Index of the client's segment in the model.
    pub segment: usize,
    /// Index of its request type.
    pub request: usize,
    /// Index of its channel (`None` without channels).
    pub channel: Option<usize>,
    /// 1 for the first contact, then 2, 3, … over redials and repeats.
    pub attempt: u32,
    /// What brought this contact about.
    pub kind: ContactKind,
    /// The last tier the contact reached (`None`: turned away by a closed
    /// channel before reaching one).
    pub tier: Option<usize>,
    /// When the contact began, minutes.
    pub arrival: f64,
    /// When its first service on the line began (`None`: never served).
    pub service_start: Option<f64>,
    /// When its last service ended (`None`: never served, or still in
    /// service).
    pub service_end: Option<f64>,
    /// When the contact ended (`None`: still inside).
    pub end: Option<f64>,
    /// Minutes in queue over the tiers of this contact (the `wait` of the
    /// summary); a call-back's time on the list does not count.
    pub wait: f64,
    /// Hand-offs within this contact, cold and warm.
    pub cold_handoffs: u32,
    /// See `cold_handoffs`.
    pub warm_handoffs: u32,
    /// How it ended.
    pub outcome: ContactOutcome,
    /// What follows it: `First` for nothing (the journey ended, or the
    /// client is still inside), else the redial or repeat contact
    /// scheduled.
    pub then: ContactKind,
    /// The journey's score when it ended with this contact.
    pub score: Option<JourneyScore>,
}

/// Where a replication hands its contact records (one call per contact
/// of a client arriving after the warm-up, in the order the contacts end,
/// those still inside last).
pub trait ContactSink {
    /// Takes one record.
    fn record(&mut self, contact: &ContactRecord);
}
