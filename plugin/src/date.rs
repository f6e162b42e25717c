//! Calendar dates as the contract writes them (`YYYY-MM-DD`, from 1900 on),
//! and the periods of due and discount terms counted from them.

use crate::bindings::erp::customer_group::types::{DueTerms, PeriodUnit};

/// A calendar date, comparable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, refusing dates that do not exist (2025-02-29).
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = text.get(range)?;
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let year = number(0..4)?;
        let month = u8::try_from(number(5..7)?).ok()?;
        let day = u8::try_from(number(8..10)?).ok()?;
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (year >= 1900 && (1..=days).contains(&day)).then_some(Self { year, month, day })
    }

    fn month_length(year: u16, month: u8) -> u8 {
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        match month {
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 31,
        }
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Self { year, month, day }
    }

    /// The date `count` months later: on `day` of that month when given (31
    /// or past the month's end: its last day), else on the same day (or the
    /// month's last day, when shorter).
    pub fn add_months(self, count: u32, day: Option<u8>) -> Self {
        let months = i64::from(self.month) - 1 + i64::from(count);
        let year = (i64::from(self.year) + months / 12).min(9999) as u16;
        let month = (months % 12 + 1) as u8;
        let last = Self::month_length(year, month);
        let day = day.unwrap_or(self.day).clamp(1, last);
        Self { year, month, day }
    }

    /// The end of a period starting on this date.
    pub fn after(self, terms: &DueTerms) -> Self {
        match terms.unit {
            PeriodUnit::Days => Self::from_days(self.days() + i64::from(terms.count)),
            PeriodUnit::Weeks => Self::from_days(self.days() + 7 * i64::from(terms.count)),
            PeriodUnit::Months => self.add_months(terms.count, terms.day),
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(Date::parse("2024-02-29").is_some());
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-1-01",
            "20250101",
            "2025-01-32",
            "１２３４-01-01",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2025-01-31") < Date::parse("2025-02-01"));
    }

    #[test]
    fn dates_count_days_and_months() {
        let d = |s: &str| Date::parse(s).expect("date");
        assert_eq!(d("1970-01-01").days(), 0);
        assert_eq!(d("2026-03-01").days() - d("2026-02-01").days(), 28);
        assert_eq!(Date::from_days(d("2024-02-28").days() + 1), d("2024-02-29"));
        assert_eq!(d("2026-01-31").add_months(1, None), d("2026-02-28"));
        assert_eq!(d("2026-11-15").add_months(3, Some(31)), d("2027-02-28"));
    }
}
