//! `casebook serve` as a process on a real loopback port: live rebuilds as commits arrive,
//! consistency under load while it rebuilds, and the audit trail in its log.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{TODAY, TestRepo};

/// A running `casebook serve`, killed when dropped. Its log (stderr) is read on a thread of its
/// own, so the server never blocks on a full pipe.
struct Server {
    child: Child,
    addr: String,
    log: Receiver<String>,
}

impl Server {
    fn start(repo: &TestRepo, args: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_casebook"));
        command.args(["serve", "--bind", "127.0.0.1:0"]).args(args);
        Server::run(repo, command)
    }

    /// Runs `command` (which starts `casebook serve`) in `repo` and waits until it listens.
    fn run(repo: &TestRepo, command: Command) -> Server {
        Server::run_in(repo.path(), command)
    }

    /// Runs `command` (which starts `casebook serve`) in `dir` and waits until it listens.
    fn run_in(dir: &std::path::Path, mut command: Command) -> Server {
        let mut child = command
            .current_dir(dir)
            .env("CASEBOOK_TODAY", TODAY)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start serve");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, log) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            addr: String::new(),
            log,
        };
        let line = server
            .wait_for_line(Duration::from_secs(120), |l| l.starts_with("serving on "))
            .expect("the server says where it listens");
        server.addr = line
            .trim_start_matches("serving on http://")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        server
    }

    /// Reads the log until a line satisfies `want` (lines before it are dropped).
    fn wait_for_line(&self, within: Duration, want: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) if want(&line) => return Some(line),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    fn get(&self, path: &str) -> Response {
        get(&self.addr, path, Some("analyst.one"))
    }

    /// Polls `/healthz` until `done` holds or `within` passes; returns the last answer.
    fn health_until(
        &self,
        within: Duration,
        done: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + within;
        loop {
            let json: serde_json::Value =
                serde_json::from_str(&self.get("/healthz").body).unwrap_or_default();
            if done(&json) || Instant::now() > deadline {
                return json;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    commit: String,
    body: String,
}

/// A raw HTTP/1.1 GET on loopback (no client library needed), with a 10 s timeout.
fn get(addr: &str, path: &str, user: Option<&str>) -> Response {
    let failed = |why: String| Response {
        status: 0,
        commit: String::new(),
        body: why,
    };
    let connected = addr.parse().map_err(|e| format!("{e}")).and_then(|to| {
        TcpStream::connect_timeout(&to, Duration::from_secs(30)).map_err(|e| e.to_string())
    });
    let mut stream = match connected {
        Ok(s) => s,
        Err(e) => return failed(format!("connect: {e}")),
    };
    // Generous: on a loaded machine with 200 clients an answer can wait seconds; what is
    // tested is which build answered, not how fast.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    let user = user.map_or(String::new(), |u| format!("X-Remote-User: {u}\r\n"));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{user}Connection: close\r\n\r\n");
    if let Err(e) = stream.write_all(request.as_bytes()) {
        return failed(format!("send: {e}"));
    }
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw) {
        return failed(format!("read: {e}"));
    }
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let commit = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("casebook-commit")
                .then(|| value.trim().to_owned())
        })
        .unwrap_or_default();
    Response {
        status,
        commit,
        body: body.to_owned(),
    }
}

/// A test repository whose build output and state stay out of its commits.
fn repo_with(poll_seconds: u64, source: TestRepo) -> TestRepo {
    source.write(
        "casebook.toml",
        format!("[serve]\npoll_seconds = {poll_seconds}\n"),
    );
    source.write(".gitignore", "/.casebook/\n/public*/\n");
    source
}

#[test]
fn live_rebuilds_serve_new_commits_and_survive_a_broken_one() {
    let repo = repo_with(1, TestRepo::fixture("base"));
    let first = repo.commit("base");
    let server = Server::start(&repo, &[]);
    let wait = Duration::from_secs(60);
    let health = server.health_until(wait, |j| j["status"] == "ok");
    assert_eq!(health["commit"], first.as_str());
    assert!(
        !server
            .get("/api/search?q=interview")
            .body
            .contains("AG-GLAA")
    );

    // A commit adding a document and editing another: the new document is searchable and both
    // pages are served once the poll has seen it and the build is done.
    let review = std::fs::read_to_string(repo.path().join("knowledge/reviews/CR-2024-001-base.md"))
        .expect("read");
    repo.write(
        "knowledge/reviews/CR-2024-002-lanternfish.md",
        review
            .replace("id: CR-2024-001", "id: CR-2024-002")
            .replace("Operation Base", "Operation Lanternfish")
            .replace("orders: [ORD-2024-001]", "orders: []"),
    );
    let path = "knowledge/agencies/AG-GLAA.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    repo.write(
        path,
        text.replace("Inspect records.", "Inspect records and interview workers."),
    );
    let second = repo.commit("add the Lanternfish review, edit the GLAA note");
    let committed = Instant::now();
    let found = loop {
        let found = server.get("/api/search?q=lanternfish");
        if found.body.contains("CR-2024-002") || committed.elapsed() > wait {
            break found;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    eprintln!(
        "new document searchable {:.1} s after the commit (poll 1 s)",
        committed.elapsed().as_secs_f64()
    );
    assert!(found.body.contains("CR-2024-002"), "{}", found.body);
    assert_eq!(found.commit, second);
    assert_eq!(server.get("/reviews/CR-2024-002/").status, 200);
    let health = server.health_until(wait, |j| j["commit"] == second.as_str());
    assert_eq!(health["commit"], second.as_str(), "{health}");
    let found = server.get("/api/search?q=interview");
    assert!(found.body.contains("AG-GLAA"), "{}", found.body);
    assert!(
        server
            .get("/agencies/AG-GLAA/")
            .body
            .contains("interview workers")
    );

    // A broken commit: the last good build is still served, and health says why.
    repo.write(path, text.replace("agency: GLAA", "agency: GLAAA"));
    let broken = repo.commit("break the GLAA note");
    let health = server.health_until(wait, |j| j["status"] == "degraded");
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(
        health["commit"],
        second.as_str(),
        "the last good build is still served"
    );
    let error = health["error"].as_str().unwrap_or_default();
    assert!(error.contains("content errors"), "{health}");
    assert!(error.contains("AG-GLAA.md"), "names the file: {health}");
    assert!(
        server
            .get("/agencies/AG-GLAA/")
            .body
            .contains("interview workers")
    );
    let logged = server.wait_for_line(wait, |l| l.contains("rebuild of commit"));
    assert!(
        logged.is_some_and(|l| l.contains(&broken[..7])),
        "the log names the failed commit"
    );

    // Fixing it makes the server healthy again, on the fixed commit.
    repo.write(path, &text);
    let fixed = repo.commit("fix the GLAA note");
    let health = server.health_until(wait, |j| j["commit"] == fixed.as_str());
    assert_eq!(
        (health["status"].as_str(), health["commit"].as_str()),
        (Some("ok"), Some(fixed.as_str())),
        "{health}"
    );
    assert!(health.get("error").is_none(), "{health}");
    assert!(
        !server
            .get("/agencies/AG-GLAA/")
            .body
            .contains("interview workers")
    );
}

/// Issue 17: a server restarted (a crash, a reboot, a deploy) while `HEAD` has content errors
/// serves the last good build on disk, says `degraded` with the errors, and picks up the next
/// good commit, as it does when the bad commit arrives while it runs. With no good build on
/// disk it still refuses to start (exit 1).
#[test]
fn a_restart_on_a_broken_head_serves_the_last_good_build() {
    let repo = repo_with(1, TestRepo::fixture("base"));
    let good = repo.commit("base");
    let wait = Duration::from_secs(90);
    {
        let server = Server::start(&repo, &[]);
        let health = server.health_until(wait, |j| j["status"] == "ok");
        assert_eq!(health["commit"], good.as_str(), "{health}");
    }
    let path = "knowledge/agencies/AG-GLAA.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    repo.write(path, text.replace("agency: GLAA", "agency: GLAAA"));
    let broken = repo.commit("break the GLAA note");

    // Restarted on the broken commit: up, degraded, serving the last good build.
    let server = Server::start(&repo, &[]);
    let health = server.health_until(wait, |j| j["status"] == "degraded");
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(
        health["commit"],
        good.as_str(),
        "the last good build: {health}"
    );
    let error = health["error"].as_str().unwrap_or_default();
    assert!(error.contains("content errors"), "{health}");
    assert!(error.contains("AG-GLAA.md"), "names the file: {health}");
    let page = server.get("/agencies/AG-GLAA/");
    assert_eq!(page.status, 200);
    assert_eq!(page.commit, good);
    let found = server.get("/api/search?q=licence");
    assert_eq!(found.status, 200, "{}", found.body);
    assert!(
        !broken.is_empty() && found.commit == good,
        "search answers from the last good build"
    );

    // The next good commit is built and served.
    repo.write(
        path,
        text.replace("Inspect records.", "Inspect records and interview workers."),
    );
    let fixed = repo.commit("fix the GLAA note");
    let health = server.health_until(wait, |j| j["commit"] == fixed.as_str());
    assert_eq!(
        (health["status"].as_str(), health["commit"].as_str()),
        (Some("ok"), Some(fixed.as_str())),
        "{health}"
    );
    assert!(
        server
            .get("/agencies/AG-GLAA/")
            .body
            .contains("interview workers")
    );
}

/// Issue 9: the served build and its health are one value. `/healthz` is read without pause
/// by two clients while a broken commit is fixed and rebuilt; every answer pairs a commit with
/// that build's own health: the last good commit with the broken commit's error, or the fixed
/// commit with `ok`, never the fixed commit with the old error (nor the old one cleared early).
#[test]
fn health_never_pairs_a_build_with_another_builds_error() {
    let repo = repo_with(1, TestRepo::fixture("base"));
    let mut good = repo.commit("base");
    let server = Server::start(&repo, &[]);
    let wait = Duration::from_secs(60);
    let path = "knowledge/agencies/AG-GLAA.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    for round in 0..3 {
        repo.write(path, text.replace("agency: GLAA", "agency: GLAAA"));
        repo.commit(&format!("break the GLAA note ({round})"));
        let health = server.health_until(wait, |j| j["status"] == "degraded");
        assert_eq!(
            (health["status"].as_str(), health["commit"].as_str()),
            (Some("degraded"), Some(good.as_str())),
            "{health}"
        );
        let edited = format!("{text}\nRound {round}.\n");
        repo.write(path, &edited);
        let fixed = repo.commit(&format!("fix the GLAA note ({round})"));
        let done = AtomicBool::new(false);
        let seen: Mutex<BTreeSet<(String, String, bool)>> = Mutex::default();
        let addr = server.addr.as_str();
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    let deadline = Instant::now() + wait;
                    while !done.load(Ordering::Relaxed) && Instant::now() < deadline {
                        let r = get(addr, "/healthz", None);
                        let json: serde_json::Value =
                            serde_json::from_str(&r.body).unwrap_or_default();
                        let status = json["status"].as_str().unwrap_or_default().to_owned();
                        let commit = json["commit"].as_str().unwrap_or_default().to_owned();
                        let has_error = json.get("error").is_some();
                        if commit == fixed && status == "ok" {
                            done.store(true, Ordering::Relaxed);
                        }
                        seen.lock()
                            .expect("seen")
                            .insert((commit, status, has_error));
                    }
                });
            }
        });
        let seen = seen.into_inner().expect("seen");
        let allowed: BTreeSet<(String, String, bool)> = [
            (good.clone(), "degraded".to_owned(), true),
            (fixed.clone(), "ok".to_owned(), false),
        ]
        .into();
        assert!(
            seen.contains(&(fixed.clone(), "ok".to_owned(), false)),
            "the fix was served: {seen:?}"
        );
        assert!(seen.is_subset(&allowed), "torn health answers: {seen:?}");
        // The next round breaks the build of the commit now served.
        repo.write(path, &text);
        good = repo.commit(&format!("restore the GLAA note ({round})"));
        let health = server.health_until(wait, |j| j["commit"] == good.as_str());
        assert_eq!(health["status"], "ok", "{health}");
    }
}

/// The title every load-test document carries in build `k`.
fn edition(title: &str, k: usize) -> String {
    format!("{title} (edition {k})")
}

/// Rewrites every agency note so that build `k` is recognisable in each hit and page: its title
/// says `edition k`, and its body carries a word only these notes have.
fn mark_edition(repo: &TestRepo, notes: &[(String, String, String)], k: usize) {
    for (path, text, title) in notes {
        let marked = text.replacen(
            &format!("title: \"{title}\""),
            &format!("title: \"{}\"", edition(title, k)),
            1,
        );
        repo.write(path, format!("{marked}\nLoadmarker paragraph.\n"));
    }
}

/// DESIGN.md "every request sees either the old build or the new one, never a mix": 200
/// clients search and read pages without pause while three commits are built and swapped in.
/// Every answer must be a 200 whose hits (and page) all come from the one build its
/// `Casebook-Commit` header names, except the server's own "too slow" and "busy" answers (408,
/// 503) on a machine loaded past what it can answer in time, which no build gave.
#[test]
fn two_hundred_concurrent_clients_see_one_build_per_answer_across_three_rebuilds() {
    let repo = repo_with(1, crate::search::sample_repo());
    let folder = repo.path().join("knowledge/agencies");
    let mut notes = Vec::new();
    for entry in std::fs::read_dir(&folder).expect("agencies") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("title: \""))
            .and_then(|t| t.strip_suffix('"'))
            .expect("a quoted title")
            .to_owned();
        let rel = path
            .strip_prefix(repo.path())
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        notes.push((rel, text, title));
    }
    let titles: BTreeSet<String> = notes.iter().map(|(.., t)| t.clone()).collect();
    let mut editions = BTreeMap::new();
    mark_edition(&repo, &notes, 0);
    editions.insert(repo.commit("edition 0"), 0);
    let server = Server::start(&repo, &[]);
    let addr = server.addr.clone();

    let stop = Arc::new(AtomicBool::new(false));
    let seen: Arc<Mutex<Vec<(String, usize, String)>>> = Arc::default();
    let shed = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let clients: Vec<_> = (0..200)
        .map(|n| {
            let (stop, seen, addr) = (Arc::clone(&stop), Arc::clone(&seen), addr.clone());
            let shed = Arc::clone(&shed);
            let titles = titles.clone();
            std::thread::spawn(move || {
                let mut answered = 0;
                loop {
                    let search = n % 2 == 0 || answered % 3 != 0;
                    let path = if search {
                        "/api/search?q=loadmarker&per_page=100"
                    } else {
                        "/agencies/AG-GLAA/"
                    };
                    let r = get(&addr, path, None);
                    answered += 1;
                    // On a machine loaded past what the server can answer in time, it says so
                    // (408 after its 15 s request timeout, 503 when it sheds load): no build
                    // answered, so there is no build to check. Those are counted apart.
                    if r.status == 408 || r.status == 503 {
                        shed.fetch_add(1, Ordering::Relaxed);
                        if stop.load(Ordering::Relaxed) && answered >= 2 {
                            return answered;
                        }
                        std::thread::sleep(Duration::from_millis(100));
                        continue;
                    }
                    let build = if r.status != 200 {
                        Err(format!("{path}: status {} {}", r.status, r.body))
                    } else if search {
                        edition_of_hits(&r.body, &titles)
                    } else {
                        edition_of_page(&r.body)
                    };
                    let mut seen = seen.lock().expect("seen");
                    seen.push((r.commit, answered, format!("{build:?}")));
                    drop(seen);
                    if stop.load(Ordering::Relaxed) && answered >= 2 {
                        return answered;
                    }
                    // Keep 200 clients busy without starving the rebuild of both cores.
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        })
        .collect();

    for k in 1..=3 {
        std::thread::sleep(Duration::from_millis(300));
        mark_edition(&repo, &notes, k);
        let commit = repo.commit(&format!("edition {k}"));
        editions.insert(commit.clone(), k);
        let health = server.health_until(Duration::from_secs(60), |j| {
            j["commit"] == commit.as_str() || j["status"] == "degraded"
        });
        assert_eq!(health["commit"], commit.as_str(), "{health}");
    }
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    let answered: usize = clients
        .into_iter()
        .map(|c| c.join().expect("client thread"))
        .sum();

    let seen = seen.lock().expect("seen");
    let shed = shed.load(Ordering::Relaxed);
    assert_eq!(seen.len() + shed, answered);
    let mut per_build = BTreeMap::new();
    for (commit, _, build) in seen.iter() {
        let k = editions.get(commit);
        assert!(
            k.is_some(),
            "an answer names an unknown commit `{commit}`: {build}"
        );
        assert_eq!(
            build,
            &format!("{:?}", Ok::<usize, String>(*k.unwrap_or(&0))),
            "an answer from commit {commit} mixes builds"
        );
        *per_build.entry(*k.unwrap_or(&0)).or_insert(0) += 1;
    }
    assert!(
        per_build.len() >= 3,
        "answers came from at least three builds: {per_build:?}"
    );
    eprintln!("{answered} answers, by build: {per_build:?}; {shed} timed out or shed");
}

/// The one edition all of a search's hits come from; an error when they disagree or any agency
/// note is missing.
fn edition_of_hits(body: &str, titles: &BTreeSet<String>) -> Result<usize, String> {
    let json: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("not JSON ({e}): {body}"))?;
    if json["total"].as_u64() != Some(titles.len() as u64) {
        return Err(format!("total {} not {}", json["total"], titles.len()));
    }
    let mut editions = BTreeSet::new();
    for hit in json["hits"].as_array().into_iter().flatten() {
        let title = hit["title"].as_str().unwrap_or_default();
        let (base, k) = title
            .rsplit_once(" (edition ")
            .ok_or_else(|| format!("no edition in `{title}`"))?;
        if !titles.contains(base) {
            return Err(format!("unexpected hit `{title}`"));
        }
        editions.insert(
            k.trim_end_matches(')')
                .parse::<usize>()
                .map_err(|e| e.to_string())?,
        );
    }
    match editions.len() {
        1 => Ok(editions.into_iter().next().unwrap_or_default()),
        _ => Err(format!("hits from editions {editions:?}")),
    }
}

/// The one edition the GLAA note's page (with its similar documents) shows.
fn edition_of_page(body: &str) -> Result<usize, String> {
    let shown: Vec<usize> = (0..=3)
        .filter(|k| body.contains(&format!("(edition {k})")))
        .collect();
    match shown[..] {
        [k] => Ok(k),
        _ => Err(format!("the page shows editions {shown:?}")),
    }
}

/// The audit trail through a real server: `--require-header` refuses anonymous callers and
/// every search and document view is one JSON line of the log.
#[test]
fn the_log_carries_one_audit_line_per_search_and_view() {
    let repo = repo_with(60, TestRepo::fixture("base"));
    repo.commit("base");
    let server = Server::start(&repo, &["--require-header", "X-Remote-User"]);
    assert_eq!(get(&server.addr, "/search?q=glaa", None).status, 403);
    assert_eq!(server.get("/search?q=glaa%0Afake").status, 200);
    assert_eq!(server.get("/agencies/AG-GLAA/").status, 200);
    let within = Duration::from_secs(10);
    let search = server
        .wait_for_line(within, |l| l.starts_with('{'))
        .expect("a search line");
    let view = server
        .wait_for_line(within, |l| l.starts_with('{'))
        .expect("a view line");
    let search: serde_json::Value = serde_json::from_str(&search).expect("JSON");
    let view: serde_json::Value = serde_json::from_str(&view).expect("JSON");
    assert_eq!(
        (&search["event"], &search["user"], &search["query"]),
        (
            &serde_json::json!("search"),
            &serde_json::json!("analyst.one"),
            &serde_json::json!("glaa\nfake")
        )
    );
    assert_eq!(
        (&view["event"], &view["ids"], &view["markings"]),
        (
            &serde_json::json!("view"),
            &serde_json::json!(["AG-GLAA"]),
            &serde_json::json!(["OFFICIAL"])
        )
    );
}

/// A server below the highest marking does not name or quote a failing document in
/// `/healthz` (it may be a document above its ceiling); the log has the detail.
#[test]
fn an_official_server_keeps_a_failing_sensitive_document_out_of_healthz() {
    let repo = repo_with(1, TestRepo::fixture("base"));
    repo.commit("base");
    let server = Server::start(&repo, &["--max-marking", "OFFICIAL"]);
    let wait = Duration::from_secs(60);
    assert_eq!(
        server.health_until(wait, |j| j["status"] == "ok")["status"],
        "ok"
    );
    let path = "knowledge/reviews/CR-2024-001-base.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    repo.write(
        path,
        text.replace("marking: OFFICIAL", "marking: OFFICIAL-SENSITIVE")
            .replace("Operation Base\"", "Operation Zephyrquill\"")
            .replace("areas: [southampton]", "areas: [zephyrquill-town]"),
    );
    repo.commit("a broken sensitive review");
    let health = server.health_until(wait, |j| j["status"] == "degraded");
    let error = health["error"].as_str().unwrap_or_default();
    assert!(error.contains("details in the server log"), "{health}");
    for secret in ["CR-2024-001", "zephyrquill", "Zephyrquill"] {
        assert!(!error.contains(secret), "{secret} in {health}");
    }
    let logged = server.wait_for_line(wait, |l| l.contains("zephyrquill-town"));
    assert!(logged.is_some(), "the log has the full diagnostics");
}

/// SIGTERM stops the server gracefully: it exits with success, says so, and removes its site
/// snapshots.
#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_cleanly() {
    let repo = repo_with(60, TestRepo::fixture("base"));
    repo.commit("base");
    let mut server = Server::start(&repo, &[]);
    assert_eq!(server.get("/").status, 200);
    let snapshots = repo.path().join(".casebook/served-official-sensitive");
    let pid = server.child.id();
    let own = |pid: u32| {
        std::fs::read_dir(&snapshots)
            .map(|d| {
                d.flatten()
                    .filter(|e| {
                        e.file_name()
                            .to_string_lossy()
                            .starts_with(&format!("{pid}-"))
                    })
                    .count()
            })
            .unwrap_or(0)
    };
    assert_eq!(own(pid), 1, "the served build's snapshot");
    let killed = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break Some(status);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.is_some_and(|s| s.success()),
        "exits with success: {status:?}"
    );
    assert!(
        server
            .wait_for_line(Duration::from_secs(5), |l| l == "stopped")
            .is_some()
    );
    assert_eq!(own(pid), 0, "its snapshots are gone");
}

/// RELIABILITY.md B14: the repository going away while the server runs marks it degraded and
/// keeps the last good build served; it is healthy again once the repository is back.
#[test]
fn a_repository_that_goes_away_and_comes_back() {
    let repo = repo_with(1, TestRepo::fixture("base"));
    let first = repo.commit("base");
    let server = Server::start(&repo, &[]);
    let wait = Duration::from_secs(60);
    assert_eq!(
        server.health_until(wait, |j| j["status"] == "ok")["status"],
        "ok"
    );
    let (git, away) = (repo.path().join(".git"), repo.path().join(".git-away"));
    std::fs::rename(&git, &away).expect("move the repository away");
    let health = server.health_until(wait, |j| j["status"] == "degraded");
    let page = server.get("/agencies/AG-GLAA/").status;
    let moved_back = std::fs::rename(&away, &git);
    assert_eq!(page, 200, "the last good build is served");
    assert_eq!(health["status"], "degraded", "{health}");
    assert!(
        health["error"]
            .as_str()
            .unwrap_or_default()
            .contains("cannot read the repository"),
        "{health}"
    );
    assert_eq!(health["commit"], first.as_str());
    moved_back.expect("move the repository back");
    let health = server.health_until(wait, |j| j["status"] == "ok");
    assert_eq!(
        (health["status"].as_str(), health["commit"].as_str()),
        (Some("ok"), Some(first.as_str())),
        "{health}"
    );
}

/// A rebuild that fails for a reason outside the commit (here the index is locked by another
/// build) is retried at the next poll, and the commit is served once it can be built.
#[test]
fn a_rebuild_blocked_by_another_build_is_retried() {
    let repo = repo_with(1, TestRepo::fixture("base"));
    repo.commit("base");
    let server = Server::start(&repo, &[]);
    let wait = Duration::from_secs(60);
    assert_eq!(
        server.health_until(wait, |j| j["status"] == "ok")["status"],
        "ok"
    );
    let lock = std::fs::File::open(repo.path().join(".casebook/index-official-sensitive.lock"))
        .expect("the index lock file");
    lock.lock()
        .expect("hold the index lock, as a `casebook build` would");
    let path = "knowledge/agencies/AG-GLAA.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    repo.write(
        path,
        text.replace("Inspect records.", "Inspect records and interview workers."),
    );
    let second = repo.commit("edit while the index is busy");
    let health = server.health_until(wait, |j| j["status"] == "degraded");
    let error = health["error"].as_str().unwrap_or_default().to_owned();
    drop(lock);
    assert!(error.contains("retrying"), "{health}");
    assert!(!error.contains(".casebook"), "no server folders: {health}");
    let health = server.health_until(wait, |j| j["commit"] == second.as_str());
    assert_eq!(
        (health["status"].as_str(), health["commit"].as_str()),
        (Some("ok"), Some(second.as_str())),
        "{health}"
    );
}

/// RELIABILITY.md B10 and C5: slow clients holding every file descriptor the process may open
/// (`ulimit -n 128`, 200 half-sent requests) neither crash the server nor hold it: clients that
/// have not sent their headers within 10 s are dropped, and it answers again while they are
/// still connected.
#[cfg(unix)]
#[test]
fn running_out_of_file_descriptors_is_survived() {
    let repo = repo_with(60, TestRepo::fixture("base"));
    repo.commit("base");
    let bin = env!("CARGO_BIN_EXE_casebook");
    let mut command = Command::new("sh");
    command.args([
        "-c",
        &format!("ulimit -n 128 && exec '{bin}' serve --bind 127.0.0.1:0"),
    ]);
    let mut server = Server::run(&repo, command);
    assert_eq!(server.get("/healthz").status, 200);

    let to: std::net::SocketAddr = server.addr.parse().expect("address");
    let mut idle = Vec::new();
    for _ in 0..200 {
        // Once the server can accept no more, the kernel's queue fills and connecting stalls.
        let Ok(mut s) = TcpStream::connect_timeout(&to, Duration::from_secs(1)) else {
            break;
        };
        let _ = s.write_all(b"GET /search?q=slow HTTP/1.1\r\nHost: x\r\n");
        idle.push(s);
    }
    assert!(
        idle.len() > 128,
        "more idle clients than descriptors: {}",
        idle.len()
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        server.child.try_wait().expect("wait").is_none(),
        "the server is still running"
    );
    // Each round of held connections is dropped after 10 s; the waiting ones are then accepted
    // in turn, so allow a few rounds on a slow machine.
    let deadline = Instant::now() + Duration::from_secs(90);
    let answered = loop {
        let r = server.get("/api/search?q=glaa");
        if r.status == 200 || Instant::now() > deadline {
            break r;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    drop(idle);
    assert_eq!(answered.status, 200, "answers again: {}", answered.body);
    assert!(answered.body.contains("AG-GLAA"));
}

/// Reads `data:` lines of a server-sent event stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(addr: &str, path: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(90)))
            .expect("timeout");
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("send");
        Events(BufReader::new(stream))
    }

    /// The next event's data (keep-alive comments and headers skipped).
    fn next(&mut self) -> Option<String> {
        let mut line = String::new();
        loop {
            line.clear();
            if self.0.read_line(&mut line).ok()? == 0 {
                return None;
            }
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                return Some(data.to_owned());
            }
        }
    }
}

/// Issue 12: `casebook preview` serves the working tree (uncommitted and draft documents
/// included) bannered DRAFT PREVIEW, rebuilds when a file is saved and tells open pages to
/// reload; a file with errors shows its diagnostics, fixing it brings its page back; nothing
/// published is written.
#[test]
fn preview_serves_the_working_tree_and_reloads_on_save() {
    let repo = repo_with(1, TestRepo::fixture("base"));
    repo.commit("base");
    let path = "knowledge/reviews/CR-2024-001-base.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    // A draft written but not committed.
    repo.write(
        "knowledge/reviews/CR-2024-002-draft.md",
        text.replace("CR-2024-001", "CR-2024-002")
            .replace("status: approved", "status: draft")
            .replace("Operation Base", "Operation Unsaved")
            .replace("orders: [ORD-2024-001]\n", ""),
    );
    let mut command = Command::new(env!("CARGO_BIN_EXE_casebook"));
    command.args(["preview", "--bind", "127.0.0.1:0"]);
    let server = Server::run(&repo, command);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("DRAFT PREVIEW"), "{}", home.body);
    assert!(home.body.contains("assets/preview.js"));
    let draft = server.get("/reviews/CR-2024-002/");
    assert_eq!(draft.status, 200, "the uncommitted draft is shown");
    assert!(draft.body.contains("Operation Unsaved"));
    assert!(
        server
            .get("/assets/preview.js")
            .body
            .contains("EventSource")
    );

    // A save is rebuilt and announced to open pages.
    let mut events = Events::open(&server.addr, "/_preview/events");
    let first = events.next().expect("the current version");
    repo.write(path, text.replace("Operation Base", "Operation Saved"));
    let saved = Instant::now();
    let mut served = None;
    while saved.elapsed() < Duration::from_secs(90) {
        if server
            .get("/reviews/CR-2024-001/")
            .body
            .contains("Operation Saved")
        {
            served = Some(saved.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let served = served.expect("the saved change is served");
    eprintln!(
        "preview: a saved change was served {} ms after the write",
        served.as_millis()
    );
    let announced = events.next().expect("a reload is announced");
    assert_ne!(announced, first);

    // Broken: its page gives way to its problems, with the line and the suggestion, not to
    // "Page not found".
    repo.write(
        path,
        text.replace("Operation Base", "Operation Saved")
            .replace("areas: [southampton]", "areas: [southamptn]"),
    );
    let deadline = Instant::now() + Duration::from_secs(90);
    let broken = loop {
        let page = server.get("/reviews/CR-2024-001/");
        if page.body.contains("CR-2024-001 has 1 error") || Instant::now() > deadline {
            break page;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(broken.status, 200, "{}", broken.body);
    assert!(
        broken.body.contains("CR-2024-001 has 1 error") && !broken.body.contains("Page not found"),
        "{}",
        broken.body
    );
    assert!(
        broken.body.contains("CR-2024-001-base.md</code>")
            && broken.body.contains("line 18, column"),
        "{}",
        broken.body
    );
    assert!(
        broken.body.contains("did you mean `southampton`?"),
        "{}",
        broken.body
    );
    // Fixed: back.
    repo.write(path, text.replace("Operation Base", "Operation Fixed"));
    let deadline = Instant::now() + Duration::from_secs(90);
    while !server
        .get("/reviews/CR-2024-001/")
        .body
        .contains("Operation Fixed")
    {
        assert!(Instant::now() < deadline, "the fixed page comes back");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Nothing published was written.
    assert!(!repo.path().join("public").exists());
    assert!(
        !repo
            .path()
            .join(".casebook/index-official-sensitive")
            .exists()
    );
}

/// Issue 14: the answers hyper writes itself, for a request it cannot parse (400), a URI too
/// long (414) and headers too large (431), carry the security headers like every other.
#[test]
fn the_http_librarys_own_error_answers_carry_the_security_headers() {
    let repo = repo_with(60, TestRepo::fixture("base"));
    repo.commit("base");
    let server = Server::start(&repo, &[]);
    let long_uri = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
    let big_headers = format!(
        "GET / HTTP/1.1\r\nHost: x\r\n{}\r\n",
        "X-Padding: 0123456789abcdef0123456789abcdef0123456789abcdef\r\n".repeat(12_000)
    );
    for (want, request) in [
        ("400", "NOT A REQUEST\r\n\r\n".to_owned()),
        (
            "400",
            "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n".to_owned(),
        ),
        ("414", long_uri),
        ("431", big_headers),
    ] {
        let mut stream = TcpStream::connect(&server.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        // The server may answer and close before it has read everything sent.
        let _ = stream.write_all(request.as_bytes());
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).to_lowercase();
        let head = answer.split("\r\n\r\n").next().unwrap_or_default();
        assert!(
            head.starts_with(&format!("http/1.1 {want} ")),
            "{want}: {head}"
        );
        for header in [
            "content-security-policy: default-src 'self'",
            "x-content-type-options: nosniff",
            "x-frame-options: deny",
            "referrer-policy: no-referrer",
            "cache-control: no-store",
        ] {
            assert!(head.contains(header), "{want} lacks {header}: {head}");
        }
    }
    // The server carries on.
    assert_eq!(server.get("/healthz").status, 200);
}

/// Issue 14: a server that finds its index damaged at start listens at once and rebuilds it
/// from git, saying so: `/healthz` answers 503 `degraded` with the rebuild under way, pages 503
/// with a retry time, until the rebuilt build is served at `HEAD`. (A generated collection of
/// 400 documents, so the rebuild lasts long enough to be seen.)
#[test]
fn a_damaged_index_at_start_is_rebuilt_from_git_while_healthz_says_degraded() {
    let repo = TestRepo::empty();
    let corpus = repo.path().join("corpus");
    generate(&corpus, 400);
    let built = crate::support::run_in(&corpus, &["build"]);
    assert_eq!(built.code(), 0, "{}", built.stderr());
    let head = git2::Repository::open(&corpus)
        .and_then(|r| r.head()?.peel_to_commit().map(|c| c.id().to_string()))
        .expect("HEAD");
    // A truncated meta.json: the index cannot be opened.
    std::fs::write(
        corpus.join(".casebook/index-official-sensitive/meta.json"),
        "{",
    )
    .expect("damage the index");
    let mut command = Command::new(env!("CARGO_BIN_EXE_casebook"));
    command.args(["serve", "--bind", "127.0.0.1:0"]);
    let server = Server::run_in(&corpus, command);
    let first = server.get("/healthz");
    let page = server.get("/");
    let health: serde_json::Value = serde_json::from_str(&first.body).unwrap_or_default();
    assert_eq!(first.status, 503, "{}", first.body);
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["commit"], serde_json::Value::Null, "{health}");
    assert!(
        health["rebuilding"]["version"]
            .as_str()
            .is_some_and(|v| head.starts_with(v.trim_start_matches("commit "))),
        "{health}"
    );
    assert!(
        !first.body.contains(".casebook"),
        "no server folders: {health}"
    );
    assert!(
        page.status == 503 && page.body.starts_with("Casebook is starting") || page.status == 200,
        "a page during the rebuild: {} {}",
        page.status,
        page.body
    );
    let health = server.health_until(Duration::from_secs(240), |j| j["status"] == "ok");
    assert_eq!(
        (health["status"].as_str(), health["commit"].as_str()),
        (Some("ok"), Some(head.as_str())),
        "{health}"
    );
    assert_eq!(health["documents"], 400, "{health}");
    let page = server.get("/");
    assert_eq!((page.status, page.commit.as_str()), (200, head.as_str()));
}

/// Issue 14: a damaged index at start and a commit with content errors: the rebuild reports
/// them and the server stops with exit 1, serving nothing, as a clean start would.
#[test]
fn a_damaged_index_at_start_with_content_errors_stops_the_server_with_exit_1() {
    let repo = repo_with(60, TestRepo::fixture("base"));
    repo.commit("base");
    let built = repo.run(&["build"]);
    assert_eq!(built.code(), 0, "{}", built.stderr());
    std::fs::write(
        repo.path()
            .join(".casebook/index-official-sensitive/meta.json"),
        "{",
    )
    .expect("damage the index");
    let path = repo.path().join("knowledge/agencies/AG-GLAA.md");
    let text = std::fs::read_to_string(&path).expect("read");
    repo.write(
        "knowledge/agencies/AG-GLAA.md",
        text.replacen("agency: GLAA", "agency: NOT-AN-AGENCY", 1),
    );
    repo.commit("an unknown agency");
    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(repo.path())
        .env("CASEBOOK_TODAY", TODAY)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start serve");
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("read the log");
    assert_eq!(status.and_then(|s| s.code()), Some(1), "{log}");
    assert!(log.contains("cannot be used"), "{log}");
    assert!(log.contains("not serving: fix the errors above"), "{log}");
}

/// Writes a generated collection of `docs` documents with a short history at `out`.
fn generate(out: &std::path::Path, docs: usize) {
    let generator = std::path::Path::new(env!("CARGO_BIN_EXE_casebook"))
        .parent()
        .expect("target folder")
        .join("examples/gen_corpus");
    let status = Command::new(&generator)
        .args(["--docs", &docs.to_string(), "--commits", "2", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .status()
        .expect("run the generator (`cargo test` builds the examples)");
    assert!(status.success());
}

/// Issue 26: an idle server does no work of its own beyond its poll for commits. Reading the
/// index's columns once used to start tantivy's watch of `meta.json`, a thread that reread it
/// every half second for the server's whole life, and the server's memory grew while idle.
#[cfg(target_os = "linux")]
#[test]
fn an_idle_server_runs_no_watcher_thread() {
    let repo = repo_with(60, TestRepo::fixture("base"));
    repo.commit("base");
    let server = Server::start(&repo, &[]);
    assert_eq!(server.get("/api/search?q=visit").status, 200);
    let pid = server.child.id();
    let names: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/task"))
        .expect("the server's threads")
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("comm")).ok())
        .map(|n| n.trim().to_owned())
        .collect();
    assert!(!names.is_empty());
    assert!(
        !names.iter().any(|n| n.starts_with("thread-tantivy")),
        "{names:?}"
    );
}
