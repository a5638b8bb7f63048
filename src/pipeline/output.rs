//! Writing the static site: pages rendered in memory are written in place, only when their
//! bytes changed (each by writing beside it and renaming over, so no file is ever half
//! written), and pages of removed documents disappear. A server serves a snapshot of the site
//! (`SiteSnapshot`), so it never sees a build half way through.

use std::collections::HashMap;
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
    /// Documents whose pages were rendered.
    pub rendered: usize,
    /// Documents whose pages were kept as the build in place rendered them (their keys
    /// unchanged).
    pub kept: usize,
    /// Seconds taken.
    pub seconds: f64,
}

impl std::fmt::Display for SiteReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "site: {} written, {} unchanged, {} removed; pages of {} documents rendered, {} kept; in {:.2} s",
            self.written, self.unchanged, self.removed, self.rendered, self.kept, self.seconds
        )
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// The path beside `dir` named `<dir's name>.<suffix>` (`public.staging`, `index.old`): where
/// a folder is staged or set aside, on the same file system so that a rename replaces it.
pub(crate) fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.with_file_name(format!("{name}.{suffix}"))
}

/// The file that marks a folder as one `build --output-dir` wrote (never served: the server
/// refuses hidden paths).
pub const MARKER: &str = ".casebook-site";

/// Stages `site` for a folder named on the command line (see `Stager::for_own_site`).
pub fn stage_own_site(dir: &Path, site: &Site) -> Result<Staged> {
    let mut stager = Stager::for_own_site(dir)?;
    stager.put(site, &[])?;
    stager.finish()
}

/// The file in a site folder recording what the last build wrote there: each file's length and
/// content hash, and the key of each document's pages (hidden, so never served).
pub const MANIFEST: &str = ".casebook-manifest";

/// A file's length and FNV-1a hash, as the manifest records it.
fn fingerprint(bytes: &[u8]) -> (u64, u64) {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (bytes.len() as u64, hash)
}

/// What a manifest records: path → (length, hash), and document id → the key its pages were
/// rendered under.
#[derive(Debug, Default)]
struct Manifest {
    files: HashMap<String, (u64, u64)>,
    keys: HashMap<String, String>,
}

/// The manifest of `dir`, when there is one and it reads whole. Lines are `LEN HASH PATH`, or
/// `key KEY ID` for a document's pages.
fn read_manifest(dir: &Path) -> Option<Manifest> {
    let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let mut manifest = Manifest::default();
    for line in text.lines() {
        let mut parts = line.splitn(3, ' ');
        let (first, second, third) = (parts.next()?, parts.next()?, parts.next()?);
        if first == "key" {
            manifest.keys.insert(third.to_owned(), second.to_owned());
        } else {
            let len = first.parse().ok()?;
            let hash = u64::from_str_radix(second, 16).ok()?;
            manifest.files.insert(third.to_owned(), (len, hash));
        }
    }
    Some(manifest)
}

/// The name a file is staged under, beside the file it will replace (hidden, so never served).
fn partial_of(target: &Path) -> PathBuf {
    target.with_file_name(format!(
        ".{}.partial",
        target
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ))
}

/// A site written beside the one in place but not yet published: every changed file, and the
/// new manifest, sit in hidden `.NAME.partial` files next to what they replace. Staging is
/// where a build can run out of space or permission; publishing is renames and deletions
/// only. A build stages the site, commits the index, then publishes, so a failure before the
/// index commit leaves the index and the site as they were. Dropped unpublished, a staging
/// removes its files.
#[derive(Debug)]
pub struct Staged {
    dir: PathBuf,
    /// (staged file, file it replaces), the manifest last.
    renames: Vec<(PathBuf, PathBuf)>,
    /// Files of the previous build that this one no longer has, relative to `dir`.
    gone: Vec<String>,
    report: SiteReport,
    started: Instant,
    /// Write the `--output-dir` marker on publishing.
    marker: bool,
}

/// Stages a site as it is rendered, a part at a time, so that the rendered site is never held
/// whole (see `Staged`): a file whose bytes are those the manifest records for it (its length
/// checked on disk) is left alone, keeping its modification time; without a manifest (a folder
/// from an earlier version) files are compared byte for byte. A document whose pages were
/// rendered under the key the manifest records for it, and are still on disk, is not rendered
/// again (`keep`). No folder is re-created.
#[derive(Debug)]
pub struct Stager {
    staged: Staged,
    known: Option<Manifest>,
    /// The new manifest, as it grows.
    manifest: Manifest,
}

/// Stages `site` for `dir` in one part (see `Stager`).
pub fn stage_site(dir: &Path, site: &Site) -> Result<Staged> {
    let mut stager = Stager::for_site(dir)?;
    stager.put(site, &[])?;
    stager.finish()
}

impl Stager {
    /// A staging of the site in `dir`, the output folder of the configuration.
    pub fn for_site(dir: &Path) -> Result<Stager> {
        let started = Instant::now();
        // Left by builds that replaced the whole folder.
        for leftover in [sibling(dir, "new"), sibling(dir, "old")] {
            if leftover.exists() {
                fs::remove_dir_all(&leftover).map_err(io(&leftover))?;
            }
        }
        fs::create_dir_all(dir).map_err(io(dir))?;
        Ok(Stager {
            known: read_manifest(dir),
            manifest: Manifest::default(),
            staged: Staged {
                dir: dir.to_owned(),
                renames: Vec::new(),
                gone: Vec::new(),
                report: SiteReport::default(),
                started,
                marker: false,
            },
        })
    }

    /// A staging for a folder named on the command line: a new or empty folder, or one a
    /// previous `build --output-dir` wrote (it holds the marker). Any other folder is refused,
    /// since the build deletes the files it no longer produces.
    pub fn for_own_site(dir: &Path) -> Result<Stager> {
        match fs::read_dir(dir) {
            Ok(mut entries) => {
                let empty = entries.next().is_none();
                if !empty && !dir.join(MARKER).is_file() {
                    return Err(Error::ForeignFolder(dir.to_owned()));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(dir)(e)),
        }
        let mut stager = Stager::for_site(dir)?;
        stager.staged.marker = true;
        Ok(stager)
    }

    /// Renders every document's pages again, whatever the manifest's keys (`build --full`);
    /// files whose bytes are unchanged are still left alone.
    pub fn render_all(&mut self) {
        if let Some(known) = &mut self.known {
            known.keys.clear();
        }
    }

    /// True when the pages at `paths` of document `id` were rendered under `key` by the build
    /// in place and are on disk at the length it recorded: they are kept as they are, and
    /// need not be rendered.
    pub fn keep(&mut self, name: &str, key: &str, paths: &[String]) -> bool {
        let Some(known) = &self.known else {
            return false;
        };
        if known.keys.get(name).map(String::as_str) != Some(key) {
            return false;
        }
        let prints: Option<Vec<(u64, u64)>> = paths
            .iter()
            .map(|rel| {
                let print = *known.files.get(rel)?;
                let len = fs::symlink_metadata(self.staged.dir.join(rel))
                    .ok()
                    .filter(|m| m.is_file())?
                    .len();
                (len == print.0).then_some(print)
            })
            .collect();
        let Some(prints) = prints else {
            return false;
        };
        for (rel, print) in paths.iter().zip(prints) {
            self.manifest.files.insert(rel.clone(), print);
        }
        self.manifest.keys.insert(name.to_owned(), key.to_owned());
        self.staged.report.unchanged += paths.len();
        if !name.contains('/') {
            self.staged.report.kept += 1;
        }
        true
    }

    /// Stages rendered pages, with the key each listed document's pages were rendered under.
    pub fn put(&mut self, site: &Site, keys: &[(String, String)]) -> Result<()> {
        let dir = self.staged.dir.clone();
        let pages: Vec<(&String, &Vec<u8>)> = site
            .iter()
            .filter(|(rel, _)| {
                !rel.split('/')
                    .any(|c| c == ".." || c.is_empty() || c.starts_with('.'))
            })
            .collect();
        let folders: std::collections::BTreeSet<PathBuf> = pages
            .iter()
            .filter_map(|(rel, _)| dir.join(rel).parent().map(Path::to_path_buf))
            .collect();
        for folder in &folders {
            if !folder.is_dir() {
                fs::create_dir_all(folder).map_err(io(folder))?;
            }
        }
        let known = self.known.as_ref().map(|k| &k.files);
        let outcomes: Vec<Result<Option<(PathBuf, PathBuf)>>> = {
            use rayon::prelude::*;
            pages
                .par_iter()
                .map(|(rel, bytes)| stage_file(&dir, rel, bytes, known))
                .collect()
        };
        // Every file staged is recorded before any error is returned, so dropping the staging
        // removes them all.
        let mut failure = None;
        for outcome in outcomes {
            match outcome {
                Ok(Some(rename)) => {
                    self.staged.renames.push(rename);
                    self.staged.report.written += 1;
                }
                Ok(None) => self.staged.report.unchanged += 1,
                Err(e) => failure = failure.or(Some(e)),
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
        for (rel, bytes) in pages {
            self.manifest.files.insert(rel.clone(), fingerprint(bytes));
        }
        for (id, key) in keys {
            self.manifest.keys.insert(id.clone(), key.clone());
        }
        self.staged.report.rendered += keys.iter().filter(|(name, _)| !name.contains('/')).count();
        Ok(())
    }

    /// The staged site, with the files of the previous build it no longer has and the new
    /// manifest.
    pub fn finish(mut self) -> Result<Staged> {
        let dir = self.staged.dir.clone();
        self.staged.gone = match &self.known {
            Some(known) => known
                .files
                .keys()
                .filter(|p| !self.manifest.files.contains_key(*p))
                .cloned()
                .collect(),
            None => files(&dir, "")
                .into_iter()
                .filter(|p| !self.manifest.files.contains_key(p) && p != MARKER && p != MANIFEST)
                .collect(),
        };
        self.staged.gone.sort();
        let mut lines: Vec<String> = self
            .manifest
            .files
            .iter()
            .map(|(rel, (len, hash))| format!("{len} {hash:016x} {rel}\n"))
            .collect();
        lines.extend(
            self.manifest
                .keys
                .iter()
                .map(|(id, key)| format!("key {key} {id}\n")),
        );
        lines.sort();
        let target = dir.join(MANIFEST);
        let partial = partial_of(&target);
        if let Err(e) = fs::write(&partial, lines.concat()) {
            let _ = fs::remove_file(&partial);
            return Err(io(&partial)(e));
        }
        self.staged.renames.push((partial, target));
        Ok(self.staged)
    }
}

impl crate::render::Sink for Stager {
    type Error = Error;

    fn known(&self) -> HashMap<String, String> {
        self.known
            .as_ref()
            .map(|k| k.keys.clone())
            .unwrap_or_default()
    }

    fn keep(&mut self, name: &str, key: &str, paths: &[String]) -> bool {
        Stager::keep(self, name, key, paths)
    }

    fn put(&mut self, pages: &Site, keys: &[(String, String)]) -> Result<()> {
        Stager::put(self, pages, keys)
    }
}

/// Stages one page: `None` when the file in place already holds these bytes, else the
/// (staged file, target) to rename on publishing.
fn stage_file(
    dir: &Path,
    rel: &str,
    bytes: &[u8],
    known: Option<&HashMap<String, (u64, u64)>>,
) -> Result<Option<(PathBuf, PathBuf)>> {
    let target = dir.join(rel);
    let print = fingerprint(bytes);
    let on_disk = fs::symlink_metadata(&target)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    let same = match (known, on_disk) {
        (_, None) => false,
        (Some(known), Some(len)) => len == print.0 && known.get(rel) == Some(&print),
        (None, Some(len)) => len == print.0 && fs::read(&target).is_ok_and(|b| b == bytes),
    };
    if same {
        return Ok(None);
    }
    let partial = partial_of(&target);
    if let Err(e) = fs::write(&partial, bytes) {
        // A partly written file (a full disk) goes at once.
        let _ = fs::remove_file(&partial);
        return Err(io(&partial)(e));
    }
    Ok(Some((partial, target)))
}

impl Staged {
    /// Puts the staged site in place: each staged file renamed over the one it replaces (a
    /// reader sees the old file or the new one, never half of one), the files of removed
    /// documents deleted with the folders they leave empty, the manifest last. A publishing
    /// stopped half way is repaired by the next build, which rewrites whatever the manifest
    /// cannot vouch for.
    pub fn publish(mut self) -> Result<SiteReport> {
        // The manifest in place vouches for the files as the last build left them; once a
        // file is renamed it no longer does, so it goes first (the new one comes last). A
        // publishing stopped half way leaves no manifest: the next build renders every page
        // and compares every file byte for byte, rather than trust keys the files no longer
        // match.
        let manifest = self.dir.join(MANIFEST);
        if let Err(e) = fs::remove_file(&manifest)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            return Err(io(&manifest)(e));
        }
        let renames = std::mem::take(&mut self.renames);
        let mut left = renames.iter();
        for (partial, target) in left.by_ref() {
            if let Err(e) = fs::rename(partial, target) {
                let error = io(target)(e);
                let _ = fs::remove_file(partial);
                for (partial, _) in left {
                    let _ = fs::remove_file(partial);
                }
                return Err(error);
            }
        }
        for rel in &self.gone {
            let path = self.dir.join(rel);
            if fs::remove_file(&path).is_ok() {
                self.report.removed += 1;
            }
            // Folders left empty go too (`remove_dir` refuses a folder that is not).
            let mut parent = path.parent();
            while let Some(p) = parent.filter(|p| *p != self.dir) {
                if fs::remove_dir(p).is_err() {
                    break;
                }
                parent = p.parent();
            }
        }
        if self.marker {
            let marker = self.dir.join(MARKER);
            fs::write(
                &marker,
                "A site written by `casebook build --output-dir`.\n",
            )
            .map_err(io(&marker))?;
        }
        let mut report = self.report.clone();
        report.seconds = self.started.elapsed().as_secs_f64();
        Ok(report)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (partial, _) in &self.renames {
            let _ = fs::remove_file(partial);
        }
    }
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
    /// Writes `site` to `dir` in place: `stage_site`, then `publish`.
    fn write_site(dir: &Path, site: &Site) -> Result<SiteReport> {
        stage_site(dir, site)?.publish()
    }

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
        assert!(!dir.join("y").exists(), "an emptied folder goes");
        assert!(!sibling(&dir, "new").exists() && !sibling(&dir, "old").exists());
        // A file changed behind the build's back (its length differs) is rewritten.
        fs::write(dir.join("index.html"), "tampered").unwrap();
        let third = write_site(&dir, &site(&[("index.html", "a"), ("x/index.html", "B")])).unwrap();
        assert_eq!((third.written, third.unchanged), (1, 1));
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "a");
        // No partial files are left.
        assert!(files(&dir, "").iter().all(|f| !f.ends_with(".partial")));
    }

    #[test]
    fn a_publishing_stopped_half_way_leaves_no_key_to_trust() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let paths = vec!["a/index.html".to_owned()];
        let mut first = Stager::for_site(&dir).unwrap();
        first
            .put(
                &site(&[("a/index.html", "A1"), ("b/index.html", "B1")]),
                &[("a".into(), "k1".into())],
            )
            .unwrap();
        first.finish().unwrap().publish().unwrap();
        let mut again = Stager::for_site(&dir).unwrap();
        assert!(again.keep("a", "k1", &paths), "an unchanged key is kept");
        // The next build changes both pages; the second cannot be put in place (a folder with
        // files stands where it goes), after the first was.
        let mut second = Stager::for_site(&dir).unwrap();
        second
            .put(
                &site(&[("a/index.html", "A2"), ("b/index.html", "B2")]),
                &[("a".into(), "k2".into())],
            )
            .unwrap();
        let staged = second.finish().unwrap();
        fs::remove_file(dir.join("b/index.html")).unwrap();
        fs::create_dir_all(dir.join("b/index.html/x")).unwrap();
        assert!(staged.publish().is_err());
        assert_eq!(fs::read_to_string(dir.join("a/index.html")).unwrap(), "A2");
        // The keys of the first build no longer describe the files: none is trusted.
        let mut next = Stager::for_site(&dir).unwrap();
        assert!(!next.keep("a", "k1", &paths) && !next.keep("a", "k2", &paths));
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
