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
#     then QUIT followed by a new session;
#   - the mailserver example serving the Maildirs it delivers to: three
#     messages sent with swaks (one with dot-leading lines, one 8-bit), then
#     fetched with poplib over STLS and implicit TLS: CAPA, USER/PASS with
#     the full address and with the bare local part (an ambiguous one
#     refused), [IN-USE] for a second session, STAT, LIST, UIDL against the
#     Maildir unique names, RETR byte for byte against the Maildir files
#     (what SMTP received), TOP n 0, DELE then RSET, DELE then QUIT and a
#     new session with one fewer, the file gone from the Maildir; and curl's
#     pop3:// for LIST and RETR.
#
# Installs what is missing with apt-get (needs root then), starts its own
# Dovecot with the configuration kept in interop/pop3/ and a self-signed
# certificate made with openssl, and stops everything it started, even on
# failure. Ends with "pop3-interop: N passed, N failed"; the exit status is
# 1 on failure.
#
# Environment: POP3_INTEROP_PORT (default 21110; POP3S is 21995, mailserver
# listens on 22025 for SMTP, 22110 for POP3 and 22995 for POP3S),
# POP3_INTEROP_PORT_WAIT (seconds to wait for busy ports, default 900),
# POP3_INTEROP_KEEP=1 keeps the work directory, CARGO_TARGET_DIR.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CONF=$HERE/pop3
POP3_PORT=${POP3_INTEROP_PORT:-21110}
POP3S_PORT=$((POP3_PORT + 885))
MS_SMTP_PORT=$((POP3_PORT + 915))
MS_POP3_PORT=$((POP3_PORT + 1000))
MS_POP3S_PORT=$((POP3_PORT + 1885))
MS_USER=erin@example.test
MS_PASSWORD=pop3-from-maildir
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
mailserver_pid=

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

stop_mailserver() {
    [[ -n $mailserver_pid ]] || return 0
    kill "$mailserver_pid" 2>/dev/null
    local _
    for _ in $(seq 100); do
        [[ -e /proc/$mailserver_pid ]] || break
        sleep 0.1
    done
    mailserver_pid=
}

cleanup() {
    stop_dovecot
    stop_mailserver
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

# wait_ports_free PORT...: another run of this script may hold them; waits
# up to POP3_INTEROP_PORT_WAIT seconds (default 900) for all to be free.
wait_ports_free() {
    local deadline=$(($(date +%s) + ${POP3_INTEROP_PORT_WAIT:-900})) p busy said=
    while :; do
        busy=
        for p in "$@"; do
            port_open "$p" && { busy=$p; break; }
        done
        [[ -z $busy ]] && return 0
        (($(date +%s) >= deadline)) && { echo "127.0.0.1:$busy is in use"; return 1; }
        [[ -n $said ]] || { log "127.0.0.1:$busy is in use: waiting for it" >&2; said=1; }
        sleep 5
    done
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

empty_dir() { # DIR: exists and holds nothing
    [[ -d $1 ]] || { echo "$1 does not exist"; return 1; }
    [[ -z $(ls -A "$1") ]] || { echo "$1 is not empty"; return 1; }
}

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
    empty_dir "$out/tmp" || return 1
    same_messages "$out/new" "$WORK/expected/retr"
}

check_delete() {
    fetch_compare delete --delete --mech CRAM-MD5 || return 1
    local out
    out=$(fetch after-delete --mech USER 2>&1) || { echo "$out"; return 1; }
    [[ $out == *": 0 messages, 0 octets"* ]] || { echo "$out"; return 1; }
    empty_dir "$WORK/out/after-delete"
}

check_poplib() {
    # The test serves its own maildrop on a loopback port it picks.
    # --workspace: the features of `cargo test --workspace`, so CI reuses its build.
    local out status
    out=$(cd "$ROOT" && timeout 900 cargo test -q --workspace --test pop3 \
        -- --ignored --exact tls::poplib --nocapture 2>&1)
    status=$?
    printf '%s\n' "$out"
    ((status == 0)) || return 1
    # A renamed or compiled-out test would run nothing and pass.
    grep -q "^test result: ok\. 1 passed; 0 failed" <<<"$out" ||
        { echo "the poplib test did not run"; return 1; }
}

# ----- mailserver ------------------------------------------------------------------------

MS=

start_mailserver() {
    MS=$WORK/ms
    mkdir -p "$MS/msgs"
    # frank has an account in two domains: his bare local part is ambiguous.
    printf '%s:%s\nfrank@example.test:x\nfrank@other.test:y\n' "$MS_USER" "$MS_PASSWORD" \
        >"$MS/users"
    local port
    for port in "$MS_SMTP_PORT" "$MS_POP3_PORT" "$MS_POP3S_PORT"; do
        if port_open "$port"; then
            echo "port $port is in use"
            return 1
        fi
    done
    "$MAILSERVER" --data-dir "$MS/data" --domain example.test --users "$MS/users" \
        --smtp "127.0.0.1:$MS_SMTP_PORT" --pop3 "127.0.0.1:$MS_POP3_PORT" \
        --pop3s "127.0.0.1:$MS_POP3S_PORT" \
        --tls-cert "$WORK/tls/cert.pem" --tls-key "$WORK/tls/key.pem" \
        >>"$WORK/logs/mailserver.log" 2>&1 </dev/null &
    mailserver_pid=$!
    wait_port "$MS_SMTP_PORT" && wait_port "$MS_POP3_PORT" && wait_port "$MS_POP3S_PORT" ||
        { tail -n 5 "$WORK/logs/mailserver.log"; return 1; }
}

ms_maildir() { printf '%s' "$MS/data/example.test/erin/Maildir"; }

check_mailserver_swaks() {
    # CRLF line endings, as SMTP carries them; 2.eml has dot-leading lines
    # (swaks stuffs them, mailserver unstuffs), 3.eml is 8-bit UTF-8.
    printf 'From: sender@remote.test\r\nTo: %s\r\nSubject: m1 plain\r\n\r\nHello.\r\nSecond line.\r\n' \
        "$MS_USER" >"$MS/msgs/1.eml"
    printf 'From: sender@remote.test\r\nSubject: m2 dots\r\n\r\n.leading\r\n..two\r\n.\r\n...three\r\nend\r\n' \
        >"$MS/msgs/2.eml"
    printf 'From: sender@remote.test\r\nSubject: m3 8-bit\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\xc3\xbc\xc3\x9fe \xe2\x9c\x93\r\n' \
        >"$MS/msgs/3.eml"
    local n
    for n in 1 2 3; do
        timeout 60 swaks --server "127.0.0.1:$MS_SMTP_PORT" --helo client.interop.test \
            --from sender@remote.test --to "$MS_USER" --data "@$MS/msgs/$n.eml" \
            >"$MS/swaks-$n.log" 2>&1 || { tail -n 8 "$MS/swaks-$n.log"; return 1; }
    done
    local files
    files=$(find "$(ms_maildir)/new" -type f | wc -l)
    [[ $files == 3 ]] || { echo "$files files in new/, not 3"; return 1; }
}

# poplib against mailserver; prints one line per check. Reads the Maildir
# files in new/ first: they are what SMTP received.
write_mailserver_poplib() {
    cat >"$MS/check.py" <<'EOF'
import os
import poplib
import ssl
import sys
import traceback

PORT, PORT_TLS, CA, MAILDIR, USER, PASSWORD, ORDER = sys.argv[1:8]
PORT, PORT_TLS = int(PORT), int(PORT_TLS)
LOCAL = USER.split("@")[0]
context = ssl.create_default_context(cafile=CA)

stored = {}
for name in os.listdir(os.path.join(MAILDIR, "new")):
    with open(os.path.join(MAILDIR, "new", name), "rb") as f:
        stored[name.split(":")[0]] = f.read()
assert len(stored) == 3, sorted(stored)

passed = failed = 0


def check(name, fn):
    global passed, failed
    try:
        fn()
        passed += 1
        print(f"mailserver-poplib: ok   {name}")
    except Exception:
        failed += 1
        print(f"mailserver-poplib: FAIL {name}: {traceback.format_exc().strip().splitlines()[-1]}")


def connect():
    p = poplib.POP3("127.0.0.1", PORT, timeout=30)
    p.stls(context)
    return p


def session(user=USER, password=PASSWORD):
    p = connect()
    p.user(user)
    p.pass_(password)
    return p


def joined(lines):
    return b"".join(line + b"\r\n" for line in lines)


def uids(p):
    # UIDLs are Dovecot's %08x%08x (UID, UIDVALIDITY): dovecot-uidlist
    # gives each UID's Maildir unique name.
    with open(os.path.join(MAILDIR, "dovecot-uidlist")) as f:
        base = {int(l.split(" ", 1)[0]): l.split(" :", 1)[1]
                for l in f.read().splitlines()[1:] if " :" in l}
    got = [line.split()[1].decode() for line in p.uidl()[1]]
    assert all(len(u) == 16 and int(u, 16) for u in got), got
    return [base[int(u[:8], 16)] for u in got]


def refused(fn, want=b"-ERR"):
    try:
        fn()
    except poplib.error_proto as e:
        assert want in e.args[0], e
        return
    raise AssertionError("accepted")


def capa():
    p = poplib.POP3("127.0.0.1", PORT, timeout=30)
    caps = p.capa()
    for cap in ("STLS", "TOP", "UIDL", "RESP-CODES", "SASL"):
        assert cap in caps, f"{cap} missing from {sorted(caps)}"
    # Without TLS no password is taken: TLS is configured.
    assert "USER" not in caps, sorted(caps)
    refused(lambda: (p.user(USER), p.pass_(PASSWORD)), b"[AUTH]")
    p.quit()
    p = connect()
    caps = p.capa()
    assert "USER" in caps and "STLS" not in caps, sorted(caps)
    p.quit()


def full_address():
    p = session()
    count, size = p.stat()
    assert count == 3, count
    assert size == sum(len(m) for m in stored.values()), size
    _, lines, _ = p.list()
    got = uids(p)
    assert sorted(got) == sorted(stored), (got, sorted(stored))
    sizes = [tuple(int(x) for x in line.split()) for line in lines]
    assert sizes == [(n, len(stored[u])) for n, u in enumerate(got, 1)], sizes
    for n, uid in enumerate(got, 1):
        _, lines, octets = p.retr(n)
        body = joined(lines)
        assert body == stored[uid], (n, body[:200], stored[uid][:200])
        assert f"Subject: m{n} ".encode() in body, (n, body[:80])
    p.quit()
    new = os.listdir(os.path.join(MAILDIR, "new"))
    cur = sorted(os.listdir(os.path.join(MAILDIR, "cur")))
    assert new == [], new
    assert cur == sorted(u + ":2," for u in stored), cur


def bare_local_part():
    p = session(LOCAL)
    assert p.stat()[0] == 3
    p.quit()
    # frank is in two domains.
    refused(lambda: session("frank", "x"))
    refused(lambda: session(USER, "wrong"))


def in_use():
    p = session()
    refused(lambda: session(LOCAL), b"IN-USE")
    p.quit()
    session().quit()


def top():
    p = session()
    for n, uid in enumerate(uids(p), 1):
        _, lines, _ = p.top(n, 0)
        header = stored[uid].split(b"\r\n\r\n")[0] + b"\r\n\r\n"
        assert joined(lines) == header, (n, joined(lines), header)
    p.quit()


def dele_rset():
    p = session()
    p.dele(1)
    assert p.stat()[0] == 2
    p.rset()
    assert p.stat()[0] == 3
    p.quit()
    p = session()
    assert p.stat()[0] == 3
    p.quit()


def dele_quit():
    p = session()
    first = uids(p)[0]
    p.dele(1)
    p.quit()
    p = session()
    assert p.stat()[0] == 2, p.stat()
    left = uids(p)
    assert first not in left and len(left) == 2, (first, left)
    p.quit()
    cur = os.listdir(os.path.join(MAILDIR, "cur"))
    assert not any(name.startswith(first) for name in cur), cur
    with open(ORDER, "w") as f:
        for uid in left:
            f.write(os.path.join(MAILDIR, "cur", uid + ":2,") + "\n")


def implicit_tls():
    p = poplib.POP3_SSL("127.0.0.1", PORT_TLS, timeout=30, context=context)
    p.user(USER)
    p.pass_(PASSWORD)
    assert p.stat()[0] == 2
    _, lines, _ = p.retr(2)
    with open(ORDER) as f:
        second = f.read().split()[1]
    with open(second, "rb") as f:
        assert joined(lines) == f.read()
    p.quit()


check("CAPA, STLS, no password before TLS", capa)
check("USER/PASS with the full address: STAT, LIST, UIDL, RETR byte for byte", full_address)
check("USER/PASS with the bare local part; ambiguous and wrong refused", bare_local_part)
check("second session gets [IN-USE]", in_use)
check("TOP n 0", top)
check("DELE then RSET", dele_rset)
check("DELE then QUIT, new session with one fewer, file gone", dele_quit)
check("implicit TLS (POP3S)", implicit_tls)
print(f"mailserver-poplib: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
EOF
}

check_mailserver_poplib() {
    write_mailserver_poplib
    timeout 120 python3 -B "$MS/check.py" "$MS_POP3_PORT" "$MS_POP3S_PORT" "$WORK/tls/cert.pem" \
        "$(ms_maildir)" "$MS_USER" "$MS_PASSWORD" "$MS/order" >"$MS/poplib.log" 2>&1
    local status=$?
    cat "$MS/poplib.log"
    return $status
}

ms_curl() { # URL-PATH [curl args...]
    local path=$1
    shift
    timeout 60 curl -sS --ssl-reqd --cacert "$WORK/tls/cert.pem" --user "$MS_USER:$MS_PASSWORD" \
        "pop3://127.0.0.1:$MS_POP3_PORT/$path" "$@"
}

check_mailserver_curl() {
    # After the poplib checks: two messages left, in the order of $MS/order.
    [[ -s $MS/order ]] || { echo "no listing from the poplib checks"; return 1; }
    local listing want n=0 path
    listing=$(ms_curl "" | tr -d '\r') || return 1
    want=$(while read -r path; do
        n=$((n + 1))
        printf '%s %s\n' "$n" "$(stat -c %s "$path")"
    done <"$MS/order")
    [[ $listing == "$want" ]] || { printf 'LIST: %s\nwant: %s\n' "$listing" "$want"; return 1; }
    n=0
    while read -r path; do
        n=$((n + 1))
        ms_curl "$n" -o "$MS/curl-$n.eml" || return 1
        cmp "$MS/curl-$n.eml" "$path" || return 1
    done <"$MS/order"
}

# ----- main -----------------------------------------------------------------------------

main() {
    if ! install_missing; then
        fail "install" "apt-get failed"
        return
    fi
    local busy
    if ! busy=$(wait_ports_free "$POP3_PORT" "$POP3S_PORT" "$MS_SMTP_PORT" "$MS_POP3_PORT" \
        "$MS_POP3S_PORT"); then
        fail "ports" "$busy (set POP3_INTEROP_PORT)"
        return
    fi
    WORK=$(mktemp -d /tmp/mailwire-pop3-interop.XXXXXX)
    chmod 755 "$WORK"
    mkdir -p "$WORK/logs" "$WORK/mail" "$WORK/out"
    chown "$MAIL_UID:$MAIL_GID" "$WORK/mail"

    log "building pop3-fetch and mailserver"
    if ! (cd "$ROOT" && timeout 900 cargo build -q --workspace --example pop3-fetch \
        --example mailserver); then
        fail "build" "cargo build --example pop3-fetch --example mailserver failed"
        return
    fi
    FETCH=${CARGO_TARGET_DIR:-$ROOT/target}/debug/examples/pop3-fetch
    MAILSERVER=${CARGO_TARGET_DIR:-$ROOT/target}/debug/examples/mailserver
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

    # Not in a subshell: the trap stops it through $mailserver_pid.
    if ! start_mailserver >"$WORK/logs/mailserver-start.txt" 2>&1; then
        fail "mailserver" "$(cat "$WORK/logs/mailserver-start.txt")"
        return
    fi
    log "mailserver on 127.0.0.1:$MS_SMTP_PORT (SMTP), :$MS_POP3_PORT (POP3) and :$MS_POP3S_PORT (POP3S)"
    check "swaks into mailserver, three messages in the Maildir" check_mailserver_swaks
    check "poplib against mailserver's Maildir" check_mailserver_poplib
    check "curl pop3:// LIST and RETR against mailserver" check_mailserver_curl
    stop_mailserver
    check "mailserver log has no errors" check_mailserver_log
}

check_mailserver_log() {
    if grep -E " ERROR |panicked" "$WORK/logs/mailserver.log"; then
        return 1
    fi
    return 0
}

main
log "$passed passed, $failed failed in $(($(date +%s) - T0))s"
for f in "${failures[@]}"; do
    log "failed: $f"
done
((failed == 0))
