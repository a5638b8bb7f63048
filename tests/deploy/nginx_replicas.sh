#!/usr/bin/env bash
# Deployment test: Debian's nginx, running deploy/nginx/casebook.conf itself, with single sign-on
# through a real LemonLDAP::NG (deploy/nginx/casebook-sso-lemonldap-ng.conf), in front of two
# `casebook serve` replicas, each with its own clone of one bare origin repository that has
# deploy/post-receive installed as its hook. Everything runs on loopback, on ports the kernel
# or this script picks, in a temporary folder that is removed at the end.
#
# Checks:
#   - nginx accepts the shipped site file with either sign-on file (nginx -t; the oauth2-proxy
#     one is checked for syntax only, oauth2-proxy itself is not run); plain HTTP redirects to
#     HTTPS.
#   - Sign-on: without a session (or with a forged session cookie, or with only a forged
#     X-Remote-User) nginx redirects to LemonLDAP::NG's portal, naming the page asked for, and
#     the request never reaches Casebook (no replica in nginx's log, no audit line). Signing in
#     through the portal's form (its CSRF token included) with a wrong password gives no
#     session; with the right one the portal sends the browser back with a session cookie, and
#     then Casebook answers: the identity nginx sets replaces any X-Remote-User the client sent,
#     and the replica's audit line for the search names the signed-in user (dwho, rtyler). A
#     user the portal signs in but LemonLDAP::NG's access rules refuse (msmith) never reaches
#     Casebook. After signing out, the session cookie opens nothing.
#   - A commit pushed to master is named to the pusher as ignored and changes neither clone nor
#     what the replicas serve. Pushed to main, it reaches both clones through the post-receive
#     hook (which runs deploy/casebook-update), both replicas serve it (their /healthz commit
#     and Casebook-Commit header), and a search through nginx finds the new text.
#   - SIGTERM to one replica while signed-in requests go through nginx without pause (at least
#     300, and at least 100 after it has exited): every request answers 200 (nginx retries on
#     the other replica), and the stopped replica exits 0.
#
# The shipped files are used as they are, with their placeholders replaced: listen ports, the
# certificate (a self-signed one made here), log paths, the replicas' addresses and the
# LemonLDAP::NG socket. LemonLDAP::NG runs its own FastCGI server (the handler and the portal)
# as Debian packages it, with a configuration written here: its "Demo" user store (dwho, rtyler
# and msmith, each with the password equal to the name) stands in for the organisation's
# directory; the portal is https://auth.example.org on the same nginx; its access rule for
# casebook.example.org lets dwho and rtyler in.
#
# Needs git, curl, openssl, nginx (/usr/sbin/nginx, or NGINX=path) and LemonLDAP::NG's FastCGI
# server and portal; installs the missing ones with apt-get (as root or through sudo). The
# binary is $CASEBOOK (default target/debug/casebook, relative to the repository root).
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
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

[ -x "$casebook" ] || { echo "error: no casebook binary at $casebook (cargo build, or set CASEBOOK)" >&2; exit 1; }
command -v git >/dev/null || apt_install git
command -v curl >/dev/null || apt_install curl
command -v openssl >/dev/null || apt_install openssl
if [ ! -x "$nginx" ]; then
    apt_install nginx-light || apt_install nginx
fi
# LemonLDAP::NG: the FastCGI server, the handler, the portal, and the captcha and image
# libraries its portal loads at start (captchas are not used here).
llng=/usr/sbin/llng-fastcgi-server
if [ ! -x "$llng" ] || ! perl -MLemonldap::NG::Portal -MGD::SecurityImage -MImage::Magick -e 1 2>/dev/null; then
    apt_install lemonldap-ng-fastcgi-server liblemonldap-ng-portal-perl libgd-securityimage-perl \
        libimage-magick-perl
fi
# Installing the packages may start the system's own nginx or LemonLDAP::NG; this test never
# touches them.

work=$(mktemp -d "${TMPDIR:-/tmp}/casebook-deploy.XXXXXX")
pid_a='' pid_b='' pid_nginx='' pid_load='' pid_llng=''
passed=0

stop() { # stop PID: SIGTERM, up to 30 s, then SIGKILL
    local pid=$1 i
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
stop_llng() { # LemonLDAP::NG's FastCGI manager stops its workers on SIGTERM; any left are stopped too
    local workers
    [ -n "$pid_llng" ] || return 0
    workers=$(ps -o pid= --ppid "$pid_llng" 2>/dev/null || true)
    stop "$pid_llng"
    for pid in $workers; do stop "$pid"; done
    pid_llng=
}
show_logs() {
    local f
    for f in "$work"/replica-a.log "$work"/replica-b.log "$work"/nginx/error.log \
        "$work"/nginx/casebook.access.log "$work"/nginx/casebook.error.log "$work"/push.log \
        "$work"/llng.log "$work"/nginx/portal.access.log; do
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
    stop_llng
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

# --- nginx and LemonLDAP::NG ----------------------------------------------------------------------
mkdir -p "$work/nginx/tmp" "$work/nginx/snippets" "$work/llng/conf" "$work/llng/run" \
    "$work/llng/sessions/lock" "$work/llng/psessions/lock" "$work/llng/cache"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=casebook.example.org -addext subjectAltName=DNS:casebook.example.org,DNS:auth.example.org \
    -keyout "$work/nginx/privkey.pem" -out "$work/nginx/fullchain.pem" 2>/dev/null
[ -r /etc/nginx/fastcgi_params ] || fail "no /etc/nginx/fastcgi_params (Debian's nginx-common)"
cp /etc/nginx/fastcgi_params "$work/nginx/fastcgi_params"
llng_socket=$work/llng/run/llng.sock
if [ "$(id -u)" = 0 ]; then
    # nginx's workers and LemonLDAP::NG drop to nobody, as the system's drop to www-data; they
    # must reach their folders under this one.
    chmod 711 "$work"
    run_as="user nobody $(id -gn nobody);"
    llng_as=(-u nobody -g "$(id -gn nobody)")
    chown -R "nobody:$(id -gn nobody)" "$work/llng"
else
    run_as=
    llng_as=()
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        port_free "$p" && echo "$p" && return
    done
}

# The files under test: deploy/nginx/casebook.conf and the sign-on file it includes, with their
# placeholders replaced. Each replacement must have happened, so a change to a shipped file
# cannot silently leave this test running something else.
make_site() {
    local src=$root/deploy/nginx/casebook.conf dst=$work/nginx/casebook.conf placeholder
    for placeholder in 'listen 80;' 'listen 443 ssl' '/etc/ssl/casebook/fullchain.pem' \
        '/etc/ssl/casebook/privkey.pem' '/var/log/nginx/' 'server 127.0.0.1:8080 ' \
        'server 127.0.0.1:8081 ' 'listen [::]:' 'include snippets/casebook-sso.conf;'; do
        grep -qF "$placeholder" "$src" || fail "deploy/nginx/casebook.conf no longer has '$placeholder'"
    done
    sed -e "s#listen 80;#listen 127.0.0.1:$http_port;#" \
        -e "s#listen 443 ssl#listen 127.0.0.1:$https_port ssl#" \
        -e '/listen \[::\]:/d' \
        -e "s#/etc/ssl/casebook/#$work/nginx/#" \
        -e "s#/var/log/nginx/#$work/nginx/#" \
        -e "s#server 127.0.0.1:8080 #server $addr_a #" \
        -e "s#server 127.0.0.1:8081 #server $addr_b #" \
        "$src" >"$dst"
    if sed 's/#.*//' "$dst" | grep -nE '/etc/|/var/|127\.0\.0\.1:(8080|8081)\b|\[::\]|listen (80|443)\b'; then
        fail "placeholders left in the generated site file (above; comments aside)"
    fi
    src=$root/deploy/nginx/casebook-sso-lemonldap-ng.conf
    dst=$work/nginx/snippets/casebook-sso.conf
    placeholder=unix:/run/llng-fastcgi-server/llng-fastcgi.sock
    grep -qF "$placeholder" "$src" || fail "${src#"$root"/} no longer has '$placeholder'"
    sed "s#$placeholder#unix:$llng_socket#" "$src" >"$dst"
    if sed 's/#.*//' "$dst" | grep -n '/run/llng-fastcgi-server'; then fail "the LemonLDAP::NG socket was not replaced (above)"; fi
}

make_conf() { # make_conf DIR: nginx.conf in DIR around DIR/casebook.conf
    cat >"$1/nginx.conf" <<CONF
# Generated by tests/deploy/nginx_replicas.sh: a private nginx around the shipped site file.
$run_as
worker_processes 1;
pid $1/nginx.pid;
error_log $work/nginx/error.log notice;
events { worker_connections 512; }
http {
    client_body_temp_path $work/nginx/tmp/body;
    proxy_temp_path $work/nginx/tmp/proxy;
    fastcgi_temp_path $work/nginx/tmp/fastcgi;
    uwsgi_temp_path $work/nginx/tmp/uwsgi;
    scgi_temp_path $work/nginx/tmp/scgi;
    access_log $work/nginx/other.access.log;

    # LemonLDAP::NG's portal (its sign-in pages) on its own host name, as Debian's
    # /etc/lemonldap-ng/portal-nginx.conf serves it. It stands in for the organisation's.
    server {
        listen 127.0.0.1:$https_port ssl http2;
        server_name auth.example.org;
        ssl_certificate $work/nginx/fullchain.pem;
        ssl_certificate_key $work/nginx/privkey.pem;
        access_log $work/nginx/portal.access.log;
        root /usr/share/lemonldap-ng/portal/htdocs/;
        if (\$uri !~ ^/((static|javascript|favicon).*|.*\.psgi)) {
            rewrite ^/(.*)\$ /index.psgi/\$1 break;
        }
        location ~ ^(?<sc>/.*\.psgi)(?:\$|/) {
            include fastcgi_params;
            fastcgi_pass unix:$llng_socket;
            fastcgi_param HTTP_HOST \$host;
            fastcgi_param LLTYPE psgi;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            fastcgi_split_path_info ^(.*\.psgi)(/.*)\$;
            fastcgi_param PATH_INFO \$fastcgi_path_info;
        }
        location /static/ { alias /usr/share/lemonldap-ng/portal/htdocs/static/; }
    }

    # The site under test.
    include $1/casebook.conf;
}
CONF
}

nginx_args=(-p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log")
echo "== starting nginx ($nginx)"
for _ in 1 2 3; do
    http_port=$(pick_port)
    https_port=$(pick_port)
    [ "$http_port" != "$https_port" ] || continue
    make_site
    make_conf "$work/nginx"
    "$nginx" "${nginx_args[@]}" -t -q || fail "nginx -t rejects the configuration"
    "$nginx" "${nginx_args[@]}" -g 'daemon off;' &
    pid_nginx=$!
    code=
    end=$((SECONDS + 60))
    while kill -0 "$pid_nginx" 2>/dev/null && [ "$SECONDS" -lt "$end" ]; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'Host: casebook.example.org' \
            "http://127.0.0.1:$http_port/" || true)
        [ "$code" = 301 ] && break
        sleep 0.25
    done
    [ "$code" = 301 ] && break
    if kill -0 "$pid_nginx" 2>/dev/null; then fail "nginx did not answer within 60 s"; fi
    rc=0
    wait "$pid_nginx" || rc=$?
    pid_nginx=
    grep -q 'Address already in use' "$work/nginx/error.log" || fail "nginx exited ($rc)"
    echo "   a port was taken meanwhile; again with others"
done
[ -n "$pid_nginx" ] || fail "nginx could not start"
ok "nginx runs deploy/nginx/casebook.conf with casebook-sso-lemonldap-ng.conf (nginx -t passes) on 127.0.0.1:$https_port"

# The oauth2-proxy file: nginx accepts it in place of the other (oauth2-proxy itself is not run).
mkdir "$work/nginx-oauth2" "$work/nginx-oauth2/snippets"
cp "$work/nginx/casebook.conf" "$work/nginx/fastcgi_params" "$work/nginx-oauth2/"
cp "$root/deploy/nginx/casebook-sso-oauth2-proxy.conf" "$work/nginx-oauth2/snippets/casebook-sso.conf"
make_conf "$work/nginx-oauth2"
"$nginx" -p "$work/nginx-oauth2/" -c "$work/nginx-oauth2/nginx.conf" -e "$work/nginx/error.log" -t -q ||
    fail "nginx -t rejects the site with casebook-sso-oauth2-proxy.conf"
ok "nginx -t accepts the site with casebook-sso-oauth2-proxy.conf instead (syntax only)"

# LemonLDAP::NG: its FastCGI server (handler and portal) with a configuration of its own in
# $work/llng: the portal on the test's port, the session cookie for example.org (HTTPS only),
# the Demo user store, and the access rule for casebook.example.org (dwho and rtyler).
# handlerInternalCache 0: the handler does not keep the last session it read in memory (15 s by
# default), so a session ends at the handler the moment the user signs out.
site=https://casebook.example.org:$https_port
portal=https://auth.example.org:$https_port
cat >"$work/llng/lemonldap-ng.ini" <<INI
[all]
logLevel = notice
checkTime = 1
[configuration]
type = File
dirName = $work/llng/conf
[portal]
staticPrefix = /static
templateDir = /usr/share/lemonldap-ng/portal/templates
languages = en
[handler]
status = 0
useRedirectOnError = 1
INI
cat >"$work/llng/conf/lmConf-1.json" <<JSON
{
  "cfgNum": 1, "cfgAuthor": "tests/deploy/nginx_replicas.sh", "cfgDate": "$(date +%s)",
  "cfgVersion": "2.16.1", "key": "$(openssl rand -hex 16)",
  "portal": "$portal/", "domain": "example.org", "cookieName": "lemonldap",
  "securedCookie": 1, "httpOnly": 1, "timeout": 3600,
  "authentication": "Demo", "userDB": "Same", "passwordDB": "Demo",
  "demoExportedVars": { "uid": "uid", "cn": "cn", "mail": "mail" },
  "whatToTrace": "uid", "handlerInternalCache": 0,
  "locationRules": { "casebook.example.org": { "default": "\$uid eq 'dwho' or \$uid eq 'rtyler'" } },
  "exportedHeaders": { "casebook.example.org": {} },
  "globalStorage": "Apache::Session::File",
  "globalStorageOptions": { "Directory": "$work/llng/sessions", "LockDirectory": "$work/llng/sessions/lock" },
  "persistentStorage": "Apache::Session::File",
  "persistentStorageOptions": { "Directory": "$work/llng/psessions", "LockDirectory": "$work/llng/psessions/lock" },
  "localSessionStorage": "Cache::FileCache",
  "localSessionStorageOptions": { "cache_root": "$work/llng/cache", "namespace": "lemonldap-ng-sessions",
    "default_expires_in": 600, "directory_umask": "007", "cache_depth": 3 },
  "notification": 0, "loginHistoryEnabled": 0, "portalSkin": "bootstrap", "applicationList": {}
}
JSON
chmod -R a+rX "$work/llng/lemonldap-ng.ini" "$work/llng/conf"
echo "== starting LemonLDAP::NG ($llng)"
LLNG_DEFAULTCONFFILE=$work/llng/lemonldap-ng.ini LLNG_DEFAULTLOGGER=Lemonldap::NG::Common::Logger::Std \
    "$llng" --foreground "${llng_as[@]}" -n 2 -s "$llng_socket" -p "$work/llng/run/llng.pid" \
    >"$work/llng.log" 2>&1 &
pid_llng=$!
curl_site=(curl -sS --no-progress-meter --max-time 60 --cacert "$work/nginx/fullchain.pem"
    --resolve "casebook.example.org:$https_port:127.0.0.1" --resolve "auth.example.org:$https_port:127.0.0.1")
portal_up() {
    kill -0 "$pid_llng" 2>/dev/null || fail "LemonLDAP::NG exited while starting"
    [ "$("${curl_site[@]}" -o "$work/form.html" -w '%{http_code}' "$portal/" 2>/dev/null)" = 200 ] &&
        grep -q 'name="token"' "$work/form.html"
}
until_ok 60 "LemonLDAP::NG's portal shows its sign-in form" portal_up
ok "LemonLDAP::NG runs: the portal at $portal/ shows its sign-in form"
access_log=$work/nginx/casebook.access.log

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
# back_to URL: the address the portal will send the user back to, from the url= parameter of
# a redirect to the portal (base64, percent-encoded).
back_to() {
    local param=${1#*\?url=}
    param=${param%%&*}
    printf '%b' "${param//%/\\x}" | base64 -d
}
# to_portal NAME PATH CURL-ARGS...: nginx answers with a redirect to the portal, which will
# send the user back to PATH; no replica is asked.
to_portal() {
    local name=$1 path=$2 out line
    shift 2
    out=$("${curl_site[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "$@" "$site$path")
    case $out in "302 $portal/?url="*) ;; *) fail "$name: answered '$out', not a redirect to $portal/" ;; esac
    [ "$(back_to "${out#* }")" = "$site$path" ] || fail "$name: the portal would not send the user back to $path: $out"
    line=$(log_line "${path%%\?*}")
    case $line in *"$addr_a"* | *"$addr_b"*) fail "$name: nginx passed it to a replica: $line" ;; esac
    ok "$name: 302 to the portal (and back to $path after signing in); no replica asked"
}
to_portal "no session" /no-session/search
to_portal "a forged session cookie" /forged-cookie/search -b "lemonldap=$(openssl rand -hex 32)"
to_portal "only a forged X-Remote-User" /forged-only/search -H "X-Remote-User: dwho"
code=$("${curl_site[@]}" -o /dev/null -w '%{http_code}' "$site/lmauth")
[ "$code" = 404 ] || fail "/lmauth from outside answers $code, not 404"
ok "the auth_request check cannot be called from outside (404)"
for q in forgedname1 refusedsearch1 rtylersearch1 msmithsearch1; do
    if grep -h '^{' "$work"/replica-[ab].log | grep -qF "\"query\":\"$q\""; then
        fail "an audit line for '$q' exists before the search was made"
    fi
done
# Refused searches leave no audit line anywhere.
"${curl_site[@]}" -o /dev/null "$site/search?q=refusedsearch1"
"${curl_site[@]}" -o /dev/null -H "X-Remote-User: dwho" "$site/search?q=refusedsearch1"

# sign_in USER PASSWORD JAR PATH: what a browser does from PATH on the site: redirected to the
# portal, it gets the sign-in form (with its CSRF token) and posts it. Prints the post's answer:
# its status and where it redirects.
sign_in() {
    local user=$1 password=$2 jar=$3 path=$4 out token url
    out=$("${curl_site[@]}" -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' "$site$path")
    case $out in "302 $portal/?url="*) ;; *) fail "signing in as $user: $path answered '$out'" ;; esac
    "${curl_site[@]}" -c "$jar" -b "$jar" -o "$work/form.html" "${out#* }"
    token=$(sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' "$work/form.html" | head -n 1)
    url=$(sed -n 's/.*name="url" value="\([^"]*\)".*/\1/p' "$work/form.html" | head -n 1)
    if [ -z "$token" ] || [ -z "$url" ]; then fail "signing in as $user: the portal's form has no token or url"; fi
    "${curl_site[@]}" -c "$jar" -b "$jar" -o "$work/signed-in.html" -w '%{http_code} %{redirect_url}' \
        --data-urlencode "user=$user" --data-urlencode "password=$password" \
        --data-urlencode "token=$token" --data-urlencode "url=$url" "$portal/"
}
session_cookie() { awk -F'\t' '$6 == "lemonldap" { print $7 }' "$1"; } # session_cookie JAR

out=$(sign_in dwho not-the-password "$work/jar-wrong" /search?q=wrongpassword1)
case $out in 302*) fail "a wrong password signed in: $out" ;; esac
[ -z "$(session_cookie "$work/jar-wrong")" ] || fail "a wrong password got a session cookie"
to_portal "after a wrong password" /wrong-password/search -b "$work/jar-wrong"

jar=$work/jar-dwho
out=$(sign_in dwho dwho "$jar" "/search?q=signin1")
[ "$out" = "302 $site/search?q=signin1" ] || fail "signing in as dwho answered '$out', not a redirect back to the search"
[ -n "$(session_cookie "$jar")" ] || fail "signing in as dwho set no session cookie"
code=$("${curl_site[@]}" -b "$jar" -o /dev/null -w '%{http_code}' "$site/search?q=signin1")
[ "$code" = 200 ] || fail "back from the portal, the search answered $code, not 200"
ok "signing in as dwho through the portal's form sets a session cookie and leads back to the search (200)"
session=(-b "$jar")

head -c 17000 /dev/zero | tr '\0' a >"$work/big-body"
code=$("${curl_site[@]}" -o /dev/null -w '%{http_code}' "${session[@]}" --data-binary "@$work/big-body" "$site/search")
[ "$code" = 413 ] || fail "a 17 kB body answers $code, not 413"
ok "a body over 16 KiB is refused by nginx (413)"

# Signed in, with a forged identity header (twice, which Casebook alone would refuse): nginx
# replaces it with the name from the sign-on.
out=$("${curl_site[@]}" -D "$work/headers" -o "$work/body" -w '%{http_code}' "${session[@]}" \
    -H "X-Remote-User: mallory" -H "X-Remote-User: eve" "$site/search?q=forgedname1")
[ "$out" = 200 ] || fail "a signed-in search answers $out, not 200: $(head -c 300 "$work/body")"
commit=$(sed -n 's/^[Cc]asebook-[Cc]ommit: *\([0-9a-f]*\).*/\1/p' "$work/headers")
[ "$commit" = "$first" ] || fail "the answer's Casebook-Commit is '$commit', not $first"
hsts=$(grep -ci '^strict-transport-security:' "$work/headers" || true)
[ "$hsts" = 1 ] || fail "the answer carries $hsts Strict-Transport-Security headers, not 1"
ok "signed in: 200 from Casebook (Casebook-Commit $commit, HSTS) despite two forged X-Remote-User headers"
audited() { grep -h '^{' "$work"/replica-[ab].log | grep -F "\"query\":\"$1\"" | grep -qF "\"user\":\"$2\""; }
until_ok 30 "the audit line for the search names dwho" audited forgedname1 dwho
if grep -h '^{' "$work"/replica-[ab].log | grep -E '"user":"(mallory|eve)"'; then
    fail "an audit line names the forged user (above)"
fi
ok "the replica's audit line for the search names dwho, never the forged names"

# msmith can sign in, but LemonLDAP::NG's access rule for casebook.example.org refuses him:
# the handler sends him to the portal's error page.
out=$(sign_in msmith msmith "$work/jar-msmith" "/search?q=msmithsearch1")
[ "$out" = "302 $site/search?q=msmithsearch1" ] || fail "signing in as msmith answered '$out'"
out=$("${curl_site[@]}" -b "$work/jar-msmith" -o /dev/null -w '%{http_code} %{redirect_url}' "$site/search?q=msmithsearch1")
case $out in
"403 "*) how="403 from nginx" ;;
"302 $portal/lmerror/403"*) how="302 to the portal's error page" ;;
*) fail "msmith's search answered '$out', not a refusal" ;;
esac
ok "msmith, signed in but refused by LemonLDAP::NG's access rule for Casebook: $how"

# rtyler: a second user; then signing out ends the session on the server, whatever the browser
# keeps (handlerInternalCache is 0 here, as deploy/README.md advises; see the configuration).
out=$(sign_in rtyler rtyler "$work/jar-rtyler" "/search?q=rtylersearch1")
[ "$out" = "302 $site/search?q=rtylersearch1" ] || fail "signing in as rtyler answered '$out'"
cookie=$(session_cookie "$work/jar-rtyler")
code=$("${curl_site[@]}" -b "lemonldap=$cookie" -o /dev/null -w '%{http_code}' "$site/search?q=rtylersearch1")
[ "$code" = 200 ] || fail "rtyler's search answered $code, not 200"
until_ok 30 "the audit line for rtyler's search names rtyler" audited rtylersearch1 rtyler
ok "a second user, rtyler, reaches Casebook under his own name in the audit line"
"${curl_site[@]}" -b "lemonldap=$cookie" -o /dev/null "$portal/?logout=1"
to_portal "rtyler's session cookie after signing out" /signed-out/search -b "lemonldap=$cookie"

if grep -h '^{' "$work"/replica-[ab].log | grep -E 'refusedsearch1|msmithsearch1|wrongpassword1|"user":"msmith"'; then
    fail "a request refused at sign-on reached a replica (above)"
fi
ok "requests refused at sign-on (no session, wrong password, msmith) left no audit line"
signed_in=$(grep -F '"GET /search HTTP/' "$access_log" | grep -F ' 200 ' || true)
[ -n "$signed_in" ] || fail "nginx's access log has no answered search"
grep -vE 'user=(dwho|rtyler) ' <<<"$signed_in" && fail "an answered search is logged without its user (above)"
ok "nginx's access log names the signed-in user on every answered search"
if grep -qE 'forgedname1|refusedsearch1|rtylersearch1' "$access_log"; then
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
    out=$("${curl_site[@]}" "${session[@]}" "$site/api/search?q=quillhaven")
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
        "${curl_site[@]}" -Z --parallel-max 3 "${session[@]}" -w '%{http_code}\n' -K "$work/batch.cfg" \
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
"${curl_site[@]}" "${session[@]}" -w '%{http_code}\n' -K "$work/urls-after.cfg" >"$work/codes-after" || true
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
