use super::*;

fn m(y: i32, mo: u32) -> Month {
    Month { year: y, month: mo }
}

#[test]
fn periods_are_read_as_a_coordinator_writes_them() {
    let q = Period::parse("2026-Q3").expect("quarter");
    assert_eq!((q.first, q.last), (m(2026, 7), m(2026, 9)));
    assert_eq!(q.words(), "July to September 2026");
    assert_eq!(
        q.previous(),
        Period {
            first: m(2026, 4),
            last: m(2026, 6)
        }
    );
    let y = Period::parse("2026").expect("year");
    assert_eq!(
        (y.first, y.last, y.words()),
        (m(2026, 1), m(2026, 12), "2026".to_owned())
    );
    assert_eq!(y.previous().words(), "2025");
    let run = Period::parse("2025-11..2026-02").expect("run");
    assert_eq!(run.months(), 4);
    assert_eq!(run.words(), "November 2025 to February 2026");
    assert_eq!(
        run.previous(),
        Period {
            first: m(2025, 7),
            last: m(2025, 10)
        }
    );
    assert_eq!(
        Period::parse("2026-03").expect("month").words(),
        "March 2026"
    );
    let q1 = Period::parse("2026-Q1").expect("q1");
    assert_eq!(
        q1.previous(),
        Period {
            first: m(2025, 10),
            last: m(2025, 12)
        }
    );
    let (start, end) = q.edges();
    assert_eq!(end - start, 92 * 86_400, "July, August and September");
    for bad in [
        "2026-Q5",
        "Q3",
        "2026-13",
        "2026-09..2026-07",
        "26",
        "last quarter",
    ] {
        assert!(Period::parse(bad).is_err(), "{bad}");
    }
}
