//! Virtual hold: a tier that offers its waiting clients a call-back. The
//! mechanism itself is in `replication/virtual_hold.rs`.

/// `tier.callback_offer`: a client who has waited `when_wait_over`
/// minutes in the tier's queue is offered a call-back and takes it with
/// probability `accept`; it then hangs up and is called back (the tier's
/// `callback` rules: success and attempts) when its turn comes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CallbackOffer {
    /// Minutes of waiting on the line before the offer (0: on joining the
    /// queue).
    pub when_wait_over: f64,
    /// P(a client offered the call-back takes it).
    pub accept: f64,
    /// The client keeps its place in the queue (`true`), or goes to the
    /// end of the call-back list, after every live client (`false`).
    pub keep_place: bool,
}
