//! A report's period: a quarter, a year, a month or a run of months, its edges in time and
//! the period before it of the same length.

use super::*;

/// A run of whole months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Period {
    /// First month.
    pub first: Month,
    /// Last month (inclusive).
    pub last: Month,
}

impl Period {
    /// Reads `2026-Q3`, `2026`, `2026-07` or `2026-07..2026-12`.
    pub(crate) fn parse(text: &str) -> std::result::Result<Period, String> {
        let text = text.trim();
        let bad = || {
            format!(
                "`{text}` is not a period: write a quarter (2026-Q3), a year (2026), a month (2026-07) or a run of months (2026-07..2026-12)"
            )
        };
        if let Some((a, b)) = text.split_once("..") {
            let (first, last) = (Month::parse(a.trim()), Month::parse(b.trim()));
            return match (first, last) {
                (Some(f), Some(l)) if f <= l => Ok(Period { first: f, last: l }),
                (Some(_), Some(_)) => Err(format!(
                    "`{text}` ends before it starts: write the earlier month first"
                )),
                _ => Err(bad()),
            };
        }
        if let Some((y, q)) = text.split_once("-Q").or_else(|| text.split_once("-q")) {
            let year: i32 = y.parse().map_err(|_| bad())?;
            let q: u32 = q.parse().map_err(|_| bad())?;
            if !(1..=4).contains(&q) || !(1990..=2999).contains(&year) {
                return Err(bad());
            }
            let first = Month {
                year,
                month: 3 * q - 2,
            };
            return Ok(Period {
                first,
                last: first.plus_months(2),
            });
        }
        if let Some(m) = Month::parse(text) {
            return Ok(Period { first: m, last: m });
        }
        match text.parse::<i32>() {
            Ok(year) if text.len() == 4 && (1990..=2999).contains(&year) => Ok(Period {
                first: Month { year, month: 1 },
                last: Month { year, month: 12 },
            }),
            _ => Err(bad()),
        }
    }

    /// How many months it holds.
    pub(crate) fn months(&self) -> i64 {
        (self.last.year as i64 - self.first.year as i64) * 12 + self.last.month as i64
            - self.first.month as i64
            + 1
    }

    /// The period of the same length just before it.
    pub(crate) fn previous(&self) -> Period {
        Period {
            first: self.first.plus_months(-self.months()),
            last: self.first.plus_months(-1),
        }
    }

    /// Whether `m` falls in it.
    pub(crate) fn contains(&self, m: Month) -> bool {
        self.first <= m && m <= self.last
    }

    /// Its start and its end as instants (seconds since 1970, UTC): the first moment of its
    /// first month, and the first moment after its last.
    pub(crate) fn edges(&self) -> (i64, i64) {
        let at = |m: Month| {
            chrono::NaiveDate::from_ymd_opt(m.year, m.month, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map_or(0, |t| t.and_utc().timestamp())
        };
        (at(self.first), at(self.last.plus_months(1)))
    }

    /// In words: "July to September 2026", "2026", "March 2026".
    pub(crate) fn words(&self) -> String {
        if self.first.month == 1 && self.last.month == 12 && self.first.year == self.last.year {
            return self.first.year.to_string();
        }
        if self.first == self.last {
            return self.first.long();
        }
        let first = self.first.long();
        let first = if self.first.year == self.last.year {
            first
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned()
        } else {
            first
        };
        format!("{first} to {}", self.last.long())
    }
}
