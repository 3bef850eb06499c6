#!/usr/bin/env bash
# Interoperability checks of the mailserver and smtp-send examples against
# real peers, all on 127.0.0.1 high ports:
#
#   - mailserver driven by swaks (plain, --pipeline, STARTTLS, AUTH PLAIN and
#     LOGIN on submission, 8-bit, dot-leading lines, aliases, refusals, relay
#     through Postfix) and by Python's smtplib (8BITMIME, SMTPUTF8, LMTP);
#     every delivered file is compared byte for byte with what was sent;
#   - smtp-send against Postfix (STARTTLS, SMTPUTF8, PIPELINING, CHUNKING,
#     DSN, each seen on the wire by a recording proxy, smtp_record.py, that
#     terminates TLS on both sides), Dovecot LMTP (per-recipient replies)
#     and Dovecot submission (AUTH), and with --mx through dnsmasq;
#   - load: smtp-source -s 50 -m 20000 against mailserver, every message
#     delivered exactly once; 1000 concurrent sessions; the same load against
#     Postfix's smtp-sink for comparison (printed, not checked).
#
# Installs what is missing with apt-get (needs root then), starts Postfix,
# Dovecot, dnsmasq, smtp-sink and mailserver with the configurations kept
# beside this script, and stops everything it started, even on failure.
# Ends with "interop: N passed, N failed"; the exit status is 1 on failure.
#
# Environment: INTEROP_PORT_BASE (default 42500), INTEROP_PORT_WAIT (seconds
# to wait for busy ports, default 900), INTEROP_LOAD_MESSAGES (default
# 20000), INTEROP_ONLY (a regular expression: only the checks whose names
# match run), INTEROP_KEEP=1 keeps the work directory, CARGO_TARGET_DIR.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BASE=${INTEROP_PORT_BASE:-42500}
SMTP_PORT=$((BASE + 25))
SUBMISSION_PORT=$((BASE + 87))
LMTP_PORT=$((BASE + 24))
POSTFIX_PORT=$((BASE + 26))
SINK_PORT=$((BASE + 27))
DOVECOT_LMTP_PORT=$((BASE + 34))
DOVECOT_SUBMISSION_PORT=$((BASE + 88))
DNS_PORT=$((BASE + 53))
RECORD_PORT=$((BASE + 29))
LOAD_MESSAGES=${INTEROP_LOAD_MESSAGES:-20000}
MAIL_UID=65534
MAIL_GID=65534
T0=$(date +%s)

passed=0
failed=0
failures=()
WORK=
made_policy=
postfix_started=
dovecot_started=
bg_pids=()

log() { printf 'interop: %s\n' "$*"; }

cleanup() {
    local pid
    for pid in "${bg_pids[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    if [[ -n $postfix_started ]]; then
        postfix -c "$WORK/postfix" stop >/dev/null 2>&1 || true
    fi
    if [[ -n $dovecot_started ]]; then
        doveadm -c "$WORK/dovecot/dovecot.conf" stop >/dev/null 2>&1 ||
            kill "$(cat "$WORK/dovecot/run/master.pid" 2>/dev/null)" 2>/dev/null || true
    fi
    [[ -n $made_policy ]] && rm -f /usr/sbin/policy-rc.d
    if [[ -n $WORK && -d $WORK ]]; then
        if [[ ${INTEROP_KEEP:-0} == 1 ]]; then
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
    if [[ -n ${INTEROP_ONLY:-} && ! $name =~ $INTEROP_ONLY ]]; then
        return 0
    fi
    if out=$("$@" 2>&1); then
        pass "$name"
    else
        fail "$name" "$(printf '%s' "$out" | tail -n 8)"
    fi
}

wait_port() { # PORT: up to 20 s
    local _
    for _ in $(seq 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_ports_free PORT...: another run of this script may hold them; waits
# up to INTEROP_PORT_WAIT seconds (default 900) for all to be free.
wait_ports_free() {
    local deadline=$(($(date +%s) + ${INTEROP_PORT_WAIT:-900})) p busy said=
    while :; do
        busy=
        for p in "$@"; do
            port_free "$p" || { busy=$p; break; }
        done
        [[ -z $busy ]] && return 0
        (($(date +%s) >= deadline)) && { echo "127.0.0.1:$busy is in use"; return 1; }
        [[ -n $said ]] || { log "127.0.0.1:$busy is in use: waiting for it" >&2; said=1; }
        sleep 5
    done
}

# ----- installation -----------------------------------------------------------------------

install_missing() {
    local pkgs=(postfix dovecot-core dovecot-lmtpd dovecot-submissiond swaks
        libnet-ssleay-perl libio-socket-inet6-perl openssl dnsmasq-base python3)
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
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    log "installing ${missing[*]}"
    timeout 600 apt-get update -q >/dev/null &&
        timeout 900 apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

render() { # TEMPLATE OUTPUT
    sed -e "s|@WORK@|$WORK|g" -e "s|@MAIL_UID@|$MAIL_UID|g" -e "s|@MAIL_GID@|$MAIL_GID|g" \
        -e "s|@POSTFIX_PORT@|$POSTFIX_PORT|g" -e "s|@DOVECOT_LMTP_PORT@|$DOVECOT_LMTP_PORT|g" \
        -e "s|@DOVECOT_SUBMISSION_PORT@|$DOVECOT_SUBMISSION_PORT|g" "$1" >"$2"
}

# ----- peers ---------------------------------------------------------------------------

start_postfix() {
    local cfg=$WORK/postfix
    mkdir -p "$cfg/spool"
    install -d -o postfix -g root -m 700 "$cfg/data"
    render "$HERE/postfix/main.cf" "$cfg/main.cf"
    render "$HERE/postfix/master.cf" "$cfg/master.cf"
    install -d -o "$MAIL_UID" -g "$MAIL_GID" -m 700 "$WORK/mail/sink"
    postfix_started=1
    timeout 60 setsid -w postfix -c "$cfg" start >>"$WORK/logs/postfix.stderr" 2>&1 </dev/null &&
        wait_port "$POSTFIX_PORT"
}

start_dovecot() {
    local cfg=$WORK/dovecot
    mkdir -p "$cfg/run" "$cfg/state"
    render "$HERE/dovecot/dovecot.conf" "$cfg/dovecot.conf"
    render "$HERE/dovecot/users" "$cfg/users"
    chmod 644 "$cfg/users"
    install -d -o "$MAIL_UID" -g "$MAIL_GID" -m 700 "$WORK/mail/alice" "$WORK/mail/bob"
    dovecot_started=1
    timeout 60 dovecot -c "$cfg/dovecot.conf" >>"$WORK/logs/dovecot.stderr" 2>&1 </dev/null &&
        wait_port "$DOVECOT_LMTP_PORT" && wait_port "$DOVECOT_SUBMISSION_PORT"
}

start_dnsmasq() {
    dnsmasq --keep-in-foreground --port="$DNS_PORT" --listen-address=127.0.0.1 \
        --bind-interfaces --no-resolv --no-hosts --user="$(id -nu "$MAIL_UID")" \
        --mx-host=example.test,mx1.example.test,10 --mx-host=example.test,mx2.example.test,20 \
        --host-record=mx1.example.test,127.0.0.1 --host-record=mx2.example.test,127.0.0.1 \
        --pid-file= --log-facility="$WORK/logs/dnsmasq.log" &
    bg_pids+=($!)
}

start_mailserver() {
    "$MAILSERVER" --data-dir "$WORK/ms" --domain example.test --domain other.test \
        --users "$HERE/users" --aliases "$HERE/aliases" \
        --smtp "127.0.0.1:$SMTP_PORT" --submission "127.0.0.1:$SUBMISSION_PORT" \
        --lmtp "127.0.0.1:$LMTP_PORT" --tls-cert "$WORK/tls/cert.pem" --tls-key "$WORK/tls/key.pem" \
        --relay-host "127.0.0.1:$POSTFIX_PORT" --relay-ca "$WORK/tls/cert.pem" \
        --max-message-size 10000000 --log info >"$WORK/logs/mailserver.log" 2>&1 &
    bg_pids+=($!)
    wait_port "$SMTP_PORT" && wait_port "$SUBMISSION_PORT" && wait_port "$LMTP_PORT"
}

# ----- messages and Maildir checks ----------------------------------------------------

make_messages() {
    local m=$WORK/msgs
    mkdir -p "$m"
    printf '%s\r\n' "From: Sender <sender@remote.test>" "To: alice@example.test" \
        "Subject: plain interop" "Message-ID: <plain@interop.test>" "" "Hello." \
        ".leading dot" "..two leading dots" "." "a lone dot above" "...three" "end" >"$m/plain.eml"
    printf '%s\r\n' "From: sender@remote.test" "To: alice@example.test" "Subject: 8-bit" \
        "MIME-Version: 1.0" "Content-Type: text/plain; charset=utf-8" \
        "Content-Transfer-Encoding: 8bit" "" "Grüße aus Köln, déjà vu, 日本語." ".é" "end" >"$m/8bit.eml"
    printf '%s\r\n' "From: Jörg <jörg@example.test>" "To: jörg@example.test" \
        "Subject: SMTPUTF8 ünïcödé" "MIME-Version: 1.0" "Content-Type: text/plain; charset=utf-8" \
        "" "Body with ümlauts." "end" >"$m/utf8.eml"
}

maildir_of() { # ACCOUNT (user@domain)
    printf '%s/ms/%s/%s/Maildir' "$WORK" "${1#*@}" "${1%@*}"
}

clear_maildirs() {
    find "$WORK/ms" -path '*/Maildir/new/*' -type f -delete 2>/dev/null
    return 0
}

# delivered ACCOUNT FILE: ACCOUNT's Maildir/new holds exactly one message,
# byte for byte FILE, and tmp is empty.
delivered() {
    local dir files
    dir=$(maildir_of "$1")
    files=("$dir"/new/*)
    if [[ ${#files[@]} != 1 || ! -f ${files[0]} ]]; then
        echo "$1: expected one message in $dir/new, found ${#files[@]}"
        return 1
    fi
    cmp "${files[0]}" "$2" || return 1
    empty_dir "$dir/tmp"
}

empty_dir() { # DIR: exists and holds nothing
    [[ -d $1 ]] || { echo "$1 does not exist"; return 1; }
    [[ -z $(ls -A "$1") ]] || { echo "$1 is not empty"; return 1; }
}

nothing_delivered() {
    [[ -z $(find "$WORK/ms" -path '*/Maildir/new/*' -type f) ]]
}

sink_has() { # MARKER: a message in Postfix's sink Maildir contains MARKER
    local _
    for _ in $(seq 100); do
        grep -rqsF -- "$1" "$WORK/mail/sink/Maildir/new" && return 0
        sleep 0.2
    done
    echo "no message with '$1' in $WORK/mail/sink/Maildir/new"
    return 1
}

# ----- checks: mailserver with swaks --------------------------------------------------

# swaks ends the data it sends with one more CRLF before the final dot:
# what arrives is the file plus CRLF.
swaks_expected() { # FILE: prints the path of FILE as swaks delivers it
    [[ -f $1.swaks ]] || { cat "$1"; printf '\r\n'; } >"$1.swaks"
    printf '%s' "$1.swaks"
}

SWAKS_BASE=()

swaks_to() { # TO DATAFILE [extra swaks args...]
    local to=$1 data=$2
    shift 2
    timeout 60 swaks --server "127.0.0.1:$SMTP_PORT" --helo client.interop.test \
        --from sender@remote.test --to "$to" --data "@$data" "$@"
}

swaks_plain() {
    clear_maildirs
    swaks_to alice@example.test "$WORK/msgs/plain.eml" && delivered alice@example.test "$(swaks_expected "$WORK/msgs/plain.eml")"
}

swaks_pipeline() {
    clear_maildirs
    swaks_to alice@example.test,bob@example.test "$WORK/msgs/plain.eml" --pipeline &&
        delivered alice@example.test "$(swaks_expected "$WORK/msgs/plain.eml")" &&
        delivered bob@example.test "$(swaks_expected "$WORK/msgs/plain.eml")"
}

swaks_starttls() {
    clear_maildirs
    local out
    out=$(swaks_to alice@example.test "$WORK/msgs/plain.eml" --tls --tls-verify \
        --tls-ca-path "$WORK/tls/cert.pem") || { echo "$out"; return 1; }
    grep -q "TLS started" <<<"$out" || { echo "$out"; return 1; }
    delivered alice@example.test "$(swaks_expected "$WORK/msgs/plain.eml")"
}

swaks_auth() { # MECHANISM
    clear_maildirs
    timeout 60 swaks --server "127.0.0.1:$SUBMISSION_PORT" --helo client.interop.test \
        --from alice@example.test --to bob@example.test --data "@$WORK/msgs/plain.eml" \
        --tls --tls-verify --tls-ca-path "$WORK/tls/cert.pem" \
        --auth "$1" --auth-user alice@example.test --auth-password secret &&
        delivered bob@example.test "$(swaks_expected "$WORK/msgs/plain.eml")"
}

swaks_submission_needs_auth() {
    clear_maildirs
    local out
    out=$(timeout 60 swaks --server "127.0.0.1:$SUBMISSION_PORT" --from alice@example.test \
        --to bob@example.test --data "@$WORK/msgs/plain.eml" --tls \
        --tls-ca-path "$WORK/tls/cert.pem" 2>&1)
    grep -q " 530 5.7.0" <<<"$out" || { echo "$out"; return 1; }
    nothing_delivered
}

swaks_wrong_password() {
    local out
    out=$(timeout 60 swaks --server "127.0.0.1:$SUBMISSION_PORT" --from alice@example.test \
        --to bob@example.test --tls --tls-ca-path "$WORK/tls/cert.pem" \
        --auth PLAIN --auth-user alice@example.test --auth-password wrong 2>&1)
    grep -q " 535 5.7.8" <<<"$out" || { echo "$out"; return 1; }
}

swaks_8bit() {
    clear_maildirs
    swaks_to alice@example.test "$WORK/msgs/8bit.eml" && delivered alice@example.test "$(swaks_expected "$WORK/msgs/8bit.eml")"
}

swaks_unknown_user() {
    clear_maildirs
    local out
    out=$(swaks_to nobody@example.test "$WORK/msgs/plain.eml" 2>&1)
    grep -q " 550 5.1.1" <<<"$out" || { echo "$out"; return 1; }
    nothing_delivered
}

swaks_no_open_relay() {
    clear_maildirs
    local out
    out=$(swaks_to someone@remote.test "$WORK/msgs/plain.eml" 2>&1)
    grep -q " 554 5.7.1" <<<"$out" || { echo "$out"; return 1; }
    nothing_delivered
}

swaks_aliases() {
    clear_maildirs
    swaks_to team@example.test "$WORK/msgs/plain.eml" &&
        delivered alice@example.test "$(swaks_expected "$WORK/msgs/plain.eml")" &&
        delivered carol@other.test "$(swaks_expected "$WORK/msgs/plain.eml")" &&
        clear_maildirs &&
        swaks_to postmaster@example.test "$WORK/msgs/plain.eml" &&
        delivered alice@example.test "$(swaks_expected "$WORK/msgs/plain.eml")"
}

swaks_relay() {
    local marker=relay-$RANDOM-$RANDOM
    timeout 60 swaks --server "127.0.0.1:$SUBMISSION_PORT" --helo client.interop.test \
        --from alice@example.test --to someone@far.test --tls --tls-ca-path "$WORK/tls/cert.pem" \
        --auth PLAIN --auth-user alice@example.test --auth-password secret \
        --header "Subject: $marker" && sink_has "$marker"
}

swaks_too_big() {
    clear_maildirs
    local out
    { printf 'Subject: too big\r\n\r\n'; head -c 11000000 /dev/zero | tr '\0' x | fold -w 998 | sed 's/$/\r/'; } >"$WORK/msgs/big.eml"
    out=$(swaks_to alice@example.test "$WORK/msgs/big.eml" 2>&1)
    grep -q " 552 5.3.4" <<<"$out" || { echo "$out" | tail -n 5; return 1; }
    nothing_delivered || { echo "a message was delivered"; return 1; }
    empty_dir "$(maildir_of alice@example.test)/tmp"
}

# ----- checks: mailserver with smtplib ------------------------------------------------

python_checks() { # the smtplib checks; prints one line per failure
    clear_maildirs
    WORK=$WORK SMTP_PORT=$SMTP_PORT LMTP_PORT=$LMTP_PORT SUBMISSION_PORT=$SUBMISSION_PORT \
        timeout 120 python3 - <<'PY'
import os, smtplib, ssl, sys, glob, filecmp
work = os.environ["WORK"]
msgs = work + "/msgs"
smtp_port = int(os.environ["SMTP_PORT"])
lmtp_port = int(os.environ["LMTP_PORT"])
failures = []

def maildir(account):
    user, domain = account.rsplit("@", 1)
    return f"{work}/ms/{domain}/{user}/Maildir/new"

def clear():
    for f in glob.glob(f"{work}/ms/*/*/Maildir/new/*"):
        os.remove(f)

def delivered(name, account, path):
    files = glob.glob(maildir(account) + "/*")
    if len(files) != 1 or open(files[0], "rb").read() != open(path, "rb").read():
        failures.append(f"{name}: {account} has {len(files)} files, or content differs")

def step(name, fn):
    clear()
    try:
        fn()
    except Exception as e:
        failures.append(f"{name}: {e!r}")

def eight_bit():
    data = open(f"{msgs}/8bit.eml", "rb").read()
    with smtplib.SMTP("127.0.0.1", smtp_port) as s:
        s.ehlo("client.interop.test")
        assert s.has_extn("8bitmime")
        s.sendmail("sender@remote.test", ["alice@example.test"], data, mail_options=["BODY=8BITMIME"])
    delivered("smtplib 8BITMIME", "alice@example.test", f"{msgs}/8bit.eml")

def utf8():
    data = open(f"{msgs}/utf8.eml", "rb").read()
    with smtplib.SMTP("127.0.0.1", smtp_port) as s:
        s.ehlo("client.interop.test")
        assert s.has_extn("smtputf8")
        s.sendmail("jörg@example.test", ["jörg@example.test"], data,
                   mail_options=["SMTPUTF8", "BODY=8BITMIME"])
    delivered("smtplib SMTPUTF8", "jörg@example.test", f"{msgs}/utf8.eml")

def dots():
    data = open(f"{msgs}/plain.eml", "rb").read()
    with smtplib.SMTP("127.0.0.1", smtp_port) as s:
        s.sendmail("sender@remote.test", ["bob@example.test"], data)
    delivered("smtplib dot-leading lines", "bob@example.test", f"{msgs}/plain.eml")

def starttls():
    data = open(f"{msgs}/plain.eml", "rb").read()
    context = ssl.create_default_context(cafile=f"{work}/tls/cert.pem")
    with smtplib.SMTP("localhost", smtp_port) as s:
        s.starttls(context=context)
        s.sendmail("sender@remote.test", ["alice@example.test"], data)
    delivered("smtplib STARTTLS", "alice@example.test", f"{msgs}/plain.eml")

def lmtp():
    data = open(f"{msgs}/8bit.eml", "rb").read()
    with smtplib.LMTP("127.0.0.1", lmtp_port) as s:
        # smtplib reads a single reply after the data: one recipient only.
        refused = s.sendmail("sender@remote.test", ["alice@example.test", "nobody@example.test"], data)
    if list(refused) != ["nobody@example.test"] or refused["nobody@example.test"][0] != 550:
        failures.append(f"smtplib LMTP: refused {refused}")
    delivered("smtplib LMTP", "alice@example.test", f"{msgs}/8bit.eml")

for name, fn in [("8BITMIME", eight_bit), ("SMTPUTF8", utf8), ("dots", dots),
                 ("STARTTLS", starttls), ("LMTP", lmtp)]:
    before = len(failures)
    step(name, fn)
    print(("FAIL " if len(failures) > before else "ok   ") + "smtplib " + name)
for f in failures:
    print("  " + f)
sys.exit(1 if failures else 0)
PY
}

# ----- checks: smtp-send against the peers ----------------------------------------------

# recorded TRANSCRIPT SMTP_SEND_ARGS...: smtp-send to Postfix through the
# recording proxy (smtp_record.py), which writes the client's reads to
# TRANSCRIPT; prints smtp-send's output and returns its status.
recorded() {
    local transcript=$1 pid out status _
    shift
    rm -f "$transcript"
    timeout 150 python3 -B "$HERE/smtp_record.py" proxy "$RECORD_PORT" "$POSTFIX_PORT" \
        "$WORK/tls/cert.pem" "$WORK/tls/key.pem" "$transcript" 2>>"$WORK/logs/smtp_record.log" &
    pid=$!
    bg_pids+=("$pid")
    for _ in $(seq 100); do
        [[ -e $transcript ]] && break
        sleep 0.1
    done
    [[ -e $transcript ]] || { echo "the recording proxy did not start"; tail -n 5 "$WORK/logs/smtp_record.log"; return 1; }
    out=$(timeout 60 "$SMTP_SEND" --server "127.0.0.1:$RECORD_PORT" "$@" 2>&1)
    status=$?
    # The proxy ends with the session; bounded wait, then stop it.
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    printf '%s\n' "$out"
    return $status
}

# wire TRANSCRIPT EXPECTATION...: what the recording shows (see smtp_record.py).
wire() {
    python3 -B "$HERE/smtp_record.py" check "$@"
}

send_postfix() {
    local marker=postfix-$RANDOM-$RANDOM out
    printf '%s\r\n' "From: jörg@interop.test" "To: jörg@sink.test" "Subject: $marker ünïcödé" \
        "MIME-Version: 1.0" "Content-Type: text/plain; charset=utf-8" "" \
        "8-bit body: Grüße" ".leading dot" "end" >"$WORK/msgs/postfix.eml"
    out=$(recorded "$WORK/wire-postfix.jsonl" --starttls \
        --ca-file "$WORK/tls/cert.pem" --notify SUCCESS,FAILURE --ret hdrs \
        --from jörg@interop.test --to jörg@sink.test --to other@sink.test "$WORK/msgs/postfix.eml") ||
        { echo "$out"; return 1; }
    grep -q "^jörg@sink.test: ok 250" <<<"$out" && grep -q "^other@sink.test: ok 250" <<<"$out" ||
        { echo "$out"; return 1; }
    # What went over the wire: MAIL and RCPT pipelined after STARTTLS, the
    # message in BDAT chunks, the DSN and SMTPUTF8 parameters.
    wire "$WORK/wire-postfix.jsonl" tls pipelined bdat rcpts=2 mail-param=SMTPUTF8 \
        mail-param=RET=HDRS rcpt-param=NOTIFY=SUCCESS,FAILURE || return 1
    sink_has "$marker"
}

send_postfix_data() { # without CHUNKING and PIPELINING: DATA and one command at a time
    local marker=postfix-data-$RANDOM out
    printf '%s\r\n' "Subject: $marker" "" ".leading" "end" >"$WORK/msgs/postfix-data.eml"
    out=$(recorded "$WORK/wire-postfix-data.jsonl" --starttls --ca-file "$WORK/tls/cert.pem" \
        --no-chunking --no-pipelining --from a@interop.test --to b@sink.test --to c@sink.test \
        "$WORK/msgs/postfix-data.eml") || { echo "$out"; return 1; }
    wire "$WORK/wire-postfix-data.jsonl" tls unpipelined data rcpts=2 || return 1
    sink_has "$marker"
}

send_dovecot_lmtp() {
    local marker=lmtp-$RANDOM-$RANDOM out status
    printf '%s\r\n' "Subject: $marker" "" "per-recipient replies" >"$WORK/msgs/lmtp.eml"
    out=$(timeout 60 "$SMTP_SEND" --server "127.0.0.1:$DOVECOT_LMTP_PORT" --lmtp --ca-file "$WORK/tls/cert.pem" \
        --from a@interop.test --to alice@interop.test --to nosuch@interop.test --to bob@interop.test \
        "$WORK/msgs/lmtp.eml" 2>&1)
    status=$?
    [[ $status == 1 ]] || { echo "exit status $status, expected 1: $out"; return 1; }
    grep -q "^alice@interop.test: ok 250" <<<"$out" &&
        grep -q "^bob@interop.test: ok 250" <<<"$out" &&
        grep -q "^nosuch@interop.test: failed 550" <<<"$out" || { echo "$out"; return 1; }
    grep -rqsF "$marker" "$WORK/mail/alice/Maildir/new" && grep -rqsF "$marker" "$WORK/mail/bob/Maildir/new" ||
        { echo "not in alice's and bob's Maildirs"; return 1; }
}

send_dovecot_submission() {
    local marker=submission-$RANDOM-$RANDOM out
    printf '%s\r\n' "From: alice@interop.test" "Subject: $marker" "" "via Dovecot submission" >"$WORK/msgs/sub.eml"
    out=$(timeout 60 "$SMTP_SEND" --server "127.0.0.1:$DOVECOT_SUBMISSION_PORT" --starttls \
        --ca-file "$WORK/tls/cert.pem" --auth alice:secret --from alice@interop.test \
        --to someone@sink.test "$WORK/msgs/sub.eml" 2>&1) || { echo "$out"; return 1; }
    grep -q "authenticated" <<<"$out" || { echo "$out"; return 1; }
    sink_has "$marker"
}

send_dovecot_wrong_password() {
    local out status
    out=$(timeout 60 "$SMTP_SEND" --server "127.0.0.1:$DOVECOT_SUBMISSION_PORT" --starttls \
        --ca-file "$WORK/tls/cert.pem" --auth alice:wrong --from alice@interop.test \
        --to someone@sink.test "$WORK/msgs/sub.eml" 2>&1)
    status=$?
    [[ $status == 3 ]] && grep -q "authentication failed" <<<"$out" || { echo "status $status: $out"; return 1; }
}

send_unverified_refused() { # a certificate nobody vouched for is refused
    local out status
    out=$(timeout 60 "$SMTP_SEND" --server "127.0.0.1:$POSTFIX_PORT" --starttls \
        --from a@interop.test --to b@sink.test "$WORK/msgs/plain.eml" 2>&1)
    status=$?
    # The session failed (3), on the certificate: not on a refused
    # connection or a usage error.
    [[ $status == 3 && $out == *"invalid peer certificate"* ]] ||
        { echo "exit status $status, expected 3 and a certificate error: $out"; return 1; }
}

send_mailserver_submission() { # smtp-send with AUTH SCRAM against our own server
    clear_maildirs
    timeout 60 "$SMTP_SEND" --server "127.0.0.1:$SUBMISSION_PORT" --starttls --ca-file "$WORK/tls/cert.pem" \
        --auth alice@example.test:secret --mech SCRAM-SHA-256 --from alice@example.test \
        --to bob@example.test "$WORK/msgs/8bit.eml" && delivered bob@example.test "$WORK/msgs/8bit.eml"
}

send_mailserver_lmtp() { # per-recipient replies from our own LMTP
    clear_maildirs
    local out status
    out=$(timeout 60 "$SMTP_SEND" --server "127.0.0.1:$LMTP_PORT" --lmtp --ca-file "$WORK/tls/cert.pem" --from a@remote.test \
        --to alice@example.test --to nobody@example.test --to bob@example.test "$WORK/msgs/8bit.eml" 2>&1)
    status=$?
    [[ $status == 1 ]] || { echo "exit status $status, expected 1: $out"; return 1; }
    grep -q "^alice@example.test: ok 250" <<<"$out" && grep -q "^bob@example.test: ok 250" <<<"$out" &&
        grep -q "^nobody@example.test: failed 550 5.1.1" <<<"$out" || { echo "$out"; return 1; }
    delivered alice@example.test "$WORK/msgs/8bit.eml" && delivered bob@example.test "$WORK/msgs/8bit.eml"
}

send_mx() {
    clear_maildirs
    SMTP_SEND_NAMESERVER="127.0.0.1:$DNS_PORT" SMTP_SEND_MX_PORT=$SMTP_PORT \
        timeout 60 "$SMTP_SEND" --mx --ca-file "$WORK/tls/cert.pem" --from sender@remote.test --to alice@example.test \
        "$WORK/msgs/plain.eml" && delivered alice@example.test "$WORK/msgs/plain.eml"
}

mx_tests() {
    (cd "$ROOT" && MAILWIRE_TEST_DNSMASQ=required timeout 900 cargo test -q -p mailwire-tokio --features mx --test mx)
}

# ----- load ------------------------------------------------------------------------------

LOAD_RATE=
SINK_RATE=
TMPFS_RATE=

count_new() { find "$(maildir_of "$1")/new" -type f 2>/dev/null | wc -l; }

elapsed_rate() { # MESSAGES START_NS END_NS
    awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN { s = (b - a) / 1e9; if (s <= 0) s = 0.001; printf "%.0f", m / s }'
}

load_smtp_source() {
    find "$(maildir_of load@example.test)" -type f -delete 2>/dev/null
    local t0 t1 n
    t0=$(date +%s%N)
    timeout 1200 smtp-source -s 50 -m "$LOAD_MESSAGES" -l 1024 -f load@remote.test \
        -t load@example.test "127.0.0.1:$SMTP_PORT" || return 1
    t1=$(date +%s%N)
    n=$(count_new load@example.test)
    elapsed_rate "$LOAD_MESSAGES" "$t0" "$t1" >"$WORK/load-rate"
    echo "$n" >"$WORK/load-count"
    [[ $n == "$LOAD_MESSAGES" ]] || { echo "delivered $n, sent $LOAD_MESSAGES"; return 1; }
    empty_dir "$(maildir_of load@example.test)/tmp"
}

load_concurrent() {
    find "$(maildir_of load@example.test)" -type f -delete 2>/dev/null
    local n
    timeout 1200 smtp-source -s 1000 -m 5000 -l 512 -f load@remote.test \
        -t load@example.test "127.0.0.1:$SMTP_PORT" || return 1
    n=$(count_new load@example.test)
    echo "$n" >"$WORK/concurrent-count"
    [[ $n == 5000 ]] || { echo "delivered $n of 5000"; return 1; }
}

bench_smtp_sink() {
    local t0 t1 user=()
    [[ $(id -u) == 0 ]] && user=(-u "$(id -nu "$MAIL_UID")")
    smtp-sink "${user[@]}" "127.0.0.1:$SINK_PORT" 1024 >"$WORK/logs/smtp-sink.log" 2>&1 &
    bg_pids+=($!)
    wait_port "$SINK_PORT" || return 1
    t0=$(date +%s%N)
    timeout 1200 smtp-source -s 50 -m "$LOAD_MESSAGES" -l 1024 -f load@remote.test \
        -t load@example.test "127.0.0.1:$SINK_PORT" || return 1
    t1=$(date +%s%N)
    SINK_RATE=$(elapsed_rate "$LOAD_MESSAGES" "$t0" "$t1")
}

# The same load with the Maildirs on tmpfs: the protocol path without the
# disk's fsync latency (printed, not checked).
bench_tmpfs() {
    [[ -d /dev/shm && -w /dev/shm ]] || return 1
    local dir port=$((BASE + 45)) pid t0 t1 n
    dir=$(mktemp -d /dev/shm/mailwire-interop.XXXXXX) || return 1
    printf 'load@example.test:secret\n' >"$dir.users"
    "$MAILSERVER" --data-dir "$dir" --domain example.test --users "$dir.users" \
        --smtp "127.0.0.1:$port" --log warn >"$WORK/logs/mailserver-tmpfs.log" 2>&1 &
    pid=$!
    bg_pids+=("$pid")
    if wait_port "$port"; then
        t0=$(date +%s%N)
        timeout 1200 smtp-source -s 50 -m "$LOAD_MESSAGES" -l 1024 -f load@remote.test \
            -t load@example.test "127.0.0.1:$port"
        t1=$(date +%s%N)
        n=$(find "$dir/example.test/load/Maildir/new" -type f | wc -l)
        [[ $n == "$LOAD_MESSAGES" ]] && TMPFS_RATE=$(elapsed_rate "$LOAD_MESSAGES" "$t0" "$t1")
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -rf "$dir" "$dir.users"
    [[ -n ${TMPFS_RATE:-} ]]
}

# ----- main ------------------------------------------------------------------------------

main() {
    install_missing || { fail install "apt-get failed"; return; }
    local busy
    busy=$(wait_ports_free "$SMTP_PORT" "$SUBMISSION_PORT" "$LMTP_PORT" "$POSTFIX_PORT" "$SINK_PORT" \
        "$DOVECOT_LMTP_PORT" "$DOVECOT_SUBMISSION_PORT" "$RECORD_PORT" "$DNS_PORT" "$((BASE + 45))") ||
        { fail ports "$busy (set INTEROP_PORT_BASE)"; return; }
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

    log "building the examples (release, feature mx)"
    (cd "$ROOT" && timeout 1800 cargo build -q --release -p mailwire --features mx \
        --example mailserver --example smtp-send) || { fail build "cargo build failed"; return; }
    local target=${CARGO_TARGET_DIR:-$ROOT/target}
    MAILSERVER=$target/release/examples/mailserver
    SMTP_SEND=$target/release/examples/smtp-send

    WORK=$(mktemp -d /tmp/mailwire-interop.XXXXXX)
    chmod 755 "$WORK"
    mkdir -p "$WORK/logs" "$WORK/tls" "$WORK/mail" "$WORK/ms"
    chmod 755 "$WORK/mail"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:mx1.example.test,DNS:mx2.example.test" \
        -addext "basicConstraints=critical,CA:FALSE" -addext "extendedKeyUsage=serverAuth" \
        -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" >/dev/null 2>&1 ||
        { fail tls "openssl failed"; return; }
    chmod 644 "$WORK/tls/cert.pem" "$WORK/tls/key.pem"
    make_messages

    start_postfix && pass "postfix started" || fail "postfix started" "$(tail -n 5 "$WORK/logs/postfix.log" "$WORK/logs/postfix.stderr" 2>/dev/null)"
    start_dovecot && pass "dovecot started" || fail "dovecot started" "$(tail -n 5 "$WORK/logs/dovecot.log" "$WORK/logs/dovecot.stderr" 2>/dev/null)"
    start_dnsmasq
    start_mailserver && pass "mailserver started" || { fail "mailserver started" "$(tail -n 5 "$WORK/logs/mailserver.log")"; return; }

    check "swaks plain" swaks_plain
    check "swaks --pipeline, two recipients" swaks_pipeline
    check "swaks STARTTLS, certificate verified" swaks_starttls
    check "swaks AUTH PLAIN on submission" swaks_auth PLAIN
    check "swaks AUTH LOGIN on submission" swaks_auth LOGIN
    check "swaks submission without AUTH: 530" swaks_submission_needs_auth
    check "swaks wrong password: 535" swaks_wrong_password
    check "swaks 8-bit body" swaks_8bit
    check "swaks unknown user: 550 5.1.1" swaks_unknown_user
    check "swaks remote without AUTH: 554 5.7.1" swaks_no_open_relay
    check "swaks aliases" swaks_aliases
    check "swaks message over --max-message-size: 552" swaks_too_big
    check "swaks submission relays to Postfix" swaks_relay
    local out
    if [[ -n ${INTEROP_ONLY:-} ]]; then
        : # only the checks named
    elif out=$(python_checks 2>&1); then
        while read -r line; do [[ $line == ok* ]] && pass "${line#ok   }"; done <<<"$out"
    else
        while read -r line; do
            case $line in
                ok*) pass "${line#ok   }" ;;
                FAIL*) fail "${line#FAIL }" "$(grep '^  ' <<<"$out")" ;;
            esac
        done <<<"$out"
        grep -qE '^(ok|FAIL)' <<<"$out" || fail "smtplib" "$out"
    fi

    check "smtp-send to Postfix: STARTTLS, SMTPUTF8, PIPELINING, CHUNKING, DSN" send_postfix
    check "smtp-send to Postfix: DATA without pipelining" send_postfix_data
    check "smtp-send refuses an unverified certificate" send_unverified_refused
    check "smtp-send to Dovecot LMTP: per-recipient replies" send_dovecot_lmtp
    check "smtp-send to Dovecot submission: AUTH" send_dovecot_submission
    check "smtp-send to Dovecot submission: wrong password" send_dovecot_wrong_password
    check "smtp-send to mailserver submission: AUTH SCRAM-SHA-256" send_mailserver_submission
    check "smtp-send to mailserver LMTP: per-recipient replies" send_mailserver_lmtp
    check "smtp-send --mx through dnsmasq" send_mx
    check "MX resolution tests against dnsmasq" mx_tests

    check "load: smtp-source -s 50 -m $LOAD_MESSAGES, each delivered once" load_smtp_source
    LOAD_RATE=$(cat "$WORK/load-rate" 2>/dev/null)
    log "load: $(cat "$WORK/load-count" 2>/dev/null) of $LOAD_MESSAGES messages delivered, ${LOAD_RATE:-?} msg/s"
    check "load: 1000 concurrent sessions" load_concurrent
    log "1000 concurrent sessions: $(cat "$WORK/concurrent-count" 2>/dev/null) of 5000 messages delivered"
    if [[ -n ${INTEROP_ONLY:-} ]]; then
        : # no bench when only some checks run
    elif bench_smtp_sink; then
        log "bench: mailserver $LOAD_RATE msg/s (fsync per message), smtp-sink $SINK_RATE msg/s (no storage)"
        if [[ -n $LOAD_RATE && -n $SINK_RATE && $SINK_RATE != 0 ]]; then
            log "bench: ratio $(awk -v a="$LOAD_RATE" -v b="$SINK_RATE" 'BEGIN { printf "%.2f", a / b }')x"
        fi
        if bench_tmpfs; then
            log "bench: mailserver with Maildirs on tmpfs $TMPFS_RATE msg/s, ratio $(awk -v a="$TMPFS_RATE" -v b="$SINK_RATE" 'BEGIN { printf "%.2f", a / b }')x"
        fi
    else
        log "bench: smtp-sink run failed"
    fi
    if grep -q " ERROR " "$WORK/logs/mailserver.log"; then
        fail "mailserver log has no errors" "$(grep " ERROR " "$WORK/logs/mailserver.log" | head -n 5)"
    else
        pass "mailserver log has no errors"
    fi
}

main
log "took $(($(date +%s) - T0)) s"
if ((failed > 0)); then
    log "failed: ${failures[*]}"
fi
echo "interop: $passed passed, $failed failed"
((failed == 0))
