//! What `ADD` unpacks. The builder unpacks a local source when it is a tar
//! archive, plain or compressed with gzip, bzip2, xz or zstd; it tells by the
//! file's first bytes, not its name (moby pkg/archive `DetectCompression`
//! knows those four magic numbers, and `IsArchivePath` then needs a tar
//! header). Zip files, lzip, lzma and `compress` (`.Z`) files are copied as
//! they are. Rules only see names, so they judge by the suffixes such files
//! are given.

/// Names of tar archives, plain or compressed in a way ADD undoes.
pub(super) const TAR_SUFFIXES: &[&str] =
    &[".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz", ".tar.zst", ".tzst"];

/// Compressed files that ADD unpacks when what they hold is a tar (known
/// only from the content).
pub(super) const COMPRESSED_SUFFIXES: &[&str] = &[".gz", ".bz2", ".xz", ".zst"];

/// Whether ADD may unpack a local file of this name (case-insensitive).
pub(super) fn add_may_unpack(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    TAR_SUFFIXES.iter().chain(COMPRESSED_SUFFIXES).any(|s| lower.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::add_may_unpack;

    #[test]
    fn tar_and_its_compressions_only() {
        for yes in ["a.tar", "a.TAR.GZ", "a.tgz", "a.tar.zst", "a.tbz2", "x.gz", "x.xz"] {
            assert!(add_may_unpack(yes), "{yes}");
        }
        for no in ["a.zip", "a.tar.lz", "a.tar.lzma", "a.Z", "a.7z", "a.rar", "a.jar", "a.txt"] {
            assert!(!add_may_unpack(no), "{no}");
        }
    }
}
