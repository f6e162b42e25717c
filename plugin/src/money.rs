//! Amounts, percentages and rates as the contract carries them: money in
//! integer minor units (`i64`), percentages in basis points (`u32`,
//! [`FULL_PERCENT`] = 100%), exchange rates in billionths of a base-currency
//! minor unit per minor unit ([`RATE_ONE`] = 1). No floats anywhere.

/// 100% in basis points.
pub const FULL_PERCENT: u32 = 10_000;

/// A rate of exactly 1 in billionths.
pub const RATE_ONE: u64 = 1_000_000_000;

/// A percentage in basis points as people write it: `2.5%`.
pub fn percent_text(bp: u32) -> String {
    let (whole, frac) = (bp / 100, bp % 100);
    if frac == 0 {
        format!("{whole}%")
    } else if frac % 10 == 0 {
        format!("{whole}.{}%", frac / 10)
    } else {
        format!("{whole}.{frac:02}%")
    }
}

/// `value * rate_nanos / 1e9`, rounded half away from zero.
pub fn convert(value: i64, rate_nanos: u64) -> Option<i64> {
    if rate_nanos == RATE_ONE {
        return Some(value);
    }
    // 64-bit arithmetic when it cannot overflow (i128 division is a slow
    // library call on wasm32).
    if let (Ok(rate), true) = (i64::try_from(rate_nanos), value.unsigned_abs() < 1 << 31)
        && rate < 1 << 31
    {
        let product = value * rate;
        let one = RATE_ONE as i64;
        return Some(if product >= 0 {
            (product + one / 2) / one
        } else {
            (product - one / 2) / one
        });
    }
    let product = i128::from(value) * i128::from(rate_nanos);
    let one = i128::from(RATE_ONE);
    let half = one / 2;
    let rounded = if product >= 0 {
        (product + half) / one
    } else {
        (product - half) / one
    };
    i64::try_from(rounded).ok()
}

/// `amount * percent / 100%`, rounded half away from zero.
pub fn percent_of(amount: i64, percent: u32) -> i64 {
    let product = i128::from(amount) * i128::from(percent);
    let full = i128::from(FULL_PERCENT);
    let rounded = if product >= 0 {
        (product + full / 2) / full
    } else {
        (product - full / 2) / full
    };
    // |amount * percent / 10000| <= |amount| for percent <= 100%.
    i64::try_from(rounded).unwrap_or(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_read_like_people_write_them() {
        assert_eq!(percent_text(300), "3%");
        assert_eq!(percent_text(250), "2.5%");
        assert_eq!(percent_text(1), "0.01%");
    }
}
