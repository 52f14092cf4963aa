//! Helper of `bench/http.sh` (not a test): writes a synthetic knowledge base of N cases,
//! and times the same searches in-process, so the HTTP figures can be read against the
//! cost of the query itself.
//!
//! ```text
//! cargo run --release --example http_corpus -- generate DIR 100000
//! cargo run --release --example http_corpus -- query DIR 300
//! ```

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use casebook::index::Index;
use casebook::kb::Kb;
use casebook::query::SearchRequest;

const FA_WORDS: &[&str] = &[
    "قرارداد",
    "تأمین‌کننده",
    "دلار",
    "قیمت",
    "مشتری",
    "انبار",
    "اینترنت",
    "قطعی",
    "سفارش",
    "پرداخت",
    "چک",
    "نقدینگی",
    "کارمند",
    "استخدام",
    "تعدیل",
    "بند",
    "تحویل",
    "تأخیر",
    "ارسال",
    "فروشگاه",
    "پیامک",
    "اینستاگرام",
    "سرور",
    "پشتیبان",
    "عیدی",
    "نوروز",
    "یلدا",
    "تبلیغ",
    "شکایت",
    "دادگاه",
    "امضا",
    "بیمه",
    "مالیات",
    "گمرک",
    "واردات",
    "ارز",
    "بحران",
    "تیم",
    "گزارش",
    "تصمیم",
    "هزینه",
    "فروش",
    "کالا",
    "خدمات",
    "پاسخ",
    "رسانه",
    "اعتبار",
    "زنجیره",
    "ریال",
    "تومان",
    "هفته",
    "ماه",
    "سال",
    "روز",
    "شب",
    "مدیر",
    "حسابدار",
    "وکیل",
];
const EN_WORDS: &[&str] = &[
    "contract",
    "supplier",
    "price",
    "customer",
    "warehouse",
    "outage",
    "order",
    "payment",
    "cash",
    "staff",
    "delivery",
    "delay",
    "shop",
    "server",
    "backup",
    "campaign",
    "complaint",
    "court",
    "tax",
    "customs",
    "import",
    "currency",
    "team",
    "report",
    "decision",
    "cost",
];
/// The built-in taxonomy: generated cases use the crisis types and chapters users get.
static TAXONOMY: std::sync::LazyLock<casebook::kb::Taxonomy> =
    std::sync::LazyLock::new(casebook::kb::Taxonomy::default);
const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];

/// xorshift64*: deterministic, so every run benchmarks the same corpus.
struct Rng(u64);

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

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        // Squared draw: early words are common, late ones rare, like real text.
        let r = self.below(items.len() * items.len());
        items[(r as f64).sqrt() as usize % items.len()]
    }

    fn sentence(&mut self, words: usize) -> String {
        let persian = self.below(5) != 0;
        let n = words + self.below(words);
        (0..n)
            .map(|_| {
                if persian {
                    self.pick(FA_WORDS)
                } else {
                    self.pick(EN_WORDS)
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn case_text(rng: &mut Rng) -> String {
    let jalali = rng.below(2) == 0;
    let date = if jalali {
        format!(
            "{}-{:02}-{:02}",
            1390 + rng.below(14),
            1 + rng.below(12),
            1 + rng.below(29)
        )
    } else {
        format!(
            "{}-{:02}-{:02}",
            2011 + rng.below(14),
            1 + rng.below(12),
            1 + rng.below(28)
        )
    };
    let mut s = format!(
        "---\ntitle: {}\ncrisis_type: {}\ndate: {date}\nseverity: {}\ntags: [{}, {}]\ncounterparty: {}\nmistakes:\n",
        rng.sentence(4),
        TAXONOMY.crisis_types[rng.below(TAXONOMY.crisis_types.len())].id,
        SEVERITIES[rng.below(4)],
        rng.pick(FA_WORDS),
        rng.pick(EN_WORDS),
        rng.sentence(2),
    );
    for _ in 0..1 + rng.below(3) {
        s.push_str(&format!(
            "  - chapter: {}\n    text: {}\n    lesson: {}\n",
            TAXONOMY.chapters[rng.below(TAXONOMY.chapters.len())].id,
            rng.sentence(8),
            rng.sentence(8)
        ));
    }
    s.push_str(&format!("lessons:\n  - {}\n---\n", rng.sentence(8)));
    for _ in 0..3 + rng.below(4) {
        s.push_str(&rng.sentence(12));
        s.push_str(".\n\n");
    }
    s
}

fn generate(dir: &Path, n: usize) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..n {
        let folder = dir.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir_all(&folder).expect("create folder");
        }
        fs::write(folder.join(format!("case-{i:06}.md")), case_text(&mut rng)).expect("write");
    }
    println!("wrote {n} cases to {}", dir.display());
}

/// The requests `bench/http.sh` sends over HTTP, timed here in-process.
fn requests() -> Vec<(&'static str, SearchRequest)> {
    let q = |q: &str| SearchRequest {
        q: q.into(),
        ..SearchRequest::default()
    };
    vec![
        ("q=رسانه (common, ~94% of cases)", q("رسانه")),
        ("q=قرارداد", q("قرارداد")),
        ("q=title:contract (rare)", q("title:contract")),
        ("q=تعديل (Arabic yeh)", q("تعديل")),
        (
            "q=قرارداد&chapter=contracts",
            SearchRequest {
                chapter: Some("contracts".into()),
                ..q("قرارداد")
            },
        ),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn query(dir: &Path, runs: usize) {
    let kb = Kb::open(dir).expect("kb");
    let index = Index::open(&kb).expect("index");
    println!(
        "in-process search, {} cases, {runs} runs each:",
        index.num_cases()
    );
    for (name, req) in requests() {
        let mut times = Vec::with_capacity(runs);
        let mut total = 0;
        for _ in 0..runs {
            let start = Instant::now();
            total = index.search(&req).expect("search").total;
            times.push(start.elapsed());
        }
        times.sort();
        println!(
            "  {name:32} median {:7.2} ms   p99 {:7.2} ms   ({total} hits)   {:6.0} q/s on 2 threads",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            two_threads(&index, &req, runs),
        );
    }
}

/// Searches per second when two threads search at once: what the query allows on two
/// cores, the ceiling for the HTTP figures measured under the same machine load.
fn two_threads(index: &Index, req: &SearchRequest, runs: usize) -> f64 {
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..runs {
                    index.search(req).expect("search");
                }
            });
        }
    });
    (2 * runs) as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["generate", dir, n] => generate(Path::new(dir), n.parse().expect("a number of cases")),
        ["query", dir, runs] => query(Path::new(dir), runs.parse().expect("a number of runs")),
        _ => {
            eprintln!("usage: http_corpus generate DIR N | http_corpus query DIR RUNS");
            std::process::exit(2);
        }
    }
}
