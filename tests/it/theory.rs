//! Queueing theory: the simulator against closed forms from `tiersim::analytic`.
