//! The closed world a layout is compiled in: its own source, the data as `data.json`, the
//! embedded fonts and a date fixed by the caller. Every other file, every package and the
//! clock are refused, so a layout reads nothing from the machine and nothing from the network.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontFamily, FontList, Lang, Region, TextElem};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The name of the layout in diagnostics (`template.typ:12:3`).
pub(super) const MAIN_NAME: &str = "template.typ";
/// The one file a layout may read.
pub(super) const DATA_NAME: &str = "data.json";
/// The family every document is set in unless its layout says otherwise.
pub(super) const BODY_FONT: &str = "Noto Sans";

/// Paths are interned for the life of the process (at most 65,535 of them), so the two files
/// get their identifiers once rather than one per render.
static MAIN: LazyLock<FileId> = LazyLock::new(|| project_file(MAIN_NAME));
static DATA: LazyLock<FileId> = LazyLock::new(|| project_file(DATA_NAME));

static FONTS: LazyLock<Fonts> = LazyLock::new(Fonts::embedded);

/// Typst's standard library with the partnership's defaults: Noto Sans, British English (which
/// also sets the PDF's language).
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| {
    let mut library = Library::default();
    let body = FontList(vec![FontFamily::new(BODY_FONT)]);
    library.styles.set(TextElem::font, body);
    library.styles.set(TextElem::lang, Lang::ENGLISH);
    library
        .styles
        .set(TextElem::region, "GB".parse::<Region>().ok());
    LazyHash::new(library)
});

fn project_file(name: &str) -> FileId {
    let path = VirtualPath::new(name).expect("a plain file name is a valid virtual path");
    RootedPath::new(VirtualRoot::Project, path).intern()
}

/// The fonts compiled into the binary, parsed once: Noto Sans 1.04 in four styles (about
/// 830 kB; licence and copyright in `licences/NotoSans-OFL.txt`, which the release tarball ships). Text in a
/// script they lack is drawn as boxes, so a wider family is added here, not found on the machine.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Fonts {
    fn embedded() -> Fonts {
        let files: [&'static [u8]; 4] = [
            notosans::REGULAR_TTF,
            notosans::BOLD_TTF,
            notosans::ITALIC_TTF,
            notosans::BOLD_ITALIC_TTF,
        ];
        let fonts: Vec<Font> = files
            .into_iter()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        Fonts { book, fonts }
    }
}

/// One compilation's world: the layout, the data and the date.
pub(super) struct Sandbox {
    main: Source,
    data: Bytes,
    today: Option<Datetime>,
}

impl Sandbox {
    /// A world holding `template` as its main file and `data` (JSON text) as `data.json`.
    pub(super) fn new(template: &str, data: Vec<u8>, today: Option<NaiveDate>) -> Sandbox {
        let today = today.and_then(|date| {
            let month = u8::try_from(date.month()).ok()?;
            let day = u8::try_from(date.day()).ok()?;
            Datetime::from_ymd(date.year(), month, day)
        });
        Sandbox {
            main: Source::new(*MAIN, template.to_owned()),
            data: Bytes::new(data),
            today,
        }
    }

    /// The date `datetime.today()` gives, also written as the PDF's creation date.
    pub(super) fn today(&self) -> Option<Datetime> {
        self.today
    }

    /// The layout's source, to quote its lines in diagnostics.
    pub(super) fn main_source(&self) -> &Source {
        &self.main
    }
}

/// Why a file other than the two a layout has is refused.
fn refused(id: FileId) -> FileError {
    match id.root() {
        VirtualRoot::Package(spec) => FileError::Package(PackageError::Other(Some(
            format!("packages are not available ({spec}): a layout uses the standard library only")
                .into(),
        ))),
        VirtualRoot::Project => FileError::Other(Some(
            format!(
                "{} is not available: a layout reads only {DATA_NAME}",
                id.vpath().get_without_slash()
            )
            .into(),
        )),
    }
}

impl World for Sandbox {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        *MAIN
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN {
            Ok(self.main.clone())
        } else if id == *DATA {
            Err(FileError::NotSource)
        } else {
            Err(refused(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *DATA {
            Ok(self.data.clone())
        } else if id == *MAIN {
            Ok(Bytes::from_string(self.main.text().to_owned()))
        } else {
            Err(refused(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
