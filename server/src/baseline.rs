//! Baselines: `berth check --write-baseline FILE` records the current
//! findings; `berth check --baseline FILE` reports only findings that are not
//! recorded there.
//!
//! A finding is recorded as its file (as shown), its code and a fingerprint
//! that survives lines moving: a hash of the code, the trimmed text of the
//! finding's first line, and an occurrence counter among the findings of the
//! file with the same code and line text (so two identical findings stay two).
//! Each baseline entry absorbs one finding.

use crate::output::FileReport;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;

/// The format version written and accepted.
pub const VERSION: u32 = 1;

/// `--baseline` and `--write-baseline` of `berth check`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct BaselineFlags {
    /// Report only findings that are not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (they are then not reported).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entry {
    pub file: String,
    pub code: String,
    pub fingerprint: String,
}

#[derive(Serialize, Deserialize, Debug)]
struct Document {
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline (empty when none was asked for) and where to write one.
#[derive(Debug, Default)]
pub struct Baseline {
    /// How many findings each entry may still absorb.
    known: Option<HashMap<Entry, usize>>,
    write_to: Option<PathBuf>,
}

impl Baseline {
    /// Read the `--baseline` file, if one is given. The error names the file.
    pub fn load(flags: &BaselineFlags) -> Result<Baseline, String> {
        let mut out = Baseline { known: None, write_to: flags.write_baseline.clone() };
        let Some(path) = &flags.baseline else { return Ok(out) };
        let shown = path.display();
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("berth: {shown}: cannot read the baseline: {e}"))?;
        let doc: Document =
            serde_json::from_str(&text).map_err(|e| format!("berth: {shown}: not a valid berth baseline: {e}"))?;
        if doc.version != VERSION {
            return Err(format!(
                "berth: {shown}: baseline version {} is not supported (this berth reads version {VERSION})",
                doc.version
            ));
        }
        let mut known = HashMap::new();
        for e in doc.findings {
            *known.entry(e).or_insert(0) += 1;
        }
        out.known = Some(known);
        Ok(out)
    }

    /// With `--write-baseline`, record every finding and report none; else,
    /// with `--baseline`, drop the findings it records. Returns errors.
    pub fn apply(&self, reports: &mut [FileReport]) -> Vec<String> {
        if let Some(path) = &self.write_to {
            let entries: Vec<Entry> = reports.iter().flat_map(entries_of).collect();
            let doc = Document { version: VERSION, findings: entries };
            let mut json = serde_json::to_string_pretty(&doc).expect("baseline serialises");
            json.push('\n');
            return match berth_workspace::io::write_atomic(path, json.as_bytes()) {
                Ok(()) => {
                    eprintln!("berth: wrote {} finding(s) to the baseline {}", doc.findings.len(), path.display());
                    for r in reports.iter_mut() {
                        r.diagnostics.clear();
                    }
                    Vec::new()
                }
                Err(e) => vec![format!("berth: {}: cannot write the baseline: {e}", path.display())],
            };
        }
        if let Some(known) = &self.known {
            let mut left = known.clone();
            for r in reports.iter_mut() {
                let entries = entries_of(r);
                let mut keep = entries.into_iter().map(|e| match left.get_mut(&e) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        false
                    }
                    _ => true,
                });
                r.diagnostics.retain(|_| keep.next().unwrap_or(true));
            }
        }
        Vec::new()
    }
}

/// The baseline entries of one file's findings, in the order of its diagnostics.
fn entries_of(report: &FileReport) -> Vec<Entry> {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let start = d.span.start.min(report.text.len());
            let span = report.lines.line_span(&report.text, report.lines.line_of(start));
            let line = report.text.get(span.start..span.end).unwrap_or("").trim();
            let n = seen.entry((d.code, line)).or_insert(0);
            let fingerprint = fingerprint(d.code, line, *n);
            *n += 1;
            Entry { file: report.display.clone(), code: d.code.to_string(), fingerprint }
        })
        .collect()
}

/// 64-bit FNV-1a of code, line text and occurrence, mixed, as 16 hex digits. Stable
/// across platforms and berth versions, unlike std's hasher.
pub fn fingerprint(code: &str, line: &str, occurrence: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let occurrence = occurrence.to_string();
    for part in [code.as_bytes(), b"\x1f", line.as_bytes(), b"\x1f", occurrence.as_bytes()] {
        for &b in part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    // Spread the last bytes over every digit (the finaliser of SplitMix64),
    // so that fingerprints differing only in the counter do not look alike.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        assert_eq!(fingerprint("", "", 0), fingerprint("", "", 0));
        assert_eq!(fingerprint("DL3008", "RUN apt-get install curl", 0).len(), 16);
        assert_ne!(fingerprint("DL3008", "RUN x", 0), fingerprint("DL3008", "RUN x", 1));
        assert_ne!(fingerprint("DL3008", "RUN x", 0), fingerprint("DL3009", "RUN x", 0));
        // Pinned so that a change of the hash (which would invalidate every
        // baseline written so far) is noticed.
        assert_eq!(fingerprint("DL3020", "ADD app.py /app/", 0), "eddb779bd8c40be6");
    }
}
