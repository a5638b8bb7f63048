//! `casebook hooks install|uninstall`: a git pre-commit hook that checks the staged knowledge
//! base and refuses a commit with errors. Casebook only ever replaces or removes its own hook.

use std::fs;
use std::io::ErrorKind;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use crate::cli::{HooksAction, HooksArgs};

use super::Context;

/// The line that marks a hook as Casebook's.
const MARKER: &str = "# casebook-hook: pre-commit";

/// Where a foreign hook is kept when `install --force` replaces it.
const BACKUP: &str = "pre-commit.before-casebook";

/// Runs `hooks`.
pub(super) fn run(args: &HooksArgs, ctx: &Context) -> Result<ExitCode> {
    let dir = ctx.repo.hooks_dir();
    match args.action {
        HooksAction::Install { force } => install(&dir, force)?,
        HooksAction::Uninstall => uninstall(&dir)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn install(dir: &Path, force: bool) -> Result<()> {
    let hook = dir.join("pre-commit");
    let exe = std::env::current_exe().context("cannot tell where the casebook program is")?;
    let script = script(&exe.to_string_lossy());
    match fs::read_to_string(&hook) {
        Ok(existing) if existing == script => {
            eprintln!(
                "the pre-commit hook is already installed: {}",
                hook.display()
            );
            return Ok(());
        }
        Ok(existing) if is_ours(&existing) => {}
        Ok(_) if !force => bail!(
            "{} is another pre-commit hook; Casebook leaves it in place (use `casebook hooks install --force` to keep it as {BACKUP} and install Casebook's)",
            hook.display()
        ),
        Ok(_) => {
            let backup = dir.join(BACKUP);
            if backup.exists() {
                bail!(
                    "{} already exists; move it away before replacing another hook",
                    backup.display()
                );
            }
            fs::rename(&hook, &backup)
                .with_context(|| format!("cannot keep {} as {BACKUP}", hook.display()))?;
            eprintln!("kept the previous hook as {}", backup.display());
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", hook.display())),
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // Written beside the hook and renamed over it, so git never runs half a script.
    let partial = dir.join(".pre-commit.casebook-partial");
    fs::write(&partial, &script).with_context(|| format!("cannot write {}", partial.display()))?;
    make_executable(&partial)?;
    fs::rename(&partial, &hook).with_context(|| format!("cannot write {}", hook.display()))?;
    eprintln!(
        "installed the pre-commit hook: {} (every commit is checked; `git commit --no-verify` skips it)",
        hook.display()
    );
    Ok(())
}

fn uninstall(dir: &Path) -> Result<()> {
    let hook = dir.join("pre-commit");
    match fs::read_to_string(&hook) {
        Ok(existing) if is_ours(&existing) => {
            fs::remove_file(&hook).with_context(|| format!("cannot remove {}", hook.display()))?;
            let backup = dir.join(BACKUP);
            if backup.exists() {
                fs::rename(&backup, &hook)
                    .with_context(|| format!("cannot put back {}", backup.display()))?;
                eprintln!("removed Casebook's hook and put back the previous one");
            } else {
                eprintln!("removed the pre-commit hook: {}", hook.display());
            }
            Ok(())
        }
        Ok(_) => bail!(
            "{} is not Casebook's pre-commit hook; it was left in place",
            hook.display()
        ),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            eprintln!("no pre-commit hook is installed");
            Ok(())
        }
        Err(e) => Err(e).with_context(|| format!("cannot read {}", hook.display())),
    }
}

fn is_ours(text: &str) -> bool {
    text.lines().any(|l| l.trim_end() == MARKER)
}

/// The hook: runs this casebook program (or the one on PATH, if this one has moved) on the
/// staged files.
fn script(exe: &str) -> String {
    let quoted = format!("'{}'", exe.replace('\'', r"'\''"));
    format!(
        r#"#!/bin/sh
{MARKER}
# Checks the staged knowledge base and refuses the commit when it has errors.
# Installed by `casebook hooks install`; removed by `casebook hooks uninstall`.
# To commit anyway (the server will refuse to publish content with errors): git commit --no-verify
casebook=${{CASEBOOK:-{quoted}}}
if [ ! -x "$casebook" ]; then
    casebook=$(command -v casebook || true)
fi
if [ -z "$casebook" ]; then
    echo "casebook pre-commit hook: the casebook program was not found at {quoted} or on PATH;" >&2
    echo "install it, or remove this hook with 'casebook hooks uninstall'" >&2
    exit 1
fi
"$casebook" check --staged
status=$?
if [ "$status" -eq {content} ]; then
    echo "casebook: commit refused: the staged files have errors. Fix them, 'git add' the files," >&2
    echo "then commit again ('casebook check --worktree' shows them as you edit)." >&2
elif [ "$status" -ne 0 ]; then
    echo "casebook: commit refused: the staged files could not be checked (see above)." >&2
fi
exit "$status"
"#,
        content = super::EXIT_CONTENT
    )
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .with_context(|| format!("cannot make {} executable", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_quotes_the_program_and_marks_itself() {
        let s = script("/opt/it's here/casebook");
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(is_ours(&s));
        assert!(s.contains(r"'/opt/it'\''s here/casebook'"), "{s}");
        assert!(!is_ours("#!/bin/sh\nexec lint-staged\n"));
    }
}
