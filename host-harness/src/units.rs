//! Money and percentages as people type them, and back: exact decimal
//! parsing into integer minor units and basis points, never floating point.

/// Why a typed amount or percentage was not understood.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UnitError {
    /// Not an amount.
    #[error(
        "{0:?} is not an amount: write digits with at most two decimals after a point, e.g. 1500000.50"
    )]
    NotAnAmount(String),
    /// Not a percentage.
    #[error("{0:?} is not a percentage: write e.g. 2.5 or 2.5%")]
    NotAPercentage(String),
    /// Too large to hold.
    #[error("{0:?} is too large")]
    TooLarge(String),
    /// Not an amount in a currency with this many decimals.
    #[error(
        "{text:?} is not an amount in {currency}: write digits with at most {decimals} decimal(s) after a point"
    )]
    NotInCurrency {
        /// The text.
        text: String,
        /// The currency.
        currency: String,
        /// Its decimals.
        decimals: u32,
    },
    /// Not an exchange rate.
    #[error(
        "{0:?} is not an exchange rate: write a number more than 0 with at most 9 decimals, e.g. 15500 or 0.0000645"
    )]
    NotARate(String),
    /// Not a currency and its rate.
    #[error("{0:?} is not a currency and its rate: write CUR=RATE, e.g. USD=15500")]
    NotARatePair(String),
}

/// An unsigned decimal with at most `decimals` digits after the point, in
/// units of 10^-decimals: `None` if malformed, `Some(None)` if too large.
fn scaled(text: &str, decimals: u32) -> Option<Option<u64>> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || frac.len() > decimals as usize || !digits(frac) {
        return None;
    }
    let unit = 10u64.pow(decimals);
    let frac: u64 = if decimals == 0 {
        0
    } else {
        format!("{frac:0<width$}", width = decimals as usize)
            .parse()
            .unwrap_or(0)
    };
    Some(
        whole
            .parse::<u64>()
            .ok()
            .and_then(|w| w.checked_mul(unit))
            .and_then(|w| w.checked_add(frac)),
    )
}

/// Parses an amount of a currency with `decimals` decimals into minor units.
pub fn parse_amount(text: &str, currency: &str, decimals: u32) -> Result<i64, UnitError> {
    let t = text.trim().replace('_', "");
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.as_str()),
    };
    let minor = scaled(t, decimals.min(4))
        .ok_or_else(|| UnitError::NotInCurrency {
            text: text.to_owned(),
            currency: currency.to_owned(),
            decimals,
        })?
        .and_then(|h| i64::try_from(h).ok())
        .ok_or_else(|| UnitError::TooLarge(text.to_owned()))?;
    Ok(if negative { -minor } else { minor })
}

/// Shows minor units of a currency with `decimals` decimals.
pub fn amount_text(minor: i64, decimals: u32) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if decimals == 0 {
        return format!("{sign}{abs}");
    }
    let unit = 10u64.pow(decimals.min(4));
    format!(
        "{sign}{}.{:0width$}",
        abs / unit,
        abs % unit,
        width = decimals.min(4) as usize
    )
}

/// A currency and its rate, `CUR=RATE` (e.g. `USD=15500`): the code in
/// capitals and the rate as [`parse_rate`] reads it.
pub fn parse_rate_pair(text: &str) -> Result<(String, u64), UnitError> {
    let (currency, rate) = text
        .split_once('=')
        .filter(|(c, _)| !c.trim().is_empty())
        .ok_or_else(|| UnitError::NotARatePair(text.to_owned()))?;
    Ok((currency.trim().to_ascii_uppercase(), parse_rate(rate)?))
}

/// Parses an exchange rate (units of one currency per unit of another) into
/// billionths; more than 0.
pub fn parse_rate(text: &str) -> Result<u64, UnitError> {
    let t = text.trim().replace('_', "");
    match scaled(&t, 9) {
        Some(Some(nanos)) if nanos > 0 => Ok(nanos),
        Some(None) => Err(UnitError::TooLarge(text.to_owned())),
        _ => Err(UnitError::NotARate(text.to_owned())),
    }
}

/// Shows a rate in billionths without trailing zeros.
pub fn rate_text(nanos: u64) -> String {
    let text = format!("{}.{:09}", nanos / 1_000_000_000, nanos % 1_000_000_000);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

// Amounts are typed and shown with two decimals: minor units are hundredths,
// like basis points are hundredths of a percent.

/// An unsigned decimal with at most two digits after the point, in
/// hundredths; `None` when it is not one, `Some(None)` when it overflows.
fn hundredths(text: &str) -> Option<Option<u64>> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || frac.len() > 2 || !digits(frac) {
        return None;
    }
    let frac: u64 = format!("{frac:0<2}").parse().unwrap_or(0);
    Some(
        whole
            .parse::<u64>()
            .ok()
            .and_then(|w| w.checked_mul(100))
            .and_then(|w| w.checked_add(frac)),
    )
}

/// Parses an amount with at most two decimals (`1500000`, `1500000.50`,
/// `1_500_000`) into minor units. Commas are refused: `1.000,00` and
/// `1,000.00` mean different things in different countries.
pub fn parse_money(text: &str) -> Result<i64, UnitError> {
    let t = text.trim().replace('_', "");
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.as_str()),
    };
    let minor = hundredths(t)
        .ok_or_else(|| UnitError::NotAnAmount(text.to_owned()))?
        .and_then(|h| i64::try_from(h).ok())
        .ok_or_else(|| UnitError::TooLarge(text.to_owned()))?;
    Ok(if negative { -minor } else { minor })
}

/// Shows minor units as an amount with two decimals.
pub fn money_text(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Parses a percentage with at most two decimals (`2.5`, `2.5%`) into basis points.
pub fn parse_percent(text: &str) -> Result<u32, UnitError> {
    hundredths(text.trim().trim_end_matches('%'))
        .ok_or_else(|| UnitError::NotAPercentage(text.to_owned()))?
        .and_then(|h| u32::try_from(h).ok())
        .ok_or_else(|| UnitError::TooLarge(text.to_owned()))
}

/// Shows basis points as a percentage.
pub fn percent_text(bp: u32) -> String {
    let (whole, frac) = (bp / 100, bp % 100);
    match frac {
        0 => format!("{whole}%"),
        f if f % 10 == 0 => format!("{whole}.{}%", f / 10),
        f => format!("{whole}.{f:02}%"),
    }
}

/// The rate the plugin gets: base minor units per minor unit of `currency`.
pub fn minor_rate(rate_nanos: u64, from_decimals: u32, base_decimals: u32) -> Option<u64> {
    let rate = u128::from(rate_nanos);
    let scaled = if base_decimals >= from_decimals {
        rate.checked_mul(10u128.pow(base_decimals - from_decimals))?
    } else {
        let div = 10u128.pow(from_decimals - base_decimals);
        // A rate finer than a billionth of a minor unit is rounded half up.
        (rate + div / 2) / div
    };
    u64::try_from(scaled).ok().filter(|r| *r > 0)
}

/// `value * rate / 1e9`, rounded half away from zero: a minor-unit amount in
/// base minor units (the same conversion the plugin documents).
pub fn to_base(value: i64, minor_rate: u64) -> Option<i64> {
    if minor_rate == 1_000_000_000 {
        return Some(value);
    }
    let product = i128::from(value) * i128::from(minor_rate);
    let (one, half) = (1_000_000_000i128, 500_000_000i128);
    let rounded = if product >= 0 {
        (product + half) / one
    } else {
        (product - half) / one
    };
    i64::try_from(rounded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_exact() {
        for (text, minor) in [
            ("1500000", 150_000_000),
            ("1500000.5", 150_000_050),
            ("0.01", 1),
            ("1_000.25", 100_025),
            ("-3.10", -310),
        ] {
            assert_eq!(parse_money(text).expect(text), minor, "{text}");
        }
        for bad in [
            "1,000.00",
            "1.000,00",
            "1.234",
            "abc",
            "",
            ".5",
            "99999999999999999999",
        ] {
            assert!(parse_money(bad).is_err(), "{bad}");
        }
        assert_eq!(money_text(150_000_050), "1500000.50");
        assert_eq!(money_text(-310), "-3.10");
    }
}
