//! Seeded tabular sets for the course's two rare-event stories:
//! - `transactions`: card payments with a small share of fraud, for the accuracy trap
//!   (always answering "legit" is 99.5% accurate) and for error costs and thresholds.
//! - `traffic`: one minute of one machine's network activity, with rare injected attacks,
//!   for anomaly detection without labels (an autoencoder's reconstruction error).
//!
//! Both draw the labels first (exactly `round(n * rate)` positives, at least one, in
//! shuffled positions), then each row from its class. The rare class is not a simple
//! threshold on one column: each comes in a few patterns, and part of each pattern looks
//! like ordinary rows, so models must combine features and still make some mistakes.

use super::synth::{categorical, numeric};
use super::table::Table;
use crate::base::rng::Rng;

/// Labels with exactly `max(1, round(n * rate))` ones in random positions.
fn rare_labels(n: usize, rate: f64, rng: &mut Rng) -> Vec<bool> {
    let n_pos = ((n as f64 * rate).round() as usize).clamp(1, n.saturating_sub(1).max(1));
    let mut labels: Vec<bool> = (0..n).map(|i| i < n_pos).collect();
    rng.shuffle(&mut labels);
    labels
}

fn lognormal(rng: &mut Rng, median: f64, sigma: f64) -> f64 {
    median * libm::exp(sigma * rng.normal())
}

fn exponential(rng: &mut Rng, mean: f64) -> f64 {
    -mean * libm::log(1.0 - rng.uniform())
}

/// Poisson count (Knuth's method; the means used here are small).
fn poisson(rng: &mut Rng, mean: f64) -> f64 {
    let limit = libm::exp(-mean);
    let (mut k, mut p) = (0.0, rng.uniform());
    while p > limit {
        k += 1.0;
        p *= rng.uniform();
    }
    k
}

/// An index drawn with probability proportional to `weights`.
fn pick(rng: &mut Rng, weights: &[f64]) -> usize {
    let mut u = rng.uniform() * weights.iter().sum::<f64>();
    for (i, w) in weights.iter().enumerate() {
        if u < *w {
            return i;
        }
        u -= w;
    }
    weights.len() - 1
}

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.uniform() < p
}

/// `v` rounded to a multiple of 1/`scale` (`scale` a power of ten: dividing by it gives
/// the double nearest the decimal, so it prints short).
fn round_to(v: f64, scale: f64) -> f64 {
    (v * scale).round() / scale
}

pub const MERCHANT_CATEGORIES: [&str; 9] = [
    "grocery",
    "restaurant",
    "fuel",
    "online_retail",
    "entertainment",
    "pharmacy",
    "travel",
    "electronics",
    "gift_cards",
];
const LEGIT_MIX: [f64; 9] = [0.24, 0.19, 0.11, 0.18, 0.09, 0.06, 0.04, 0.06, 0.03];
const MEDIAN_AMOUNT: [f64; 9] = [45.0, 28.0, 50.0, 55.0, 30.0, 22.0, 320.0, 180.0, 50.0];
/// Relative number of ordinary payments in each hour of the day, 0h to 23h.
const HOUR_WEIGHTS: [f64; 24] = [
    1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.5, 4.0, 5.0, 5.5, 6.0, 7.0, 6.5, 6.0, 6.0, 6.5, 7.5, 8.0, 7.5, 6.0, 4.5, 3.0,
    2.0,
];
const TRAVEL: usize = 6;
const ELECTRONICS: usize = 7;

struct Payment {
    amount: f64,
    hour: f64,
    category: usize,
    device_age_days: f64,
    account_age_days: f64,
    velocity_1h: f64,
    distance_from_home_km: f64,
}

fn legit_payment(rng: &mut Rng) -> Payment {
    let category = pick(rng, &LEGIT_MIX);
    let account_age_days = 30.0 + exponential(rng, 1100.0);
    // Usually an old phone or laptop; sometimes a new one (never older than the account).
    let device = if chance(rng, 0.06) { rng.below(8) as f64 } else { 8.0 + exponential(rng, 500.0) };
    let distance = if category == TRAVEL { lognormal(rng, 400.0, 1.0) } else { lognormal(rng, 6.0, 1.0) };
    Payment {
        amount: lognormal(rng, MEDIAN_AMOUNT[category], 0.8),
        hour: pick(rng, &HOUR_WEIGHTS) as f64,
        category,
        device_age_days: device.min(account_age_days),
        account_age_days,
        velocity_1h: poisson(rng, 0.35),
        distance_from_home_km: distance,
    }
}

/// A fraudulent payment in one of three patterns, each starting from an ordinary one:
/// card testing (tiny amounts in quick succession online), account takeover (new device,
/// far away, big electronics or gift-card purchases, often at night), and a stolen card
/// used in shops (close to ordinary, only somewhat larger, further and later).
fn fraud_payment(rng: &mut Rng) -> Payment {
    let mut p = legit_payment(rng);
    match pick(rng, &[0.3, 0.4, 0.3]) {
        0 => {
            p.category = [3, 4, 8][pick(rng, &[0.5, 0.2, 0.3])];
            p.amount = lognormal(rng, 4.0, 0.7);
            p.hour = rng.below(24) as f64;
            p.velocity_1h = 1.0 + poisson(rng, 3.5);
            if chance(rng, 0.4) {
                p.device_age_days = rng.below(8) as f64;
            }
        }
        1 => {
            p.category = [7, 8, 3, 6][pick(rng, &[0.35, 0.25, 0.25, 0.15])];
            p.amount = lognormal(rng, 350.0, 0.8);
            if chance(rng, 0.5) {
                p.hour = rng.below(6) as f64;
            }
            if chance(rng, 0.75) {
                p.device_age_days = rng.below(4) as f64;
            }
            p.velocity_1h = poisson(rng, 1.0);
            if chance(rng, 0.6) {
                p.distance_from_home_km = lognormal(rng, 250.0, 1.2);
            }
        }
        _ => {
            let mut mix = LEGIT_MIX;
            mix[ELECTRONICS] *= 3.0;
            p.category = pick(rng, &mix);
            p.amount = lognormal(rng, 90.0, 0.9);
            if chance(rng, 0.3) {
                p.hour = rng.below(6) as f64;
            }
            p.velocity_1h = poisson(rng, 0.8);
            p.distance_from_home_km = lognormal(rng, 25.0, 1.2);
            if chance(rng, 0.5) {
                p.account_age_days = 30.0 + exponential(rng, 90.0);
                p.device_age_days = p.device_age_days.min(p.account_age_days);
            }
        }
    }
    p
}

/// Card payments, one per row: amount, hour (0-23), merchant_category (text),
/// device_age_days, account_age_days, velocity_1h (the card's other payments in the past
/// hour), distance_from_home_km, and is_fraud (1 for fraud, about `fraud_rate` of rows).
pub fn transactions(n: usize, fraud_rate: f64, rng: &mut Rng) -> Table {
    let payments: Vec<(Payment, bool)> = rare_labels(n, fraud_rate, rng)
        .into_iter()
        .map(|fraud| (if fraud { fraud_payment(rng) } else { legit_payment(rng) }, fraud))
        .collect();
    let col = |f: fn(&Payment) -> f64| payments.iter().map(|(p, _)| f(p)).collect::<Vec<f64>>();
    Table {
        notes: vec![],
        columns: vec![
            numeric("amount", col(|p| round_to(p.amount.max(0.5), 100.0))),
            numeric("hour", col(|p| p.hour)),
            categorical(
                "merchant_category",
                payments.iter().map(|(p, _)| p.category as u32).collect(),
                &MERCHANT_CATEGORIES,
            ),
            numeric("device_age_days", col(|p| p.device_age_days.floor())),
            numeric("account_age_days", col(|p| p.account_age_days.floor())),
            numeric("velocity_1h", col(|p| p.velocity_1h)),
            numeric("distance_from_home_km", col(|p| round_to(p.distance_from_home_km, 10.0))),
            numeric("is_fraud", payments.iter().map(|(_, f)| f64::from(u8::from(*f))).collect()),
        ],
    }
}

/// One machine's network activity during one minute.
struct Minute {
    connections: f64,
    duration_s: f64,
    bytes_in: f64,
    bytes_out: f64,
    packets: f64,
    distinct_ports: f64,
    failed_logins: f64,
}

/// Ordinary activity follows two hidden factors, so the columns move together: how busy
/// the machine is (connections, ports, bytes, packets) and how big its transfers are
/// (bytes per connection, uploads ~1/8 of downloads, and duration). One machine-minute in
/// six is quiet background chatter (few, tiny connections). Packets carry ~850 bytes; now
/// and then someone mistypes a password.
fn normal_minute(rng: &mut Rng) -> Minute {
    let (connections, size) = if chance(rng, 1.0 / 6.0) {
        (1.0 + poisson(rng, 1.5), lognormal(rng, 2_000.0, 0.4))
    } else {
        ((8.0 * lognormal(rng, 1.0, 0.3)).round().max(1.0), lognormal(rng, 30_000.0, 0.25))
    };
    let bytes_in = connections * size * lognormal(rng, 1.0, 0.1);
    let bytes_out = connections * size * lognormal(rng, 0.13, 0.1);
    Minute {
        connections,
        duration_s: size / 15_000.0 * lognormal(rng, 1.0, 0.1),
        bytes_in,
        bytes_out,
        packets: ((bytes_in + bytes_out) / lognormal(rng, 850.0, 0.05)).ceil(),
        distinct_ports: (1.0 + connections * lognormal(rng, 0.2, 0.15)).round().min(connections),
        failed_logins: poisson(rng, 0.02),
    }
}

/// An attack in one of four patterns. Most values stay inside the ordinary range; what
/// gives an attack away is how they fit together:
/// - port scan: an ordinary number of connections, but to many ports, each tiny and short;
/// - exfiltration: uploads above downloads, over few, long connections;
/// - password guessing: several failed logins, small connections, one port;
/// - flood: an ordinary packet count, but the packets are nearly empty.
fn anomalous_minute(rng: &mut Rng) -> Minute {
    let mut m = normal_minute(rng);
    match pick(rng, &[0.3, 0.3, 0.2, 0.2]) {
        0 => {
            m.connections = 8.0 + poisson(rng, 8.0);
            m.distinct_ports = (m.connections * (0.4 + 0.4 * rng.uniform())).round().max(5.0);
            m.bytes_in = m.connections * lognormal(rng, 150.0, 0.4);
            m.bytes_out = m.connections * lognormal(rng, 120.0, 0.4);
            m.packets = (m.connections * (1.0 + rng.uniform())).ceil();
            m.duration_s = lognormal(rng, 0.1, 0.5);
        }
        1 => {
            m.connections = 1.0 + poisson(rng, 3.0);
            m.bytes_out = m.connections * lognormal(rng, 25_000.0, 0.3);
            m.bytes_in = m.connections * lognormal(rng, 4_000.0, 0.4);
            m.packets = ((m.bytes_in + m.bytes_out) / lognormal(rng, 1_200.0, 0.1)).ceil();
            m.duration_s = lognormal(rng, 4.5, 0.25);
        }
        2 => {
            m.failed_logins = 2.0 + poisson(rng, 2.5);
            m.connections = m.failed_logins + poisson(rng, 2.0);
            m.distinct_ports = 1.0;
            m.bytes_in = m.connections * lognormal(rng, 2_000.0, 0.3);
            m.bytes_out = m.connections * lognormal(rng, 1_500.0, 0.3);
            m.packets = ((m.bytes_in + m.bytes_out) / lognormal(rng, 250.0, 0.2)).ceil();
            m.duration_s = lognormal(rng, 0.8, 0.4);
        }
        _ => {
            m.bytes_in = m.packets * lognormal(rng, 70.0, 0.1);
            m.bytes_out = m.packets * lognormal(rng, 40.0, 0.1);
            m.duration_s = lognormal(rng, 0.5, 0.4);
        }
    }
    m
}

/// Network activity, one row per machine-minute: connections, duration_s (mean
/// connection length), bytes_in, bytes_out, packets, distinct_ports, failed_logins, and
/// is_anomaly (1 for an injected attack, about `anomaly_rate` of rows).
pub fn traffic(n: usize, anomaly_rate: f64, rng: &mut Rng) -> Table {
    let minutes: Vec<(Minute, bool)> = rare_labels(n, anomaly_rate, rng)
        .into_iter()
        .map(|bad| (if bad { anomalous_minute(rng) } else { normal_minute(rng) }, bad))
        .collect();
    let col = |f: fn(&Minute) -> f64| minutes.iter().map(|(m, _)| f(m)).collect::<Vec<f64>>();
    Table {
        notes: vec![],
        columns: vec![
            numeric("connections", col(|m| m.connections)),
            numeric("duration_s", col(|m| round_to(m.duration_s, 1000.0))),
            numeric("bytes_in", col(|m| m.bytes_in.round())),
            numeric("bytes_out", col(|m| m.bytes_out.round())),
            numeric("packets", col(|m| m.packets)),
            numeric("distinct_ports", col(|m| m.distinct_ports)),
            numeric("failed_logins", col(|m| m.failed_logins)),
            numeric("is_anomaly", minutes.iter().map(|(_, b)| f64::from(u8::from(*b))).collect()),
        ],
    }
}
