//! Precision, recall and F1, as every `dateline eval` command prints them.

/// Precision, recall and F1 in percent from (right, predicted, gold) counts; 0 where a count
/// is 0.
pub fn prf([right, predicted, gold]: [usize; 3]) -> (f64, f64, f64) {
    let p = if predicted == 0 { 0.0 } else { 100.0 * right as f64 / predicted as f64 };
    let r = if gold == 0 { 0.0 } else { 100.0 * right as f64 / gold as f64 };
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f)
}
