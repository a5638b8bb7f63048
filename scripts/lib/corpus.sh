# Shared by the fault and load scripts (scripts/faults.sh, scripts/full_disk.sh,
# scripts/soak.sh): the binaries they run, the environment of a reproducible build, and a digest of what a build produced.
# Source it after setting PROFILE (debug or release) and ROOT (the project folder).

# build_tools: builds casebook and the corpus generator for $PROFILE; sets BIN to their folder.
build_tools() {
    if [ "$PROFILE" = release ]; then
        cargo build --release --quiet --bin casebook --example gen_corpus
    else
        cargo build --quiet --bin casebook --example gen_corpus
    fi
    BIN="$ROOT/target/$PROFILE"
}

# build_env NAME: a fixed date, no colour, and git identities named NAME.
build_env() {
    export CASEBOOK_TODAY=2026-11-29 NO_COLOR=1 GIT_AUTHOR_NAME=$1 \
        GIT_AUTHOR_EMAIL=faults@example.org GIT_COMMITTER_NAME=$1 \
        GIT_COMMITTER_EMAIL=faults@example.org
}

# The searches a digest includes.
QUERIES=("labour exploitation" "s.45 defence" "STPOs" "car wash" "cannabis")

# site_digest DIR SITE: one hash of every file of DIR/SITE (path and content) and of the
# answers to QUERIES from DIR's index, so two builds can be compared whole.
site_digest() {
    local dir=$1 site=$2 q
    {
        (cd "$dir/$site" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
        for q in "${QUERIES[@]}"; do
            (cd "$dir" && "$BIN/casebook" search --format json --limit 50 "$q") |
                sed 's/"took_ms": *[0-9.]*//g'
        done
    } | sha256sum | cut -c1-16
}
