//! Calendar values of the schema: a full `Date` (`YYYY-MM-DD`) and a `Month` (`YYYY-MM`).
//!
//! Events are recorded to the month because exact dates can identify people; only
//! administrative dates (`last_reviewed`, `review_date`, …) are full dates.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

impl Date {
    /// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day).
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return None;
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(Date)
    }

    /// Why `text`, written in the right shape (`YYYY-MM-DD`), is not a date: "there is no
    /// month 13", "2026 has no 30 February". None when it has the wrong shape or is a date.
    pub fn why_not(text: &str) -> Option<String> {
        let parts: Vec<u32> = text
            .split('-')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [year, month, day] = parts.as_slice() else {
            return None;
        };
        if text.len() != 10 || Date::parse(text).is_some() {
            return None;
        }
        if !(1..=12).contains(month) {
            return Some(format!("there is no month {month}"));
        }
        let name = MONTH_NAMES[*month as usize - 1];
        Some(if *day == 0 {
            "days start at 1".to_owned()
        } else if *month == 2 && *day == 29 {
            format!("{year} is not a leap year: February {year} has 28 days")
        } else {
            format!("{year} has no {day} {name}")
        })
    }

    /// Builds a date from its parts, if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).map(Date)
    }

    /// Today's date on this machine, or `CASEBOOK_TODAY` (`YYYY-MM-DD`) when set, so that
    /// checks that depend on the date are reproducible.
    pub fn today() -> Date {
        std::env::var("CASEBOOK_TODAY")
            .ok()
            .and_then(|v| Date::parse(v.trim()))
            .unwrap_or_else(|| Date(chrono::Local::now().date_naive()))
    }

    /// Day of the month, 1–31.
    pub fn day(self) -> u32 {
        chrono::Datelike::day(&self.0)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// The month this date falls in.
    pub fn month(self) -> Month {
        Month {
            year: self.0.year(),
            month: self.0.month(),
        }
    }

    /// Whole months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Date) -> i64 {
        let mut months = later.month().index() - self.month().index();
        if later.0.day() < self.0.day() {
            months -= 1;
        }
        months
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The months' names, January first.
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar month written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Four-digit year.
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    /// Parses exactly `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Month> {
        let b = text.as_bytes();
        let shape = b.len() == 7
            && b[4] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit());
        if !shape {
            return None;
        }
        let year = text[..4].parse().ok()?;
        let month = text[5..].parse().ok()?;
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    /// The same month `years` later.
    pub fn plus_years(self, years: u32) -> Month {
        Month {
            year: self.year + years as i32,
            month: self.month,
        }
    }

    /// The month `months` later (earlier when negative).
    pub fn plus_months(self, months: i64) -> Month {
        let index = self.index() + months;
        Month {
            year: index.div_euclid(12) as i32,
            month: (index.rem_euclid(12) + 1) as u32,
        }
    }

    /// The month in words: `October 2020`.
    pub fn long(self) -> String {
        let name = MONTH_NAMES
            .get(self.month as usize - 1)
            .copied()
            .unwrap_or("?");
        format!("{name} {}", self.year)
    }

    /// A number that grows by one each month, for comparisons and differences.
    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_only_in_schema_form() {
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2023-13-45",
            "2023-1-05",
            "05/01/2023",
            "2023-01-05x",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn months_parse_and_add_years() {
        let m = Month::parse("2020-10").unwrap();
        assert_eq!(m.plus_years(10).to_string(), "2030-10");
        for bad in ["2020-13", "2020-00", "2020-1", "2020/10", "2020-10-01"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn whole_months_between_dates() {
        let a = Date::parse("2025-03-10").unwrap();
        assert_eq!(a.months_until(Date::parse("2026-03-10").unwrap()), 12);
        assert_eq!(a.months_until(Date::parse("2026-03-09").unwrap()), 11);
        assert_eq!(Month::parse("2020-10").unwrap().long(), "October 2020");
        assert_eq!(
            Date::why_not("2026-02-30").as_deref(),
            Some("2026 has no 30 February")
        );
        assert_eq!(
            Date::why_not("2025-02-29").as_deref(),
            Some("2025 is not a leap year: February 2025 has 28 days")
        );
        assert_eq!(
            Date::why_not("2026-13-45").as_deref(),
            Some("there is no month 13")
        );
        assert_eq!(
            Date::why_not("2026-04-31").as_deref(),
            Some("2026 has no 31 April")
        );
        assert_eq!(Date::why_not("2024-02-29"), None);
        assert_eq!(Date::why_not("12/03/2024"), None);
        let m = Month::parse("2020-10").unwrap();
        assert_eq!(m.plus_months(-6).to_string(), "2020-04");
        assert_eq!(m.plus_months(3).to_string(), "2021-01");
        assert_eq!(m.plus_months(-10).to_string(), "2019-12");
    }
}
