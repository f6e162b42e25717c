//! Calendar dates as the contract writes them (`YYYY-MM-DD`, from 1900 on),
//! and the periods of due and discount terms counted from them.

use time::util::days_in_month;

use crate::bindings::erp::customer_group::types::{DueTerms, PeriodUnit};

/// The first year a date may have: the plugin's rule for every date it is
/// given (transactions, rule tables, terms).
pub const FIRST_YEAR: i32 = 1900;

/// A calendar date, comparable. The calendar is the `time` crate's; what
/// the plugin adds is the contract's one format and the 1900 floor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(time::Date);

/// 1970-01-01 as a Julian day number.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

impl Date {
    /// Parses `YYYY-MM-DD`, refusing dates that do not exist (2025-02-29)
    /// and dates before 1900.
    pub fn parse(text: &str) -> Option<Self> {
        // Exactly the contract's form: four, two and two ASCII digits.
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shape {
            return None;
        }
        let number = |range: std::ops::Range<usize>| {
            bytes[range]
                .iter()
                .fold(0u16, |n, digit| n * 10 + u16::from(digit - b'0'))
        };
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
        // Whether the day exists is the calendar's call.
        let date =
            time::Date::from_calendar_date(i32::from(year), month, u8::try_from(day).ok()?).ok()?;
        (date.year() >= FIRST_YEAR).then_some(Self(date))
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        i64::from(self.0.to_julian_day() - UNIX_EPOCH_JULIAN_DAY)
    }

    /// The date `days` after 1970-01-01 (the calendar's last, 9999-12-31,
    /// when later).
    pub fn from_days(days: i64) -> Self {
        let julian = days
            .saturating_add(i64::from(UNIX_EPOCH_JULIAN_DAY))
            .clamp(0, i64::from(time::Date::MAX.to_julian_day()));
        Self(
            i32::try_from(julian)
                .ok()
                .and_then(|day| time::Date::from_julian_day(day).ok())
                .unwrap_or(time::Date::MAX),
        )
    }

    /// The date `count` months later: on `day` of that month when given (31
    /// or past the month's end: its last day), else on the same day (or the
    /// month's last day, when shorter). Past 9999, December 9999.
    pub fn add_months(self, count: u32, day: Option<u8>) -> Self {
        let months = i64::from(u8::from(self.0.month())) - 1 + i64::from(count);
        let (year, month) = match i32::try_from(i64::from(self.0.year()) + months / 12) {
            Ok(year) if year <= time::Date::MAX.year() => (year, months % 12 + 1),
            _ => (time::Date::MAX.year(), 12),
        };
        let month = u8::try_from(month)
            .ok()
            .and_then(|m| time::Month::try_from(m).ok())
            .unwrap_or(time::Month::December);
        let day = day
            .unwrap_or(self.0.day())
            .clamp(1, days_in_month(month, year));
        Self(time::Date::from_calendar_date(year, month, day).unwrap_or(time::Date::MAX))
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
        let d = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}",
            d.year(),
            u8::from(d.month()),
            d.day()
        )
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
            "1899-12-31",
            "+02025-01-01",
            "2025-01-01T00:00",
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
        assert_eq!(d("2024-01-31").add_months(1, None), d("2024-02-29"));
        assert_eq!(d("2026-05-31").add_months(1, Some(15)), d("2026-06-15"));
        assert_eq!(
            d("9999-11-30").add_months(5, None),
            d("9999-12-01").add_months(0, Some(30))
        );
        assert_eq!(Date::from_days(d("1900-01-01").days()), d("1900-01-01"));
        assert_eq!(
            d("9999-12-31").after(&DueTerms {
                count: 30,
                unit: PeriodUnit::Days,
                day: None
            }),
            d("9999-12-31")
        );
    }
}
