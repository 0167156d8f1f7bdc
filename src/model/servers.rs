//! How many servers a tier has: one explicit type (fixed, rostered,
//! unlimited) instead of a `u32::MAX` sentinel and a flag.

/// How a tier is staffed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Servers {
    /// This many servers always on duty (blocks of non-client work may
    /// still take some of them off clients).
    Fixed(u32),
    /// Servers on duty follow the tier's roster (its own shifts or its
    /// groups'): at most this many, the roster's peak.
    Rostered(u32),
    /// Every client is served at once (a chatbot or self-service tier).
    Unlimited,
}

impl Default for Servers {
    /// No servers: an empty result's.
    fn default() -> Servers {
        Servers::Fixed(0)
    }
}

impl Servers {
    /// The number of servers (a roster's peak); `None` when unlimited.
    pub fn count(self) -> Option<u32> {
        match self {
            Servers::Fixed(n) | Servers::Rostered(n) => Some(n),
            Servers::Unlimited => None,
        }
    }

    /// Every client is served at once (a chatbot).
    pub fn is_unlimited(self) -> bool {
        self == Servers::Unlimited
    }

    /// The same staffing with `n` servers (an unlimited tier stays
    /// unlimited).
    pub fn with_count(self, n: u32) -> Servers {
        match self {
            Servers::Fixed(_) => Servers::Fixed(n),
            Servers::Rostered(_) => Servers::Rostered(n),
            Servers::Unlimited => Servers::Unlimited,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Servers;

    #[test]
    fn count_and_unlimited() {
        assert_eq!(Servers::Fixed(3).count(), Some(3));
        assert_eq!(Servers::Rostered(5).count(), Some(5));
        assert_eq!(Servers::Unlimited.count(), None);
        assert!(Servers::Unlimited.is_unlimited());
        assert!(!Servers::Fixed(1).is_unlimited());
        assert_eq!(Servers::Fixed(3).with_count(4), Servers::Fixed(4));
        assert_eq!(Servers::Rostered(3).with_count(4), Servers::Rostered(4));
        assert_eq!(Servers::Unlimited.with_count(4), Servers::Unlimited);
    }
}
