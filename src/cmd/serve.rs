//! `casebook serve`: build, serve the site and search, and rebuild in the background when new
//! commits arrive (a failing rebuild keeps the last good build and is reported in `/healthz`).
//! The server itself is assembled in `serve::start`.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ServeArgs;
use crate::serve::{self, start::Ended};

use super::{Context, EXIT_CONTENT};

/// Runs `serve`.
pub(super) fn run(args: &ServeArgs, ctx: Context) -> Result<ExitCode> {
    serve::log::init();
    crate::alloc::prefer_small_memory();
    let ceiling = super::build::ceiling(args.max_marking.as_deref(), &ctx)?;
    let bind = args
        .bind
        .clone()
        .unwrap_or_else(|| ctx.config.serve.bind.clone());
    let ended = serve::start::commits(ctx, ceiling, &bind, args.require_header.as_deref())?;
    Ok(match ended {
        Ended::Stopped => ExitCode::SUCCESS,
        Ended::Refused => ExitCode::from(EXIT_CONTENT),
    })
}
