#!/usr/bin/env bash
# Delivery-time filtering of the mailserver example, end to end: a Sieve
# script that files by List-Id, one that files by the `+detail` of the
# recipient, over SMTP and LMTP; the folders are checked in the Maildir
# and the INBOX message is fetched over POP3.
#
# Ports: 25025 (SMTP), 25024 (LMTP), 25110 (POP3), on 127.0.0.1.
set -u
cd "$(dirname "$0")/.."

SMTP=25025
LMTP=25024
POP3=25110
PASS=0
FAIL=0
WORK=$(mktemp -d)
SERVER=

stop() {
    if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
        kill "$SERVER"
        wait "$SERVER" 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap stop EXIT

check() {
    local name=$1
    shift
    if "$@"; then
        PASS=$((PASS + 1))
        echo "ok   $name"
    else
        FAIL=$((FAIL + 1))
        echo "FAIL $name"
    fi
}

cargo build -q --example mailserver || { echo "filter-interop: 0 passed, 1 failed"; exit 1; }
BIN=target/debug/examples/mailserver

mkdir -p "$WORK/sieve"
printf 'alice@example.org:alice-pw\nbob@example.org:bob-pw\n' > "$WORK/users"
cat > "$WORK/sieve/alice@example.org.sieve" <<'SIEVE'
require ["fileinto", "imap4flags"];
if header :contains "List-Id" "<rust.lists.example.org>" {
    fileinto :flags "\\Flagged" "Lists/Rust";
    stop;
}
SIEVE
cat > "$WORK/sieve/bob@example.org.sieve" <<'SIEVE'
require ["fileinto", "envelope", "subaddress", "reject"];
if envelope :detail "to" "shop" { fileinto "Shopping"; stop; }
if header :contains "Subject" "unwanted" { reject "no, thanks"; }
SIEVE

# A broken script: the server refuses to start, naming path:line:col.
mkdir -p "$WORK/bad"
printf 'keep;\nfileinto "x";\n' > "$WORK/bad/alice@example.org.sieve"
out=$("$BIN" --data-dir "$WORK/mail-bad" --users "$WORK/users" --sieve-dir "$WORK/bad" \
    --smtp 127.0.0.1:$SMTP 2>&1)
code=$?
check "broken script refuses start" test "$code" -ne 0
check "error names path:line:col" grep -q "alice@example.org.sieve:2:1: " <<<"$out"

"$BIN" --data-dir "$WORK/mail" --users "$WORK/users" --sieve-dir "$WORK/sieve" \
    --smtp 127.0.0.1:$SMTP --lmtp 127.0.0.1:$LMTP --pop3 127.0.0.1:$POP3 \
    > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
    (exec 3<>/dev/tcp/127.0.0.1/$POP3) 2>/dev/null && break
    sleep 0.1
done

send() { # port protocol to header... -- body
    local port=$1 proto=$2 to=$3
    shift 3
    swaks --silent 2 --server 127.0.0.1 --port "$port" --protocol "$proto" \
        --from carol@example.net --to "$to" "$@" >>"$WORK/swaks.log" 2>&1
}

count() { # maildir-subdir
    find "$WORK/mail/example.org/$1/new" "$WORK/mail/example.org/$1/cur" -type f 2>/dev/null | wc -l
}

check "list mail accepted (SMTP)" send $SMTP ESMTP alice@example.org \
    --header "List-Id: Rust <rust.lists.example.org>" --header "Subject: list post"
check "plain mail accepted (SMTP)" send $SMTP ESMTP alice@example.org --header "Subject: hello alice"
check "+detail accepted (LMTP)" send $LMTP LMTP bob+shop@example.org --header "Subject: order"
check "plain mail accepted (LMTP)" send $LMTP LMTP bob@example.org --header "Subject: hello bob"
send $SMTP ESMTP bob@example.org --header "Subject: unwanted offer"
check "reject answered 550 5.7.1" grep -q "550 5.7.1 no, thanks" "$WORK/swaks.log"

check "List-Id filed into Lists/Rust" test "$(count alice/Maildir/.Lists.Rust)" -eq 1
check "Lists/Rust message flagged" bash -c "ls '$WORK/mail/example.org/alice/Maildir/.Lists.Rust/cur' | grep -q ':2,F'"
check "other mail in alice INBOX" test "$(count alice/Maildir)" -eq 1
check "+shop filed into Shopping" test "$(count bob/Maildir/.Shopping)" -eq 1
check "bob INBOX has one (rejected not stored)" test "$(count bob/Maildir)" -eq 1

pop() { # user password subject
    python3 - "$POP3" "$1" "$2" "$3" <<'PY'
import poplib, sys
port, user, password, subject = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
p = poplib.POP3("127.0.0.1", port, timeout=10)
p.user(user)
p.pass_(password)
count, _ = p.stat()
found = []
for i in range(1, count + 1):
    _, lines, _ = p.retr(i)
    found += [l.decode() for l in lines if l.lower().startswith(b"subject:")]
p.quit()
sys.exit(0 if found == ["Subject: " + subject] else 1)
PY
}
check "alice INBOX over POP3" pop alice@example.org alice-pw "hello alice"
check "bob INBOX over POP3" pop bob@example.org bob-pw "hello bob"

echo "filter-interop: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
