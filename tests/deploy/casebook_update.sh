#!/usr/bin/env bash
# Test of deploy/casebook-update (the fixed script the origin's post-receive hook runs as the
# clones' owner) and of the sudoers line that lets writers run it and nothing else. Git
# repositories in a temporary folder, removed at the end; no server is started.
#
# Checks, as whoever runs the test:
#   - the script brings every clone listed in its settings file forward to the origin;
#   - it refuses any argument (exit 2) and moves nothing;
#   - it refuses a settings file others may write, and a run as another user than CASEBOOK_USER;
#   - a hostile environment reaches neither git nor bash: for each of GIT_CONFIG_PARAMETERS,
#     GIT_CONFIG_COUNT/KEY/VALUE, GIT_CONFIG_GLOBAL, HOME, XDG_CONFIG_HOME, GIT_DIR,
#     GIT_EXEC_PATH, PATH (a fake git), GIT_TRACE, GIT_SSH_COMMAND, GIT_SSH, BASH_ENV, an
#     exported bash function and SHELLOPTS with PS4, the same environment is first shown to
#     run a command (a marker file appears) when given to plain git or bash, then given to
#     the script: it still updates the clones and no marker appears.
# As root (skipped, saying so, otherwise), with real sudo, a real sudoers file and two
# throwaway users (a service user owning the clones, a writer in a throwaway group; all
# removed at the end):
#   - a writer's push to main runs the hook, which runs the script through `sudo -n -u` and
#     brings the clones (owned by the service user) forward; a push to another branch is
#     reported to the writer and moves nothing;
#   - sudo refuses the writer any argument to the script, any other command as the service
#     user (git among them), the script as root, and every way of passing environment
#     (-E, --preserve-env, VAR=value);
#   - the allowed command run with a hostile environment updates the clones and runs nothing
#     else.
#
# Needs git and, for the sudo part, sudo (installed with apt-get when missing), useradd and
# runuser.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
started=$SECONDS

work=$(mktemp -d "${TMPDIR:-/tmp}/casebook-update.XXXXXX")
chmod 755 "$work" # the throwaway users must reach their files in here
passed=0
sudoers_file='' svc='' writer='' group=''

cleanup() {
    local rc=$?
    trap - EXIT
    set +e
    [ -z "$sudoers_file" ] || rm -f "$sudoers_file"
    [ -z "$writer" ] || userdel "$writer" 2>/dev/null
    [ -z "$svc" ] || { userdel "$svc" 2>/dev/null; groupdel "$svc" 2>/dev/null; }
    [ -z "$group" ] || groupdel "$group" 2>/dev/null
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

git_c=(git -c user.name="Casebook update test" -c user.email=update-test@example.org
    -c init.defaultBranch=main -c advice.detachedHead=false)

# --- An origin, two clones, the script installed with its settings file -----------------------
echo "== origin repository and two clones in $work"
mkdir "$work/seed" "$work/lib" "$work/etc" "$work/evil" "$work/markers"
chmod 1777 "$work/markers" # whoever an injected command runs as could create its marker
echo one >"$work/seed/page.md"
"${git_c[@]}" -C "$work/seed" init -q
"${git_c[@]}" -C "$work/seed" add page.md
"${git_c[@]}" -C "$work/seed" commit -q -m one
git clone -q --bare "$work/seed" "$work/origin.git"
git -C "$work/origin.git" config core.hooksPath "$work/origin.git/hooks" # whatever ~/.gitconfig says
for c in a b ctl editor; do git clone -q "$work/origin.git" "$work/clone-$c"; done
script=$work/lib/casebook-update
conf=$work/etc/update.conf

# install_script SOURCE DEST CONF: the shipped script with only its settings path replaced.
install_script() {
    grep -qx 'conf=/etc/casebook/update.conf' "$1" || fail "$1 no longer sets conf=/etc/casebook/update.conf"
    sed "s#^conf=/etc/casebook/update.conf\$#conf=$3#" "$1" >"$2.tmp"
    grep -qx "conf=$3" "$2.tmp" || fail "the settings path was not replaced in $2"
    chmod 0755 "$2.tmp"
    mv "$2.tmp" "$2"
}
install_script "$root/deploy/casebook-update" "$script" "$conf"
write_conf() { # write_conf FILE USER CLONE...
    local file=$1 user=$2 c
    shift 2
    {
        echo "# written by tests/deploy/casebook_update.sh"
        echo "CASEBOOK_BRANCH=main"
        echo "CASEBOOK_USER=$user"
        for c in "$@"; do echo "CASEBOOK_CLONE=$c"; done
    } >"$file"
    chmod 0644 "$file"
}
write_conf "$conf" "$(id -un)" "$work/clone-a" "$work/clone-b"

n=0
pending() { # pending: a new commit on the origin's main that the clones do not have yet
    n=$((n + 1))
    echo "change $n" >>"$work/clone-editor/page.md"
    "${git_c[@]}" -C "$work/clone-editor" commit -q -am "change $n"
    git -C "$work/clone-editor" push -q origin main
    git -C "$work/clone-editor" rev-parse HEAD
}
head_of() { git -c safe.directory='*' -C "$work/clone-$1" rev-parse HEAD; } # whoever owns it
clones_at() { [ "$(head_of a)" = "$1" ] && [ "$(head_of b)" = "$1" ]; }

# --- The script's own behaviour ------------------------------------------------------------------
sha=$(pending)
out=$("$script" 2>&1) || fail "the script failed: $out"
clones_at "$sha" || fail "the clones are not at $sha after the script: $out"
grep -qF "casebook: $work/clone-a is at ${sha:0:7}" <<<"$out" || fail "no report for clone a: $out"
grep -qF "casebook: $work/clone-b is at ${sha:0:7}" <<<"$out" || fail "no report for clone b: $out"
ok "the script brings both clones forward and reports each"

refused() { # refused DESCRIPTION EXPECTED-MESSAGE COMMAND...: exit 2 and nothing moved
    local what=$1 msg=$2 rc=0 before
    shift 2
    before=$(head_of a)
    out=$("$@" 2>&1) || rc=$?
    [ "$rc" = 2 ] || fail "$what: exit $rc, not 2: $out"
    grep -qF -- "$msg" <<<"$out" || fail "$what: the message does not say '$msg': $out"
    clones_at "$before" || fail "$what: a clone moved"
}
mkdir -p "$work/evil/hooks-args"
printf '#!/bin/sh\ntouch %s\n' "$work/markers/args" >"$work/evil/hooks-args/reference-transaction"
chmod 755 "$work/evil/hooks-args/reference-transaction"
sha=$(pending)
for arg in x --help "-c" "core.hooksPath=$work/evil/hooks-args"; do
    refused "argument '$arg'" "takes no arguments" "$script" "$arg"
done
refused "arguments -c core.hooksPath=…" "takes no arguments" "$script" -c "core.hooksPath=$work/evil/hooks-args"
[ ! -e "$work/markers/args" ] || fail "an argument ran a command"
ok "the script refuses any argument (exit 2) and moves nothing"

chmod 0664 "$conf"
refused "a group-writable settings file" "writable by its owner only" "$script"
chmod 0644 "$conf"
write_conf "$conf" nobody-such-user "$work/clone-a" "$work/clone-b"
refused "another CASEBOOK_USER" "runs as nobody-such-user" "$script"
write_conf "$conf" "$(id -un)" "$work/clone-a" "$work/clone-b"
ok "the script refuses a settings file others may write, and a run as another user"
"$script" >/dev/null 2>&1 || fail "the script failed after the refusals"
clones_at "$sha" || fail "the clones are not at $sha"

# --- A hostile environment -------------------------------------------------------------------------
# evil_hooks DIR MARKER: hooks that git runs on a fetch or a merge, each creating MARKER.
evil_hooks() {
    local h
    mkdir -p "$1"
    for h in reference-transaction post-merge post-checkout post-rewrite; do
        printf '#!/bin/sh\ntouch %s\n' "$2" >"$1/$h"
        chmod 755 "$1/$h"
    done
}
# What each environment is shown to subvert: a naive update (plain git in a scratch clone), or
# plain bash running git.
naive_git="git -C '$work/clone-ctl' fetch -q origin && git -C '$work/clone-ctl' merge --ff-only -q origin/main"
naive_bash="git --version"
# hostile NAME git|bash VAR=VALUE...: with that environment, the naive git or bash command
# creates the marker $work/markers/NAME; the script with it creates nothing and still works.
hostile() {
    local name=$1 kind=$2 marker=$work/markers/$1 rc=0 sha out control
    shift 2
    case $kind in git) control=$naive_git ;; *) control=$naive_bash ;; esac
    sha=$(pending)
    env "$@" /bin/bash -c "$control" >/dev/null 2>&1 || true
    [ -e "$marker" ] || fail "$name: plain $kind with $* created no marker, so this case tests nothing"
    rm -f "$marker"
    out=$(env "$@" "$script" 2>&1) || rc=$?
    [ ! -e "$marker" ] || fail "$name: the script ran an injected command ($*)"
    [ "$rc" = 0 ] || fail "$name: the script failed ($rc): $out"
    clones_at "$sha" || fail "$name: the clones are not at $sha: $out"
    ok "$name: runs a command through plain $kind, not through the script (clones updated, no marker)"
}
m=$work/markers
evil_hooks "$work/evil/hooks-params" "$m/config-parameters"
hostile config-parameters git "GIT_CONFIG_PARAMETERS='core.hookspath'='$work/evil/hooks-params'"
evil_hooks "$work/evil/hooks-count" "$m/config-count"
hostile config-count git GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath \
    "GIT_CONFIG_VALUE_0=$work/evil/hooks-count"
evil_hooks "$work/evil/hooks-global" "$m/config-global"
printf '[core]\n\thooksPath = %s\n' "$work/evil/hooks-global" >"$work/evil/gitconfig-global"
hostile config-global git "GIT_CONFIG_GLOBAL=$work/evil/gitconfig-global"
evil_hooks "$work/evil/hooks-home" "$m/home"
mkdir -p "$work/evil/home"
printf '[core]\n\thooksPath = %s\n' "$work/evil/hooks-home" >"$work/evil/home/.gitconfig"
hostile home git "HOME=$work/evil/home"
evil_hooks "$work/evil/hooks-xdg" "$m/xdg-config-home"
mkdir -p "$work/evil/xdg/git"
printf '[core]\n\thooksPath = %s\n' "$work/evil/hooks-xdg" >"$work/evil/xdg/git/config"
hostile xdg-config-home git "XDG_CONFIG_HOME=$work/evil/xdg"
git clone -q "$work/origin.git" "$work/evil/repo"
evil_hooks "$work/evil/repo/.git/hooks" "$m/git-dir"
hostile git-dir git "GIT_DIR=$work/evil/repo/.git"
mkdir -p "$work/evil/exec"
printf '#!/bin/sh\ntouch %s\nexit 1\n' "$m/git-exec-path" >"$work/evil/exec/git-upload-pack"
chmod 755 "$work/evil/exec/git-upload-pack"
hostile git-exec-path git "GIT_EXEC_PATH=$work/evil/exec"
mkdir -p "$work/evil/bin"
for cmd in git id getent cut stat flock; do
    printf '#!/bin/sh\ntouch %s\nexit 1\n' "$m/path" >"$work/evil/bin/$cmd"
    chmod 755 "$work/evil/bin/$cmd"
done
hostile path bash "PATH=$work/evil/bin:$PATH"
hostile git-trace git "GIT_TRACE=$m/git-trace"
printf 'touch %s\n' "$m/bash-env" >"$work/evil/bash-env.sh"
hostile bash-env bash "BASH_ENV=$work/evil/bash-env.sh"
hostile exported-function bash "BASH_FUNC_git%%=() { touch $m/exported-function; }"
# bash ignores PS4 from the environment when it runs as root; as root this case is tried below,
# as the service user.
if [ "$(id -u)" != 0 ]; then
    hostile shellopts-ps4 bash SHELLOPTS=xtrace "PS4=\$(touch $m/shellopts-ps4)"
fi

# GIT_SSH_COMMAND and GIT_SSH only matter for an origin reached over SSH: a clone whose origin
# is ssh://127.0.0.1:1/ (nothing listens there, so a real ssh fails at once), with a settings
# file and a copy of the script of its own. The script must fail to fetch (exit 1), not run
# the command.
git clone -q "$work/origin.git" "$work/clone-ssh"
git -C "$work/clone-ssh" remote set-url origin ssh://127.0.0.1:1/origin.git
install_script "$root/deploy/casebook-update" "$work/lib/casebook-update-ssh" "$work/etc/update-ssh.conf"
write_conf "$work/etc/update-ssh.conf" "$(id -un)" "$work/clone-ssh"
for var in GIT_SSH_COMMAND GIT_SSH; do
    marker=$m/$var
    printf '#!/bin/sh\ntouch %s\nexit 1\n' "$marker" >"$work/evil/$var"
    chmod 755 "$work/evil/$var"
    (export "$var=$work/evil/$var" && git -C "$work/clone-ssh" fetch -q origin) >/dev/null 2>&1 || true
    [ -e "$marker" ] || fail "$var: the control created no marker"
    rm -f "$marker"
    rc=0
    out=$(env "$var=$work/evil/$var" "$work/lib/casebook-update-ssh" 2>&1) || rc=$?
    [ ! -e "$marker" ] || fail "$var: the script ran it"
    [ "$rc" = 1 ] || fail "$var: the script exited $rc, not 1 (a failed fetch): $out"
    ok "$var: reaches plain git fetch over ssh, not the script (it runs the real ssh, which fails)"
done

# --- Real sudo, a real sudoers file, throwaway users ------------------------------------------------
if [ "$(id -u)" != 0 ]; then
    echo "skipped: sudo with a sudoers file and throwaway users needs root (run this test as root)"
    echo "update: $passed passed, 0 failed"
    exit 0
fi
if ! command -v sudo >/dev/null || ! command -v visudo >/dev/null; then
    echo "== installing sudo (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sudo >/dev/null
fi
grep -qE '^[@#]includedir /etc/sudoers.d' /etc/sudoers || fail "/etc/sudoers does not read /etc/sudoers.d"
for cmd in useradd userdel groupadd runuser visudo; do
    command -v "$cmd" >/dev/null || fail "needs $cmd"
done

tag=cbt$$
svc=${tag}svc
writer=${tag}wr
group=${tag}w
echo "== throwaway users $svc (owns the clones) and $writer (group $group, may push)"
groupadd "$group"
useradd --system --user-group --home-dir "$work/home-svc" --create-home --shell /usr/sbin/nologin "$svc"
useradd --system --no-user-group --gid "$group" --home-dir "$work/home-writer" --create-home \
    --shell /bin/sh "$writer"
# The origin: shared by the writers' group. git refuses a repository owned by someone else
# unless trusted; the guide trusts the origin system-wide (git config --system); here each
# user's own global config does it, to leave the system's untouched.
chgrp -R "$group" "$work/origin.git"
git -C "$work/origin.git" config core.sharedRepository group
chmod -R g+rwX "$work/origin.git"
find "$work/origin.git" -type d -exec chmod g+s {} +
runuser -u "$svc" -- env -i HOME="$work/home-svc" PATH=/usr/bin:/bin \
    git config --global --add safe.directory "$work/origin.git"
runuser -u "$writer" -- env -i HOME="$work/home-writer" PATH=/usr/bin:/bin \
    git config --global --add safe.directory "$work/origin.git"
[ -f "$work/home-svc/.gitconfig" ] || fail "no .gitconfig in the service user's home"
chown -R "$svc:$svc" "$work/clone-a" "$work/clone-b"
write_conf "$conf" "$svc" "$work/clone-a" "$work/clone-b"

# The hook, with only its two paths replaced.
hook_src=$root/deploy/post-receive
grep -qx 'conf=/etc/casebook/update.conf' "$hook_src" || fail "deploy/post-receive no longer sets conf=/etc/casebook/update.conf"
grep -qx 'update=/usr/local/lib/casebook/casebook-update' "$hook_src" ||
    fail "deploy/post-receive no longer sets update=/usr/local/lib/casebook/casebook-update"
sed -e "s#^conf=/etc/casebook/update.conf\$#conf=$conf#" \
    -e "s#^update=/usr/local/lib/casebook/casebook-update\$#update=$script#" \
    "$hook_src" >"$work/origin.git/hooks/post-receive"
chmod 0755 "$work/origin.git/hooks/post-receive"

# The sudoers line of deploy/README.md, for these users and this copy of the script.
sudoers_file=/etc/sudoers.d/casebook-test-$tag
printf '%%%s ALL=(%s) NOPASSWD: %s ""\n' "$group" "$svc" "$script" >"$work/sudoers"
visudo -cqf "$work/sudoers" || fail "visudo rejects: $(cat "$work/sudoers")"
install -m 0440 "$work/sudoers" "$sudoers_file"
echo "   sudoers: $(cat "$sudoers_file")"

as_writer() { runuser -u "$writer" -- env -i PATH=/usr/bin:/bin HOME="$work/home-writer" LC_ALL=C "$@"; }
as_writer git clone -q "$work/origin.git" "$work/home-writer/editor"
wgit=(as_writer git -C "$work/home-writer/editor" -c user.name=Writer -c user.email=writer@example.org)

echo "$RANDOM" >>"$work/home-writer/editor/page.md"
"${wgit[@]}" commit -q -am "a writer's change"
sha=$("${wgit[@]}" rev-parse HEAD)
out=$("${wgit[@]}" push origin main 2>&1) || fail "the writer's push failed: $out"
clones_at "$sha" || fail "the writer's push did not bring the clones to $sha: $out"
grep -qF "casebook: $work/clone-a is at ${sha:0:7}" <<<"$out" || fail "the pusher was not told about clone a: $out"
[ "$(stat -c %U "$work/clone-a/.git/FETCH_HEAD")" = "$svc" ] || fail "clone a was not updated by $svc"
ok "a writer's push to main runs the update through sudo as $svc; both clones follow"

echo "$RANDOM" >>"$work/home-writer/editor/page.md"
"${wgit[@]}" commit -q -am "a change on master"
out=$("${wgit[@]}" push origin HEAD:refs/heads/master 2>&1) || fail "the push to master failed: $out"
grep -qF "casebook: ignored refs/heads/master: only main is published" <<<"$out" ||
    fail "the pusher was not told that master is ignored: $out"
clones_at "$sha" || fail "a push to master moved a clone"
ok "a writer's push to master is named to the writer as ignored and moves nothing"

# A commit on main the clones do not have, put in the origin without the hook (root fetches it).
root_pending() {
    n=$((n + 1))
    git -C "$work/clone-editor" fetch -q origin main
    git -C "$work/clone-editor" reset -q --hard origin/main
    echo "root change $n" >>"$work/clone-editor/page.md"
    "${git_c[@]}" -C "$work/clone-editor" commit -q -am "root change $n"
    git -C "$work/origin.git" fetch -q "$work/clone-editor" main:main
    git -C "$work/origin.git" rev-parse main
}
sha=$(root_pending)
before=$(head_of a)
evil_hooks "$work/evil/hooks-sudo" "$m/sudo"
hostile_env=("GIT_CONFIG_PARAMETERS='core.hookspath'='$work/evil/hooks-sudo'" "GIT_DIR=$work/evil/repo/.git")
# sudo_refused DESCRIPTION SUDO-ARGS...: the writer, with a hostile environment, asks sudo for
# SUDO-ARGS; sudo refuses, nothing moves, nothing injected runs.
sudo_refused() {
    local what=$1 rc=0
    shift
    out=$(as_writer env "${hostile_env[@]}" /usr/bin/sudo -n "$@" 2>&1) || rc=$?
    [ "$rc" != 0 ] || fail "sudo allowed $what: $out"
    grep -qiE 'not allowed|password is required' <<<"$out" || fail "$what: not refused by sudo: $out"
    clones_at "$before" || fail "$what: a clone moved"
    [ ! -e "$m/sudo" ] || fail "$what: an injected command ran"
    ok "sudo refuses $what ($(head -n 1 <<<"$out"))"
}
sudo_refused "an argument to the script" -u "$svc" "$script" x
sudo_refused "'-c core.hooksPath=…' to the script" -u "$svc" "$script" -c "core.hooksPath=$work/evil/hooks-sudo"
sudo_refused "git as $svc" -u "$svc" /usr/bin/git -C "$work/clone-a" --version
sudo_refused "a shell as $svc" -u "$svc" /bin/sh -c "touch $m/sudo"
sudo_refused "the script as root" -u root "$script"
sudo_refused "-E (keep the caller's environment)" -E -u "$svc" "$script"
sudo_refused "--preserve-env=GIT_CONFIG_PARAMETERS,GIT_DIR" --preserve-env=GIT_CONFIG_PARAMETERS,GIT_DIR -u "$svc" "$script"
sudo_refused "GIT_DIR=… on the command line" -u "$svc" "GIT_DIR=$work/evil/repo/.git" "$script"

# SHELLOPTS with PS4, as the service user itself (bash ignores PS4 from the environment of root).
sha=$(root_pending)
ps4=(SHELLOPTS=xtrace "PS4=\$(touch $m/shellopts-ps4)")
runuser -u "$svc" -- env -i PATH=/usr/bin:/bin "${ps4[@]}" /bin/bash -c 'git --version' >/dev/null 2>&1 || true
[ -e "$m/shellopts-ps4" ] || fail "shellopts-ps4: plain bash as $svc created no marker, so this case tests nothing"
rm -f "$m/shellopts-ps4"
out=$(runuser -u "$svc" -- env -i PATH=/usr/bin:/bin "${ps4[@]}" "$script" 2>&1) ||
    fail "shellopts-ps4: the script failed as $svc: $out"
[ ! -e "$m/shellopts-ps4" ] || fail "shellopts-ps4: the script ran an injected command"
clones_at "$sha" || fail "shellopts-ps4: the clones are not at $sha: $out"
ok "shellopts-ps4: runs a command through plain bash as $svc, not through the script (clones updated, no marker)"

sha=$(root_pending)
rc=0
out=$(as_writer env "GIT_CONFIG_PARAMETERS='core.hookspath'='$work/evil/hooks-sudo'" \
    "GIT_DIR=$work/evil/repo/.git" "PATH=$work/evil/bin:/usr/bin:/bin" "HOME=$work/evil/home" \
    "BASH_ENV=$work/evil/bash-env.sh" "BASH_FUNC_git%%=() { touch $m/sudo; }" \
    SHELLOPTS=xtrace "PS4=\$(touch $m/sudo)" "GIT_TRACE=$m/sudo" \
    /usr/bin/sudo -n -u "$svc" "$script" 2>&1) || rc=$?
[ "$rc" = 0 ] || fail "the allowed command with a hostile environment failed ($rc): $out"
clones_at "$sha" || fail "the allowed command with a hostile environment did not update the clones: $out"
for f in "$m"/*; do
    [ -e "$f" ] || continue
    fail "an injected command ran: $f exists"
done
ok "through sudo, the allowed command with a hostile environment updates the clones and runs nothing else"

echo "update: $passed passed, 0 failed"
