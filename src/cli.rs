//! The command line (clap derive): global options and one `Args` struct per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Casebook: the investigation-learning knowledge base of a Modern Slavery Partnership.
#[derive(Debug, Parser)]
#[command(name = "casebook", version, about, max_term_width = 100)]
pub struct Cli {
    /// Repository to work on (default: discovered from the current directory, like git).
    #[arg(long, global = true, value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// Configuration file (default: casebook.toml at the repository root).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new content repository with one example document of each kind.
    Init(InitArgs),
    /// Write a new document skeleton with the next free id.
    New(NewArgs),
    /// Validate every document: schema, vocabularies, ids, references, links, personal data.
    Check(CheckArgs),
    /// Check, then update the search index and the static site.
    Build(BuildArgs),
    /// Search the built index from the terminal.
    Search(SearchArgs),
    /// Build, serve the site and search, and rebuild when new commits arrive.
    Serve(ServeArgs),
    /// Serve the working tree, drafts included, reloading on save.
    Preview(PreviewArgs),
    /// Manage git hooks.
    Hooks(HooksArgs),
    /// Print the headline statistics.
    Stats(StatsArgs),
    /// Show the git history of one document.
    History(HistoryArgs),
    /// Write a learning theme's seven-minute briefing as a file to send or print.
    Brief(BriefArgs),
    /// Write the partnership's periodic report (a quarter, a year, any run of months).
    Report(ReportArgs),
}

/// Who a release of figures is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AudienceArg {
    /// The edition's own readers: exact counts at the ceiling.
    Internal,
    /// Partner agencies: the OFFICIAL edition, exact counts.
    Partners,
    /// Beyond the partnership: OFFICIAL with disclosure control.
    Public,
}

impl AudienceArg {
    /// The model's audience.
    pub fn audience(self) -> crate::model::stats::Audience {
        use crate::model::stats::Audience;
        match self {
            AudienceArg::Internal => Audience::Internal,
            AudienceArg::Partners => Audience::Partners,
            AudienceArg::Public => Audience::Public,
        }
    }
}

/// `casebook init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the repository in (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Use a folder that is not empty (files already there are kept, never overwritten).
    #[arg(long)]
    pub force: bool,
    /// The branch of the new repository: what a server publishes (`deploy/post-receive`
    /// publishes `main` unless told otherwise), whatever git's `init.defaultBranch` says.
    #[arg(long, default_value = "main", value_name = "NAME")]
    pub branch: String,
}

/// Kinds `casebook new` can create.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NewKind {
    /// A case review.
    CaseReview,
    /// An order record.
    Order,
    /// An agency powers note.
    Agency,
}

/// `casebook new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create.
    pub kind: NewKind,
    /// The document's title.
    #[arg(long)]
    pub title: Option<String>,
    /// Use this id instead of the next free one.
    #[arg(long)]
    pub id: Option<String>,
    /// Agency code (required for an agency note; its id is AG-<CODE>).
    #[arg(long)]
    pub agency: Option<String>,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics with code frames.
    Human,
    /// A JSON array of diagnostics.
    Json,
}

/// `casebook check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Revision to check (default: HEAD).
    #[arg(long, value_name = "REV", conflicts_with = "worktree")]
    pub rev: Option<String>,
    /// Check the working tree (committed and uncommitted files) instead of a commit.
    #[arg(long, conflicts_with = "staged")]
    pub worktree: bool,
    /// Check the staged files (what `git commit` will record): the pre-commit hook's check.
    #[arg(long, conflicts_with = "rev")]
    pub staged: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Print errors only, not warnings (the summary still counts both).
    #[arg(long)]
    pub errors_only: bool,
    /// No progress and no summary line: only the diagnostics.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `casebook build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Revision to build (default: HEAD).
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// Marking ceiling of this build (default: max_marking from casebook.toml).
    #[arg(long, value_name = "M")]
    pub max_marking: Option<String>,
    /// Include draft and in-review documents.
    #[arg(long)]
    pub drafts: bool,
    /// Rebuild everything from scratch.
    #[arg(long)]
    pub full: bool,
    /// Write the site to this folder instead of `output_dir` (a new or empty folder, or one a
    /// previous `build --output-dir` wrote).
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// The address the site is published at (for the feed and sitemap), instead of `base_url`.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print errors only, not warnings (the summary still counts both).
    #[arg(long)]
    pub errors_only: bool,
    /// No progress and no report lines: only diagnostics and failures.
    #[arg(long, short)]
    pub quiet: bool,
    /// After the build, print the time each phase took (checking, history, rendering, …).
    #[arg(long)]
    pub timings: bool,
}

/// Sort orders of search results.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortOrder {
    /// Best match first.
    Relevance,
    /// Most recent first.
    Newest,
}

/// Output formats of `search` and `stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For people.
    Human,
    /// JSON.
    Json,
}

/// `casebook search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query, in search syntax (a leading `-` excludes a word: `-labour` works as is).
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// Only this kind.
    #[arg(long)]
    pub kind: Vec<String>,
    /// Only this area.
    #[arg(long)]
    pub area: Vec<String>,
    /// Only this exploitation type.
    #[arg(long)]
    pub exploitation: Vec<String>,
    /// Only this agency.
    #[arg(long)]
    pub agency: Vec<String>,
    /// Only this learning theme.
    #[arg(long)]
    pub theme: Vec<String>,
    /// Only this outcome.
    #[arg(long)]
    pub outcome: Vec<String>,
    /// Only reviews with a learning point of this grade (`effective`, `promising`,
    /// `untested`, `ineffective`).
    #[arg(long)]
    pub grade: Vec<String>,
    /// Only agencies holding this power type (`closure`, `entry`, …).
    #[arg(long)]
    pub power: Vec<String>,
    /// From this year.
    #[arg(long, value_name = "YYYY")]
    pub from: Option<i32>,
    /// Up to this year.
    #[arg(long, value_name = "YYYY")]
    pub to: Option<i32>,
    /// Sort order.
    #[arg(long, value_enum, default_value_t = SortOrder::Relevance)]
    pub sort: SortOrder,
    /// Number of results.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Marking ceiling whose index to search (default: `max_marking` of casebook.toml).
    #[arg(long, value_name = "M")]
    pub max_marking: Option<String>,
    /// Search the drafts index (drafts and documents in review too), as `casebook build
    /// --drafts` builds it.
    #[arg(long)]
    pub drafts: bool,
    /// Search the words exactly as typed: no automatic spelling correction.
    #[arg(long)]
    pub exact: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

/// `casebook serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "CASEBOOK_BIND")]
    pub bind: Option<String>,
    /// Marking ceiling of the served build.
    #[arg(long, value_name = "M")]
    pub max_marking: Option<String>,
    /// Refuse requests without this identity header, and log it with each search.
    #[arg(long, value_name = "NAME", env = "CASEBOOK_REQUIRE_HEADER")]
    pub require_header: Option<String>,
}

/// `casebook preview`.
#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// Address to listen on (default 127.0.0.1:8090).
    #[arg(long, env = "CASEBOOK_PREVIEW_BIND")]
    pub bind: Option<String>,
    /// Open the preview in the web browser.
    #[arg(long)]
    pub open: bool,
    /// Marking ceiling of the preview (default: max_marking from casebook.toml).
    #[arg(long, value_name = "M")]
    pub max_marking: Option<String>,
}

/// `casebook hooks`.
#[derive(Debug, Args)]
pub struct HooksArgs {
    /// What to do with hooks.
    #[command(subcommand)]
    pub action: HooksAction,
}

/// Hook actions.
#[derive(Debug, Subcommand)]
pub enum HooksAction {
    /// Install a pre-commit hook that runs `casebook check --staged` and refuses a commit with
    /// errors.
    Install {
        /// Replace a pre-commit hook that is not Casebook's (it is kept beside it as
        /// `pre-commit.before-casebook` and put back by `uninstall`).
        #[arg(long)]
        force: bool,
    },
    /// Remove Casebook's pre-commit hook (never another one).
    Uninstall,
}

/// Output formats of `stats`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatsFormat {
    /// A table.
    Table,
    /// CSV.
    Csv,
    /// JSON.
    Json,
}

/// `casebook stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
    /// Marking ceiling: only documents at or below it are counted (default: `max_marking` of
    /// casebook.toml, or OFFICIAL for the partners and public audiences).
    #[arg(long, value_name = "M")]
    pub max_marking: Option<String>,
    /// Who the figures are for: `internal` (the ceiling's edition, exact counts), `partners`
    /// (OFFICIAL, exact counts) or `public` (OFFICIAL, counts of 1 to 5 shown as 1-5 and
    /// further counts hidden until an audit proves no hidden count can be worked out).
    #[arg(long, value_enum, default_value_t = AudienceArg::Internal)]
    pub audience: AudienceArg,
    /// Revision to count (default HEAD).
    #[arg(long)]
    pub rev: Option<String>,
}

/// The form of a file to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocumentFormat {
    /// One HTML file with its styles inside, for a browser or an e-mail.
    Html,
    /// A PDF: A4, its fonts inside, tagged for accessibility.
    Pdf,
}

/// `casebook brief`.
#[derive(Debug, Args)]
pub struct BriefArgs {
    /// The learning theme's code (`interpreters`, `s45-defence`, …).
    pub theme: String,
    /// Marking ceiling: only documents at or below it are drawn on (default: `max_marking` of
    /// casebook.toml).
    #[arg(long, value_name = "M")]
    pub max_marking: Option<String>,
    /// The file's form.
    #[arg(long, value_enum, default_value_t = DocumentFormat::Html)]
    pub format: DocumentFormat,
    /// Where to write it (default: HTML to standard output, a PDF to THEME-briefing.pdf).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The form of the periodic report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One HTML file with its styles inside.
    Html,
    /// Markdown, for a board paper's document.
    Md,
    /// A PDF: A4, its fonts inside, tagged for accessibility.
    Pdf,
}

/// `casebook report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The period: a quarter (`2026-Q3`), a year (`2026`), a month (`2026-07`) or a run of
    /// months (`2026-07..2026-12`).
    #[arg(long, value_name = "PERIOD")]
    pub period: String,
    /// Who it is for: `internal` (the configured ceiling's edition, exact counts), `partners`
    /// (OFFICIAL, exact counts) or `public` (OFFICIAL, no lists of documents, counts of 1 to 5
    /// shown as 1-5 and further counts hidden until an audit proves none can be worked out).
    #[arg(long, value_enum, default_value_t = AudienceArg::Internal)]
    pub audience: AudienceArg,
    /// The file's form.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Where to write it (default: HTML and markdown to standard output, a PDF to
    /// report-PERIOD.pdf).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `casebook history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Document id (`CR-2024-007`, `ORD-2023-004`, `AG-GLAA`).
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Revision whose history to show (default HEAD).
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}
