//! Writes a synthetic knowledge base for benchmarks and scale tests: N varied, valid documents
//! of all three kinds, committed to a new git repository over a few hundred commits.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --docs 10000 --out /tmp/corpus [--commits 300] [--seed 7]
//! ```
//!
//! Every document is marked `fictional: true`; the text is assembled from domain phrases and
//! the built-in vocabularies, and passes `casebook check`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use casebook::load::built_in_vocabulary;
use casebook::model::{VocabName, Vocabulary};
use git2::{IndexAddOption, Repository, Signature, Time};

struct Args {
    docs: usize,
    out: PathBuf,
    commits: usize,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        docs: 1000,
        out: PathBuf::from("corpus"),
        commits: 300,
        seed: 7,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag}: `{value}` is not a number"))
        };
        match flag.as_str() {
            "--docs" => args.docs = number()? as usize,
            "--commits" => args.commits = number()?.max(1) as usize,
            "--seed" => args.seed = number()?,
            "--out" => args.out = PathBuf::from(&value),
            _ => {
                return Err(format!(
                    "unknown option {flag}; use --docs N --out DIR [--commits N] [--seed N]"
                ));
            }
        }
    }
    Ok(args)
}

/// A small deterministic generator (PCG-style LCG), so corpora are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn some<'a>(&mut self, items: &'a [String], max: usize) -> Vec<&'a str> {
        let n = 1 + self.below(max);
        let mut out: Vec<&str> = Vec::new();
        while out.len() < n.min(items.len()) {
            let item = self.pick(items).as_str();
            if !out.contains(&item) {
                out.push(item);
            }
        }
        out
    }
}

const OPENINGS: &[&str] = &[
    "The investigation began after a partner agency passed intelligence to the force",
    "A welfare visit found workers living in poor conditions above the premises",
    "A member of the public reported concerns through the helpline",
    "Officers on a routine licensing check noticed signs of control and fear",
    "A safeguarding referral from a school raised concerns about a pupil's absences",
];
const DETAILS: &[&str] = &[
    "Phone downloads showed who directed the work and how money moved between accounts",
    "Interviews were held with qualified interpreters who had been checked for links to the suspects",
    "The victims were referred into the National Referral Mechanism and supported by the victim care contract",
    "A joint visit with the GLAA and HMRC minimum wage officers spoke to each worker alone",
    "Financial investigation traced wages paid into accounts controlled by the suspects",
    "The CPS gave early investigative advice on the s45 defence and the evidence needed",
    "Duty to notify forms were completed for adults who declined a referral",
    "A closure notice stopped the premises being used while enquiries continued",
];
const PROBLEMS: &[&str] = &[
    "The first report was closed after a single visit without speaking to workers alone",
    "An interpreter from the same community as the suspects undermined trust in the first interview",
    "Victims lost contact with the case team between charge and trial",
    "Intelligence held by partners was not shared until late in the investigation",
    "Supervisory reviews did not challenge the decision to record the matter as a labour dispute",
    "Digital evidence took months to examine because of a backlog",
];
const LESSONS: &[&str] = &[
    "Speak to workers away from the employer before closing any report",
    "Check interpreters for local and family connections before contact with victims",
    "Plan victim care for the whole life of the case, not only the first weeks",
    "Consider a prevention or risk order at the start, with draft prohibitions ready",
    "Share intelligence with partner agencies at the tasking stage",
    "Use financial investigation from day one to find who benefits",
];

fn sentence(rng: &mut Rng, list: &[&str]) -> String {
    let mut s = (*rng.pick(list)).to_owned();
    s.push_str(". ");
    s
}

fn paragraph(rng: &mut Rng, lists: &[&[&str]], sentences: usize) -> String {
    (0..sentences)
        .map(|i| sentence(rng, lists[i % lists.len()]))
        .collect()
}

fn codes(vocab: &Vocabulary, name: VocabName) -> Vec<String> {
    vocab.terms(name).iter().map(|t| t.code.clone()).collect()
}

struct Vocab {
    areas: Vec<String>,
    exploitation: Vec<String>,
    agencies: Vec<String>,
    themes: Vec<String>,
    outcomes: Vec<String>,
    referral: Vec<String>,
    prohibitions: Vec<String>,
    power_types: Vec<String>,
}

fn review(rng: &mut Rng, v: &Vocab, year: i32, n: usize) -> (String, String) {
    let id = format!("CR-{year}-{n:04}");
    let month = 1 + rng.below(12);
    let lead = if rng.below(4) == 0 { "GLAA" } else { "HIOWC" };
    // The constabulary took its present name in November 2022: earlier investigations name
    // Hampshire Constabulary.
    let force = if lead == "HIOWC" && (year, month) < (2022, 11) {
        "HC"
    } else {
        lead
    };
    let areas = rng.some(&v.areas, 2).join(", ");
    let exploitation = rng.some(&v.exploitation, 2).join(", ");
    let themes = rng.some(&v.themes, 4).join(", ");
    let total = 1 + rng.below(20);
    let adults = rng.below(total + 1);
    let outcome = rng.pick(&v.outcomes);
    let support = rng.pick(&v.agencies);
    let support = if support == lead { "CPS" } else { support };
    let grade = ["effective", "promising", "untested", "ineffective"][rng.below(4)];
    let mut fm = String::new();
    let _ = write!(
        fm,
        "---\nid: {id}\nkind: case_review\ntitle: \"Operation {op}: {e} — review {n}\"\nmarking: {marking}\nstatus: approved\nowner: {lead}\nlast_reviewed: {year}-{month:02}-20\nfictional: true\nrelated: [AG-{lead}]\noperation: \"Operation {op}\"\nreview_type: {rt}\nlead_agency: {force}\ninvestigation: {{start: {sy}-{month:02}, end: {year}-{em:02}}}\nreview_date: {year}-{month:02}-15\nareas: [{areas}]\nexploitation: [{exploitation}]\noffences:\n  - {{code: MSA2015-s1, outcome: {outcome}}}\nvictims: {{total: {total}, adults: {adults}, children: {children}}}\nperpetrators: {{total: {p}, ocg: {ocg}}}\nreferral_source: {rs}\noutcome: {outcome}\nagencies:\n  - {{code: {force}, role: lead}}\n  - {{code: {support}, role: support}}\nthemes: [{themes}]\nlearning:\n  - {{id: L1, text: \"{gp}\", themes: [{first_theme}], grade: {grade}{evidence}}}\nrecommendations:\n  - {{id: R1, text: \"{rec}\", owner: {lead}, due: 2027-{rm:02}, status: open}}\n---\n",
        op = format!(
            "{}{}",
            ["Ash", "Birch", "Cedar", "Hazel", "Larch", "Rowan", "Willow"][rng.below(7)],
            n
        ),
        e = exploitation.replace(", ", " and "),
        marking = if rng.below(5) == 0 {
            "OFFICIAL-SENSITIVE"
        } else {
            "OFFICIAL"
        },
        rt = [
            "deep-dive",
            "debrief",
            "thematic",
            "peer-review",
            "file-audit"
        ][rng.below(5)],
        sy = year - 1,
        em = month,
        children = total - adults,
        p = 1 + rng.below(6),
        ocg = rng.below(2) == 0,
        rs = rng.pick(&v.referral),
        gp = rng.pick(DETAILS),
        first_theme = themes.split(", ").next().unwrap_or_default(),
        grade = grade,
        evidence = if matches!(grade, "effective" | "ineffective") {
            format!(", evidence: \"{}\"", rng.pick(DETAILS))
        } else {
            String::new()
        },
        rec = rng.pick(LESSONS),
        rm = 1 + rng.below(12),
    );
    let _ = write!(
        fm,
        "*Synthetic document for benchmarks.*\n\n## Summary\n\n{}\n\n## What worked\n\n{}\n\n## What did not work\n\n{}\n\n## Learning\n\n{}\n",
        paragraph(rng, &[OPENINGS, DETAILS], 4),
        paragraph(rng, &[DETAILS], 8),
        paragraph(rng, &[PROBLEMS], 8),
        paragraph(rng, &[LESSONS, DETAILS], 6),
    );
    (format!("knowledge/reviews/{id}.md"), fm)
}

fn order(rng: &mut Rng, v: &Vocab, year: i32, n: usize) -> (String, String) {
    let id = format!("ORD-{year}-{n:04}");
    let month = 1 + rng.below(12);
    let areas = rng.some(&v.areas, 2).join(", ");
    let exploitation = rng.some(&v.exploitation, 1).join(", ");
    let prohibitions: Vec<&str> = rng.some(&v.prohibitions, 3);
    let (kind, fields) = match rng.below(4) {
        0 => (
            "STRO",
            format!(
                "basis: MSA2015-s23\napplicant: chief-officer-police\ncourt: magistrates\norder_status: considered-not-pursued\nnot_pursued_reason: \"{}\"\n",
                rng.pick(PROBLEMS)
            ),
        ),
        1 => {
            let years = 2 + rng.below(4);
            let expires = (year + years as i32, month);
            (
                "STRO",
                format!(
                    "basis: MSA2015-s23\napplicant: chief-officer-police\ncourt: magistrates\n{}made: {year}-{month:02}\nuntil_further_order: false\nduration_years: {years}\nexpires: {}-{month:02}\nprohibitions: [{}]\nnotification_requirement: true\n",
                    standing(
                        expires,
                        "Force modern slavery single point of contact",
                        "quarterly",
                        "GLAA"
                    ),
                    expires.0,
                    prohibitions.join(", ")
                ),
            )
        }
        _ => {
            let years = 5 + rng.below(6);
            let expires = (year + years as i32, month);
            (
                "STPO",
                format!(
                    "basis: MSA2015-s14\ncourt: crown\n{}made: {year}-{month:02}\nuntil_further_order: false\nduration_years: {years}\nexpires: {}-{month:02}\nprohibitions: [{}]\nnotification_requirement: true\n",
                    standing(expires, "Offender manager", "six-monthly", "LA-LIC"),
                    expires.0,
                    prohibitions.join(", ")
                ),
            )
        }
    };
    let text = format!(
        "---\nid: {id}\nkind: order_record\ntitle: \"{kind} record {n} — {exploitation}\"\nmarking: OFFICIAL\nstatus: approved\nowner: HIOWC\nlast_reviewed: {year}-{month:02}-28\nfictional: true\norder_type: {kind}\n{fields}exploitation: [{exploitation}]\nareas: [{areas}]\n---\n*Synthetic document for benchmarks.*\n\n## Summary\n\n{}\n",
        paragraph(rng, &[DETAILS, LESSONS], 4)
    );
    (format!("knowledge/orders/{id}.md"), text)
}

/// The status line of a made order, with its management while it is in force: an order
/// whose expiry month is before this month (`CASEBOOK_TODAY`, else the clock) has expired.
fn standing(expires: (i32, usize), lead: &str, every: &str, partner: &str) -> String {
    let today = std::env::var("CASEBOOK_TODAY")
        .ok()
        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    use chrono::Datelike;
    if (expires.0, expires.1 as u32) < (today.year(), today.month()) {
        "order_status: expired\n".to_owned()
    } else {
        format!(
            "order_status: granted\nmanagement: {{lead_role: \"{lead}\", review_frequency: {every}, partners: [{partner}]}}\n"
        )
    }
}

fn agency(rng: &mut Rng, v: &Vocab, code: &str, label: &str) -> (String, String) {
    let powers: String = rng
        .some(&v.power_types, 4)
        .iter()
        .map(|t| {
            format!(
                "  - {{type: {t}, basis: \"Example Act 2004 s{}\", warrant_required: false}}\n",
                1 + rng.below(60)
            )
        })
        .collect();
    let text = format!(
        "---\nid: AG-{code}\nkind: agency_powers\ntitle: \"{label} — powers and how to engage\"\nmarking: OFFICIAL\nstatus: approved\nowner: {code}\nlast_reviewed: 2026-01-10\nfictional: true\nagency: {code}\nname: \"{label}\"\njurisdiction: england-wales\nremit: \"{}\"\nlegal_bases:\n  - {{act: \"Example Act 2004\", section: \"s1\", summary: \"General powers.\"}}\npowers:\n{powers}first_responder: false\nduty_to_notify: false\norder_applicant: false\nengagement: {{route: \"Referral through the force single point of contact.\", spoc_role: \"Regional lead\"}}\nlast_verified: 2026-01-10\n---\n*Synthetic document for benchmarks.*\n\n## When to involve them\n\n{}\n\n## What they can do on a joint visit\n\n{}\n\n## What they need from police\n\n{}\n",
        rng.pick(DETAILS),
        paragraph(rng, &[DETAILS], 3),
        paragraph(rng, &[DETAILS], 3),
        paragraph(rng, &[LESSONS], 3),
    );
    (format!("knowledge/agencies/AG-{code}.md"), text)
}

fn documents(args: &Args) -> Vec<(String, String)> {
    let vocab = built_in_vocabulary();
    let v = Vocab {
        areas: codes(&vocab, VocabName::Areas),
        exploitation: codes(&vocab, VocabName::Exploitation),
        // Agencies that existed only for part of the time (the fire and rescue service formed
        // in 2021) are left out, so every generated review names agencies of its years.
        agencies: vocab
            .terms(VocabName::Agencies)
            .iter()
            .filter(|t| t.from.is_none() && t.until.is_none())
            .map(|t| t.code.clone())
            .collect(),
        themes: codes(&vocab, VocabName::Themes),
        outcomes: codes(&vocab, VocabName::Outcomes),
        referral: codes(&vocab, VocabName::ReferralSources),
        prohibitions: codes(&vocab, VocabName::Prohibitions),
        power_types: codes(&vocab, VocabName::PowerTypes),
    };
    let mut rng = Rng(args.seed);
    let mut docs: Vec<(String, String)> = vocab
        .terms(VocabName::Agencies)
        .iter()
        .take(args.docs)
        .map(|t| agency(&mut rng, &v, &t.code, &t.label))
        .collect();
    let mut n = 0;
    while docs.len() < args.docs {
        n += 1;
        let year = 2016 + (n % 10) as i32;
        let doc = if n % 3 == 0 {
            order(&mut rng, &v, year, n)
        } else {
            review(&mut rng, &v, year, n)
        };
        docs.push(doc);
    }
    docs
}

fn commit_all(repo: &Repository, message: &str, when: i64) -> Result<(), git2::Error> {
    let mut index = repo.index()?;
    index.add_all(["*"], IndexAddOption::DEFAULT, None)?;
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let sig = Signature::new(
        "Corpus Generator",
        "corpus@example.org",
        &Time::new(when, 0),
    )?;
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<_> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)?;
    Ok(())
}

fn write(out: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let path = out.join(rel);
    std::fs::create_dir_all(path.parent().unwrap_or(out))?;
    std::fs::write(path, text)
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    if args.out.exists() {
        return Err(format!("{} already exists; choose a new folder", args.out.display()).into());
    }
    let repo = Repository::init(&args.out)?;
    let docs = documents(args);
    let per_commit = docs.len().div_ceil(args.commits);
    let mut when = 1_500_000_000;
    for (i, chunk) in docs.chunks(per_commit.max(1)).enumerate() {
        for (rel, text) in chunk {
            write(&args.out, rel, text)?;
        }
        when += 86_400;
        commit_all(&repo, &format!("Add documents, batch {}", i + 1), when)?;
    }
    println!(
        "wrote {} documents in {} commits to {}",
        docs.len(),
        docs.len().div_ceil(per_commit.max(1)),
        args.out.display()
    );
    Ok(())
}

fn main() -> std::process::ExitCode {
    let result = parse_args().map_err(Into::into).and_then(|args| run(&args));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
