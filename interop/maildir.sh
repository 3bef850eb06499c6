#!/usr/bin/env bash
# Maildir interoperability checks between mailwire-maildir and Dovecot, on
# 127.0.0.1 high ports:
#
#   - the store (through crates/maildir/examples/maildir-tool.rs) writes a
#     Maildir: 55 messages, a folder tree with a non-ASCII name, flags,
#     keywords, subscriptions, five messages left in new/;
#   - Dovecot, started on that Maildir, reports over IMAP the same
#     mailboxes, UIDVALIDITY, UIDNEXT, UID of every message, flags and
#     keywords, and subscriptions (LSUB) as the store;
#   - Dovecot's POP3 UIDLs (`%08Xu%08Xv`) are the store's UIDs and
#     UIDVALIDITY in lower-case hexadecimal;
#   - Dovecot appends, flags, expunges, copies, creates and (un)subscribes
#     over IMAP, and a scan by the store sees exactly Dovecot's view;
#   - Dovecot appends 30 messages over IMAP while the store delivers and
#     syncs 30: every message gets one UID and both report the same;
#   - the mailserver example delivers into the same Maildir over SMTP and
#     serves it over POP3 with the same UIDLs as Dovecot's POP3;
#   - timing: Dovecot's `doveadm mailbox status` and the store's open of a
#     Maildir of MAILDIR_INTEROP_BIG messages (default 100000), printed.
#
# Installs what is missing with apt-get (needs root then), starts its own
# Dovecot with the configuration in interop/maildir/, and stops everything
# it started, even on failure. Ends with "maildir-interop: N passed, N
# failed"; the exit status is 1 on failure.
#
# Environment: MAILDIR_INTEROP_IMAP_PORT (default 23143),
# MAILDIR_INTEROP_POP3_PORT (default 23110; mailserver listens on the
# next port for POP3 and 15 above it for SMTP), MAILDIR_INTEROP_BIG,
# MAILDIR_INTEROP_KEEP=1 keeps the work directory, CARGO_TARGET_DIR.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CONF=$HERE/maildir
IMAP_PORT=${MAILDIR_INTEROP_IMAP_PORT:-23143}
POP3_PORT=${MAILDIR_INTEROP_POP3_PORT:-23110}
MS_SMTP_PORT=$((POP3_PORT + 15))
MS_POP3_PORT=$((POP3_PORT + 1))
BIG=${MAILDIR_INTEROP_BIG:-100000}
MAIL_UID=65534
MAIL_GID=65534
USER_NAME=dora
PASSWORD=maildir-interop
T0=$(date +%s)

passed=0
failed=0
failures=()
WORK=
made_policy=
dovecot_started=
mailserver_pid=

log() { printf 'maildir-interop: %s\n' "$*"; }

stop_dovecot() {
    [[ -n $dovecot_started ]] || return 0
    local pid _
    pid=$(tr -dc '0-9' <"$WORK/dovecot/run/master.pid" 2>/dev/null)
    doveadm -c "$WORK/dovecot/dovecot.conf" stop >/dev/null 2>&1 ||
        { [[ -n $pid ]] && kill "$pid" 2>/dev/null; }
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
        if [[ ${MAILDIR_INTEROP_KEEP:-0} == 1 ]]; then
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

check() { # NAME FUNCTION...
    local name=$1
    shift
    local out
    if out=$("$@" 2>&1); then
        pass "$name"
    else
        fail "$name" "$(printf '%s' "$out" | tail -n 12)"
    fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # PORT: up to 20 s
    local _
    for _ in $(seq 200); do
        port_open "$1" && return 0
        sleep 0.1
    done
    return 1
}

install_missing() {
    local pkgs=(dovecot-core dovecot-imapd dovecot-pop3d python3)
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
        -e "s|@IMAP_PORT@|$IMAP_PORT|g" -e "s|@POP3_PORT@|$POP3_PORT|g" "$1" >"$2"
}

start_dovecot() {
    local cfg=$WORK/dovecot port
    mkdir -p "$cfg/run" "$cfg/state"
    render "$CONF/dovecot.conf" "$cfg/dovecot.conf"
    render "$CONF/users" "$cfg/users"
    printf 'big:{PLAIN}x:%s:%s::%s/mail/big::\n' "$MAIL_UID" "$MAIL_GID" "$WORK" >>"$cfg/users"
    chmod 644 "$cfg/users"
    for port in "$IMAP_PORT" "$POP3_PORT"; do
        if port_open "$port"; then
            echo "port $port is in use"
            return 1
        fi
    done
    dovecot_started=1
    timeout 60 dovecot -c "$cfg/dovecot.conf" >>"$WORK/logs/dovecot.stderr" 2>&1 </dev/null &&
        wait_port "$IMAP_PORT" && wait_port "$POP3_PORT"
}

# The store runs as the mail user, as Dovecot does, so that both can
# rewrite each other's files.
tool() { setpriv --reuid="$MAIL_UID" --regid="$MAIL_GID" --clear-groups "$TOOL" "$@"; }
imap() { timeout 120 python3 -B "$CONF/imap_check.py" "$1" 127.0.0.1 "$2" "$USER_NAME" "$PASSWORD" "${@:3}"; }
maildir() { printf '%s' "$WORK/mail/$USER_NAME/Maildir"; }

same() { # NAME_A FILE_A NAME_B FILE_B
    if ! cmp -s "$2" "$4"; then
        echo "$1 and $3 differ:"
        diff "$2" "$4" | head -n 20
        return 1
    fi
}

check_seed() {
    tool seed "$(maildir)" 50 || return 1
    tool dump "$(maildir)" >"$WORK/store-1.txt" || return 1
    [[ $(grep -c '^msg ' "$WORK/store-1.txt") == 65 ]] ||
        { echo "$(grep -c '^msg ' "$WORK/store-1.txt") messages, not 65"; return 1; }
    [[ $(find "$(maildir)/new" -type f | wc -l) == 5 ]] || { echo "new/ should hold 5"; return 1; }
}

check_dovecot_sees_store() {
    imap dump "$IMAP_PORT" >"$WORK/dovecot-1.txt" || return 1
    same store "$WORK/store-1.txt" Dovecot "$WORK/dovecot-1.txt"
}

check_pop3_uidl() {
    local validity want
    validity=$(awk '$1 == "mailbox" && $2 == "INBOX" { print $4 }' "$WORK/store-1.txt")
    want=$(awk -v v="$validity" '$1 == "msg" && $2 == "INBOX" { printf "%d %08x%08x\n", ++n, $3, v }' \
        "$WORK/store-1.txt")
    imap uidl "$POP3_PORT" >"$WORK/dovecot-uidl.txt" || return 1
    [[ $(cat "$WORK/dovecot-uidl.txt") == "$want" ]] ||
        { diff <(echo "$want") "$WORK/dovecot-uidl.txt" | head; return 1; }
}

check_store_sees_dovecot() {
    imap change "$IMAP_PORT" || return 1
    imap dump "$IMAP_PORT" >"$WORK/dovecot-2.txt" || return 1
    tool dump "$(maildir)" >"$WORK/store-2.txt" || return 1
    # The changes happened: an appended message, one expunged, a new folder.
    grep -q '^msg INBOX 56 \$Label1,DovecotKw,\\Seen$' "$WORK/store-2.txt" ||
        { echo "appended message missing"; return 1; }
    grep -q '^mailbox Dovecot/Neu über ' "$WORK/store-2.txt" || { echo "new folder missing"; return 1; }
    grep -q '^msg INBOX 1 ' "$WORK/store-2.txt" && { echo "UID 1 not expunged"; return 1; }
    # Both programs draw UIDVALIDITY from dovecot-uidvalidity: no repeats.
    [[ -z $(awk '$1 == "mailbox" { print $4 }' "$WORK/store-2.txt" | sort | uniq -d) ]] ||
        { echo "UIDVALIDITY given twice"; grep '^mailbox' "$WORK/store-2.txt"; return 1; }
    same Dovecot "$WORK/dovecot-2.txt" store "$WORK/store-2.txt"
}

check_concurrent() {
    # Dovecot appends over IMAP while the store delivers and syncs.
    local before
    before=$(grep -c '^msg INBOX ' "$WORK/store-2.txt")
    tool deliver "$(maildir)" 30 &
    local store_pid=$!
    imap append "$IMAP_PORT" 30 || return 1
    wait "$store_pid" || { echo "maildir-tool deliver failed"; return 1; }
    imap dump "$IMAP_PORT" >"$WORK/dovecot-3.txt" || return 1
    tool dump "$(maildir)" >"$WORK/store-3.txt" || return 1
    local now flagged
    now=$(grep -c '^msg INBOX ' "$WORK/store-3.txt")
    [[ $now == $((before + 60)) ]] || { echo "$now messages in INBOX, not $((before + 60))"; return 1; }
    flagged=$(awk '$1 == "msg" && $2 == "INBOX" && $3 > 56 && $4 == "\\Flagged"' "$WORK/store-3.txt" | wc -l)
    [[ $flagged == 30 ]] || { echo "$flagged appended messages seen, not 30"; return 1; }
    same Dovecot "$WORK/dovecot-3.txt" store "$WORK/store-3.txt"
}

start_mailserver() {
    # The mailserver example on the same Maildir: DIR/<domain>/<user>/Maildir.
    local ms=$WORK/ms port
    mkdir -p "$ms/data/example.test"
    ln -s "$WORK/mail/$USER_NAME" "$ms/data/example.test/$USER_NAME"
    printf '%s@example.test:%s\n' "$USER_NAME" "$PASSWORD" >"$ms/users"
    chown -R "$MAIL_UID:$MAIL_GID" "$ms"
    for port in "$MS_SMTP_PORT" "$MS_POP3_PORT"; do
        if port_open "$port"; then
            echo "port $port is in use"
            return 1
        fi
    done
    setpriv --reuid="$MAIL_UID" --regid="$MAIL_GID" --clear-groups "$MAILSERVER" \
        --data-dir "$ms/data" --domain example.test --users "$ms/users" \
        --smtp "127.0.0.1:$MS_SMTP_PORT" --pop3 "127.0.0.1:$MS_POP3_PORT" \
        >>"$WORK/logs/mailserver.log" 2>&1 </dev/null &
    mailserver_pid=$!
    wait_port "$MS_SMTP_PORT" && wait_port "$MS_POP3_PORT" ||
        { tail -n 5 "$WORK/logs/mailserver.log"; return 1; }
}

check_mailserver_uidl() {
    # A message delivered by mailserver's SMTP, then mailserver's POP3 and
    # Dovecot's POP3 give the same UIDL listing.
    timeout 60 python3 -c 'import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=30)
s.sendmail("a@remote.test", [sys.argv[2]], b"Subject: via mailserver\r\n\r\nHello.\r\n")
s.quit()' "$MS_SMTP_PORT" "$USER_NAME@example.test" || return 1
    imap uidl "$POP3_PORT" >"$WORK/dovecot-uidl-2.txt" || return 1
    imap uidl "$MS_POP3_PORT" >"$WORK/mailserver-uidl.txt" || return 1
    [[ $(wc -l <"$WORK/mailserver-uidl.txt") == $(($(wc -l <"$WORK/dovecot-uidl.txt") + 58)) ]] ||
        { echo "$(wc -l <"$WORK/mailserver-uidl.txt") messages: not the 60 added and 3 expunged"; return 1; }
    same Dovecot "$WORK/dovecot-uidl-2.txt" mailserver "$WORK/mailserver-uidl.txt"
}

check_timing() {
    local big=$WORK/mail/big/Maildir
    mkdir -p "$WORK/mail/big" && chown "$MAIL_UID:$MAIL_GID" "$WORK/mail/big"
    tool bulk "$big" "$BIG" || return 1
    local t0 t1 t2 t3
    t0=$(date +%s%N)
    doveadm -c "$WORK/dovecot/dovecot.conf" mailbox status -u big "messages uidnext" INBOX || return 1
    t1=$(date +%s%N)
    doveadm -c "$WORK/dovecot/dovecot.conf" mailbox status -u big "messages uidnext" INBOX || return 1
    t2=$(date +%s%N)
    {
        echo "doveadm mailbox status, $BIG messages: first (builds its index)" \
            "$(((t1 - t0) / 1000000)) ms, second $(((t2 - t1) / 1000000)) ms"
        # Directories changed in the last two seconds are always rescanned.
        sleep 2
        t3=$(date +%s%N)
        tool status "$big" INBOX || return 1
        echo "maildir-tool status (new process: uidlist, sidecar, both directories):" \
            "$((($(date +%s%N) - t3) / 1000000)) ms wall with process start"
    } >"$WORK/timing.txt"
}

main() {
    if ! install_missing; then
        fail "install" "apt-get failed"
        return
    fi
    WORK=$(mktemp -d /tmp/mailwire-maildir-interop.XXXXXX)
    chmod 755 "$WORK"
    mkdir -p "$WORK/logs" "$WORK/mail/$USER_NAME"
    chown "$MAIL_UID:$MAIL_GID" "$WORK/mail/$USER_NAME"
    log "building maildir-tool and mailserver"
    if ! (cd "$ROOT" && timeout 900 cargo build -q --release -p mailwire-maildir --example maildir-tool &&
        timeout 900 cargo build -q --example mailserver); then
        fail "build" "cargo build --example maildir-tool --example mailserver failed"
        return
    fi
    MAILSERVER=$WORK/mailserver
    cp "${CARGO_TARGET_DIR:-$ROOT/target}/debug/examples/mailserver" "$MAILSERVER"
    chmod 755 "$MAILSERVER"
    TOOL=$WORK/maildir-tool
    cp "${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/maildir-tool" "$TOOL"
    chmod 755 "$TOOL"
    check "store writes 50+5 messages, folders, flags, keywords, subscriptions" check_seed
    if ! start_dovecot; then
        fail "dovecot" "$(tail -n 5 "$WORK/logs/dovecot.log" "$WORK/logs/dovecot.stderr" 2>/dev/null)"
        return
    fi
    log "Dovecot $(dovecot --version | cut -d' ' -f1) on 127.0.0.1:$IMAP_PORT (IMAP) and :$POP3_PORT (POP3)"
    check "Dovecot reports the store's UIDVALIDITY, UIDs, flags, keywords, folders, subscriptions" \
        check_dovecot_sees_store
    check "Dovecot's POP3 UIDLs are %08x%08x (lower-case hex) of the store's UID and UIDVALIDITY" check_pop3_uidl
    check "the store sees Dovecot's APPEND, STORE, EXPUNGE, COPY, CREATE, (UN)SUBSCRIBE" \
        check_store_sees_dovecot
    check "Dovecot appends while the store delivers: one UID each, the same view" check_concurrent
    if start_mailserver >"$WORK/logs/mailserver-start.txt" 2>&1; then
        check "mailserver delivers over SMTP; its POP3 UIDLs equal Dovecot's on the same Maildir" \
            check_mailserver_uidl
    else
        fail "mailserver" "$(cat "$WORK/logs/mailserver-start.txt")"
    fi
    stop_mailserver
    check "timing: doveadm mailbox status and the store's open of $BIG messages" check_timing
    [[ -s $WORK/timing.txt ]] && while read -r line; do log "$line"; done <"$WORK/timing.txt"
    stop_dovecot
}

main
log "$passed passed, $failed failed in $(($(date +%s) - T0))s"
for f in "${failures[@]}"; do
    log "failed: $f"
done
((failed == 0))
