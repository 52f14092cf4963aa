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

home-history-more = { $count ->
    [one] One more case this week: see the calendar
   *[other] { $count } more cases this week: see the calendar
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

## The new-case form and the digest
nav-new-case = New case
nav-digest = Digest
error-forbidden = Not allowed
form-title = Write a case
form-intro = What happened, what we did, what we got wrong and what to do next time. Only the title, the crisis type and the date are required; the rest can be added later in any editor.
form-has-errors = The case was not saved. Fix the fields marked below; everything you typed is kept.
form-choose = Choose…
form-field-title = Title
form-field-crisis-type = Crisis type
form-field-date = When it started
form-date-hint = Jalali or Gregorian, year-month-day (a month or a year alone also works). For example:
form-field-severity = Severity
form-field-counterparty = Counterparty (supplier, customer, partner, authority)
form-field-actions = What we did
form-one-per-line = One per line.
form-field-mistakes = Mistakes
form-field-chapter = Chapter
form-field-mistake = What we did wrong
form-field-lesson = What to do instead
form-field-lessons = Lessons
form-field-followups = Follow-ups
form-add-mistake = + Another mistake
form-add-followup = + Another follow-up
form-field-what = What to do
form-field-owner = Who
form-field-due = Due (date)
form-field-body = The story
form-body-hint = Markdown. What happened, the timeline, what we would do next time.
form-save = Save the case
form-read-only = This app is read-only: new cases cannot be written from the browser. Write the case file in an editor or with `casebook new`.
form-other-site = This form was sent from another site; nothing was saved.
form-error-token = The form is out of date (the app was restarted). Nothing was lost: check the fields and save again.
form-error-write = The case could not be saved: { $detail }
form-error-empty = Required.
form-error-date = Not a date: { $detail }
form-error-date-shape = “{ $value }” is not a date. Write YYYY-MM-DD, YYYY-MM or YYYY, Jalali or Gregorian (e.g. 1405-02-10 or 2026-04-30).
form-error-date-month = “{ $value }” has month { $month }, which does not exist: months run from 1 to 12.
form-error-date-day = “{ $value }” is not a real day: { $month } has no day { $day }.
form-error-date-year = “{ $value }” has year { $year }: write a year from 1300 to 1499 (Jalali) or 1800 to 2200 (Gregorian).
form-error-unknown-type = Choose a crisis type from the list.
form-error-unknown-chapter = Choose a chapter from the list.
form-error-severity = Choose a severity from the list.
form-error-invalid = The case would not read back as written: { $detail }
form-error-exists = A case with this date and title exists already ({ $detail }); it was not touched. Change the title.
digest-title = Lessons digest
digest-months = Months
digest-previous = ← { $month }
digest-next = { $month } →
digest-cases = Cases this month
digest-no-cases = No case was written this month.
digest-no-lessons = No lesson written yet.
digest-open-followups = Open follow-ups, all cases
digest-no-followups = No open follow-up.
digest-overdue = overdue
digest-coming = Crises coming in { $month }, and the cases to reread
digest-no-coming = No anticipated crisis next month.
digest-bad-month = “{ $month }” is not a month. Write YYYY-MM, Jalali (1405-08) or Gregorian (2026-10). ({ $detail })

## Logging in
login-link = Log in
login-title = Log in
login-intro = Log in to write and edit cases. Reading needs no login.
login-name = Name
login-password = Password
login-submit = Log in
login-already = You are logged in as { $name }.
login-wrong = The name or the password is wrong.
login-limited = Too many attempts. Try again in { $seconds } seconds.
logout = Log out
auth-no-users = Nobody can log in yet, so cases cannot be written from the browser. On the server, add a user with: casebook user add NAME
auth-login-needed = Log in to do this.
auth-token-needed = Send an API token: Authorization: Bearer TOKEN (made with: casebook token add NAME).

## Editing a case
case-edit = Edit
case-history-all = History
edit-title = Edit the case
edit-intro = Change what you need; fields and comments the form does not show stay as they are in the file. You see the changes before they are saved.
edit-back = Back to the case
edit-preview = Show the changes
edit-diff-title = The changes to the file
edit-confirm = Save these changes
edit-conflict-title = The file changed while you were editing
edit-conflict-intro = Nothing was saved. Someone (or an editor) changed the case since you opened the form. Below, the file as it is now and the file as your form would write it; merge what you need into the form and save again.
edit-current = The file now
edit-mine = Your version
form-field-done = Done
followup-mark-done = Mark done
followup-changed = The case changed a moment ago; open it again and mark the follow-up done there.
error-conflict = Changed meanwhile
history-title = History

## Git sync
sync-conflict-title = Syncing with the other servers has stopped
sync-conflict-intro = These files were changed here and on another server in the same lines. Nothing was lost: both versions are below, this server keeps its own. To settle it, in the case folder run the command below, merge by hand, then restart the server:
sync-local = This server's version
sync-remote = The other server's version

## Glossary in search
search-glossary = Also searched, through the glossary:
search-through-glossary = through the glossary
digest-counts = The month in numbers
digest-count-line = { $cases } case(s) this month and { $changed } changed; { $mistakes } mistake(s). Follow-ups: { $done } done, { $open } open, { $overdue } overdue.
digest-chart = Mistakes by chapter
digest-changed = changed this month
digest-lesson = Lesson
digest-lesson-then = The lesson then
digest-repeats = Repeats
digest-repeats-intro = Mistakes of this month that were made before: the lesson did not stick.
digest-no-repeats = No mistake of this month repeats an earlier one.
digest-same-counterparty = Same chapter and counterparty
digest-similar-text = Much the same
digest-followups-due = Follow-ups overdue or due next month, by owner
digest-no-followups-due = No follow-up is overdue or due next month.
digest-nobody = Nobody named
digest-warn-from = Prepare from
digest-estimated = estimated date
digest-reread-case = Reread
digest-reread = From the notebook
digest-reread-intro = A few mistakes from the whole notebook, a different chapter each month.
nav-followups = Follow-ups
followups-title = Follow-ups
followups-owner = Owner
followups-chapter = Chapter
followups-any-chapter = Any chapter
followups-overdue-only = Overdue only
followups-filter = Show
followups-counts = { $open } open, { $overdue } overdue.
followups-no-date = no date
followups-none = No follow-up matches.
skip-to-results = Skip to the results
search-results-heading = Results
search-facets-heading = Narrow the results
