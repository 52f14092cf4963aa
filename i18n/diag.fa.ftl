# پیام‌های `check` و صفحهٔ مشکلات، به فارسی. هر پیام می‌گوید چه یافت شد و به جای آن چه
# بنویسید. کلیدها باید با diag.en.ftl یکی بمانند. نام کلیدهای YAML (مثل title) و
# نمونه‌ها همان‌طور که در پرونده نوشته می‌شوند می‌مانند.

verbatim = { $text }

## سرصفحه (front matter)
diag-empty-file = پرونده خالی است. هر پرونده با سرصفحه شروع می‌شود: یک سطر `---`، سپس `title: ...` و `crisis_type: ...`، سپس `---`؛ برای یک الگو `casebook new` را اجرا کنید
diag-no-front-matter = سرصفحه ندارد: پرونده باید با یک سطر `---` شروع شود، سپس کلیدهای YAML، سپس `---` دیگر؛ به جای آن { $found } آمده است. شاید `---` آغاز را جا انداخته‌اید؟
diag-unclosed-front-matter = سرصفحه بسته نشده است: `---` این سطر هیچ‌جا بسته نمی‌شود. پس از آخرین کلید و پیش از متن Markdown یک سطر `---` بگذارید
diag-front-matter-too-big = سرصفحه { $size } بایت است، بیش از سقف { $limit } (۲۵۶ کیلوبایت). سرصفحه جای فیلدهای پرونده است؛ متن بلند را به بدنهٔ Markdown، پس از `---` پایانی، ببرید
diag-not-utf8 = UTF-8 نیست: پرونده با کدگذاری UTF-8 ذخیره نشده است (شاید Windows-1256). آن را در ویرایشگر خود با UTF-8 دوباره ذخیره کنید
diag-front-matter-not-keys = سرصفحه مجموعه‌ای از سطرهای `کلید: مقدار` نیست. مثلاً بنویسید `title: ...`
diag-yaml-too-big = سرصفحه پذیرفته نشد: YAML آن به بیش از ۸ مگابایت مقدار باز می‌شود، که در پرونده‌ای به این اندازه تنها با ارجاع‌ها (`*name` که مقدار نشانه‌گذاری‌شدهٔ `&name` را تکرار می‌کند) ممکن است. مقدارها را به جای تکرار با ارجاع، خودشان بنویسید
diag-invalid-yaml = YAML سرصفحه نادرست است: { $detail }. نقل‌قول‌ها و تورفتگی را بررسی کنید؛ مقداری که `: ` دارد یا با نقل‌قول شروع می‌شود باید تمامش در نقل‌قول باشد

## خطاهای خواندن
read-error-outside = این مسیر به بیرون از پوشهٔ پایگاه دانش می‌رود؛ casebook فقط پرونده‌های درون آن را می‌خواند
read-error-link = پیوند نمادین (symbolic link): casebook پیوندها را دنبال نمی‌کند، چون ممکن است به بیرون از پایگاه دانش برسند. به جای پیوند، خود پرونده را بگذارید
read-error-not-a-file = پروندهٔ معمولی نیست
read-error-too-large = پرونده { $size } بایت است، بیش از سقف { $limit } بایت برای یک پرونده در پایگاه دانش. پیوست‌ها را بیرون از پوشهٔ پرونده‌ها نگه دارید و به آن‌ها پیوند دهید
diag-cannot-read = پرونده خوانده نمی‌شود: { $detail }
diag-not-loaded = بارگذاری نشد: { $detail }
diag-link-to-folder = پیوند نمادین به یک پوشه: casebook پیوندها را دنبال نمی‌کند، پس پرونده‌های { $folder } بارگذاری نمی‌شوند. به جای آن، خود پوشه را به درون پایگاه دانش ببرید
diag-duplicate-id = شناسهٔ تکراری: { $id } و { $first } فقط در املا یا بزرگی و کوچکی حروف فرق دارند. نام یکی از دو پرونده را عوض کنید
diag-reserved-id = شناسهٔ { $id } نام یکی از صفحه‌های برنامهٔ وب هم هست (/cases/{ $page })، پس صفحهٔ این پرونده باز نمی‌شود. نام پرونده را عوض کنید
diag-new-case-needs-date = پروندهٔ تازه به 'date' (روز شروع بحران) نیاز دارد: یکی بنویسید، مثلاً 1405-02-10

## نوع یک مقدار YAML، درون پیام‌های دیگر
diag-kind-nothing = خالی
diag-kind-bool = مقدار true/false
diag-kind-number = یک عدد
diag-kind-text = متن
diag-kind-list = یک فهرست
diag-kind-keys = مجموعه‌ای از کلیدها
diag-kind-tagged = یک مقدار برچسب‌دار

## فیلدهای پرونده
diag-not-text = '{ $what }' باید متن باشد، اما { $found } است. آن را در یک سطر پس از دونقطه بنویسید
diag-hint-title = چه شد، در چند کلمه
diag-missing-key = کلید لازم '{ $key }' نیامده است. سطری بیفزایید: `{ $key }: { $hint }`
diag-empty-key = '{ $key }' خالی است. مثلاً بنویسید `{ $key }: { $hint }`
diag-not-list = '{ $key }' باید فهرست باشد (سطرهایی که با `- ` شروع می‌شوند)، اما { $found } است
diag-date-not-text = '{ $what }' باید تاریخی مثل 1391-07-10 یا 2012-10-01 باشد، اما { $found } است
diag-bad-date = '{ $what }' تاریخ درستی نیست: { $detail }
diag-unknown-crisis-type = نوع بحران { $value } ناشناخته است؛ پرونده جست‌وجوپذیر می‌ماند. یکی از این‌ها را بنویسید: { $known }، یا آن را به casebook.toml بیفزایید
diag-ended-before-date = 'ended' ({ $ended }) پیش از 'date' ({ $date }) است. دو تاریخ را بررسی کنید
diag-key-not-text = کلید سرصفحه باید متن باشد، اما { $found } است
diag-unknown-key = کلید ناشناختهٔ '{ $key }' (همان‌طور نگه داشته می‌شود، اما جست‌وجو نمی‌شود).
diag-unknown-key-typo = کلید ناشناختهٔ '{ $key }' (همان‌طور نگه داشته می‌شود، اما جست‌وجو نمی‌شود). منظورتان '{ $known }' بود؟
diag-bad-severity = 'severity' برابر { $value } است. یکی از این‌ها را بنویسید: low، medium، high، critical (کم، متوسط، زیاد، بحرانی)
diag-bad-status = 'status' برابر { $value } است. draft (پیش‌نویس) یا final (نهایی) بنویسید
diag-item-not-keys = مورد { $item } از { $key } باید مجموعه‌ای از کلیدها باشد، مثل `- { $example }`، اما { $found } است
diag-not-item-list = '{ $key }' باید فهرستی از موردها باشد، مثل `- { $example }`، اما { $found } است
diag-mistake-no-text = اشتباه { $item } 'text' ندارد. بیفزایید: `text: چه اشتباهی کردیم`
diag-mistake-no-chapter = اشتباه { $item } 'chapter' ندارد؛ در دفتر اشتباه‌ها نمی‌آید. `chapter:` را با یکی از این‌ها بنویسید: { $known }
diag-unknown-chapter = فصل { $value } ناشناخته است؛ اشتباه جست‌وجوپذیر می‌ماند. یکی از این‌ها را بنویسید: { $known }، یا آن را به casebook.toml بیفزایید
diag-mistake-unknown-key = کلید ناشناختهٔ '{ $key }' در اشتباه { $item } (کنار گذاشته شد). chapter، text و lesson بنویسید
diag-followup-no-what = پیگیری { $item } 'what' ندارد. بیفزایید: `what: کاری که باید انجام شود`
diag-done-not-bool = 'done' باید true یا false باشد، اما { $found } است

## واژه‌نامه
diag-glossary-not-utf8 = UTF-8 نیست: آن را با UTF-8 ذخیره کنید
diag-glossary-invalid = { $detail }. واژه‌نامه این شکل را دارد: `terms = [["contract", "قرارداد"], …]`، برای هر مفهوم یک فهرست از واژه‌های هم‌معنا
diag-glossary-too-many = { $count } مفهوم؛ تنها { $limit } مفهوم نخست به کار می‌رود
diag-glossary-left-out = { $count } مفهوم کنار گذاشته شد: هر مفهوم ۲ تا { $forms } شکل می‌خواهد، هر کدام حداکثر { $chars } نویسه

## بحران‌های پیش‌بینی‌شده و جدول آغاز ماه‌ها
diag-sighting-not-lines = سطرهایی مثل `1447-01: 2025-06-27` انتظار می‌رفت (سال-ماه قمری: نخستین روز اعلام‌شده)
diag-sighting-invalid-yaml = YAML نادرست: { $detail }. در هر سطر یک `1447-01: 2025-06-27` بنویسید
diag-sighting-not-month = { $key } سال و ماه قمری نیست. مثلاً برای محرم ۱۴۴۷ بنویسید `1447-01`
diag-sighting-bad-date = { $key }: { $detail }
diag-sighting-not-day = { $key }: { $value } تاریخ کامل نیست. نخستین روز اعلام‌شده را بنویسید، مثلاً 2025-06-27
diag-sighting-far = اینجا { $month } در { $first } شروع می‌شود، اما در تقویم ام‌القری در { $computed } ({ $gap } روز). رؤیت ماه را حداکثر یکی دو روز جابه‌جا می‌کند: سال و ماه را بررسی کنید
diag-crisis-duplicate-id = شناسهٔ تکراری { $id }: { $first } همین نام پرونده را دارد. پرونده‌ها با نام پرونده پیوند می‌خورند، پس نام یکی را عوض کنید
diag-dangling-recurring = 'recurring: { $id }' به هیچ بحران پیش‌بینی‌شده‌ای در { $folder }/ اشاره نمی‌کند. یکی از این‌ها را بنویسید: { $known }
diag-crisis-not-text = '{ $key }' باید متنی در یک سطر پس از دونقطه باشد
diag-crisis-missing = '{ $key }' نیست یا خالی است. سطری بیفزایید: `{ $key }: { $example }`
diag-crisis-bad-days = '{ $key }' برابر { $value } است. شمار روزها را از ۰ تا { $max } بنویسید
diag-crisis-not-day = '{ $key }' باید یک روز کامل باشد، سال-ماه-روز (شمسی یا میلادی)؛ به جای آن { $value } آمده است
diag-crisis-bad-rule = قاعدهٔ نادرست: { $detail }
diag-crisis-unknown-key = کلید ناشناختهٔ '{ $key }' (همان‌طور نگه داشته می‌شود).
diag-crisis-unknown-key-typo = کلید ناشناختهٔ '{ $key }' (همان‌طور نگه داشته می‌شود). منظورتان '{ $known }' بود؟
diag-crisis-unknown-type = نوع بحران { $value } ناشناخته است؛ تنها پرونده‌هایی که `recurring:` دارند پیوند می‌خورند. یکی از این‌ها را بنویسید: { $known }
diag-crisis-bad-calendar = 'calendar' برابر { $value } است. { $persian }، { $islamic } یا { $gregorian } بنویسید
diag-crisis-estimated-not-bool = 'estimated' باید true یا false باشد
diag-crisis-overrides-not-lines = 'overrides' باید زیر خود سطرهایی مثل `  سال: تاریخ اعلام‌شده` داشته باشد، مثلاً `  1447: 2025-07-05`
diag-crisis-override-not-year = کلید جایگزین { $key } سال نیست. سال را در تقویم همین پرونده بنویسید، مثلاً `1447: 2025-07-05`
diag-crisis-sources-not-list = 'sources' باید فهرستی از سطرهایی باشد که با `- ` شروع می‌شوند

## casebook check
check-summary = { $cases } پرونده بارگذاری شد، { $errors } خطا، { $warnings } هشدار، { $crises } بحران پیش‌بینی‌شده

## الگویی که پر نشده است
diag-empty-item = مورد { $item } از { $key } خالی است (از الگو مانده): آن را بنویسید یا سطرش را پاک کنید
diag-example-item = مورد { $item } از { $key } نمونهٔ الگو است، { $text }، نه چیزی که رخ داده: خودتان بنویسید یا سطرش را پاک کنید. در دفتر اشتباه‌ها، گزارش ماهانه و جست‌وجو نمی‌آید
diag-example-value = '{ $key }' نمونهٔ الگو است، { $text }، نه چیزی که رخ داده: خودتان بنویسید یا پاکش کنید. در دفتر اشتباه‌ها، گزارش ماهانه و جست‌وجو نمی‌آید
diag-empty-mistake = اشتباه { $item } خالی است (از الگو مانده): بنویسید چه اشتباهی شد و درسش چیست، یا این مورد را پاک کنید
diag-empty-followup = پیگیری { $item } خالی است (از الگو مانده): بنویسید چه کاری مانده و با کیست، یا این مورد را پاک کنید
diag-story-empty = شرح پرونده عنوان دارد اما زیر عنوان‌ها چیزی نیست (از الگو مانده): بنویسید چه شد، یا عنوان‌ها را پاک کنید
