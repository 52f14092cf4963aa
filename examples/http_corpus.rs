//! Helper of `bench/http.sh` (not a test): writes the synthetic knowledge base of N cases
//! (the same generator as `benches/search.rs`), and times the same searches in-process,
//! so the HTTP figures can be read against the cost of the query itself.
//!
//! ```text
//! cargo run --release --example http_corpus -- generate DIR 100000
//! cargo run --release --example http_corpus -- query DIR 300 [NAME-CONTAINS]
//! cargo run --release --example http_corpus -- ceiling DIR 600 NAME-CONTAINS
//! cargo run --release --example http_corpus -- memory DIR
//! cargo run --release --example http_corpus -- reload-memory DIR 1000
//! cargo run --release --example http_corpus -- snapshot DIR 5
//! ```
//!
//! `memory` prints the resident memory after each step of what `casebook serve` does at
//! start (open the index, search, load every case for the pages), so that the server's
//! figure can be read part by part.

use std::path::Path;
use std::time::{Duration, Instant};

use casebook::index::Index;
use casebook::kb::Kb;
use casebook::query::SearchRequest;

#[path = "../benches/common/corpus.rs"]
mod corpus;

/// The binary's allocator (see `src/main.rs`), so that the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The requests `bench/http.sh` sends over HTTP, timed here in-process.
fn requests() -> Vec<(&'static str, SearchRequest)> {
    let q = |q: &str| SearchRequest {
        q: q.into(),
        ..SearchRequest::default()
    };
    vec![
        ("q=قرارداد (common, 50% of cases)", q("قرارداد")),
        ("q=certificate (20%)", q("certificate")),
        ("q=kanorbello (rare, 0.2%)", q("kanorbello")),
        ("q=تعديل (Arabic yeh, 16%)", q("تعديل")),
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

fn query(dir: &Path, runs: usize, only: &str) {
    let kb = Kb::open(dir).expect("kb");
    let index = Index::open(&kb).expect("index");
    println!(
        "in-process search, {} cases, {runs} runs each:",
        index.num_cases()
    );
    for (name, req) in requests().into_iter().filter(|(n, _)| n.contains(only)) {
        let mut times = Vec::with_capacity(runs);
        let mut total = 0;
        for _ in 0..runs {
            let start = Instant::now();
            total = index.search(&req).expect("search").total;
            times.push(start.elapsed());
        }
        times.sort();
        let (per_second, cpu) = two_threads(&index, &req, runs);
        println!(
            "  {name:32} median {:7.2} ms   p99 {:7.2} ms   ({total} hits)   {per_second:6.0} q/s on 2 threads, CPU/query {:.3} ms",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            cpu * 1e3,
        );
    }
}

/// Searches per second when two threads search at once: what the query allows on two
/// cores, the ceiling for the HTTP figures measured under the same machine load; and the
/// process's CPU seconds per search meanwhile, to set beside the server's per request.
fn two_threads(index: &Index, req: &SearchRequest, runs: usize) -> (f64, f64) {
    let (start, cpu) = (Instant::now(), process_cpu_seconds());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..runs {
                    index.search(req).expect("search");
                }
            });
        }
    });
    let searches = (2 * runs) as f64;
    (
        searches / start.elapsed().as_secs_f64(),
        (process_cpu_seconds() - cpu) / searches,
    )
}

/// User + system CPU time of this process so far, from `/proc/self/stat` (Linux).
fn process_cpu_seconds() -> f64 {
    static TICKS_PER_SECOND: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    let hz = *TICKS_PER_SECOND.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    });
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<f64> = after
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0)) / hz
}

/// Prints the two-thread searches per second of the first request whose name contains
/// `only`, and nothing else: one round of `bench/http.sh`'s alternating comparison.
fn ceiling(dir: &Path, runs: usize, only: &str) {
    let kb = Kb::open(dir).expect("kb");
    let index = Index::open(&kb).expect("index");
    let (_, req) = requests()
        .into_iter()
        .find(|(n, _)| n.contains(only))
        .expect("a request of that name");
    // Warm up, as the server is before it is measured.
    for _ in 0..runs / 4 {
        index.search(&req).expect("search");
    }
    let (per_second, _) = two_threads(&index, &req, runs);
    println!("{per_second:.0}");
}

/// Resident memory (total, anonymous, file-backed) and its peak, in MB, from
/// `/proc/self/status` (Linux).
fn memory_line(step: &str) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .unwrap_or(0)
            / 1024
    };
    println!(
        "  {step:44} RSS {:4} MB (anonymous {:4}, file {:3}), peak {:4} MB",
        mb("VmRSS:"),
        mb("RssAnon:"),
        mb("RssFile:"),
        mb("VmHWM:")
    );
}

fn memory(dir: &Path) {
    println!("memory of what `casebook serve` holds, step by step:");
    memory_line("started");
    let kb = Kb::open(dir).expect("kb");
    let index = Index::open(&kb).expect("index");
    memory_line("index opened");
    let t = std::time::Instant::now();
    index.warm().expect("warm");
    memory_line(&format!(
        "warmed (facet arrays, {} ms)",
        t.elapsed().as_millis()
    ));
    for (_, req) in requests() {
        index.search(&req).expect("search");
    }
    memory_line("after one search of each kind");
    let state = casebook::web::AppState::with_index(kb, index).expect("app");
    memory_line("every case loaded for the pages (the app)");
    println!("  ({} cases held)", state.library().cases().len());
}

/// What a call that needs the cases costs: reading them all (`Snapshot::load`, as every
/// `casebook` command does once) against bringing the last snapshot up to date when nothing
/// changed (`Snapshot::reload`, as `serve` and `mcp` do), medians of `runs`.
fn snapshot_times(dir: &Path, runs: usize) {
    use casebook::snapshot::Snapshot;
    let kb = Kb::open(dir).expect("kb");
    let median = |mut times: Vec<Duration>| {
        times.sort();
        percentile(&times, 0.5)
    };
    let mut loads = Vec::new();
    let mut last = Snapshot::load(&kb);
    for _ in 0..runs {
        let t = Instant::now();
        last = Snapshot::load(&kb);
        loads.push(t.elapsed());
    }
    let mut reloads = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        last = Snapshot::reload(&kb, &last);
        reloads.push(t.elapsed());
    }
    println!(
        "{} cases: load {:.1} ms, reload with nothing changed {:.1} ms (medians of {runs})",
        last.cases().len(),
        median(loads).as_secs_f64() * 1e3,
        median(reloads).as_secs_f64() * 1e3
    );
}

/// Forgets the process's peak, so the next [`memory_line`]'s peak is that step's.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("resetting the peak (Linux only)");
}

/// The steps of a live reload after `changed` files gained a word, each with its own peak,
/// as `casebook serve` runs them: the snapshot re-read (reusing unchanged cases), the
/// index brought up to date from it, the old snapshot dropped, the related lookup built.
/// The files are given back their bytes afterwards.
fn reload_memory(dir: &Path, changed: usize) {
    use casebook::index::{NoProgress, Source};
    use casebook::snapshot::Snapshot;
    println!(
        "memory of a live reload of {changed} changed files, step by step (each step's own peak):"
    );
    let kb = Kb::open(dir).expect("kb");
    let index = Index::open(&kb).expect("index");
    index.warm().expect("warm");
    for (_, req) in requests() {
        index.search(&req).expect("search");
    }
    let old = Snapshot::load(&kb);
    old.prepare_related();
    memory_line("loaded, as serve holds it");
    let mut files: Vec<_> = old
        .cases()
        .iter()
        .map(|c| kb.root().join(&c.path))
        .collect();
    files.sort();
    files.truncate(changed);
    let originals: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(f).expect("read"))
        .collect();
    for (file, bytes) in files.iter().zip(&originals) {
        let mut edited = bytes.clone();
        edited.extend_from_slice(b"\nreloadmark\n");
        std::fs::write(file, edited).expect("write");
    }
    reset_peak();
    let new = Snapshot::reload(&kb, &old);
    memory_line("snapshot re-read beside the old one");
    reset_peak();
    let source = Source {
        kb: &kb,
        parsed: Some(&new.loaded),
    };
    index.refresh_from(source, &NoProgress).expect("refresh");
    index.warm().expect("warm");
    memory_line("index brought up to date and warmed");
    reset_peak();
    drop(old);
    new.prepare_related();
    memory_line("old snapshot dropped, related lookup built");
    for (file, bytes) in files.iter().zip(&originals) {
        std::fs::write(file, bytes).expect("restore");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["generate", dir, n] => {
            corpus::generate(Path::new(dir), n.parse().expect("a number of cases"))
        }
        ["query", dir, runs] => query(Path::new(dir), runs.parse().expect("a number of runs"), ""),
        ["query", dir, runs, only] => query(
            Path::new(dir),
            runs.parse().expect("a number of runs"),
            only,
        ),
        ["memory", dir] => memory(Path::new(dir)),
        ["snapshot", dir, runs] => {
            snapshot_times(Path::new(dir), runs.parse().expect("a number of runs"))
        }
        ["reload-memory", dir, changed] => {
            reload_memory(Path::new(dir), changed.parse().expect("a number of files"))
        }
        ["ceiling", dir, runs, only] => ceiling(
            Path::new(dir),
            runs.parse().expect("a number of runs"),
            only,
        ),
        _ => {
            eprintln!(
                "usage: http_corpus generate DIR N | query DIR RUNS [NAME] | ceiling DIR RUNS NAME | memory DIR | reload-memory DIR FILES | snapshot DIR RUNS"
            );
            std::process::exit(2);
        }
    }
}
