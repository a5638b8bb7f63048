#!/usr/bin/env bash
# Deployment test: Debian's nginx, running deploy/nginx/casebook.conf itself, in front of two
# `casebook serve` replicas, each with its own clone of one bare origin repository that has
# deploy/post-receive installed as its hook. Everything runs on loopback, on ports the kernel
# or this script picks, in a temporary folder that is removed at the end.
#
# Checks:
#   - nginx accepts the shipped site file (nginx -t); plain HTTP redirects to HTTPS.
#   - Sign-on: without credentials (or with bad ones, or with only a forged X-Remote-User) nginx
#     answers 403 and the request never reaches Casebook; with credentials Casebook answers,
#     the identity nginx sets (alice) replaces any X-Remote-User the client sent, and the
#     replica's audit line for the search names alice.
#   - A commit pushed to master is named to the pusher as ignored and changes neither clone nor
#     what the replicas serve. Pushed to main, it reaches both clones through the post-receive
#     hook (which runs deploy/casebook-update), both replicas serve it (their /healthz commit
#     and Casebook-Commit header), and a search through nginx finds the new text.
#   - SIGTERM to one replica while requests go through nginx without pause (at least 300, and
#     at least 100 after it has exited): every request answers 200 (nginx retries on the other
#     replica), and the stopped replica exits 0.
#
# The shipped site file is used as it is, with its placeholders replaced: listen ports, the
# certificate (a self-signed one made here), log paths, the replicas' addresses and
# oauth2-proxy's address. oauth2-proxy is not available here, so a second server block in the
# same nginx stands in for it: /oauth2/auth answers 202 with X-Auth-Request-User: alice for
# "Authorization: Bearer alice-token" and 401 otherwise, as oauth2-proxy answers for a signed-in
# session or none.
#
# Needs git, curl, openssl and nginx (/usr/sbin/nginx, or NGINX=path); installs the missing
# ones with apt-get (as root or through sudo). The binary is $CASEBOOK (default
# target/debug/casebook, relative to the repository root).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
casebook=${CASEBOOK:-target/debug/casebook}
case $casebook in /*) ;; *) casebook=$root/$casebook ;; esac
nginx=${NGINX:-/usr/sbin/nginx}
started=$SECONDS

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "error: $* needs root; install it by hand" >&2
        return 1
    fi
}
apt_updated=
apt_install() {
    echo "== installing $* (apt-get)"
    if [ -z "$apt_updated" ]; then as_root apt-get update -qq && apt_updated=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

[ -x "$casebook" ] || { echo "error: no casebook binary at $casebook (cargo build, or set CASEBOOK)" >&2; exit 1; }
command -v git >/dev/null || apt_install git
command -v curl >/dev/null || apt_install curl
command -v openssl >/dev/null || apt_install openssl
if [ ! -x "$nginx" ]; then
    apt_install nginx-light || apt_install nginx
fi
# Installing the package may start the system's own nginx; this test never touches it.

work=$(mktemp -d "${TMPDIR:-/tmp}/casebook-deploy.XXXXXX")
pid_a='' pid_b='' pid_nginx='' pid_load=''
passed=0

stop() { # stop PID: SIGTERM, up to 30 s, then SIGKILL
    local pid=$1 i
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
show_logs() {
    local f
    for f in "$work"/replica-a.log "$work"/replica-b.log "$work"/nginx/error.log \
        "$work"/nginx/casebook.access.log "$work"/nginx/casebook.error.log "$work"/push.log; do
        [ -s "$f" ] || continue
        echo "---- ${f#"$work"/} (last 60 lines)"
        tail -n 60 "$f"
    done
}
cleanup() {
    local rc=$?
    trap - EXIT
    set +e
    if [ "$rc" != 0 ]; then
        echo "== logs"
        show_logs
    fi
    if [ -n "$pid_load" ]; then
        touch "$work/stop-load"
        wait "$pid_load"
    fi
    stop "$pid_nginx"
    stop "$pid_a"
    stop "$pid_b"
    rm -rf "$work"
    echo "== $((SECONDS - started)) s"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ok() {
    passed=$((passed + 1))
    echo "ok $passed - $*"
}
fail() {
    echo "FAIL - $*" >&2
    exit 1
}
# until_ok SECONDS DESCRIPTION COMMAND...: run COMMAND every 0.25 s until it succeeds.
until_ok() {
    local limit=$1 what=$2
    shift 2
    local end=$((SECONDS + limit))
    until "$@"; do
        [ "$SECONDS" -lt "$end" ] || fail "$what (gave up after $limit s)"
        sleep 0.25
    done
}
json_field() { # json_field NAME < json: the value of a top-level string field
    sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" | head -n 1
}

git_c=(git -c user.name="Casebook deploy test" -c user.email=deploy-test@example.org
    -c init.defaultBranch=main -c advice.detachedHead=false)

# --- The origin and the replicas' clones ---------------------------------------------------------
echo "== origin repository and two clones in $work"
mkdir "$work/seed"
cp -r "$root/knowledge" "$work/seed/knowledge"
printf '[serve]\npoll_seconds = 1\n' >"$work/seed/casebook.toml"
printf '/.casebook/\n/public*/\n' >"$work/seed/.gitignore"
"${git_c[@]}" -C "$work/seed" init -q
"${git_c[@]}" -C "$work/seed" add knowledge casebook.toml .gitignore
"${git_c[@]}" -C "$work/seed" commit -q -m "Sample knowledge base"
git clone -q --bare "$work/seed" "$work/origin.git"
first=$(git -C "$work/origin.git" rev-parse HEAD)
git clone -q "$work/origin.git" "$work/replica-a"
git clone -q "$work/origin.git" "$work/replica-b"
# The hook and casebook-update as shipped, with only their paths replaced: the settings file and
# the script live in $work. The hook runs the script directly, as the test's own user owns the
# clones (tests/deploy/casebook_update.sh runs it through sudo as another user).
mkdir "$work/etc" "$work/lib"
update_conf=$work/etc/update.conf
printf 'CASEBOOK_BRANCH=main\nCASEBOOK_USER=%s\nCASEBOOK_CLONE=%s\nCASEBOOK_CLONE=%s\n' \
    "$(id -un)" "$work/replica-a" "$work/replica-b" >"$update_conf"
chmod 0644 "$update_conf"
for f in deploy/post-receive deploy/casebook-update; do
    grep -qx 'conf=/etc/casebook/update.conf' "$root/$f" || fail "$f no longer sets conf=/etc/casebook/update.conf"
done
grep -qx 'update=/usr/local/lib/casebook/casebook-update' "$root/deploy/post-receive" ||
    fail "deploy/post-receive no longer sets update=/usr/local/lib/casebook/casebook-update"
sed "s#^conf=/etc/casebook/update.conf\$#conf=$update_conf#" "$root/deploy/casebook-update" >"$work/lib/casebook-update"
sed -e "s#^conf=/etc/casebook/update.conf\$#conf=$update_conf#" \
    -e "s#^update=/usr/local/lib/casebook/casebook-update\$#update=$work/lib/casebook-update#" \
    "$root/deploy/post-receive" >"$work/origin.git/hooks/post-receive"
chmod 0755 "$work/lib/casebook-update" "$work/origin.git/hooks/post-receive"
git -C "$work/origin.git" config core.hooksPath "$work/origin.git/hooks" # whatever ~/.gitconfig says

# --- The replicas ------------------------------------------------------------------------------------
# As in deploy/casebook.service, with a port the kernel picks (printed as "serving on ...").
start_replica() { # start_replica NAME: starts it in the background, sets pid_NAME
    (cd "$work/replica-$1" && CASEBOOK_TODAY=2026-11-29 exec "$casebook" serve \
        --bind 127.0.0.1:0 --require-header X-Remote-User) >"$work/replica-$1.log" 2>&1 &
    eval "pid_$1=$!"
}
replica_addr() { sed -n 's#^serving on http://\([^/]*\)/.*#\1#p' "$work/replica-$1.log" | head -n 1; }
replica_up() { # replica_up NAME PID
    kill -0 "$2" 2>/dev/null || fail "replica $1 exited while starting"
    [ -n "$(replica_addr "$1")" ]
}
healthz() { curl -s --max-time 10 "http://$1/healthz"; }
healthy_at() { # healthy_at ADDR COMMIT: /healthz says ok at COMMIT (fails at once if degraded)
    local h
    h=$(healthz "$1") || return 1
    case $h in *'"status":"degraded"'*) fail "replica at $1 is degraded: $h" ;; esac
    [ "$(json_field status <<<"$h")" = ok ] && [ "$(json_field commit <<<"$h")" = "$2" ]
}

echo "== starting replicas A and B"
start_replica a
start_replica b
until_ok 120 "replica A starts" replica_up a "$pid_a"
until_ok 120 "replica B starts" replica_up b "$pid_b"
addr_a=$(replica_addr a)
addr_b=$(replica_addr b)
until_ok 120 "replica A /healthz is ok at $first" healthy_at "$addr_a" "$first"
ok "replica A serves the origin's commit on $addr_a"
until_ok 120 "replica B /healthz is ok at $first" healthy_at "$addr_b" "$first"
ok "replica B serves the origin's commit on $addr_b"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 "http://$addr_a/search?q=labour")
[ "$code" = 403 ] || fail "a replica asked directly without X-Remote-User answers $code, not 403"
ok "a replica refuses a request without X-Remote-User (403)"

# --- nginx ------------------------------------------------------------------------------------
mkdir -p "$work/nginx/tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=casebook.example.org -addext subjectAltName=DNS:casebook.example.org \
    -keyout "$work/nginx/privkey.pem" -out "$work/nginx/fullchain.pem" 2>/dev/null
if [ "$(id -u)" = 0 ]; then
    # nginx's workers drop to nobody, as the system nginx drops to www-data; they must reach
    # their temporary folders (created by nginx) under this one.
    chmod 711 "$work"
    run_as="user nobody $(id -gn nobody);"
else
    run_as=
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        port_free "$p" && echo "$p" && return
    done
}

# The site file under test: deploy/nginx/casebook.conf with its placeholders replaced. Each
# replacement must have happened, so a change to the shipped file cannot silently leave this
# test running something else.
make_site() {
    local src=$root/deploy/nginx/casebook.conf dst=$work/nginx/casebook.conf placeholder
    for placeholder in 'listen 80;' 'listen 443 ssl' '/etc/ssl/casebook/fullchain.pem' \
        '/etc/ssl/casebook/privkey.pem' '/var/log/nginx/' 'server 127.0.0.1:8080 ' \
        'server 127.0.0.1:8081 ' 'server 127.0.0.1:4180;' 'listen [::]:'; do
        grep -qF "$placeholder" "$src" || fail "deploy/nginx/casebook.conf no longer has '$placeholder'"
    done
    sed -e "s#listen 80;#listen 127.0.0.1:$http_port;#" \
        -e "s#listen 443 ssl#listen 127.0.0.1:$https_port ssl#" \
        -e '/listen \[::\]:/d' \
        -e "s#/etc/ssl/casebook/#$work/nginx/#" \
        -e "s#/var/log/nginx/#$work/nginx/#" \
        -e "s#server 127.0.0.1:8080 #server $addr_a #" \
        -e "s#server 127.0.0.1:8081 #server $addr_b #" \
        -e "s#server 127.0.0.1:4180;#server 127.0.0.1:$idp_port;#" \
        "$src" >"$dst"
    if sed 's/#.*//' "$dst" | grep -nE '/etc/|/var/|127\.0\.0\.1:(8080|8081|4180)\b|\[::\]|listen (80|443)\b'; then
        fail "placeholders left in the generated site file (above; comments aside)"
    fi
}

make_conf() {
    cat >"$work/nginx/nginx.conf" <<EOF
# Generated by tests/deploy/nginx_replicas.sh: a private nginx around the shipped site file.
$run_as
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log notice;
events { worker_connections 512; }
http {
    client_body_temp_path $work/nginx/tmp/body;
    proxy_temp_path $work/nginx/tmp/proxy;
    fastcgi_temp_path $work/nginx/tmp/fastcgi;
    uwsgi_temp_path $work/nginx/tmp/uwsgi;
    scgi_temp_path $work/nginx/tmp/scgi;
    access_log $work/nginx/other.access.log;

    # Stand-in for oauth2-proxy (deploy/nginx/casebook.conf's "upstream oauth2_proxy"): the
    # auth_request check answers 202 and names the user for the right bearer token, 401
    # otherwise; its sign-in page is a plain 403.
    map \$http_authorization \$standin_user {
        "Bearer alice-token" alice;
        default "";
    }
    server {
        listen 127.0.0.1:$idp_port;
        location = /oauth2/auth {
            if (\$standin_user = "") { return 401; }
            add_header X-Auth-Request-User \$standin_user always;
            return 202;
        }
        location / { return 403 "stand-in sign-in page\n"; }
    }

    # The site under test.
    include $work/nginx/casebook.conf;
}
EOF
}

nginx_args=(-p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log")
echo "== starting nginx ($nginx)"
for _ in 1 2 3; do
    http_port=$(pick_port)
    https_port=$(pick_port)
    idp_port=$(pick_port)
    if [ "$http_port" = "$https_port" ] || [ "$https_port" = "$idp_port" ] ||
        [ "$http_port" = "$idp_port" ]; then continue; fi
    make_site
    make_conf
    "$nginx" "${nginx_args[@]}" -t -q || fail "nginx -t rejects the configuration"
    "$nginx" "${nginx_args[@]}" -g 'daemon off;' &
    pid_nginx=$!
    code=
    end=$((SECONDS + 60))
    while kill -0 "$pid_nginx" 2>/dev/null && [ "$SECONDS" -lt "$end" ]; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$idp_port/" || true)
        [ "$code" = 403 ] && break
        sleep 0.25
    done
    [ "$code" = 403 ] && break
    if kill -0 "$pid_nginx" 2>/dev/null; then fail "nginx did not answer within 60 s"; fi
    rc=0
    wait "$pid_nginx" || rc=$?
    pid_nginx=
    grep -q 'Address already in use' "$work/nginx/error.log" || fail "nginx exited ($rc)"
    echo "   a port was taken meanwhile; again with others"
done
[ -n "$pid_nginx" ] || fail "nginx could not start"
ok "nginx runs deploy/nginx/casebook.conf (nginx -t passes) on 127.0.0.1:$https_port"

site=https://casebook.example.org:$https_port
curl_site=(curl -sS --no-progress-meter --max-time 60 --resolve "casebook.example.org:$https_port:127.0.0.1"
    --cacert "$work/nginx/fullchain.pem")
access_log=$work/nginx/casebook.access.log
alice=(-H "Authorization: Bearer alice-token")

# --- Plain HTTP ------------------------------------------------------------------------------
out=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 20 \
    -H 'Host: casebook.example.org' "http://127.0.0.1:$http_port/search?q=labour")
[ "$out" = "301 https://casebook.example.org/search?q=labour" ] ||
    fail "plain HTTP answers '$out', not a 301 to the same address over HTTPS"
ok "plain HTTP redirects to HTTPS (301)"

# --- Sign-on ---------------------------------------------------------------------------------
# log_line PATH: the access log's line for the one request made to PATH (waits for it).
log_line() {
    local line
    until_ok 30 "nginx logs the request for $1" grep -qF " $1 HTTP/" "$access_log"
    line=$(grep -F " $1 HTTP/" "$access_log")
    [ "$(wc -l <<<"$line")" = 1 ] || fail "more than one access log line for $1: $line"
    echo "$line"
}
refused() { # refused NAME PATH CURL-ARGS...: nginx answers 403 itself; no replica sees it
    local name=$1 path=$2 code line
    shift 2
    code=$("${curl_site[@]}" -o "$work/body" -w '%{http_code}' "$@" "$site$path")
    [ "$code" = 403 ] || fail "$name: answered $code, not 403"
    grep -q 'stand-in sign-in page' "$work/body" || fail "$name: the 403 is not the sign-in page: $(head -c 300 "$work/body")"
    line=$(log_line "${path%%\?*}")
    case $line in *"$addr_a"* | *"$addr_b"*) fail "$name: nginx passed it to a replica: $line" ;; esac
    ok "$name: 403 with the sign-in page; no replica asked ($line)"
}
refused "no credentials" /no-credentials/search
refused "a wrong token" /wrong-token/search -H "Authorization: Bearer mallory-token"
refused "only a forged X-Remote-User" /forged-only/search -H "X-Remote-User: alice"
code=$("${curl_site[@]}" -o /dev/null -w '%{http_code}' "${alice[@]}" "$site/oauth2/auth")
[ "$code" = 404 ] || fail "/oauth2/auth from outside answers $code, not 404"
ok "the auth_request check cannot be called from outside (404)"
head -c 17000 /dev/zero | tr '\0' a >"$work/big-body"
code=$("${curl_site[@]}" -o /dev/null -w '%{http_code}' "${alice[@]}" --data-binary "@$work/big-body" "$site/search")
[ "$code" = 413 ] || fail "a 17 kB body answers $code, not 413"
ok "a body over 16 KiB is refused by nginx (413)"
for q in forgedname1 refusedsearch1; do
    if grep -h '^{' "$work"/replica-[ab].log | grep -qF "\"query\":\"$q\""; then
        fail "an audit line for '$q' exists before the search was made"
    fi
done
# Refused searches leave no audit line anywhere.
"${curl_site[@]}" -o /dev/null "$site/search?q=refusedsearch1"
"${curl_site[@]}" -o /dev/null -H "X-Remote-User: alice" "$site/search?q=refusedsearch1"

# Signed in, with a forged identity header (twice, which Casebook alone would refuse): nginx
# replaces it with the name from the sign-on.
out=$("${curl_site[@]}" -D "$work/headers" -o "$work/body" -w '%{http_code}' "${alice[@]}" \
    -H "X-Remote-User: mallory" -H "X-Remote-User: eve" "$site/search?q=forgedname1")
[ "$out" = 200 ] || fail "a signed-in search answers $out, not 200: $(head -c 300 "$work/body")"
commit=$(sed -n 's/^[Cc]asebook-[Cc]ommit: *\([0-9a-f]*\).*/\1/p' "$work/headers")
[ "$commit" = "$first" ] || fail "the answer's Casebook-Commit is '$commit', not $first"
hsts=$(grep -ci '^strict-transport-security:' "$work/headers" || true)
[ "$hsts" = 1 ] || fail "the answer carries $hsts Strict-Transport-Security headers, not 1"
ok "signed in: 200 from Casebook (Casebook-Commit $commit, HSTS) despite two forged X-Remote-User headers"
audited() { grep -h '^{' "$work"/replica-[ab].log | grep -F "\"query\":\"$1\"" | grep -qF "\"user\":\"$2\""; }
until_ok 30 "the audit line for the search names alice" audited forgedname1 alice
if grep -h '^{' "$work"/replica-[ab].log | grep -E '"user":"(mallory|eve)"'; then
    fail "an audit line names the forged user (above)"
fi
ok "the replica's audit line for the search names alice, never the forged names"
if grep -h '^{' "$work"/replica-[ab].log | grep -F refusedsearch1; then
    fail "a search refused by nginx reached a replica (above)"
fi
ok "searches refused by nginx left no audit line"
signed_in=$(grep -F '"GET /search HTTP/' "$access_log" | grep -F ' 200 ' || true)
[ -n "$signed_in" ] || fail "nginx's access log has no answered search"
grep -v 'user=alice ' <<<"$signed_in" && fail "an answered search is logged without user=alice (above)"
ok "nginx's access log names alice"
if grep -qE 'forgedname1|refusedsearch1' "$access_log"; then
    fail "nginx's access log holds a search query"
fi
ok "nginx's access log holds no search query"

# --- A new commit reaches both replicas ---------------------------------------------------------
echo "== pushing a commit to the origin"
git clone -q "$work/origin.git" "$work/editor"
doc=knowledge/reviews/CR-2019-004-industrial-units.md
grep -q '^title: ' "$work/editor/$doc" || fail "$doc has no title line to edit"
sed -i 's/^title: .*/title: "Operation Zannik: cannabis gardeners in Quillhaven industrial units — debrief"/' \
    "$work/editor/$doc"
"${git_c[@]}" -C "$work/editor" commit -q -am "CR-2019-004: name the estate"
second=$(git -C "$work/editor" rev-parse HEAD)
# First to master (git's default branch on many machines): the pusher is told, nothing moves.
git -C "$work/editor" push origin HEAD:refs/heads/master >"$work/push.log" 2>&1 ||
    fail "git push to master failed: $(cat "$work/push.log")"
grep -qF "casebook: ignored refs/heads/master: only main is published (CASEBOOK_BRANCH in $update_conf)" \
    "$work/push.log" || fail "the hook did not tell the pusher that master is ignored: $(cat "$work/push.log")"
for r in a b; do
    [ "$(git -C "$work/replica-$r" rev-parse HEAD)" = "$first" ] || fail "a push to master moved clone $r"
done
for addr in "$addr_a" "$addr_b"; do
    healthy_at "$addr" "$first" || fail "after a push to master, the replica at $addr no longer serves $first"
done
ok "a push to master is named to the pusher as ignored; the clones and what is served stay at ${first:0:12}"
git -C "$work/editor" push origin main >"$work/push.log" 2>&1 || fail "git push failed: $(cat "$work/push.log")"
for r in a b; do
    grep -qF "casebook: $work/replica-$r is at ${second:0:7}" "$work/push.log" ||
        fail "the post-receive hook did not report replica $r at ${second:0:7}: $(cat "$work/push.log")"
    [ "$(git -C "$work/replica-$r" rev-parse HEAD)" = "$second" ] || fail "clone $r is not at $second"
done
ok "the origin's post-receive hook brought both clones to ${second:0:12}"
until_ok 180 "replica A serves $second" healthy_at "$addr_a" "$second"
until_ok 180 "replica B serves $second" healthy_at "$addr_b" "$second"
for addr in "$addr_a" "$addr_b"; do
    h=$(curl -s -D - -o /dev/null --max-time 20 -H "X-Remote-User: alice" "http://$addr/api/search?q=quillhaven")
    grep -qi "^casebook-commit: $second" <<<"$h" || fail "replica $addr answers from another commit: $h"
done
ok "both replicas rebuilt: /healthz and Casebook-Commit name ${second:0:12}"
for i in 1 2; do # round-robin: one search on each replica
    out=$("${curl_site[@]}" "${alice[@]}" "$site/api/search?q=quillhaven")
    grep -q '"id":"CR-2019-004"' <<<"$out" || fail "search $i through nginx does not find the new title: ${out:0:400}"
done
ok "a search through nginx finds the new title"

# --- Stopping a replica loses no request ------------------------------------------------------------
echo "== requests through nginx without pause; replica A stopped partway"
# A load loop sends batches of 12 requests (3 at a time) until told to stop. Replica A gets
# SIGTERM once 60 have been answered; the load goes on through its drain and until at least
# 300 requests in all, and 100 after A has exited, have been answered.
paths=("/search?q=labour" "/api/search?q=interpreters" "/" "/api/documents/CR-2019-004"
    "/search?q=quillhaven&kind=case_review" "/api/stats")
for i in $(seq 0 11); do
    printf 'url = "%s%s"\noutput = "/dev/null"\n' "$site" "${paths[i % ${#paths[@]}]}"
done >"$work/batch.cfg"
lines_before=$(wc -l <"$access_log")
: >"$work/codes"
(
    while [ ! -e "$work/stop-load" ]; do
        # curl writes the codes when the batch ends; a failed connection is 000.
        "${curl_site[@]}" -Z --parallel-max 3 "${alice[@]}" -w '%{http_code}\n' -K "$work/batch.cfg" \
            >>"$work/codes" 2>>"$work/curl.err" || true
    done
) &
pid_load=$!
answered() { [ "$(wc -l <"$work/codes")" -ge "$1" ]; }
stop_load() {
    touch "$work/stop-load"
    wait "$pid_load" || true
    pid_load=
}
until_ok 120 "60 requests answered" answered 60
kill -TERM "$pid_a"
echo "   SIGTERM to replica A after $(wc -l <"$work/codes") answers"
end=$((SECONDS + 40))
while kill -0 "$pid_a" 2>/dev/null; do
    [ "$SECONDS" -lt "$end" ] || { stop_load; fail "replica A still running 40 s after SIGTERM"; }
    sleep 0.1
done
at_exit=$(wc -l <"$work/codes")
echo "   replica A exited after $at_exit answers"
target=$((at_exit + 100 > 300 ? at_exit + 100 : 300))
end=$((SECONDS + 150))
until answered "$target"; do
    [ "$SECONDS" -lt "$end" ] || { stop_load; fail "$target requests not answered within 150 s"; }
    sleep 0.25
done
stop_load
total=$(wc -l <"$work/codes")
bad=$(grep -vc '^200$' "$work/codes" || true)
[ "$bad" = 0 ] ||
    fail "$bad of $total answers not 200: $(sort "$work/codes" | uniq -c | tr '\n' ' ') $(head -c 300 "$work/curl.err")"
ok "all $total requests answered 200 while replica A stopped"

rc_a=0
wait "$pid_a" || rc_a=$?
pid_a=
[ "$rc_a" = 0 ] || fail "replica A exited $rc_a after SIGTERM, not 0"
grep -qx 'stopped' "$work/replica-a.log" || fail "replica A did not print 'stopped'"
ok "replica A exited 0 after SIGTERM (and printed 'stopped')"

for i in $(seq 1 20); do
    printf 'url = "%s/search?q=after%s"\noutput = "/dev/null"\n' "$site" "$i"
done >"$work/urls-after.cfg"
"${curl_site[@]}" "${alice[@]}" -w '%{http_code}\n' -K "$work/urls-after.cfg" >"$work/codes-after" || true
[ "$(grep -c '^200$' "$work/codes-after")" = 20 ] ||
    fail "with replica A gone: $(sort "$work/codes-after" | uniq -c | tr '\n' ' ')"
logged() { [ "$(wc -l <"$access_log")" -ge $((lines_before + total + 20)) ]; }
until_ok 30 "the last requests are logged" logged
tail -n +"$((lines_before + 1))" "$access_log" >"$work/failover.log"
# A request nginx passed on to the other replica logs both: upstream=A, B ustatus=502, 200.
retried=$(grep -c 'upstream=[^ ]*, ' "$work/failover.log" || true)
[ "$retried" -ge 1 ] || fail "no request was retried on the other replica (the failover was not exercised)"
# With A gone, B answers everything (nginx still tries A now and then, and moves on at once).
tail -n 20 "$work/failover.log" | grep -vE "upstream=($addr_a, )?$addr_b ustatus=([0-9]+, )?200 " &&
    fail "with replica A gone, some of the last 20 requests were not answered by B (above)"
ok "nginx passed $retried request(s) on to the other replica; with A gone, B answers"

echo "deploy: $passed passed, 0 failed"
