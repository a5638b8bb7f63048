//! Reading the knowledge folder from the working tree (`check --worktree`, `preview`):
//! committed and uncommitted files alike, fed to the same parser as committed blobs.
//! Symlinks are reported, never followed.

use std::fs;
use std::path::Path;

use super::error::LoadError;

type Result<T, E = LoadError> = std::result::Result<T, E>;

use super::{Entry, EntryContent, MAX_FILE};

/// Every wanted file under `root/dir`.
pub(super) fn read_dir(root: &Path, dir: &str) -> Result<Vec<Entry>> {
    let base = root.join(dir);
    match fs::symlink_metadata(&base) {
        Ok(m) if m.is_dir() => {}
        _ => {
            return Err(LoadError::NoWorktreeFolder {
                dir: dir.to_owned(),
                root: root.to_owned(),
            });
        }
    }
    let mut out = Vec::new();
    walk(&base, dir, &mut out)?;
    // A symbolic link is reported whatever its name: it may stand for a folder.
    out.retain(|e| super::wanted(&e.path, dir) || matches!(e.content, EntryContent::Symlink));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn walk(folder: &Path, rel: &str, out: &mut Vec<Entry>) -> Result<()> {
    let io = |source| LoadError::Io {
        path: folder.to_owned(),
        source,
    };
    for item in fs::read_dir(folder).map_err(io)? {
        let item = item.map_err(io)?;
        let name = item.file_name();
        let Some(name_str) = name.to_str() else {
            let path = format!("{rel}/{}", name.to_string_lossy());
            out.push(Entry {
                path,
                content: EntryContent::NonUtf8Name,
                blob: String::new(),
            });
            continue;
        };
        let path = format!("{rel}/{name_str}");
        let meta = fs::symlink_metadata(item.path()).map_err(io)?;
        if meta.is_dir() {
            if !name_str.starts_with('.') {
                walk(&item.path(), &path, out)?;
            }
            continue;
        }
        let content = if meta.file_type().is_symlink() {
            EntryContent::Symlink
        } else if !meta.is_file() {
            // A FIFO, socket or device would block or never end when read.
            if !(name_str.ends_with(".md") || name_str == "vocabulary.yaml") {
                continue;
            }
            EntryContent::NotRegular
        } else if meta.len() > MAX_FILE as u64 {
            EntryContent::TooLarge(meta.len() as usize)
        } else if name_str.ends_with(".md") || name_str == "vocabulary.yaml" {
            match fs::read(item.path()) {
                Ok(bytes) => EntryContent::Bytes(bytes),
                Err(e) => EntryContent::Unreadable(e.to_string()),
            }
        } else {
            continue;
        };
        let blob = match &content {
            EntryContent::Bytes(b) => super::content_hash(b),
            _ => String::new(),
        };
        out.push(Entry {
            path,
            content,
            blob,
        });
    }
    Ok(())
}
