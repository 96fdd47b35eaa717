//! Price arithmetic shared by the services.
pub fn with_tax(net_cents: u64, rate_percent: u64) -> u64 {
    net_cents + net_cents * rate_percent / 100
}
