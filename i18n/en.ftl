# English interface of casebook. Every key here must exist in fa.ftl too (tested).
app-name = Casebook
app-tagline = Search past mistakes before the next decision.
nav-home = Home
nav-search = Search
nav-notebook = Notebook of mistakes
nav-calendar = Calendar
nav-problems = Problems
other-lang-name = فارسی
skip-to-content = Skip to content

home-title = Casebook
home-search-label = Search the cases
home-search-placeholder = e.g. contract, dollar, internet outage
home-search-button = Search
home-latest = Latest cases
home-upcoming = Crises anticipated in the next 60 days
home-no-cases = No cases yet. Write one with `casebook new`.
home-cases-count = { $count ->
    [one] { $count } case
   *[other] { $count } cases
}
home-problems = { $count ->
    [0] Every case file is valid.
    [one] { $count } file has errors and is missing from search.
   *[other] { $count } files have errors and are missing from search.
}
home-problems-link = See the problems
home-notebook = Read the notebook of mistakes before a contract, a hire or a supplier choice.

home-upcoming-none = Nothing anticipated in the next 60 days.
home-calendar-link = Open the calendar of anticipated crises
home-history = This week in crisis history
home-history-years = { $count ->
    [one] { $count } year ago
   *[other] { $count } years ago
}

cal-title = Calendar of anticipated crises
cal-prev = Previous
cal-next = Next
cal-today = Today
cal-show-gregorian = Gregorian calendar
cal-show-jalali = Jalali calendar
cal-month-view = Month view
cal-year-view = Year view
cal-subscribe = Subscribe (ICS)
cal-subscribe-help = Add this address to Google Calendar ("Other calendars" → "From URL"), Apple Calendar or Thunderbird: every anticipated crisis for the next three years, a warning event on the day to start preparing, an alarm, and links to the past cases and their open follow-ups. Add ?history=1 for the anniversaries of past cases.
cal-legend-running = the crisis
cal-legend-warning = time to prepare
cal-prepare = prepare
cal-in-period = In this period
cal-preparing = Prepare now for
cal-no-crises = No anticipated crises yet. Add Markdown files to the recurring/ folder (see docs/calendar.md).
cal-none-in-period = No anticipated crisis in this period.
cal-estimated = estimated date
cal-warn-from = Warning { $days } days ahead, from
cal-days-left = { $count ->
    [one] in { $count } day
   *[other] in { $count } days
}
cal-rule = Rule
cal-lead = Warning
cal-duration = Duration
cal-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
cal-next-dates = Next dates
cal-playbook = Preparation playbook
cal-past-cases = Past cases
cal-no-past-cases = No past case is linked yet. Write one with `recurring:` set to this crisis's id.
cal-sources = Sources
cal-calendar-persian = Jalali
cal-calendar-islamic = lunar Hijri
cal-calendar-gregorian = Gregorian

search-title = Search
search-label = Search words
search-button = Search
search-since = From
search-until = To
search-date-hint = YYYY-MM-DD, Jalali (1402-01-15) or Gregorian (2023-04-04); a year or month works too
search-results = { $count ->
    [0] No cases found.
    [one] { $count } case found.
   *[other] { $count } cases found.
}
search-empty = Type words to search, or pick a filter.
search-facet-type = Crisis type
search-facet-chapter = Chapter
search-facet-year = Year
search-facet-tag = Tag
search-remove-filter = Remove filter
search-bad-query = This search could not be run
search-warnings = Notes on this search
search-clear = Clear all filters
search-next = Next results
search-prev = Previous results

case-type = Crisis type
case-date = Date
case-ended = Ended
case-severity = Severity
case-status = Status
case-tags = Tags
case-authors = Authors
case-counterparty = Counterparty
case-resources = Internal resources
case-environment = Environment
case-infrastructure = IT infrastructure
case-actions = What was done
case-mistakes = Mistakes
case-lessons = Lessons
case-followups = Follow-ups
case-followup-done = done
case-followup-open = open
case-followup-owner = owner
case-followup-due = due
case-narrative = The story
case-related = Related cases
case-history = History
case-last-change = Last changed { $date } by { $author }
case-no-history = Not in a git repository, or not committed yet.
case-chapter = Chapter
case-lesson = Lesson
case-file = File
severity-low = low
severity-medium = medium
severity-high = high
severity-critical = critical
status-draft = draft
status-final = final

notebook-title = Notebook of mistakes
notebook-intro = Every mistake from every case, by chapter. Open a chapter and print it: it is the checklist to read before the decision.
notebook-count = { $count ->
    [one] { $count } mistake
   *[other] { $count } mistakes
}
notebook-unknown-chapter = Chapters not in the taxonomy
chapter-checklist-intro = Read before the decision. Each line is a mistake someone already paid for.
chapter-empty = No mistakes in this chapter yet.
chapter-print = Print this checklist
chapter-from-case = From
chapter-mistake = Mistake
chapter-do-instead = Do instead

chapter-more = These are the { $shown } newest of { $total } mistakes. Search this chapter for the rest.

problems-title = Problems in the case files
problems-intro = What `casebook check` reports. A file with an error is missing from search until it is fixed.
problems-none = No problems: every case file is valid.
problems-errors = { $count ->
    [one] { $count } error
   *[other] { $count } errors
}
problems-warnings = { $count ->
    [one] { $count } warning
   *[other] { $count } warnings
}
problems-reload = Reload the cases
severity-error = error
severity-warning = warning

error-title = Something went wrong
error-not-found = Not found
error-not-found-case = There is no case with this id.
error-not-found-page = There is no page at this address.
error-bad-request = Bad request
error-internal = The server could not finish this request. It has been logged.
error-back-home = Back to the home page
