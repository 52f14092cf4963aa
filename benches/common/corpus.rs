//! The synthetic corpus of the benchmarks, shared by `benches/search.rs` and the HTTP
//! benchmark's helper (`examples/http_corpus.rs`), so that both measure the same cases:
//! Persian and English cases of 1.5–3 KB, every word list skewed to its frequent end.

#![allow(dead_code)] // each user takes what it needs

use std::fs;
use std::path::Path;

pub const FA_WORDS: &[&str] = &[
    "قرارداد",
    "تأمین‌کننده",
    "دلار",
    "ارز",
    "نقدینگی",
    "مشتری",
    "کارمند",
    "انبار",
    "سفارش",
    "تحویل",
    "قیمت",
    "فروش",
    "خرید",
    "بانک",
    "چک",
    "وام",
    "مالیات",
    "گمرک",
    "واردات",
    "صادرات",
    "تولید",
    "کارخانه",
    "مواد",
    "اولیه",
    "حمل",
    "کامیون",
    "بندر",
    "اینترنت",
    "سرور",
    "سایت",
    "درگاه",
    "پرداخت",
    "پیامک",
    "تلفن",
    "شبکه",
    "برق",
    "آب",
    "سیل",
    "زلزله",
    "آتش",
    "بیمه",
    "دادگاه",
    "شکایت",
    "وکیل",
    "مجوز",
    "اداره",
    "شهرداری",
    "کارگر",
    "حقوق",
    "دستمزد",
    "اضافه‌کار",
    "استخدام",
    "اخراج",
    "آموزش",
    "مدیر",
    "جلسه",
    "تصمیم",
    "برنامه",
    "بودجه",
    "هزینه",
    "سود",
    "زیان",
    "بدهی",
    "طلب",
    "تخفیف",
    "تبلیغ",
    "رسانه",
    "خبر",
    "شایعه",
    "اعتبار",
    "برند",
    "کیفیت",
    "مرجوعی",
    "شکایت‌ها",
    "تأخیر",
    "کمبود",
    "افزایش",
    "کاهش",
    "نوسان",
    "بحران",
    "ریسک",
    "ضمانت",
    "سفته",
    "تعدیل",
    "بند",
    "امضا",
    "مذاکره",
    "شریک",
    "پیمانکار",
    "نماینده",
    "فروشگاه",
    "شعبه",
    "عید",
    "نوروز",
    "رمضان",
    "یلدا",
    "تابستان",
    "زمستان",
    "کالا",
    "موجودی",
    "حساب",
    "صورتحساب",
    "فاکتور",
    "رسید",
    "انتقال",
    "ریالی",
    "ارزی",
    "بلندمدت",
    "کوتاه‌مدت",
    "فوری",
    "ناگهانی",
    "کامل",
    "جزئی",
    "مهم",
    "جدید",
    "قدیمی",
    "داخلی",
    "خارجی",
    "دولتی",
    "خصوصی",
    "مشتریان",
    "کارمندان",
    "قراردادها",
    "سرورها",
];

pub const EN_WORDS: &[&str] = &[
    "contract",
    "supplier",
    "dollar",
    "currency",
    "cash",
    "customer",
    "employee",
    "warehouse",
    "order",
    "delivery",
    "price",
    "sales",
    "purchase",
    "bank",
    "cheque",
    "loan",
    "tax",
    "customs",
    "import",
    "export",
    "production",
    "factory",
    "material",
    "shipping",
    "truck",
    "port",
    "internet",
    "server",
    "website",
    "gateway",
    "payment",
    "sms",
    "phone",
    "network",
    "power",
    "water",
    "flood",
    "earthquake",
    "fire",
    "insurance",
    "court",
    "lawsuit",
    "lawyer",
    "licence",
    "office",
    "municipality",
    "worker",
    "salary",
    "wages",
    "overtime",
    "hiring",
    "layoff",
    "training",
    "manager",
    "meeting",
    "decision",
    "plan",
    "budget",
    "cost",
    "profit",
    "loss",
    "debt",
    "discount",
    "advertising",
    "media",
    "news",
    "rumour",
    "reputation",
    "brand",
    "quality",
    "returns",
    "complaints",
    "delay",
    "shortage",
    "increase",
    "decrease",
    "volatility",
    "crisis",
    "risk",
    "guarantee",
    "clause",
    "signature",
    "negotiation",
    "partner",
    "contractor",
    "agent",
    "store",
    "branch",
    "holiday",
    "summer",
    "winter",
    "goods",
    "inventory",
    "account",
    "invoice",
    "receipt",
    "transfer",
    "certificate",
    "expired",
    "outage",
    "database",
    "backup",
    "deployment",
    "configuration",
    "monitoring",
    "alert",
    "failover",
    "latency",
    "capacity",
    "mechanisms",
    "escalation",
    "vendor",
    "refund",
    "fraud",
    "audit",
    "compliance",
    "exchange",
];

/// The built-in taxonomy: generated cases use the crisis types and chapters users get.
pub static TAXONOMY: std::sync::LazyLock<casebook::kb::Taxonomy> =
    std::sync::LazyLock::new(casebook::kb::Taxonomy::default);

/// A small deterministic PRNG (xorshift64*), so every run generates the same corpus.
pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Skewed towards the start of the list, like word frequencies.
    fn zipf<'a>(&mut self, words: &[&'a str]) -> &'a str {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        words[((u * u * u) * words.len() as f64) as usize]
    }
}

/// Pseudo-words made of syllables, so that the vocabulary has a long tail of rare words
/// like real text (the real word lists alone would put every word in every case).
pub fn pseudo_word(n: usize, persian: bool) -> String {
    const FA: &[&str] = &[
        "با", "تو", "رس", "من", "کا", "دی", "لو", "سپ", "نژ", "گر", "فه", "شو",
    ];
    const EN: &[&str] = &[
        "ka", "lo", "mi", "zu", "tre", "pan", "vos", "dre", "qui", "bel", "nor", "sta",
    ];
    let syllables = if persian { FA } else { EN };
    let mut word = String::new();
    let mut x = n + 12 * 12;
    while x > 0 {
        word.push_str(syllables[x % 12]);
        x /= 12;
    }
    word
}

/// A random word: usually a real one (skewed to the frequent end), sometimes one of
/// 20,000 pseudo-words (also skewed); Persian ones sometimes spelled with Arabic letters or
/// without the half-space.
pub fn word(rng: &mut Rng, persian: bool) -> String {
    if rng.below(10) < 3 {
        let u = (rng.next() % 1_000_000) as f64 / 1_000_000.0;
        return pseudo_word((u * u * 20_000.0) as usize, persian);
    }
    if persian {
        let mut w = rng.zipf(FA_WORDS).to_string();
        match rng.below(10) {
            0 => w = w.replace('ی', "ي").replace('ک', "ك"),
            1 => w = w.replace('\u{200C}', ""),
            _ => {}
        }
        w
    } else {
        rng.zipf(EN_WORDS).to_string()
    }
}

/// A sentence of `min_words` to `min_words + spread - 1` words.
pub fn sentence(rng: &mut Rng, persian: bool, min_words: usize, spread: usize) -> String {
    let words = min_words + rng.below(spread.max(1));
    let mut out = Vec::with_capacity(words);
    for _ in 0..words {
        out.push(word(rng, persian));
    }
    out.join(" ")
}

pub fn case_text(rng: &mut Rng, n: usize) -> String {
    let persian = n.is_multiple_of(2);
    let mut s = String::with_capacity(3000);
    s.push_str("---\n");
    s.push_str(&format!("title: \"{}\"\n", sentence(rng, persian, 6, 5)));
    s.push_str(&format!(
        "crisis_type: {}\n",
        TAXONOMY.crisis_types[rng.below(TAXONOMY.crisis_types.len())].id
    ));
    let date = if persian {
        format!(
            "{}-{:02}-{:02}",
            1385 + rng.below(18),
            1 + rng.below(12),
            1 + rng.below(29)
        )
    } else {
        format!(
            "{}-{:02}-{:02}",
            2006 + rng.below(18),
            1 + rng.below(12),
            1 + rng.below(28)
        )
    };
    s.push_str(&format!(
        "date: {date}\nseverity: {}\nstatus: final\n",
        ["low", "medium", "high", "critical"][rng.below(4)]
    ));
    s.push_str(&format!(
        "tags: [{}, {}]\n",
        sentence(rng, persian, 1, 1),
        sentence(rng, persian, 1, 1)
    ));
    s.push_str(&format!(
        "counterparty: \"{}\"\n",
        sentence(rng, persian, 2, 1)
    ));
    s.push_str("mistakes:\n");
    for _ in 0..2 + rng.below(2) {
        s.push_str(&format!(
            "  - chapter: {}\n    text: \"{}\"\n    lesson: \"{}\"\n",
            TAXONOMY.chapters[rng.below(TAXONOMY.chapters.len())].id,
            sentence(rng, persian, 10, 8),
            sentence(rng, persian, 8, 8),
        ));
    }
    s.push_str(&format!(
        "lessons:\n  - \"{}\"\n---\n\n## {}\n\n",
        sentence(rng, persian, 12, 1),
        if persian {
            "چه شد"
        } else {
            "What happened"
        }
    ));
    let target = 1500 + rng.below(1500);
    // Persian letters take two bytes, so a Persian case needs fewer words for the same size.
    while s.len() < target {
        s.push_str(&sentence(rng, persian, 12, 12));
        s.push_str(".\n");
    }
    s
}

pub fn generate(dir: &Path, cases: usize) {
    if dir.join(".complete").exists() {
        return;
    }
    let _ = fs::remove_dir_all(dir);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for n in 0..cases {
        let sub = dir.join(format!("{:03}", n / 1000));
        if n.is_multiple_of(1000) {
            fs::create_dir_all(&sub).expect("create bench folder");
        }
        fs::write(sub.join(format!("case-{n:06}.md")), case_text(&mut rng, n)).expect("write case");
    }
    fs::write(dir.join(".complete"), "").expect("mark complete");
}
