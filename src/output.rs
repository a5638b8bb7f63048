//! Writing the static site: pages rendered in memory are written only when their bytes
//! changed (unchanged files are hard-linked from the previous build, keeping their
//! modification times), pages of removed documents disappear, and the new folder replaces the
//! old one by rename, so a reader never sees a half-written site.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Error, Result};
use crate::render::Site;

/// What writing the site did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteReport {
    /// Files whose bytes changed or are new.
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files of the previous site that are gone.
    pub removed: usize,
    /// Seconds taken.
    pub seconds: f64,
}

impl std::fmt::Display for SiteReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "site: {} written, {} unchanged, {} removed in {:.2} s",
            self.written, self.unchanged, self.removed, self.seconds
        )
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.with_file_name(format!("{name}.{suffix}"))
}

/// Writes `site` to `dir`.
pub fn write_site(dir: &Path, site: &Site) -> Result<SiteReport> {
    let started = Instant::now();
    let fresh = sibling(dir, "new");
    let old = sibling(dir, "old");
    for leftover in [&fresh, &old] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(io(leftover))?;
        }
    }
    let mut report = SiteReport::default();
    for (rel, bytes) in site {
        if rel.split('/').any(|c| c == ".." || c.is_empty()) {
            continue;
        }
        let target = fresh.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let previous = dir.join(rel);
        let same = fs::symlink_metadata(&previous).is_ok_and(|m| m.is_file())
            && fs::read(&previous).is_ok_and(|b| b == *bytes);
        if same && fs::hard_link(&previous, &target).is_ok() {
            report.unchanged += 1;
        } else {
            fs::write(&target, bytes).map_err(io(&target))?;
            report.written += 1;
        }
    }
    report.removed = files(dir, "")
        .iter()
        .filter(|p| !site.contains_key(*p))
        .count();
    if dir.exists() {
        fs::rename(dir, &old).map_err(io(dir))?;
    }
    fs::rename(&fresh, dir).map_err(io(dir))?;
    if old.exists() {
        fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Every file under `dir`, as paths relative to it.
fn files(dir: &Path, prefix: &str) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        match e.file_type() {
            Ok(t) if t.is_dir() => out.extend(files(&e.path(), &format!("{name}/"))),
            Ok(t) if t.is_file() => out.push(name),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> Site {
        pages
            .iter()
            .map(|(p, b)| ((*p).to_owned(), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn writes_only_what_changed_and_removes_what_is_gone() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let first = write_site(
            &dir,
            &site(&[
                ("index.html", "a"),
                ("x/index.html", "b"),
                ("y/index.html", "c"),
            ]),
        )
        .unwrap();
        assert_eq!((first.written, first.unchanged, first.removed), (3, 0, 0));
        let before = fs::metadata(dir.join("index.html"))
            .unwrap()
            .modified()
            .unwrap();
        let second =
            write_site(&dir, &site(&[("index.html", "a"), ("x/index.html", "B")])).unwrap();
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (1, 1, 1)
        );
        assert_eq!(
            fs::metadata(dir.join("index.html"))
                .unwrap()
                .modified()
                .unwrap(),
            before
        );
        assert_eq!(fs::read_to_string(dir.join("x/index.html")).unwrap(), "B");
        assert!(!dir.join("y").exists());
        assert!(!sibling(&dir, "new").exists() && !sibling(&dir, "old").exists());
    }
}
