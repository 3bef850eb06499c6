#!/usr/bin/env bash
# POP3 interoperability checks, all on 127.0.0.1 high ports:
#
#   - the pop3-fetch example against Dovecot: USER/PASS, AUTH with PLAIN,
#     LOGIN, CRAM-MD5, SCRAM-SHA-1 and SCRAM-SHA-256, the strongest
#     mechanism by default, STLS and implicit TLS verified with --ca-file
#     (and refused without it), a wrong password, UIDL, TOP n 0, RETR into
#     --out DIR and into a Maildir, and --delete followed by a session that
#     finds the maildrop empty. Every fetched message is compared byte for
#     byte with its seed: the seeds are written with CRLF line endings, as
#     POP3 carries them, and include dot-leading lines, 8-bit UTF-8 text and
#     a message larger than one 16 KiB piece;
#   - Python's poplib against a server built from the mailwire-tokio POP3
#     front end (the ignored `poplib` test of crates/tokio/tests/pop3.rs,
#     which serves an in-memory maildrop): CAPA, USER/PASS, STAT, LIST,
#     UIDL, RETR byte for byte, TOP n 0, DELE then RSET, STLS, and DELE
#     then QUIT followed by a new session.
#
# Installs what is missing with apt-get (needs root then), starts its own
# Dovecot with the configuration kept in interop/pop3/ and a self-signed
# certificate made with openssl, and stops everything it started, even on
# failure. Ends with "pop3-interop: N passed, N failed"; the exit status is
# 1 on failure.
#
# Environment: POP3_INTEROP_PORT (default 21110; POP3S is 21995),
# POP3_INTEROP_KEEP=1 keeps the work directory, CARGO_TARGET_DIR.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CONF=$HERE/pop3
POP3_PORT=${POP3_INTEROP_PORT:-21110}
POP3S_PORT=$((POP3_PORT + 885))
MAIL_UID=65534
MAIL_GID=65534
USER_NAME=carol
PASSWORD=s3cret-pop3
T0=$(date +%s)

passed=0
failed=0
failures=()
WORK=
made_policy=
dovecot_started=

log() { printf 'pop3-interop: %s\n' "$*"; }

stop_dovecot() {
    [[ -n $dovecot_started ]] || return 0
    local pid
    pid=$(tr -dc '0-9' <"$WORK/dovecot/run/master.pid" 2>/dev/null)
    doveadm -c "$WORK/dovecot/dovecot.conf" stop >/dev/null 2>&1 ||
        { [[ -n $pid ]] && kill "$pid" 2>/dev/null; }
    # Bounded wait for the master to exit.
    local _
    for _ in $(seq 100); do
        [[ -n $pid && -e /proc/$pid ]] || break
        sleep 0.1
    done
    dovecot_started=
}

cleanup() {
    stop_dovecot
    [[ -n $made_policy ]] && rm -f /usr/sbin/policy-rc.d
    if [[ -n $WORK && -d $WORK ]]; then
        if [[ ${POP3_INTEROP_KEEP:-0} == 1 ]]; then
            log "work directory kept: $WORK"
        else
            rm -rf "$WORK"
        fi
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() {
    passed=$((passed + 1))
    log "ok   $1"
}

fail() {
    failed=$((failed + 1))
    failures+=("$1")
    log "FAIL $1${2:+: $2}"
}

# check NAME COMMAND...: runs the command (a function) and counts the result.
check() {
    local name=$1
    shift
    local out
    if out=$("$@" 2>&1); then
        pass "$name"
    else
        fail "$name" "$(printf '%s' "$out" | tail -n 8)"
    fi
}

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_port() { # PORT: up to 20 s
    local _
    for _ in $(seq 200); do
        port_open "$1" && return 0
        sleep 0.1
    done
    return 1
}

# ----- installation -----------------------------------------------------------------------

install_missing() {
    local pkgs=(dovecot-core dovecot-pop3d openssl python3)
    local missing=() p
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
            missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    if [[ $(id -u) != 0 ]]; then
        log "must run as root to install ${missing[*]}"
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Package scripts would start system services on the standard ports.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        made_policy=1
    fi
    log "installing ${missing[*]}"
    timeout 600 apt-get update -q >/dev/null &&
        timeout 900 apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

render() { # TEMPLATE OUTPUT
    sed -e "s|@WORK@|$WORK|g" -e "s|@MAIL_UID@|$MAIL_UID|g" -e "s|@MAIL_GID@|$MAIL_GID|g" \
        -e "s|@POP3_PORT@|$POP3_PORT|g" -e "s|@POP3S_PORT@|$POP3S_PORT|g" "$1" >"$2"
}

make_certificate() {
    mkdir -p "$WORK/tls"
    # An end-entity certificate (not a CA), trusted as itself through --ca-file.
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -addext "basicConstraints=critical,CA:FALSE" -addext "extendedKeyUsage=serverAuth" \
        -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" >/dev/null 2>&1
}

# Wipes carol's maildir and seeds it again (Dovecot's indexes included).
seed() {
    rm -rf "$WORK/mail/$USER_NAME" "$WORK/expected"
    python3 -B "$CONF/seed.py" "$WORK/mail/$USER_NAME/Maildir" "$WORK/expected" >/dev/null &&
        chown -R "$MAIL_UID:$MAIL_GID" "$WORK/mail/$USER_NAME"
}

start_dovecot() {
    local cfg=$WORK/dovecot
    mkdir -p "$cfg/run" "$cfg/state"
    render "$CONF/dovecot.conf" "$cfg/dovecot.conf"
    render "$CONF/users" "$cfg/users"
    chmod 644 "$cfg/users"
    local port
    for port in "$POP3_PORT" "$POP3S_PORT"; do
        if port_open "$port"; then
            log "port $port is in use"
            return 1
        fi
    done
    dovecot_started=1
    timeout 60 dovecot -c "$cfg/dovecot.conf" >>"$WORK/logs/dovecot.stderr" 2>&1 </dev/null &&
        wait_port "$POP3_PORT" && wait_port "$POP3S_PORT"
}

# ----- checks ---------------------------------------------------------------------------

# The sorted SHA-256 sums of the files in a folder: equal lists mean the
# same messages byte for byte.
sums() {
    find "$1" -type f ! -name '.*' -exec sha256sum {} + | cut -d' ' -f1 | sort
}

same_messages() { # DIR EXPECTED_DIR
    local got want
    got=$(sums "$1")
    want=$(sums "$2")
    if [[ $got != "$want" ]]; then
        echo "fetched messages differ from the seeds"
        diff <(echo "$want") <(echo "$got") | head -n 10
        return 1
    fi
}

fetch() { # OUT_NAME ARGS...: pop3-fetch into $WORK/out/OUT_NAME
    local out=$WORK/out/$1
    shift
    rm -rf "$out"
    timeout 60 "$FETCH" --server "127.0.0.1:$POP3_PORT" --user "$USER_NAME" --pass "$PASSWORD" \
        --out "$out" "$@"
}

fetch_compare() { # OUT_NAME ARGS...
    local name=$1
    fetch "$@" >"$WORK/out-$name.txt" 2>"$WORK/out-$name.err" || {
        cat "$WORK/out-$name.err"
        return 1
    }
    cat "$WORK/out-$name.err"
    [[ $(wc -l <"$WORK/out-$name.txt") == 5 ]] || {
        echo "expected 5 lines:"
        cat "$WORK/out-$name.txt"
        return 1
    }
    same_messages "$WORK/out/$name" "$WORK/expected/retr"
}

check_user_pass() {
    fetch_compare user --mech USER && grep -q 'USER/PASS' "$WORK/out-user.err"
}

check_mechanism() { # NAME
    fetch_compare "mech-$1" --mech "$1" && grep -q "AUTH $1:" "$WORK/out-mech-$1.err"
}

check_strongest() {
    fetch_compare strongest && grep -q 'AUTH SCRAM-SHA-256:' "$WORK/out-strongest.err"
}

check_uidl() {
    # Files are named by unique-id; the printed lines are NUMBER UIDL OCTETS PATH.
    local number uid octets path
    while read -r number uid octets path; do
        [[ $path == "$WORK/out/user/$uid" ]] || { echo "line: $number $uid $path"; return 1; }
        [[ $(stat -c %s "$path") == "$octets" ]] || { echo "size of $path"; return 1; }
    done <"$WORK/out-user.txt"
    [[ $(cut -d' ' -f2 "$WORK/out-user.txt" | sort -u | wc -l) == 5 ]]
}

check_stls() {
    fetch_compare stls --stls --ca-file "$WORK/tls/cert.pem" --mech PLAIN &&
        grep -q 'TLS' "$WORK/out-stls.err"
}

check_implicit_tls() {
    local out=$WORK/out/tls
    rm -rf "$out"
    timeout 60 "$FETCH" --server "localhost:$POP3S_PORT" --tls --ca-file "$WORK/tls/cert.pem" \
        --user "$USER_NAME" --pass "$PASSWORD" --mech USER --out "$out" >"$WORK/out-tls.txt" || return 1
    same_messages "$out" "$WORK/expected/retr"
}

check_unverified_refused() {
    # The self-signed certificate is in no trust store: both must fail, on
    # the certificate.
    local out
    if out=$(fetch unverified --stls --mech USER 2>&1) || [[ $out != *certificate* ]]; then
        echo "STLS without --ca-file: $out"
        return 1
    fi
    if out=$(timeout 60 "$FETCH" --server "127.0.0.1:$POP3S_PORT" --tls --user "$USER_NAME" \
        --pass "$PASSWORD" 2>&1) || [[ $out != *certificate* ]]; then
        echo "implicit TLS without --ca-file: $out"
        return 1
    fi
}

check_wrong_password() {
    local status=0
    timeout 60 "$FETCH" --server "127.0.0.1:$POP3_PORT" --user "$USER_NAME" --pass wrong \
        --mech SCRAM-SHA-256 >/dev/null 2>&1 || status=$?
    [[ $status == 3 ]] || { echo "exit status $status, not 3"; return 1; }
    status=0
    timeout 60 "$FETCH" --server "127.0.0.1:$POP3_PORT" --user "$USER_NAME" --pass wrong \
        --mech USER >/dev/null 2>&1 || status=$?
    [[ $status == 3 ]] || { echo "USER/PASS: exit status $status, not 3"; return 1; }
}

check_top() {
    fetch top0 --mech USER --top 0 >/dev/null || return 1
    same_messages "$WORK/out/top0" "$WORK/expected/top0"
}

check_maildir() {
    local out=$WORK/out/maildir
    rm -rf "$out"
    mkdir -p "$out/cur" "$out/new" "$out/tmp"
    timeout 60 "$FETCH" --server "127.0.0.1:$POP3_PORT" --user "$USER_NAME" --pass "$PASSWORD" \
        --out "$out" >/dev/null || return 1
    [[ -z $(ls -A "$out/tmp") ]] || { echo "tmp/ is not empty"; return 1; }
    same_messages "$out/new" "$WORK/expected/retr"
}

check_delete() {
    fetch_compare delete --delete --mech CRAM-MD5 || return 1
    local out
    out=$(fetch after-delete --mech USER 2>&1) || { echo "$out"; return 1; }
    [[ $out == *": 0 messages, 0 octets"* ]] || { echo "$out"; return 1; }
    [[ -z $(ls -A "$WORK/out/after-delete") ]] || { echo "messages left"; return 1; }
}

check_poplib() {
    # The test serves its own maildrop on a loopback port it picks.
    # --workspace: the features of `cargo test --workspace`, so CI reuses its build.
    (cd "$ROOT" && timeout 900 cargo test -q --workspace --test pop3 \
        -- --ignored --exact tls::poplib --nocapture)
}

# ----- main -----------------------------------------------------------------------------

main() {
    if ! install_missing; then
        fail "install" "apt-get failed"
        return
    fi
    WORK=$(mktemp -d /tmp/mailwire-pop3-interop.XXXXXX)
    chmod 755 "$WORK"
    mkdir -p "$WORK/logs" "$WORK/mail" "$WORK/out"
    chown "$MAIL_UID:$MAIL_GID" "$WORK/mail"

    log "building pop3-fetch"
    if ! (cd "$ROOT" && timeout 900 cargo build -q --workspace --example pop3-fetch); then
        fail "build" "cargo build --example pop3-fetch failed"
        return
    fi
    FETCH=${CARGO_TARGET_DIR:-$ROOT/target}/debug/examples/pop3-fetch
    make_certificate || { fail "certificate" "openssl failed"; return; }
    seed || { fail "seed" "seed.py failed"; return; }
    if ! start_dovecot; then
        fail "dovecot" "$(tail -n 5 "$WORK/logs/dovecot.log" "$WORK/logs/dovecot.stderr" 2>/dev/null)"
        return
    fi
    log "Dovecot on 127.0.0.1:$POP3_PORT (STLS) and :$POP3S_PORT (TLS)"

    check "pop3-fetch USER/PASS, RETR into --out, byte for byte" check_user_pass
    check "pop3-fetch UIDL names and sizes" check_uidl
    local mechanism
    for mechanism in PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256; do
        check "pop3-fetch AUTH $mechanism" check_mechanism "$mechanism"
    done
    check "pop3-fetch picks SCRAM-SHA-256 by default" check_strongest
    check "pop3-fetch STLS with --ca-file, AUTH PLAIN" check_stls
    check "pop3-fetch implicit TLS with --ca-file" check_implicit_tls
    check "pop3-fetch refuses an unverified certificate" check_unverified_refused
    check "pop3-fetch wrong password fails" check_wrong_password
    check "pop3-fetch TOP n 0" check_top
    check "pop3-fetch into a Maildir" check_maildir
    check "pop3-fetch --delete, then an empty maildrop" check_delete
    stop_dovecot
    check "poplib against the mailwire-tokio POP3 server" check_poplib
}

main
log "$passed passed, $failed failed in $(($(date +%s) - T0))s"
for f in "${failures[@]}"; do
    log "failed: $f"
done
((failed == 0))
