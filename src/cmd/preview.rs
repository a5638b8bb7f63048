//! `casebook preview`: the working tree as a site — uncommitted files and drafts included,
//! every page bannered DRAFT PREVIEW and listing the check's findings — rebuilt when a file in
//! `knowledge/` or `templates/` is saved, with open pages reloading themselves. It writes only
//! under `state_dir/preview/`, never the published site or index. The server itself is
//! assembled in `serve::start`.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::PreviewArgs;
use crate::serve;

use super::Context;

/// Where the preview listens unless told otherwise.
const BIND: &str = "127.0.0.1:8090";

/// Runs `preview`.
pub(super) fn run(args: &PreviewArgs, ctx: Context) -> Result<ExitCode> {
    serve::log::init();
    crate::alloc::prefer_small_memory();
    let ceiling = super::build::ceiling(args.max_marking.as_deref(), &ctx)?;
    let bind = args.bind.clone().unwrap_or_else(|| BIND.to_owned());
    serve::start::saves(ctx, ceiling, &bind, args.open)?;
    Ok(ExitCode::SUCCESS)
}
