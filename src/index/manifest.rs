//! The manifest: which file was indexed at which size, mtime and content hash, so that a
//! refresh touches only what changed. A small text file beside the index, written
//! atomically (temp file + rename).
//!
//! **Invariant:** the manifest's generation equals the payload of the index's last commit;
//! when they disagree, the index is rebuilt.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use super::schema::SCHEMA_VERSION;

/// What we knew about one file when it was last indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Modification time in nanoseconds since the epoch.
    pub mtime_ns: u128,
    /// Size in bytes.
    pub size: u64,
    /// Hash of the content.
    pub hash: u64,
    /// Whether it parsed into a case (files with errors are remembered but not indexed).
    pub indexed: bool,
}

/// The manifest of an index: its generation and one entry per case file.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// Incremented by each commit; stored in the commit's payload too.
    pub generation: u64,
    /// When the manifest was last written, in nanoseconds since the epoch.
    pub written_ns: u128,
    /// Entries by `/`-separated relative path.
    pub entries: HashMap<String, Entry>,
}

const MAGIC: &str = "casebook-index-manifest";

/// The largest manifest read: about 80 bytes a case, so room for a few million cases, and
/// a bound on what a manifest swapped for something endless can cost.
const MAX_MANIFEST_BYTES: u64 = 512 * 1024 * 1024;

impl Manifest {
    /// The commit payload that goes with this manifest.
    pub fn payload(&self) -> String {
        format!("casebook:{SCHEMA_VERSION}:{}", self.generation)
    }

    /// Reads a manifest; `None` when it is missing, of another schema or damaged.
    pub fn read(path: &Path) -> Option<Manifest> {
        let bytes = crate::kb::read_state_file(path, MAX_MANIFEST_BYTES).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut lines = text.lines();
        let mut head = lines.next()?.split(' ');
        if head.next()? != MAGIC || head.next()?.parse::<u32>().ok()? != SCHEMA_VERSION {
            return None;
        }
        let generation = head.next()?.parse().ok()?;
        let written_ns = head.next()?.parse().ok()?;
        // About 60 bytes a line: reserving avoids rehashing 100k entries while reading.
        let mut entries = HashMap::with_capacity(text.len() / 60);
        for line in lines {
            let mut parts = line.splitn(5, '\t');
            let entry = Entry {
                mtime_ns: parts.next()?.parse().ok()?,
                size: parts.next()?.parse().ok()?,
                hash: u64::from_str_radix(parts.next()?, 16).ok()?,
                indexed: parts.next()? == "1",
            };
            entries.insert(parts.next()?.to_string(), entry);
        }
        Some(Manifest {
            generation,
            written_ns,
            entries,
        })
    }

    /// Writes the manifest atomically: a temp file in the same folder, then a rename.
    pub fn write(&mut self, path: &Path) -> std::io::Result<()> {
        self.written_ns = now_ns();
        let mut text = String::with_capacity(64 + self.entries.len() * 80);
        text.push_str(&format!(
            "{MAGIC} {SCHEMA_VERSION} {} {}\n",
            self.generation, self.written_ns
        ));
        let mut paths: Vec<&String> = self.entries.keys().collect();
        paths.sort();
        for p in paths {
            let e = &self.entries[p];
            text.push_str(&format!(
                "{}\t{}\t{:016x}\t{}\t{p}\n",
                e.mtime_ns,
                e.size,
                e.hash,
                u8::from(e.indexed)
            ));
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(text.as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Nanoseconds since the epoch of a time (0 before it).
pub fn ns(t: SystemTime) -> u128 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn now_ns() -> u128 {
    ns(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn a_manifest_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.tsv");
        let mut m = Manifest {
            generation: 7,
            ..Manifest::default()
        };
        let e = Entry {
            mtime_ns: 1_700_000_000_123_456_789,
            size: 42,
            hash: 0xdead_beef,
            indexed: true,
        };
        m.entries.insert("2012/دلار\tx.md".into(), e);
        m.write(&path).unwrap();
        let back = Manifest::read(&path).unwrap();
        assert_eq!(back.generation, 7);
        assert_eq!(back.entries["2012/دلار\tx.md"], e);
        assert_eq!(back.payload(), m.payload());
    }

    #[test]
    fn a_damaged_manifest_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.tsv");
        fs::write(&path, "casebook-index-manifest 1 3 0\nnot\ta\tline\n").unwrap();
        assert!(Manifest::read(&path).is_none());
        fs::write(&path, "something else\n").unwrap();
        assert!(Manifest::read(&path).is_none());
    }
}
