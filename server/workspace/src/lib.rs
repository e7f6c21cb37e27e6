//! berth's workspace: a Dockerfile or a Compose file linted in its context.
//!
//! Below every front end (`berth check`, `berth fix`, the language server, the
//! AI path) and above the pure rules (`berth-rules`): this crate knows files
//! (open editor documents over the disk, [`files::Files`]), finds the files to
//! lint ([`discover`]), reads a Compose file's project and the builds of each
//! Dockerfile ([`lint`]), and holds the file services the front ends share
//! ([`io`]: atomic writes, the size limit, `.dockerignore` lookup;
//! [`shellcheck`]: ShellCheck inside RUN; [`docs`]: where a rule is
//! documented). It has no protocol types and prints nothing.

pub mod ai;
pub mod config;
pub mod discover;
pub mod docs;
pub mod files;
pub mod io;
pub mod lint;
pub mod registry;
pub mod shellcheck;

pub use discover::FileKind;
pub use files::Files;

#[cfg(test)]
pub(crate) mod tests {
    use std::path::PathBuf;

    /// A fresh empty folder under the system's temporary folder.
    pub fn temp_dir(name: &str) -> PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "berth-ws-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
