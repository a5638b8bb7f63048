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

/// The file that marks a folder as one `build --output-dir` wrote (never served: the server
/// refuses hidden paths).
pub const MARKER: &str = ".casebook-site";

/// Writes `site` to a folder named on the command line: a new or empty folder, or one a
/// previous `build --output-dir` wrote (it holds the marker). Any other folder is refused,
/// since writing replaces the folder whole.
pub fn write_own_site(dir: &Path, site: &Site) -> Result<SiteReport> {
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            let empty = entries.next().is_none();
            if !empty && !dir.join(MARKER).is_file() {
                return Err(Error::Repository(format!(
                    "{} holds files that `casebook build` did not write; choose a new or empty folder (the site replaces the folder whole)",
                    dir.display()
                )));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(dir)(e)),
    }
    let report = write_site(dir, site)?;
    let marker = dir.join(MARKER);
    fs::write(
        &marker,
        "A site written by `casebook build --output-dir`.\n",
    )
    .map_err(io(&marker))?;
    Ok(report)
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
    let pages: Vec<(&String, &Vec<u8>)> = site
        .iter()
        .filter(|(rel, _)| !rel.split('/').any(|c| c == ".." || c.is_empty()))
        .collect();
    // Folders first, once each; then the files.
    let folders: std::collections::BTreeSet<PathBuf> = pages
        .iter()
        .filter_map(|(rel, _)| fresh.join(rel).parent().map(Path::to_path_buf))
        .collect();
    for folder in &folders {
        fs::create_dir_all(folder).map_err(io(folder))?;
    }
    let written = pages
        .iter()
        .map(|(rel, bytes)| {
            let (target, previous) = (fresh.join(rel), dir.join(rel));
            // Same length first: most changed pages are told apart without reading them.
            let same = fs::symlink_metadata(&previous)
                .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
                && fs::read(&previous).is_ok_and(|b| b == **bytes);
            if same && fs::hard_link(&previous, &target).is_ok() {
                Ok(false)
            } else {
                fs::write(&target, bytes).map_err(io(&target))?;
                Ok(true)
            }
        })
        .collect::<Result<Vec<bool>>>()?;
    let mut report = SiteReport {
        written: written.iter().filter(|w| **w).count(),
        unchanged: written.iter().filter(|w| !**w).count(),
        ..SiteReport::default()
    };
    report.removed = files(dir, "")
        .iter()
        .filter(|p| !site.contains_key(*p) && *p != MARKER)
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

/// A fixed copy of a written site that a server reads while later builds replace the site
/// folder: every file is hard-linked (copied where links are impossible), so taking one costs
/// a folder walk, not the bytes. Site files are never changed in place (`write_site` writes
/// changed pages as new files), so a snapshot stays exactly the build it was taken of. An
/// owned snapshot is deleted when dropped.
#[derive(Debug)]
pub struct SiteSnapshot {
    dir: PathBuf,
    owned: bool,
}

/// Makes snapshot folder names unique within a process.
static SNAPSHOTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl SiteSnapshot {
    /// Serves `dir` itself (nothing is copied or deleted): for a site that does not change.
    pub fn borrowed(dir: &Path) -> SiteSnapshot {
        SiteSnapshot {
            dir: dir.to_owned(),
            owned: false,
        }
    }

    /// Takes a snapshot of the site in `site` into a new folder under `under`, named after this
    /// process so that `sweep` can tell the folders of a process that has gone.
    pub fn take(site: &Path, under: &Path) -> Result<SiteSnapshot> {
        let seq = SNAPSHOTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = under.join(format!("{}-{seq}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        let snapshot = SiteSnapshot { dir, owned: true };
        for rel in files(site, "") {
            let (from, to) = (site.join(&rel), snapshot.dir.join(&rel));
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(io(parent))?;
            }
            if fs::hard_link(&from, &to).is_err() {
                fs::copy(&from, &to).map_err(io(&from))?;
            }
        }
        fs::create_dir_all(&snapshot.dir).map_err(io(&snapshot.dir))?;
        Ok(snapshot)
    }

    /// Deletes snapshots under `under` left by processes that are no longer running (a killed
    /// server cannot delete its own). Where running processes cannot be listed, nothing is
    /// deleted.
    pub fn sweep(under: &Path) {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let Ok(entries) = fs::read_dir(under) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(pid) = name.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
                continue;
            };
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }

    /// Deletes this process's snapshots under `under`: for a server that has stopped serving
    /// (its last build is still referenced, but no request will read it again).
    pub fn remove_own(under: &Path) {
        let Ok(entries) = fs::read_dir(under) else {
            return;
        };
        let own = format!("{}-", std::process::id());
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&own) {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }

    /// The folder to serve.
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for SiteSnapshot {
    fn drop(&mut self) {
        if self.owned {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
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

    #[test]
    fn a_snapshot_keeps_its_build_while_the_site_changes_and_goes_when_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, under) = (tmp.path().join("public"), tmp.path().join("snapshots"));
        write_site(&dir, &site(&[("index.html", "one"), ("a/index.html", "A")])).unwrap();
        let snapshot = SiteSnapshot::take(&dir, &under).unwrap();
        write_site(&dir, &site(&[("index.html", "two")])).unwrap();
        let read = |rel: &str| fs::read_to_string(snapshot.path().join(rel)).unwrap();
        assert_eq!(
            (read("index.html"), read("a/index.html")),
            ("one".into(), "A".into())
        );
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "two");
        let path = snapshot.path().to_owned();
        drop(snapshot);
        assert!(!path.exists());
        assert!(dir.join("index.html").exists(), "the site itself is left");
    }

    #[test]
    fn sweep_deletes_only_the_snapshots_of_processes_that_are_gone() {
        let tmp = tempfile::tempdir().unwrap();
        let ours = SiteSnapshot::take(tmp.path(), &tmp.path().join("s")).unwrap();
        let gone = tmp.path().join("s").join(format!("{}-0", u32::MAX));
        fs::create_dir_all(&gone).unwrap();
        SiteSnapshot::sweep(&tmp.path().join("s"));
        assert!(ours.path().exists());
        assert_eq!(gone.exists(), !Path::new("/proc/self").exists());
    }
}
