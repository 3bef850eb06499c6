#!/usr/bin/env bash
# Records how Dovecot threads an mbox (IMAP THREAD REFERENCES and
# ORDEREDSUBJECT, RFC 5256), for tests/threading.rs to compare with.
#
#   crates/message/tests/thread-dovecot.sh [MBOX [OUTPUT]]
#
# Defaults: threading/notmuch.mbox into threading/notmuch.dovecot. Starts
# Dovecot from shared/peers (as root) under its own PEERS_DIR and ports,
# APPENDs every message in order with the internal date 01-Jan-2000
# 00:00:00 +0000, writes the two THREAD responses, stops Dovecot.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
mbox="${1:-$here/threading/notmuch.mbox}"
output="${2:-$here/threading/notmuch.dovecot}"
peers="${PEERS_SCRIPTS:-$root/../shared/peers}"
[[ -d $peers ]] || peers=/work/shared/peers
export PEERS_DIR="${PEERS_DIR:-/tmp/mw-peers-message}"
export PEERS_IMAP_PORT="${PEERS_IMAP_PORT:-24143}" PEERS_IMAPS_PORT="${PEERS_IMAPS_PORT:-24144}"
export PEERS_POP3_PORT="${PEERS_POP3_PORT:-24110}" PEERS_POP3S_PORT="${PEERS_POP3S_PORT:-24111}"
export PEERS_LMTP_PORT="${PEERS_LMTP_PORT:-24024}" PEERS_SUBMISSION_PORT="${PEERS_SUBMISSION_PORT:-24587}"
"$peers/install-peers.sh" >/dev/null
"$peers/start-dovecot.sh" 0 >/dev/null
trap '"$peers/stop-peers.sh" dovecot >/dev/null' EXIT
python3 - "$mbox" "$output" <<'PY'
import imaplib, mailbox, os, sys
mbox, output = sys.argv[1], sys.argv[2]
imap = imaplib.IMAP4("127.0.0.1", int(os.environ["PEERS_IMAP_PORT"]))
imap.login("alice", "secret")
imap.select("INBOX")
typ, data = imap.search(None, "ALL")
if data[0]:
    imap.store(b",".join(data[0].split()), "+FLAGS", "\\Deleted")
    imap.expunge()
count = 0
box = mailbox.mbox(mbox, create=False)
for key in box.iterkeys():
    raw = box.get_bytes(key)
    imap.append("INBOX", None, '"01-Jan-2000 00:00:00 +0000"', raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    count += 1
imap.select("INBOX")
lines = []
for algorithm in ("REFERENCES", "ORDEREDSUBJECT"):
    typ, data = imap._simple_command("THREAD", algorithm, "UTF-8", "ALL")
    typ, data = imap._untagged_response(typ, data, "THREAD")
    lines.append(f"{algorithm} {data[0].decode() if data and data[0] else ''}")
imap.logout()
with open(output, "w") as f:
    f.write("\n".join(lines) + "\n")
print(f"thread-dovecot: {count} messages threaded into {output}")
PY
