//! Helper of `bench/http.sh` (not a test): writes the synthetic knowledge base of N cases
//! (the same generator as `benches/search.rs`), and times the same searches in-process,
//! so the HTTP figures can be read against the cost of the query itself.
//!
//! ```text
//! cargo run --release --example http_corpus -- generate DIR 100000
//! cargo run --release --example http_corpus -- query DIR 300 [NAME-CONTAINS]
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

use casebook::index::Index;
use casebook::kb::Kb;
use casebook::query::SearchRequest;

#[path = "../benches/common/corpus.rs"]
mod corpus;

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
        ["generate", dir, n] => {
            corpus::generate(Path::new(dir), n.parse().expect("a number of cases"))
        }
        ["query", dir, runs] => query(Path::new(dir), runs.parse().expect("a number of runs"), ""),
        ["query", dir, runs, only] => query(
            Path::new(dir),
            runs.parse().expect("a number of runs"),
            only,
        ),
        _ => {
            eprintln!("usage: http_corpus generate DIR N | http_corpus query DIR RUNS");
            std::process::exit(2);
        }
    }
}
