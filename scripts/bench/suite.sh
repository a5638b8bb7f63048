#!/usr/bin/env bash
# The benchmark suite: Casebook against Hugo, tantivy-cli and the floor of reading the bytes, on
# generated corpora with git history. Prints a markdown report; without --quick it also writes
# the report, with the machine and date, to a file of its own, benchmarks/YYYY-MM-DD-suite.md
# (benchmarks/YYYY-MM-DD-suite-2.md, -3, ... when that day already has one), and prints its
# path. BENCHMARKS.md keeps where each target stands, citing the runs it takes figures from.
#
#   scripts/bench/suite.sh [--quick] [--sizes "1000 10000 100000"] [--runs N] [--seconds S]
#
#   --quick     1,000 documents, one run, 3 s load runs, debug binaries (already built by the
#               tests), no file written: what CI runs, so the suite cannot rot; its figures are
#               not benchmarks. References are measured only when already installed.
#   --sizes     corpus sizes (default "1000 10000 100000")
#   --runs      runs of each timed command under a minute (default 5; longer ones run once)
#   --seconds   length of each load run (default 30)
#
# For each size: `check`; `build --full` (time and peak RSS); a build after a one-document
# commit and after a 1 % commit; in-process query latency over scripts/bench/queries.txt (60
# queries with facets and snippets); `/api/search` and `/search` throughput and latency at 1
# and 16 connections (wrk); the server's resident memory after start and after the load; index
# and site sizes. References on the same text: reading every byte (cat), Hugo (Debian package)
# full build, peak RSS and one-file `hugo server` rebuild, tantivy-cli `index` and `serve`
# (installed with `cargo install tantivy-cli --root .bench-tools`, without --locked).
# Needs: wrk, hugo (apt-get install wrk hugo), GNU time; installs what is missing when it can.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

QUICK=0
SIZES="1000 10000 100000"
RUNS=5
SECONDS_EACH=30
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1; SIZES=1000; RUNS=1; SECONDS_EACH=3 ;;
        --sizes) SIZES=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --seconds) SECONDS_EACH=$2; shift ;;
        *) echo "usage: $0 [--quick] [--sizes \"1000 10000\"] [--runs N] [--seconds S]" >&2; exit 2 ;;
    esac
    shift
done

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}
need() { # need COMMAND PACKAGE: install PACKAGE with apt-get when COMMAND is missing
    command -v "$1" >/dev/null && return 0
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 || true
    command -v "$1" >/dev/null
}
need wrk wrk || { echo "error: wrk is needed (apt-get install wrk)" >&2; exit 2; }
[ -x /usr/bin/time ] || need time time || { echo "error: GNU time is needed" >&2; exit 2; }
HUGO=1; need hugo hugo || HUGO=0
TANTIVY=$ROOT/.bench-tools/bin/tantivy
if [ ! -x "$TANTIVY" ] && [ "$QUICK" = 0 ]; then
    echo "== installing tantivy-cli into .bench-tools (once)" >&2
    cargo install tantivy-cli --root "$ROOT/.bench-tools" --quiet >&2 || true
fi
[ -x "$TANTIVY" ] || TANTIVY=

if [ "$QUICK" = 1 ]; then
    echo "== building (debug: --quick checks the suite, it does not measure)" >&2
    cargo build --quiet --bin casebook --example gen_corpus --example bench_search --example corpus_json
    BIN=$ROOT/target/debug
else
    echo "== building (release)" >&2
    cargo build --release --quiet --bin casebook --example gen_corpus --example bench_search --example corpus_json
    BIN=$ROOT/target/release
fi
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

# stats: reads numbers (one per line), prints "median [min–max]".
stats() { sort -g | awk '{a[NR]=$1} END {if (NR==0) {print "n/a"; exit}; m=a[int((NR+1)/2)]; if (NR==1) printf "%s", m; else printf "%s [%s–%s]", m, a[1], a[NR]}'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : 0)}'; }
# timed CMD...: seconds and peak RSS (KiB) of one run, "S KIB".
timed() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
# repeat N CMD...: one "S KIB" line per run; a run over a minute is not repeated.
repeat() {
    local n=$1; shift
    local i line
    for i in $(seq "$n"); do
        line=$(timed "$@")
        echo "$line"
        if awk -v s="${line%% *}" 'BEGIN {exit !(s > 60)}'; then break; fi
    done
    return 0
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }

# A server's address from its log ("serving on http://ADDR/", or tantivy's own line).
wait_addr() {
    local log=$1 pid=$2 pattern=$3 addr=""
    for _ in $(seq 1 3000); do
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; return 1; }
        addr=$(sed -n "$pattern" "$log" | sed -n 1p)
        [ -n "$addr" ] && { echo "$addr"; return 0; }
        sleep 0.2
    done
    return 1
}
rss_mib() { awk '$1 == "VmRSS:" {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# The wrk script rotating the queries of queries.txt over PATH (/api/search, /search, or
# tantivy-cli's /api/ with PLAIN=1: plain-word queries only, in its syntax). FRESH=1 makes
# every request one the server has not answered before (a page size and a first year that
# change no result, so the answer cache never holds it): the cost of a query never asked.
lua() {
    local path=$1 plain=${2:-0} out=$3 fresh=${4:-0}
    {
        echo "local queries = {"
        grep -v '^#' "$ROOT/scripts/bench/queries.txt" | grep -v '^[[:space:]]*$' | while IFS= read -r line; do
            q=${line%% | *}; params=""
            [ "$q" != "$line" ] && params=${line#* | }
            if [ "$plain" = 1 ]; then
                [ -n "$params" ] && continue
                printf '%s' "$q" | grep -q '^[A-Za-z ]*$' || continue
                printf '  "%s",\n' "$(printf '%s' "$q" | sed 's/ /+/g')&nhits=10"
            else
                enc=$(printf '%s' "$q" | sed 's/%/%25/g; s/ /+/g; s/"/%22/g; s/#/%23/g; s/?/%3F/g; s/~/%7E/g; s/\*/%2A/g')
                printf '  "%s%s",\n' "$enc" "${params:+&$params}"
            fi
        done
        echo "}"
        echo "local i = 0"
        if [ "$fresh" = 1 ]; then
            echo "request = function() i = i + 1; local n = math.floor(i / #queries); return wrk.format(\"GET\", \"$path?q=\" .. queries[(i % #queries) + 1] .. \"&per_page=\" .. (10 + n % 10) .. \"&from=\" .. (1900 + math.floor(n / 10) % 110)) end"
        else
            echo "request = function() i = i + 1; return wrk.format(\"GET\", \"$path?q=\" .. queries[(i % #queries) + 1]) end"
        fi
    } >"$out"
}
# load ADDR SCRIPT CONNECTIONS [HEADER]: "requests/s | p50 | p99 | errors"
load() {
    local out extra=()
    [ -n "${4:-}" ] && extra=(-H "$4")
    out=$(wrk -t"$(( $3 > 1 ? 2 : 1 ))" -c"$3" -d"${SECONDS_EACH}s" --latency "${extra[@]}" -s "$2" "http://$1" 2>&1)
    local rps p50 p99 non2xx socket
    rps=$(echo "$out" | awk '/^Requests\/sec/ {printf "%.0f", $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    socket=$(echo "$out" | awk '/Socket errors/ {print "socket errors"}')
    echo "${rps:-0} | ${p50:-n/a} | ${p99:-n/a} | ${non2xx:-0}${socket:+, $socket}"
}

hugo_site() { # hugo_site CORPUS DIR: the corpus as a Hugo site with minimal layouts
    local corpus=$1 dir=$2
    mkdir -p "$dir/layouts/_default"
    cp -r "$corpus/knowledge" "$dir/content"
    rm -f "$dir/content/vocabulary.yaml"
    printf 'baseURL = "http://example.org/"\ntitle = "Reference"\ndisableKinds = ["taxonomy", "term"]\n' >"$dir/config.toml"
    printf '<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}\n' >"$dir/layouts/_default/single.html"
    printf '<!doctype html><title>{{ .Title }}</title><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>\n' >"$dir/layouts/_default/list.html"
}

# static_lua PATH OUT: a wrk script requesting one static page.
static_lua() { echo "request = function() return wrk.format(\"GET\", \"$1\") end" >"$2"; }
# fresh_rows ADDR STATIC_PATH: a static page and fresh searches, one connection each, and the
# ratio of their rates (the target: fresh searches at half a static page's rate or better).
fresh_rows() {
    static_lua "$2" "$WORK/static.lua"; lua /api/search 0 "$WORK/fresh.lua" 1
    local st fr
    st=$(load "$1" "$WORK/static.lua" 1); fr=$(load "$1" "$WORK/fresh.lua" 1)
    echo "| static page \`$2\`, 1 connection | $st |"
    echo "| \`/api/search\`, fresh queries (never asked before), 1 connection | $fr |"
    echo "| fresh searches ÷ static pages | $(ratio "$(echo "$fr" | cut -d' ' -f1)" "$(echo "$st" | cut -d' ' -f1)") | | | |"
}

REPORT=$WORK/report.md
DAY=$(date -u +%Y-%m-%d) # the run's date: in its heading and its file name
{
    echo "# Suite run: $DAY, $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), sizes $SIZES, $RUNS run(s), ${SECONDS_EACH} s loads$([ "$QUICK" = 1 ] && echo ', quick')"
    echo
    echo "Medians with [min–max] over the runs; a command over a minute runs once. Ratios are taken"
    echo "within this run. Produced by \`scripts/bench/suite.sh\`."
    echo
} >"$REPORT"

# The sample knowledge base (a partnership's size): fresh searches against a static page.
echo "== the sample knowledge base" >&2
S=$WORK/sample
mkdir -p "$S" && cp -r "$ROOT/knowledge" "$S/knowledge"
printf '/.casebook/\n/public*/\n' >"$S/.gitignore"
( cd "$S" && git init -q && git add -A && git -c user.name=bench -c user.email=b@example.org commit -qm sample )
( cd "$S" && "$BIN/casebook" serve --bind 127.0.0.1:0 2>"$WORK/serve-sample.log" ) & SERVER=$!; PIDS+=("$SERVER")
addr=$(wait_addr "$WORK/serve-sample.log" "$SERVER" 's#^serving on http://\([^/]*\)/.*#\1#p')
sleep 1
{
    echo "## The sample knowledge base ($(find "$S/knowledge" -name '*.md' | wc -l) documents)"
    echo
    echo "| load (wrk, ${SECONDS_EACH} s) | requests/s | p50 | p99 | errors |"
    echo "|---|---|---|---|---|"
    fresh_rows "$addr" /reviews/CR-2019-004/
    echo
} >>"$REPORT"
kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true

for N in $SIZES; do
    echo "== $N documents" >&2
    C=$WORK/corpus-$N
    "$BIN/examples/gen_corpus" --docs "$N" --out "$C" >/dev/null
    printf '/.casebook/\n/public*/\n' >"$C/.gitignore"
    ( cd "$C" && git add .gitignore && git -c user.name=bench -c user.email=b@example.org commit -qm ignore )
    bytes=$(find "$C/knowledge" -name '*.md' -printf '%s\n' | awk '{s+=$1} END {print s}')
    floor=$(for _ in $(seq "$RUNS"); do timed sh -c "find '$C/knowledge' -name '*.md' -exec cat {} + >/dev/null"; done | cut -d' ' -f1 | stats)
    floor_m=$(echo "$floor" | cut -d' ' -f1)
    cd "$C"
    check=$(repeat "$RUNS" "$BIN/casebook" check | cut -d' ' -f1 | stats)
    check_m=$(echo "$check" | cut -d' ' -f1)
    full_runs=$(repeat "$RUNS" "$BIN/casebook" build --full --quiet)
    full=$(echo "$full_runs" | cut -d' ' -f1 | stats)
    full_m=$(echo "$full" | cut -d' ' -f1)
    full_rss=$(echo "$full_runs" | cut -d' ' -f2 | median)
    one=$(for i in $(seq "$RUNS"); do
        f=$(ls knowledge/reviews | sed -n 1p)
        sed -i "0,/^## Learning/s//## Learning\n\nEdit $i./" "knowledge/reviews/$f"
        git -c user.name=bench -c user.email=b@example.org commit -qam "one $i"
        timed "$BIN/casebook" build --quiet | cut -d' ' -f1
    done | stats)
    one_m=$(echo "$one" | cut -d' ' -f1)
    pct=$(( N / 100 )); [ "$pct" -lt 1 ] && pct=1
    hundredth=$(for i in $(seq "$RUNS"); do
        ls knowledge/reviews | shuf -n "$pct" --random-source=<(yes "$i") | while read -r f; do
            sed -i "0,/^## Learning/s//## Learning\n\nRevision $i./" "knowledge/reviews/$f"
        done
        git -c user.name=bench -c user.email=b@example.org commit -qam "one percent $i"
        timed "$BIN/casebook" build --quiet | cut -d' ' -f1
    done | stats)
    index_size=$(du -sh .casebook/index-official-sensitive | cut -f1)
    site_size=$(du -sh public | cut -f1)
    pages=$(find public -name '*.html' | wc -l)
    query=$("$BIN/examples/bench_search" .casebook/index-official-sensitive "$([ "$QUICK" = 1 ] && echo 3 || echo 10)" | awk '/^queries:|^p50:/')

    # The server.
    "$BIN/casebook" serve --bind 127.0.0.1:0 2>"$WORK/serve-$N.log" & SERVER=$!; PIDS+=("$SERVER")
    addr=$(wait_addr "$WORK/serve-$N.log" "$SERVER" 's#^serving on http://\([^/]*\)/.*#\1#p')
    sleep 1
    rss_start=$(rss_mib "$SERVER")
    lua /api/search 0 "$WORK/api.lua"; lua /search 0 "$WORK/page.lua"
    api1=$(load "$addr" "$WORK/api.lua" 1); api16=$(load "$addr" "$WORK/api.lua" 16)
    page1=$(load "$addr" "$WORK/page.lua" 1); page16=$(load "$addr" "$WORK/page.lua" 16)
    fresh=$(fresh_rows "$addr" "/reviews/$(ls knowledge/reviews | sed -n 1p | sed 's/\.md$//' | cut -d- -f1-3)/")
    rss_after=$(rss_mib "$SERVER")
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true

    # References.
    hugo_full="n/a"; hugo_rss="n/a"; hugo_one="n/a"
    if [ "$HUGO" = 1 ]; then
        H=$WORK/hugo-$N; hugo_site "$C" "$H"
        hugo_runs=$(cd "$H" && repeat "$RUNS" hugo --quiet -d "$WORK/hugo-out-$N")
        hugo_full=$(echo "$hugo_runs" | cut -d' ' -f1 | stats)
        hugo_rss=$(echo "$hugo_runs" | cut -d' ' -f2 | median)
        (cd "$H" && hugo server --port 0 --bind 127.0.0.1 --renderToDisk -d "$WORK/hugo-srv-$N" >"$WORK/hugo-$N.log" 2>&1) & HS=$!; PIDS+=("$HS")
        for _ in $(seq 1 1500); do grep -q "Web Server is available" "$WORK/hugo-$N.log" && break; sleep 0.2; done
        f=$(ls "$H/content/reviews" | sed -n 1p)
        hugo_one=$(for i in $(seq "$RUNS"); do
            before=$(grep -c "Total in" "$WORK/hugo-$N.log" || true)
            sed -i "0,/^## Learning/s//## Learning\n\nHugo edit $i./" "$H/content/reviews/$f"
            for _ in $(seq 1 600); do [ "$(grep -c "Total in" "$WORK/hugo-$N.log" || true)" -gt "$before" ] && break; sleep 0.1; done
            grep "Total in" "$WORK/hugo-$N.log" | tail -1 | sed 's/.*Total in \([0-9.]*\) ms.*/\1/' | awk '{printf "%.3f\n", $1 / 1000}'
            sleep 1
        done | stats)
        # The subshell and the server it started.
        pkill -f "hugo server --port 0 --bind 127.0.0.1 --renderToDisk -d $WORK/hugo-srv-$N" 2>/dev/null || true
        kill "$HS" 2>/dev/null || true; wait "$HS" 2>/dev/null || true
    fi
    tantivy_index="n/a"; tantivy1="n/a | n/a | n/a | n/a"; tantivy16=$tantivy1
    if [ -n "$TANTIVY" ]; then
        T=$WORK/tantivy-$N; mkdir -p "$T"
        "$BIN/examples/corpus_json" "$C/knowledge" >"$WORK/docs-$N.jsonl"
        cat >"$WORK/tantivy-meta.json" <<'JSON'
{"index_settings":{"docstore_compression":"lz4","docstore_blocksize":16384},"segments":[],"schema":[
{"name":"id","type":"text","options":{"indexing":{"record":"basic","fieldnorms":false,"tokenizer":"raw"},"stored":true,"fast":false}},
{"name":"title","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false}},
{"name":"body","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false}}],"opstamp":0}
JSON
        tantivy_index=$(for i in $(seq "$RUNS"); do
            # Each run starts from the empty schema (a run's meta.json lists its segments).
            rm -rf "$T" && mkdir -p "$T" && cp "$WORK/tantivy-meta.json" "$T/meta.json"
            timed sh -c "'$TANTIVY' index -i '$T' < '$WORK/docs-$N.jsonl'" | cut -d' ' -f1
        done | stats)
        port=$(( 20000 + RANDOM % 20000 ))
        "$TANTIVY" serve -i "$T" -p "$port" >"$WORK/tantivy-$N.log" 2>&1 & TS=$!; PIDS+=("$TS")
        for _ in $(seq 1 300); do curl -s "http://127.0.0.1:$port/api/?q=victims" >/dev/null 2>&1 && break; sleep 0.2; done
        lua /api/ 1 "$WORK/tantivy.lua"
        # tantivy-cli's server answers a kept-alive connection only after a ~40 ms stall (its
        # old HTTP stack and delayed acknowledgements), so it is measured, at its best, with a
        # new connection per request.
        tantivy1=$(load "127.0.0.1:$port" "$WORK/tantivy.lua" 1 "Connection: close")
        tantivy16=$(load "127.0.0.1:$port" "$WORK/tantivy.lua" 16 "Connection: close")
        kill "$TS" 2>/dev/null || true; wait "$TS" 2>/dev/null || true
    fi
    cd "$ROOT"
    hugo_m=$(echo "$hugo_full" | cut -d' ' -f1)
    {
        echo "## $N documents ($(awk -v b="$bytes" 'BEGIN {printf "%.1f MiB", b/1048576}') of markdown, $pages pages)"
        echo
        echo "| measure | Casebook | reference | ratio |"
        echo "|---|---|---|---|"
        echo "| read every byte (\`cat\`) | | $floor s | |"
        echo "| \`check\` | $check s | read floor $floor_m s | $(ratio "$check_m" "$floor_m") |"
        echo "| \`build --full\` | $full s | Hugo alone $hugo_full s | $(ratio "$full_m" "$hugo_m") |"
        echo "| peak RSS of \`build --full\` | $(( full_rss / 1024 )) MiB | Hugo $( [ "$hugo_rss" = n/a ] && echo n/a || echo "$(( hugo_rss / 1024 )) MiB") | $( [ "$hugo_rss" = n/a ] && echo n/a || ratio "$full_rss" "$hugo_rss") |"
        echo "| build after a one-document commit | $one s ($(awk -v a="$one_m" -v b="$full_m" 'BEGIN {printf "%.0f", 100*a/b}') % of full) | \`hugo server\` one file $hugo_one s | $(ratio "$one_m" "$(echo "$hugo_one" | cut -d' ' -f1)") |"
        echo "| build after a 1 % commit ($pct documents) | $hundredth s | | |"
        echo "| index phase (index-only reference) | | \`tantivy index\` $tantivy_index s | |"
        echo "| index, site | $index_size, $site_size | | |"
        echo "| \`serve\` resident memory | $rss_start MiB after start, $rss_after MiB after the load | | |"
        echo
        echo "In-process queries (\`bench_search\`): $(echo "$query" | tr '\n' ' ')"
        echo
        echo "| load (wrk, ${SECONDS_EACH} s) | requests/s | p50 | p99 | errors |"
        echo "|---|---|---|---|---|"
        echo "| \`/api/search\`, 1 connection | $api1 |"
        echo "| \`/api/search\`, 16 connections | $api16 |"
        echo "| \`/search\` page, 1 connection | $page1 |"
        echo "| \`/search\` page, 16 connections | $page16 |"
        echo "$fresh"
        echo "| tantivy-cli \`serve\`, 1 connection (a new one per request) | $tantivy1 |"
        echo "| tantivy-cli \`serve\`, 16 connections (a new one per request) | $tantivy16 |"
        echo
    } >>"$REPORT"
    rm -rf "$C" "$WORK/hugo-$N" "$WORK/hugo-out-$N" "$WORK/hugo-srv-$N" "$WORK/tantivy-$N" "$WORK/docs-$N.jsonl"
done

cat "$REPORT"
if [ "$QUICK" = 0 ]; then
    # One file per run, never overwritten: the day's first is DAY-suite.md, then -2, -3, ...
    mkdir -p "$ROOT/benchmarks"
    OUT=benchmarks/$DAY-suite.md
    n=2
    while [ -e "$ROOT/$OUT" ]; do
        OUT=benchmarks/$DAY-suite-$n.md
        n=$((n + 1))
    done
    cp "$REPORT" "$ROOT/$OUT"
    echo "report written to $OUT" >&2
fi
