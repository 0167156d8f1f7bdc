//! Repeat contacts: what a client whose contact ended with the need
//! unresolved does next. The mechanism itself is in
//! `replication/repeat.rs`.

use crate::engine::Dist;

/// A request type's repeat contacts: a client whose contact ended
/// unresolved comes back through the same entry with probability
/// `probability`, after a delay drawn from `delay`, as the same client.
#[derive(Clone, Debug, PartialEq)]
pub struct Repeat {
    /// P(a new contact | the contact ended unresolved).
    pub probability: f64,
    /// Minutes from the unresolved end to the new contact.
    pub delay: Dist,
}
