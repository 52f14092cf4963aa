use super::*;
use chrono::Datelike;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The dates a rule falls on in a range, without sighting data.
fn dates(rule: &str, cal: CalendarKind, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, bool)> {
    Rule::parse(rule, cal)
        .unwrap_or_else(|e| panic!("{rule}: {e}"))
        .dates(cal, from, to, &MonthStarts::default())
        .into_iter()
        .map(|d| (d.start, d.estimated))
        .collect()
}

#[test]
fn rules_fall_on_published_dates() {
    use CalendarKind::*;
    // (rule, calendar, a day in the year, expected date, source)
    let table: &[(&str, CalendarKind, NaiveDate, NaiveDate, &str)] = &[
        (
            "yearly 1 Farvardin",
            Persian,
            ymd(2026, 1, 1),
            ymd(2026, 3, 21),
            "Nowruz 1405",
        ),
        (
            "yearly 01-01",
            Persian,
            ymd(2027, 1, 1),
            ymd(2027, 3, 21),
            "Nowruz 1406",
        ),
        (
            "yearly ۱ فروردین",
            Persian,
            ymd(2028, 1, 1),
            ymd(2028, 3, 20),
            "Nowruz 1407",
        ),
        (
            "yearly last Esfand",
            Persian,
            ymd(2025, 1, 1),
            ymd(2025, 3, 20),
            "30 Esfand 1403 (leap)",
        ),
        (
            "yearly last 12",
            Persian,
            ymd(2026, 1, 1),
            ymd(2026, 3, 20),
            "29 Esfand 1404",
        ),
        (
            "yearly 30 Azar",
            Persian,
            ymd(2025, 6, 1),
            ymd(2025, 12, 21),
            "Yalda 1404",
        ),
        (
            "yearly 30 آذر",
            Persian,
            ymd(2028, 6, 1),
            ymd(2028, 12, 20),
            "Yalda 1407",
        ),
        (
            "yearly 1 Mehr",
            Persian,
            ymd(2025, 6, 1),
            ymd(2025, 9, 23),
            "school 1404",
        ),
        (
            "yearly 1 Mehr",
            Persian,
            ymd(2028, 6, 1),
            ymd(2028, 9, 22),
            "school 1407",
        ),
        (
            "yearly 31 Tir",
            Persian,
            ymd(2026, 6, 1),
            ymd(2026, 7, 22),
            "tax return 1405",
        ),
        (
            "yearly 12-20",
            Gregorian,
            ymd(2026, 1, 1),
            ymd(2026, 12, 20),
            "Gregorian MM-DD",
        ),
        (
            "yearly 20 Dec",
            Gregorian,
            ymd(2026, 1, 1),
            ymd(2026, 12, 20),
            "Gregorian name",
        ),
        // Umm al-Qura; Iran's announced dates come from the sighting table.
        (
            "yearly 1 Ramadan",
            Islamic,
            ymd(2026, 1, 1),
            ymd(2026, 2, 18),
            "Ramadan 1447 (Umm al-Qura)",
        ),
        (
            "yearly 1 Shawwal",
            Islamic,
            ymd(2025, 1, 1),
            ymd(2025, 3, 30),
            "Eid al-Fitr 1446 (Umm al-Qura)",
        ),
        (
            "yearly 1 رمضان",
            Islamic,
            ymd(2027, 1, 1),
            ymd(2027, 2, 8),
            "Ramadan 1448 (yaml sample)",
        ),
    ];
    for (rule, cal, year_of, expected, what) in table {
        let from = ymd(year_of.year(), 1, 1);
        let to = ymd(year_of.year(), 12, 31);
        let got = dates(rule, *cal, from, to);
        assert_eq!(
            got.first().map(|d| d.0),
            Some(*expected),
            "{what}: `{rule}` gave {got:?}"
        );
        assert_eq!(got[0].1, *cal == Islamic, "{what}: estimated flag");
    }
}

#[test]
fn lunar_dates_move_about_eleven_days_a_year() {
    let d = dates(
        "yearly 9 Muharram",
        CalendarKind::Islamic,
        ymd(2024, 1, 1),
        ymd(2027, 12, 31),
    );
    let starts: Vec<NaiveDate> = d.iter().map(|x| x.0).collect();
    assert_eq!(starts.len(), 4, "{starts:?}");
    for w in starts.windows(2) {
        let gap = (w[1] - w[0]).num_days();
        assert!((353..=356).contains(&gap), "{w:?}");
    }
    // Iran: Tasua 2024-07-15, 2025-07-05, 2026-06-24 (python `holidays` IR); Umm al-Qura
    // may be a day early.
    for (got, iran) in starts
        .iter()
        .zip([ymd(2024, 7, 15), ymd(2025, 7, 5), ymd(2026, 6, 24)])
    {
        assert!((*got - iran).num_days().abs() <= 1, "{got} vs {iran}");
    }
}

#[test]
fn sighted_months_replace_computed_dates() {
    let mut sighted = MonthStarts::default();
    sighted.insert(1447, 1, ymd(2025, 6, 27));
    let rule = Rule::parse("yearly 10 Muharram", CalendarKind::Islamic).unwrap();
    let d = rule.dates(
        CalendarKind::Islamic,
        ymd(2025, 1, 1),
        ymd(2025, 12, 31),
        &sighted,
    );
    assert_eq!(d[0].start, ymd(2025, 7, 6), "Ashura 1447 in Iran");
    assert!(!d[0].estimated);
    assert_eq!(
        (d[0].native.year, d[0].native.month, d[0].native.day),
        (1447, 1, 10)
    );
}

#[test]
fn every_n_years_counts_from_the_anchor_both_ways() {
    let d = dates(
        "every 4 years from 2024-06-28",
        CalendarKind::Gregorian,
        ymd(2019, 1, 1),
        ymd(2033, 1, 1),
    );
    let starts: Vec<NaiveDate> = d.iter().map(|x| x.0).collect();
    assert_eq!(
        starts,
        vec![
            ymd(2020, 6, 28),
            ymd(2024, 6, 28),
            ymd(2028, 6, 28),
            ymd(2032, 6, 28)
        ]
    );
    // A Jalali anchor repeats on the Jalali day: 8 Tir 1403 = 2024-06-28, 8 Tir 1405 =
    // 2026-06-29.
    let j = dates(
        "every 2 years from 1403-04-08",
        CalendarKind::Persian,
        ymd(2026, 1, 1),
        ymd(2026, 12, 31),
    );
    assert_eq!(j[0].0, ymd(2026, 6, 29));
}

#[test]
fn monthly_and_once() {
    let m = dates(
        "monthly last",
        CalendarKind::Persian,
        ymd(2026, 3, 21),
        ymd(2026, 6, 30),
    );
    let starts: Vec<NaiveDate> = m.iter().map(|x| x.0).collect();
    // 31 Farvardin, 31 Ordibehesht, 31 Khordad 1405.
    assert_eq!(
        starts,
        vec![ymd(2026, 4, 20), ymd(2026, 5, 21), ymd(2026, 6, 21)]
    );
    let o = dates(
        "once 2026-03-01, ۱۴۰۵-۰۱-۱۵",
        CalendarKind::Gregorian,
        ymd(2026, 1, 1),
        ymd(2026, 12, 31),
    );
    assert_eq!(
        o.iter().map(|x| x.0).collect::<Vec<_>>(),
        vec![ymd(2026, 3, 1), ymd(2026, 4, 4)]
    );
}

#[test]
fn bad_rules_say_what_to_write() {
    use CalendarKind::*;
    let table: &[(&str, CalendarKind, &str)] = &[
        ("sometimes", Persian, "is not a rule"),
        ("yearly", Persian, "takes a day and a month"),
        (
            "yearly 1 Brumaire",
            Persian,
            "not a month of the persian calendar",
        ),
        (
            "yearly 9 Muharram",
            Persian,
            "month of the islamic calendar",
        ),
        ("yearly 31 Mehr", Persian, "day 31 does not exist in Mehr"),
        ("yearly 31 Ramadan", Islamic, "at most 30 days"),
        ("yearly 13-01", Gregorian, "not a month"),
        ("monthly", Persian, "`monthly` takes one day"),
        ("every 4 years from 2024", Gregorian, "not a full date"),
        (
            "every four years from 2024-06-28",
            Gregorian,
            "not a number of years",
        ),
        (
            "every 4 months from 2024-06-28",
            Gregorian,
            "found `months from`",
        ),
        ("once 1398-13-01", Gregorian, "month 13"),
        ("once", Gregorian, "at least one date"),
    ];
    for (rule, cal, expected) in table {
        let e = Rule::parse(rule, *cal).expect_err(rule).to_string();
        assert!(e.contains(expected), "`{rule}`: {e}");
    }
}
