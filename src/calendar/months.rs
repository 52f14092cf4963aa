//! Month names of the three calendars, in English and Persian with the spellings
//! Iranians use (Moharram, Ramazan, Dei…), and calendar ids as written in files.

use super::rule::RuleError;
use crate::dates::{
    CalendarKind, ISLAMIC_MONTHS_EN, ISLAMIC_MONTHS_FA, PERSIAN_MONTHS_EN, PERSIAN_MONTHS_FA,
};
use crate::text::fold_key;

/// The English name of a month, for messages.
pub fn month_name(calendar: CalendarKind, m: u32) -> String {
    let i = (m.clamp(1, 12) - 1) as usize;
    match calendar {
        CalendarKind::Persian => PERSIAN_MONTHS_EN[i].to_string(),
        CalendarKind::Islamic => ISLAMIC_MONTHS_EN[i].to_string(),
        CalendarKind::Gregorian => GREGORIAN_MONTHS_EN[i].to_string(),
    }
}

/// The Persian name of a month.
pub fn month_name_fa(calendar: CalendarKind, m: u32) -> &'static str {
    let i = (m.clamp(1, 12) - 1) as usize;
    match calendar {
        CalendarKind::Persian => PERSIAN_MONTHS_FA[i],
        CalendarKind::Islamic => ISLAMIC_MONTHS_FA[i],
        CalendarKind::Gregorian => GREGORIAN_MONTHS_FA[i],
    }
}

const GREGORIAN_MONTHS_EN: [&str; 12] = [
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

const GREGORIAN_MONTHS_FA: [&str; 12] = [
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
];

/// Other spellings people use for the months (Iranian transliterations).
const ALIASES: &[(CalendarKind, u32, &str)] = &[
    (CalendarKind::Persian, 5, "Amordad"),
    (CalendarKind::Persian, 10, "Dei"),
    (CalendarKind::Islamic, 1, "Moharram"),
    (CalendarKind::Islamic, 3, "Rabi al-Avval"),
    (CalendarKind::Islamic, 3, "Rabi I"),
    (CalendarKind::Islamic, 4, "Rabi II"),
    (CalendarKind::Islamic, 5, "Jumada I"),
    (CalendarKind::Islamic, 6, "Jumada II"),
    (CalendarKind::Islamic, 8, "Shaaban"),
    (CalendarKind::Islamic, 8, "Sha'ban"),
    (CalendarKind::Islamic, 9, "Ramazan"),
    (CalendarKind::Islamic, 9, "رمضان المبارک"),
    (CalendarKind::Islamic, 10, "Shavval"),
    (CalendarKind::Islamic, 11, "Dhu al-Qa'da"),
    (CalendarKind::Islamic, 11, "Zolghadeh"),
    (CalendarKind::Islamic, 12, "Dhu al-Hijja"),
    (CalendarKind::Islamic, 12, "Zolhajjeh"),
];

fn month_key(text: &str) -> String {
    fold_key(text).replace(['\'', '’', '.'], "")
}

/// Every (calendar, month, name) we recognise.
fn all_names() -> impl Iterator<Item = (CalendarKind, u32, &'static str)> {
    let lists: [(CalendarKind, &'static [&'static str; 12]); 6] = [
        (CalendarKind::Persian, &PERSIAN_MONTHS_EN),
        (CalendarKind::Persian, &PERSIAN_MONTHS_FA),
        (CalendarKind::Islamic, &ISLAMIC_MONTHS_EN),
        (CalendarKind::Islamic, &ISLAMIC_MONTHS_FA),
        (CalendarKind::Gregorian, &GREGORIAN_MONTHS_EN),
        (CalendarKind::Gregorian, &GREGORIAN_MONTHS_FA),
    ];
    lists
        .into_iter()
        .flat_map(|(c, names)| {
            names
                .iter()
                .enumerate()
                .map(move |(i, n)| (c, i as u32 + 1, *n))
        })
        .chain(ALIASES.iter().copied())
}

/// The short lowercase name of a calendar, as written in files.
pub fn calendar_id(calendar: CalendarKind) -> &'static str {
    match calendar {
        CalendarKind::Persian => "persian",
        CalendarKind::Islamic => "islamic",
        CalendarKind::Gregorian => "gregorian",
    }
}

/// The 1-based month of `calendar` named by `text` (a number, an English or Persian
/// name, a common alternative spelling or a three-letter Gregorian abbreviation).
pub(crate) fn parse_month(text: &str, calendar: CalendarKind) -> Result<u32, RuleError> {
    if let Ok(m) = text.parse::<u32>() {
        if (1..=12).contains(&m) {
            return Ok(m);
        }
    }
    let key = month_key(text);
    // Three-letter Gregorian abbreviations (Jan, Feb…) as well as full names.
    let matches = |name: &str| {
        let k = month_key(name);
        k == key || (key.len() == 3 && key.is_ascii() && k.starts_with(&key))
    };
    let mut other = None;
    for (c, m, name) in all_names() {
        if matches(name) {
            if c == calendar {
                return Ok(m);
            }
            other.get_or_insert(c);
        }
    }
    match other {
        Some(c) => Err(RuleError::OtherCalendar {
            found: text.into(),
            other: calendar_id(c),
            calendar: calendar_id(calendar),
        }),
        None => Err(RuleError::Month {
            found: text.into(),
            calendar: calendar_id(calendar),
            names: (1..=12)
                .map(|m| month_name(calendar, m))
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}
