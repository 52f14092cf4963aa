# رابط فارسی casebook. هر کلید باید در en.ftl هم باشد (آزمون دارد).
app-name = دفتر پرونده‌ها
app-tagline = پیش از تصمیم بعدی، اشتباه‌های گذشته را جست‌وجو کنید.
nav-home = خانه
nav-search = جست‌وجو
nav-notebook = دفتر اشتباه‌ها
nav-calendar = تقویم بحران‌ها
nav-problems = ایرادها
other-lang-name = English
skip-to-content = رفتن به متن

home-title = دفتر پرونده‌ها
home-search-label = جست‌وجو در پرونده‌ها
home-search-placeholder = مثلاً قرارداد، دلار، قطعی اینترنت
home-search-button = جست‌وجو
home-latest = تازه‌ترین پرونده‌ها
home-upcoming = بحران‌های پیش‌بینی‌شده در ۶۰ روز آینده
home-no-cases = هنوز پرونده‌ای نیست. با `casebook new` یکی بنویسید.
home-cases-count = { $count } پرونده
home-problems = { $count ->
    [0] همهٔ پرونده‌ها سالم‌اند.
   *[other] { $count } پرونده ایراد دارد و در جست‌وجو نیست.
}
home-problems-link = دیدن ایرادها
home-notebook = پیش از قرارداد، استخدام یا انتخاب تأمین‌کننده، دفتر اشتباه‌ها را بخوانید.

home-upcoming-none = در ۶۰ روز آینده بحران پیش‌بینی‌شده‌ای نیست.
home-calendar-link = دیدن تقویم بحران‌های پیش‌بینی‌شده
home-history = این هفته در تاریخ بحران‌ها
home-history-years = { $count } سال پیش

home-history-more = { $count } پروندهٔ دیگر در این هفته: دیدن تقویم

cal-title = تقویم بحران‌های پیش‌بینی‌شده
cal-prev = قبلی
cal-next = بعدی
cal-today = امروز
cal-show-gregorian = تقویم میلادی
cal-show-jalali = تقویم شمسی
cal-month-view = نمای ماه
cal-year-view = نمای سال
cal-subscribe = اشتراک در تقویم (ICS)
cal-subscribe-help = این نشانی را در گوگل‌کلندر («Other calendars» ← «From URL»)، تقویم اپل یا تاندربرد اضافه کنید: همهٔ بحران‌های پیش‌بینی‌شدهٔ سه سال آینده، یک رویداد هشدار در روز شروع آمادگی، یادآور، و پیوند به پرونده‌های گذشته و پیگیری‌های بازشان. برای سالگرد پرونده‌های گذشته ?history=1 را اضافه کنید.
cal-legend-running = خود بحران
cal-legend-warning = زمان آمادگی
cal-prepare = آمادگی
cal-in-period = در این بازه
cal-preparing = از همین حالا آماده شوید برای
cal-no-crises = هنوز بحران پیش‌بینی‌شده‌ای ثبت نشده است. فایل‌های Markdown را در پوشهٔ recurring/ بگذارید (docs/calendar.md).
cal-none-in-period = در این بازه بحران پیش‌بینی‌شده‌ای نیست.
cal-estimated = تاریخ تخمینی
cal-warn-from = هشدار { $days } روز زودتر، از
cal-days-left = { $count } روز دیگر
cal-rule = قاعده
cal-lead = هشدار
cal-duration = مدت
cal-days = { $count } روز
cal-next-dates = تاریخ‌های بعدی
cal-playbook = برنامهٔ آمادگی
cal-past-cases = پرونده‌های گذشته
cal-no-past-cases = هنوز پرونده‌ای به این بحران پیوند نخورده است. در پرونده `recurring:` را برابر شناسهٔ این بحران بنویسید.
cal-sources = منابع
cal-calendar-persian = شمسی
cal-calendar-islamic = قمری
cal-calendar-gregorian = میلادی

search-title = جست‌وجو
search-label = واژه‌های جست‌وجو
search-button = جست‌وجو
search-since = از تاریخ
search-until = تا تاریخ
search-date-hint = سال-ماه-روز، شمسی (⁦۱۴۰۲-۰۱-۱۵⁩) یا میلادی (⁦2023-04-04⁩)؛ سال یا ماه تنها هم پذیرفته است
search-results = { $count ->
    [0] پرونده‌ای پیدا نشد.
   *[other] { $count } پرونده پیدا شد.
}
search-empty = واژه‌ای بنویسید یا یک پالایه برگزینید.
search-facet-type = نوع بحران
search-facet-chapter = فصل
search-facet-year = سال
search-facet-tag = برچسب
search-remove-filter = برداشتن پالایه
search-bad-query = این جست‌وجو انجام نشد
search-warnings = نکته‌های این جست‌وجو
search-clear = برداشتن همهٔ پالایه‌ها
search-next = نتیجه‌های بعدی
search-prev = نتیجه‌های قبلی

case-type = نوع بحران
case-date = تاریخ
case-ended = پایان
case-severity = شدت
case-status = وضعیت
case-tags = برچسب‌ها
case-authors = نویسندگان
case-counterparty = طرف مقابل
case-resources = منابع داخلی
case-environment = محیط بیرونی
case-infrastructure = زیرساخت فناوری
case-actions = اقدام‌ها
case-mistakes = اشتباه‌ها
case-lessons = درس‌ها
case-followups = پیگیری‌ها
case-followup-done = انجام شد
case-followup-open = باز
case-followup-owner = مسئول
case-followup-due = موعد
case-narrative = شرح ماجرا
case-related = پرونده‌های مرتبط
case-history = تاریخچه
case-last-change = آخرین تغییر { $date } به دست { $author }
case-no-history = در مخزن git نیست یا هنوز ثبت نشده است.
case-chapter = فصل
case-lesson = درس
case-file = پرونده
severity-low = کم
severity-medium = متوسط
severity-high = زیاد
severity-critical = بحرانی
status-draft = پیش‌نویس
status-final = نهایی

notebook-title = دفتر اشتباه‌ها
notebook-intro = همهٔ اشتباه‌های همهٔ پرونده‌ها، به تفکیک فصل. فصلی را باز کنید و چاپ کنید: این فهرستی است که پیش از تصمیم باید خواند.
notebook-count = { $count } اشتباه
notebook-unknown-chapter = فصل‌های بیرون از رده‌بندی
chapter-checklist-intro = پیش از تصمیم بخوانید. هر سطر اشتباهی است که کسی پیش‌تر تاوانش را داده است.
chapter-empty = هنوز اشتباهی در این فصل ثبت نشده است.
chapter-print = چاپ این فهرست
chapter-from-case = از پرونده
chapter-mistake = اشتباه
chapter-do-instead = به جای آن

chapter-more = این‌ها { $shown } اشتباهِ تازه‌تر از { $total } اشتباه‌اند. بقیه را در جست‌وجوی این فصل ببینید.

problems-title = ایرادهای پرونده‌ها
problems-intro = گزارش `casebook check`. پرونده‌ای که خطا دارد تا درست نشود در جست‌وجو نمی‌آید.
problems-none = ایرادی نیست: همهٔ پرونده‌ها سالم‌اند.
problems-errors = { $count } خطا
problems-warnings = { $count } هشدار
problems-reload = بارگذاری دوبارهٔ پرونده‌ها
severity-error = خطا
severity-warning = هشدار

error-title = مشکلی پیش آمد
error-not-found = پیدا نشد
error-not-found-case = پرونده‌ای با این شناسه نیست.
error-not-found-page = در این نشانی صفحه‌ای نیست.
error-bad-request = درخواست نادرست
error-internal = کارساز نتوانست این درخواست را به پایان برساند. گزارش آن ثبت شد.
error-back-home = بازگشت به خانه

## فرم پرونده‌ی تازه و گزارش ماهانه
nav-new-case = پرونده‌ی تازه
nav-digest = گزارش ماهانه
error-forbidden = مجاز نیست
form-title = نوشتن پرونده
form-intro = چه شد، چه کردیم، کجا اشتباه کردیم و دفعه‌ی بعد چه کنیم. فقط عنوان، نوع بحران و تاریخ لازم است؛ بقیه را بعداً در هر ویرایشگری می‌شود افزود.
form-has-errors = پرونده ذخیره نشد. خانه‌های نشان‌داده‌شده را درست کنید؛ هرچه نوشته‌اید سر جایش است.
form-choose = انتخاب کنید…
form-field-title = عنوان
form-field-crisis-type = نوع بحران
form-field-date = تاریخ شروع
form-date-hint = شمسی یا میلادی، به شکل سال-ماه-روز (فقط ماه یا سال هم پذیرفته است). نمونه:
form-field-severity = شدت
form-field-counterparty = طرف مقابل (تأمین‌کننده، مشتری، شریک، نهاد)
form-field-actions = کارهایی که کردیم
form-one-per-line = هر مورد در یک خط.
form-field-mistakes = اشتباه‌ها
form-field-chapter = فصل
form-field-mistake = چه اشتباهی کردیم
form-field-lesson = به جایش چه کنیم
form-field-lessons = درس‌ها
form-field-followups = پیگیری‌ها
form-add-mistake = + اشتباه دیگر
form-add-followup = + پیگیری دیگر
form-field-what = چه باید کرد
form-field-owner = چه کسی
form-field-due = مهلت (تاریخ)
form-field-body = شرح ماجرا
form-body-hint = مارک‌داون. چه شد، ترتیب رویدادها، دفعه‌ی بعد چه می‌کنیم.
form-save = ذخیره‌ی پرونده
form-read-only = این برنامه فقط‌خواندنی است: از مرورگر نمی‌شود پرونده نوشت. پرونده را در ویرایشگر یا با `casebook new` بنویسید.
form-other-site = این فرم از سایت دیگری فرستاده شده است؛ چیزی ذخیره نشد.
form-error-token = فرم کهنه شده است (برنامه دوباره راه‌اندازی شده). چیزی از دست نرفته: خانه‌ها را ببینید و دوباره ذخیره کنید.
form-error-write = پرونده ذخیره نشد: ⁦{ $detail }⁩
form-error-empty = لازم است.
form-error-date = تاریخ درست نیست: ⁦{ $detail }⁩
form-error-date-shape = «⁨{ $value }⁩» تاریخ نیست. به شکل سال-ماه-روز، سال-ماه یا سال بنویسید، شمسی یا میلادی (مثلاً ۱۴۰۵-۰۲-۱۰ یا 2026-04-30).
form-error-date-month = «⁨{ $value }⁩» ماه { $month } دارد که وجود ندارد؛ ماه‌ها از ۱ تا ۱۲ هستند.
form-error-date-day = «⁨{ $value }⁩» روز واقعی نیست: { $month } روز { $day } ندارد.
form-error-date-year = «⁨{ $value }⁩» سال { $year } دارد؛ سال باید میان ۱۳۰۰ تا ۱۴۹۹ (شمسی) یا ۱۸۰۰ تا ۲۲۰۰ (میلادی) باشد.
form-error-unknown-type = نوع بحران را از فهرست انتخاب کنید.
form-error-unknown-chapter = فصل را از فهرست انتخاب کنید.
form-error-severity = شدت را از فهرست انتخاب کنید.
form-error-invalid = پرونده آن‌طور که نوشته شده خوانده نمی‌شود: ⁦{ $detail }⁩
form-error-exists = پرونده‌ای با همین تاریخ و عنوان هست (⁦{ $detail }⁩)؛ به آن دست نخوردیم. عنوان را تغییر دهید.
digest-title = گزارش ماهانه‌ی درس‌ها
digest-months = ماه‌ها
digest-previous = → { $month }
digest-next = { $month } ←
digest-cases = پرونده‌های این ماه
digest-no-cases = این ماه پرونده‌ای نوشته نشده است.
digest-no-lessons = هنوز درسی نوشته نشده است.
digest-open-followups = پیگیری‌های باز همه‌ی پرونده‌ها
digest-no-followups = پیگیری بازی نیست.
digest-overdue = عقب‌افتاده
digest-coming = بحران‌های پیش‌بینی‌شده‌ی { $month } و پرونده‌هایی که باید دوباره خواند
digest-no-coming = برای ماه بعد بحرانی پیش‌بینی نشده است.
digest-bad-month = «{ $month }» ماه نیست. به شکل YYYY-MM بنویسید، شمسی (۱۴۰۵-۰۸) یا میلادی (2026-10). (⁦{ $detail }⁩)

## ورود
login-link = ورود
login-title = ورود
login-intro = برای نوشتن و ویرایش پرونده‌ها وارد شوید. خواندن نیازی به ورود ندارد.
login-name = نام کاربری
login-password = گذرواژه
login-submit = ورود
login-already = شما با نام { $name } وارد شده‌اید.
login-wrong = نام کاربری یا گذرواژه درست نیست.
login-limited = تلاش‌ها بیش از حد بود. { $seconds } ثانیهٔ دیگر دوباره امتحان کنید.
logout = خروج
auth-no-users = هنوز کسی نمی‌تواند وارد شود، پس از مرورگر نمی‌توان پرونده نوشت. روی سرور یک کاربر بیفزایید: casebook user add NAME
auth-login-needed = برای این کار وارد شوید.
auth-token-needed = یک توکن API بفرستید: Authorization: Bearer TOKEN (ساخته با: casebook token add NAME).

## ویرایش پرونده
case-edit = ویرایش
case-history-all = تاریخچه
edit-title = ویرایش پرونده
edit-intro = آنچه لازم است را تغییر دهید؛ فیلدها و یادداشت‌هایی که فرم نشان نمی‌دهد همان‌طور که در پرونده هستند می‌مانند. پیش از ذخیره، تغییرات را می‌بینید.
edit-back = بازگشت به پرونده
edit-preview = نمایش تغییرات
edit-diff-title = تغییرات پرونده
edit-confirm = ذخیرهٔ این تغییرات
edit-conflict-title = پرونده در همین مدت تغییر کرد
edit-conflict-intro = چیزی ذخیره نشد. از وقتی فرم را باز کردید، کسی (یا یک ویرایشگر) پرونده را تغییر داده است. در پایین، پرونده همان‌طور که اکنون هست و پرونده همان‌طور که فرم شما می‌نویسد آمده است؛ آنچه لازم است را در فرم بیاورید و دوباره ذخیره کنید.
edit-current = پرونده اکنون
edit-mine = نسخهٔ شما
form-field-done = انجام شد
followup-mark-done = انجام شد
followup-changed = پرونده همین حالا تغییر کرد؛ دوباره بازش کنید و پیگیری را از آنجا انجام‌شده بزنید.
error-conflict = در همین مدت تغییر کرد
history-title = تاریخچه

## همگام‌سازی git
sync-conflict-title = همگام‌سازی با کارسازهای دیگر متوقف شد
sync-conflict-intro = این پرونده‌ها هم اینجا و هم روی کارساز دیگری در همان سطرها تغییر کرده‌اند. چیزی از دست نرفته است: هر دو نسخه در پایین آمده‌اند و این کارساز نسخهٔ خودش را نگه داشته است. برای حل آن، در پوشهٔ پرونده‌ها فرمان زیر را اجرا کنید، دو نسخه را با دست یکی کنید و کارساز را دوباره راه بیندازید:
sync-local = نسخهٔ این کارساز
sync-remote = نسخهٔ کارساز دیگر

## واژه‌نامه در جست‌وجو
search-glossary = با واژه‌نامه این‌ها هم جست‌وجو شد:
search-through-glossary = از راه واژه‌نامه
digest-counts = ماه در چند عدد
digest-count-line = { $cases } پرونده در این ماه و { $changed } پروندهٔ ویرایش‌شده؛ { $mistakes } اشتباه. پیگیری‌ها: { $done } انجام‌شده، { $open } باز، { $overdue } عقب‌افتاده.
digest-chart = اشتباه‌ها به تفکیک فصل
digest-changed = ویرایش‌شده در این ماه
digest-lesson = درس
digest-lesson-then = درس آن بار
digest-repeats = تکرارها
digest-repeats-intro = اشتباه‌هایی از این ماه که پیش‌تر هم کرده بودیم: درسش در یاد نماند.
digest-no-repeats = هیچ اشتباهی از این ماه تکرار اشتباهی پیشین نیست.
digest-same-counterparty = همان فصل و همان طرف مقابل
digest-similar-text = همانند
digest-followups-due = پیگیری‌های عقب‌افتاده یا با مهلت ماه بعد، به تفکیک مسئول
digest-no-followups-due = هیچ پیگیری‌ای عقب نیفتاده و مهلتش ماه بعد نیست.
digest-nobody = بی‌مسئول
digest-warn-from = آماده‌شدن از
digest-estimated = تاریخ تخمینی
digest-reread-case = بازخوانی
digest-reread = از دفتر اشتباه‌ها
digest-reread-intro = چند اشتباه از کل دفتر، هر ماه از فصلی دیگر.
nav-followups = پیگیری‌ها
followups-title = پیگیری‌ها
followups-owner = مسئول
followups-chapter = فصل
followups-any-chapter = همهٔ فصل‌ها
followups-overdue-only = فقط عقب‌افتاده‌ها
followups-filter = نمایش
followups-counts = { $open } باز، { $overdue } عقب‌افتاده.
followups-no-date = بی‌مهلت
followups-none = هیچ پیگیری‌ای با این شرط‌ها نیست.
skip-to-results = رفتن به نتیجه‌ها
search-results-heading = نتیجه‌ها
search-facets-heading = محدود کردن نتیجه‌ها
