//! Search benchmark: generates synthetic Persian and English cases (1.5–3 KB each), then
//! measures read+parse vs full index build, opening an up-to-date index, query latency
//! (p50/p99 with snippets and facets) per query kind, `rg` on the same folder, and the
//! resident memory of a process that serves queries.
//!
//! Run: `cargo bench --bench search` (10k and 100k cases) or
//! `cargo bench --bench search -- 10000` for one size; `-- 100000 build` measures only the
//! build against read + parse, in alternating rounds (`BUILD_ROUNDS`, default 3), beside
//! the floor: the least tantivy index of the same files. Not part of `cargo test`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use casebook::case::Case;
use casebook::index::{Index, NoProgress};
use casebook::kb::Kb;
use casebook::query::SearchRequest;

#[path = "common/corpus.rs"]
mod corpus;

/// The binary's allocator (see `src/main.rs`), so that the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use corpus::{generate, pseudo_word, EN_WORDS, FA_WORDS, TAXONOMY};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// CPU time of the calling thread: the work a query did, without the time it waited for a
/// core (the machine this ran on was shared, so wall time includes other people's work).
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    if ok {
        Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
    } else {
        Duration::ZERO
    }
}

fn rss_kb(key: &str) -> u64 {
    fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The query kinds measured, each a list of requests.
fn workloads() -> Vec<(&'static str, Vec<SearchRequest>)> {
    let req = |q: &str| SearchRequest {
        q: q.to_string(),
        limit: Some(10),
        ..SearchRequest::default()
    };
    let single: Vec<_> = FA_WORDS
        .iter()
        .chain(EN_WORDS)
        .step_by(3)
        .map(|w| req(w))
        .collect();
    let rare: Vec<_> = (0..200)
        .map(|i| req(&pseudo_word(500 + i * 70, i.is_multiple_of(2))))
        .collect();
    let multi: Vec<_> = FA_WORDS
        .windows(3)
        .step_by(2)
        .chain(EN_WORDS.windows(3).step_by(2))
        .map(|w| req(&w.join(" ")))
        .collect();
    let phrase: Vec<_> = FA_WORDS
        .windows(2)
        .step_by(2)
        .chain(EN_WORDS.windows(2).step_by(2))
        .map(|w| req(&format!("\"{} {}\"", w[0], w[1])))
        .collect();
    let filtered: Vec<_> = FA_WORDS
        .iter()
        .chain(EN_WORDS)
        .step_by(3)
        .enumerate()
        .map(|(i, w)| SearchRequest {
            chapter: Some(TAXONOMY.chapters[i % TAXONOMY.chapters.len()].id.clone()),
            since: Some(if i.is_multiple_of(2) {
                "1395".into()
            } else {
                "2015-06".into()
            }),
            ..req(w)
        })
        .collect();
    let spelled: Vec<_> = FA_WORDS
        .iter()
        .step_by(2)
        .map(|w| req(&w.replace('ی', "ي").replace('ک', "ك")))
        .collect();
    let no_facets = |list: &[SearchRequest]| -> Vec<SearchRequest> {
        list.iter()
            .map(|r| SearchRequest {
                facets: Some(false),
                ..r.clone()
            })
            .collect()
    };
    let single_nf = no_facets(&single);
    let multi_nf = no_facets(&multi);
    let phrase_nf = no_facets(&phrase);
    vec![
        ("single word, no facets", single_nf),
        ("three words, no facets", multi_nf),
        ("phrase, no facets", phrase_nf),
        ("single word (frequent)", single),
        ("single word (rare)", rare),
        ("three words", multi),
        ("phrase", phrase),
        ("word + chapter + since", filtered),
        ("Persian, Arabic spelling", spelled),
    ]
}

/// Runs in a fresh process: open the up-to-date index, run every workload, print figures.
fn serve(dir: &Path) {
    let started = Instant::now();
    let kb = Kb::open(dir).expect("open kb");
    let index = Index::open(&kb).expect("open index");
    let open = started.elapsed();
    assert!(!index.opened().changed(), "index was not up to date");
    println!(
        "  open up-to-date index ({} cases, fresh process): {}",
        index.num_cases(),
        ms(open)
    );
    println!(
        "  query latency, limit 10, with snippets, with facets unless noted; wall p50 / p99 / max, then thread CPU p50 / p99:"
    );
    let only = std::env::var("CASEBOOK_BENCH_ONLY").unwrap_or_default();
    for (kind, requests) in workloads().into_iter().filter(|(k, _)| k.contains(&only)) {
        // Warm up once, then measure three rounds.
        for r in &requests {
            index.search(r).expect("search");
        }
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        let mut total_hits = 0;
        for _ in 0..3 {
            for r in &requests {
                let (t, c) = (Instant::now(), thread_cpu());
                let res = index.search(r).expect("search");
                times.push(t.elapsed());
                cpu.push(thread_cpu().saturating_sub(c));
                total_hits += res.total;
            }
        }
        times.sort();
        cpu.sort();
        println!(
            "    {kind:<28} {:>10} {:>10} {:>10}   cpu {:>10} {:>10}   ({} queries, avg {} matches)",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().unwrap_or(&Duration::ZERO)),
            ms(percentile(&cpu, 0.5)),
            ms(percentile(&cpu, 0.99)),
            times.len(),
            total_hits / times.len().max(1),
        );
    }
    let word = "قرارداد";
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..20 {
        n = index
            .search(&SearchRequest {
                q: word.into(),
                limit: Some(10),
                ..Default::default()
            })
            .expect("search")
            .total;
    }
    println!(
        "  one word {word:?}: {} per query, {n} matches",
        ms(t.elapsed() / 20)
    );
    let load = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("  load average after the queries: {}", load.trim());
    println!(
        "  resident memory while serving: VmRSS {} MB, peak VmHWM {} MB",
        rss_kb("VmRSS:") / 1024,
        rss_kb("VmHWM:") / 1024
    );
}

fn rg_time(dir: &Path, word: &str) -> Option<(Duration, usize)> {
    let mut best: Option<(Duration, usize)> = None;
    for _ in 0..3 {
        let t = Instant::now();
        let out = Command::new("rg")
            .args(["-l", "-i", "-w", "--no-messages", word])
            .arg(dir)
            .output()
            .ok()?;
        let took = t.elapsed();
        let files = out.stdout.iter().filter(|b| **b == b'\n').count();
        if best.is_none_or(|(b, _)| took < b) {
            best = Some((took, files));
        }
    }
    best
}

fn query_time(index: &Index, word: &str) -> Duration {
    let req = SearchRequest {
        q: word.into(),
        limit: Some(10),
        ..Default::default()
    };
    let mut times: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            index.search(&req).expect("search");
            t.elapsed()
        })
        .collect();
    times.sort();
    percentile(&times, 0.5)
}

/// The least tantivy index that still answers a word: the same files read and parsed on
/// every core as the real build does, each case's texts written once into one field
/// with positions (our analyser), by the same writer (threads and budget as a full
/// build), committed. No boosts, no facets, no dates, nothing stored: what
/// tantivy itself costs, which a target on the whole build can be read against.
fn floor_build(kb: &Kb, files: &[PathBuf]) -> Duration {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
    let started = Instant::now();
    let dir = tempfile::tempdir_in(kb.root().parent().unwrap_or(kb.root())).expect("temp dir");
    let mut schema = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(casebook::index::analyzer::ANALYZER_NAME)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let all = schema.add_text_field("all", TextOptions::default().set_indexing_options(indexing));
    let index = tantivy::Index::create_in_dir(dir.path(), schema.build()).expect("floor index");
    index.tokenizers().register(
        casebook::index::analyzer::ANALYZER_NAME,
        casebook::index::analyzer::text_analyzer(),
    );
    let (threads, budget) = casebook::index::writer_size(files.len());
    let writer: tantivy::IndexWriter = index
        .writer_with_num_threads(threads, budget)
        .expect("floor writer");
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..std::thread::available_parallelism().map_or(1, |n| n.get()) {
            s.spawn(|| {
                while let Some(f) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let bytes = fs::read(kb.absolute(f)).expect("read");
                    let Some(case) = Case::parse(f.clone(), &bytes, &kb.taxonomy).case else {
                        continue;
                    };
                    let body = casebook::index::plain::plain_text(&Case::body_of(&bytes));
                    let mut doc = tantivy::TantivyDocument::default();
                    let mistakes = case.mistakes.iter();
                    let texts = [&case.title, &body]
                        .into_iter()
                        .chain(mistakes.clone().map(|m| &m.text))
                        .chain(mistakes.filter_map(|m| m.lesson.as_ref()))
                        .chain(&case.lessons)
                        .chain(&case.actions)
                        .chain(&case.tags)
                        .chain(&case.counterparty);
                    for text in texts {
                        doc.add_text(all, text);
                    }
                    writer.add_document(doc).expect("add");
                }
            });
        }
    });
    let mut writer = writer;
    writer.commit().expect("floor commit");
    writer.wait_merging_threads().expect("floor merge");
    started.elapsed()
}

/// `../shared/bench/ref-indexer`, the plain stock-tantivy indexer a full build is measured
/// against, built here (once, into the temporary folder) when its source is beside the
/// project; `CASEBOOK_REF_INDEXER` names a binary already built instead.
fn ref_indexer() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CASEBOOK_REF_INDEXER") {
        return Some(PathBuf::from(path));
    }
    let manifest =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/ref-indexer/Cargo.toml");
    if !manifest.is_file() {
        println!(
            "  ref-indexer: no {} to build; set CASEBOOK_REF_INDEXER",
            manifest.display()
        );
        return None;
    }
    let target = std::env::temp_dir().join("casebook-ref-indexer-target");
    let built = Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "--locked",
            "--quiet",
            "--manifest-path",
        ])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .is_ok_and(|s| s.success());
    if !built {
        println!("  ref-indexer: could not build {}", manifest.display());
        return None;
    }
    Some(target.join("release/ref-indexer"))
}

/// One run of the ref-indexer over the knowledge base, into a temporary folder: its wall time.
fn ref_build(binary: &Path, kb: &Kb) -> Option<Duration> {
    let dir = tempfile::tempdir_in(kb.root().parent().unwrap_or(kb.root())).ok()?;
    let t = Instant::now();
    let out = Command::new(binary)
        .arg(dir.path().join("index"))
        .arg(kb.root())
        .output()
        .ok()?;
    let took = t.elapsed();
    if !out.status.success() {
        println!(
            "  ref-indexer failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    Some(took)
}

/// Read + parse on one thread, then a full build, then the floor ([`floor_build`]), then
/// the ref-indexer ([`ref_indexer`]), `rounds` times in turn (the machine is shared:
/// alternating puts them all under the same load). Prints every round and returns the
/// medians of read + parse, of the build, and of the rounds' ratios.
fn build_rounds(kb: &Kb, files: &[PathBuf], rounds: usize) -> (Duration, Duration, f64) {
    let reference = ref_indexer();
    let mut parses = Vec::new();
    let mut builds = Vec::new();
    let mut ratios = Vec::new();
    let mut floors = Vec::new();
    let mut refs = Vec::new();
    for round in 1..=rounds {
        let t = Instant::now();
        let mut parsed = 0;
        for f in files {
            let b = fs::read(kb.absolute(f)).expect("read");
            parsed += usize::from(Case::parse(f.clone(), &b, &kb.taxonomy).case.is_some());
        }
        let parse = t.elapsed();
        let t = Instant::now();
        drop(Index::open_with(kb, true, &NoProgress).expect("build"));
        let build = t.elapsed();
        let floor = floor_build(kb, files);
        let ratio = build.as_secs_f64() / parse.as_secs_f64();
        let floor_ratio = floor.as_secs_f64() / parse.as_secs_f64();
        let reference = reference.as_deref().and_then(|r| ref_build(r, kb));
        println!(
            "  round {round}: read + parse only (1 thread) {:.2} s ({parsed} cases), full build {:.2} s = {ratio:.2}x, floor {:.2} s = {floor_ratio:.2}x, ref-indexer {}",
            parse.as_secs_f64(),
            build.as_secs_f64(),
            floor.as_secs_f64(),
            reference.map_or("-".into(), |r| format!("{:.2} s", r.as_secs_f64()))
        );
        parses.push(parse);
        builds.push(build);
        ratios.push(ratio);
        floors.push(floor_ratio);
        refs.extend(reference);
    }
    parses.sort();
    builds.sort();
    ratios.sort_by(f64::total_cmp);
    floors.sort_by(f64::total_cmp);
    refs.sort();
    println!(
        "  floor (one text field, no boosts, facets, dates or stored texts): {:.2}x read+parse (rounds' median)",
        floors[floors.len() / 2]
    );
    if let Some(best_ref) = refs.first() {
        println!(
            "  full build vs ref-indexer, best of {rounds}: {:.2} s vs {:.2} s = {:.2}x (target: at most 1.00x)",
            builds[0].as_secs_f64(),
            best_ref.as_secs_f64(),
            builds[0].as_secs_f64() / best_ref.as_secs_f64()
        );
    }
    (
        percentile(&parses, 0.5),
        percentile(&builds, 0.5),
        ratios[ratios.len() / 2],
    )
}

fn bench(root: &Path, cases: usize, rounds: usize, build_only: bool) {
    let dir = root.join(format!("kb-{cases}"));
    println!(
        "\n== {cases} cases ({} cores) in {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        dir.display()
    );
    let load = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "  load average at start (other work on the machine): {}",
        load.trim()
    );
    let t = Instant::now();
    generate(&dir, cases);
    println!("  generate: {:.1} s", t.elapsed().as_secs_f64());
    let kb = Kb::open(&dir).expect("open kb");
    let files = kb.case_files();
    let bytes: u64 = files
        .iter()
        .filter_map(|f| fs::metadata(kb.absolute(f)).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "  corpus: {} files, {:.1} MB, avg {} bytes",
        files.len(),
        bytes as f64 / 1e6,
        bytes / files.len().max(1) as u64
    );

    let (parse, build, ratio) = build_rounds(&kb, &files, rounds);
    let medians = if rounds > 1 {
        format!(" (medians of {rounds} alternating rounds; the ratio is the rounds' median)")
    } else {
        String::new()
    };
    println!(
        "  full build (read, parse, index, commit, merge; all cores): {:.2} s = {ratio:.2}x read+parse ({:.2} s){medians}",
        build.as_secs_f64(),
        parse.as_secs_f64()
    );
    if build_only {
        return;
    }
    let index = Index::open(&kb).expect("open the built index");
    let t = Instant::now();
    let stats = index.refresh(&kb).expect("refresh");
    println!(
        "  refresh with nothing changed: {} (changed: {})",
        ms(t.elapsed()),
        stats.changed()
    );
    let index_bytes: u64 = walkdir::WalkDir::new(dir.join(".casebook"))
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!("  index size on disk: {:.1} MB", index_bytes as f64 / 1e6);

    for word in ["قرارداد", "certificate", "زلزله"] {
        let ours = query_time(&index, word);
        match rg_time(&dir, word) {
            Some((rg, files)) => println!(
                "  rg -l -i -w {word:?}: {} ({files} files) vs casebook {} => {:.0}x faster",
                ms(rg),
                ms(ours),
                rg.as_secs_f64() / ours.as_secs_f64()
            ),
            None => println!("  rg not installed: apt-get install ripgrep to compare"),
        }
    }
    drop(index);
    let out = Command::new(std::env::current_exe().expect("exe"))
        .arg("--serve")
        .arg(&dir)
        .output()
        .expect("run serving process");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("--serve") {
        serve(Path::new(&args[1]));
        return;
    }
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    // `build`: only the build against read + parse, in alternating rounds (BUILD_ROUNDS, 3).
    let build_only = args.iter().any(|a| a == "build");
    let rounds = std::env::var("BUILD_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if build_only { 3 } else { 1 })
        .max(1);
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000]
    } else {
        sizes
    };
    let root = std::env::var_os("CASEBOOK_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("casebook-bench"));
    println!(
        "casebook search benchmark (corpus kept in {} for reruns)",
        root.display()
    );
    for cases in sizes {
        bench(&root, cases, rounds, build_only);
    }
}
