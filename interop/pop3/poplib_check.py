#!/usr/bin/env python3
"""Drives a POP3 server with Python's poplib and checks its answers.

usage: poplib_check.py PORT USER PASSWORD MESSAGES_DIR [CA_FILE]

MESSAGES_DIR holds 1.eml, 2.eml, ... : the maildrop the server serves, in
order, with CRLF line endings. The checks: CAPA, USER/PASS, STAT, LIST,
UIDL, RETR (compared byte for byte), TOP n 0, DELE then RSET, DELE then
QUIT and a new session without the message; with CA_FILE also STLS. Every
connection is to 127.0.0.1 with a 30 s timeout. Prints one line per check
and "poplib: N passed, N failed"; the exit status is 1 on failure.
"""
import os
import poplib
import ssl
import sys
import traceback

if len(sys.argv) not in (5, 6):
    sys.exit(__doc__)
PORT, USER, PASSWORD, DIR = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
CA_FILE = sys.argv[5] if len(sys.argv) == 6 else None

messages = []
while os.path.exists(os.path.join(DIR, f"{len(messages) + 1}.eml")):
    with open(os.path.join(DIR, f"{len(messages) + 1}.eml"), "rb") as f:
        messages.append(f.read())

passed = failed = 0


def check(name, fn):
    global passed, failed
    try:
        fn()
        passed += 1
        print(f"poplib: ok   {name}")
    except Exception:
        failed += 1
        print(f"poplib: FAIL {name}: {traceback.format_exc().strip().splitlines()[-1]}")


def session():
    p = poplib.POP3("127.0.0.1", PORT, timeout=30)
    p.user(USER)
    p.pass_(PASSWORD)
    return p


def joined(lines):
    return b"".join(line + b"\r\n" for line in lines)


def capa():
    p = poplib.POP3("127.0.0.1", PORT, timeout=30)
    caps = p.capa()
    for cap in ("TOP", "UIDL", "USER", "PIPELINING", "RESP-CODES"):
        assert cap in caps, f"{cap} missing from {sorted(caps)}"
    p.quit()


def stat_list_uidl():
    p = session()
    count, size = p.stat()
    assert count == len(messages), (count, len(messages))
    assert size == sum(len(m) for m in messages), size
    _, lines, _ = p.list()
    sizes = [tuple(int(x) for x in line.split()) for line in lines]
    assert sizes == [(n, len(m)) for n, m in enumerate(messages, 1)], sizes
    _, lines, _ = p.uidl()
    uids = [line.split()[1] for line in lines]
    assert len(set(uids)) == len(messages), uids
    single = p.uidl(2).split()
    assert single[0] == b"+OK" and single[2] == uids[1], single
    p.quit()


def retr():
    p = session()
    for n, message in enumerate(messages, 1):
        _, lines, octets = p.retr(n)
        assert joined(lines) == message, f"message {n} differs"
    p.quit()


def top():
    p = session()
    for n, message in enumerate(messages, 1):
        _, lines, _ = p.top(n, 0)
        head = message[: message.index(b"\r\n\r\n") + 4]
        assert joined(lines) == head, f"TOP {n} 0 differs: {joined(lines)[-40:]!r}"
    p.quit()


def dele_rset():
    p = session()
    p.dele(1)
    assert p.stat()[0] == len(messages) - 1
    p.rset()
    assert p.stat()[0] == len(messages)
    p.quit()
    p = session()
    assert p.stat()[0] == len(messages)
    p.quit()


def dele_quit():
    p = session()
    _, lines, _ = p.uidl()
    first_uid = lines[0].split()[1]
    p.dele(1)
    p.quit()
    p = session()
    count, _ = p.stat()
    assert count == len(messages) - 1, count
    _, lines, _ = p.uidl()
    assert first_uid not in [line.split()[1] for line in lines]
    _, lines, _ = p.retr(1)
    assert joined(lines) == messages[1], "message 2 is not message 1 now"
    p.quit()


def stls():
    context = ssl.create_default_context(cafile=CA_FILE)
    p = poplib.POP3("localhost", PORT, timeout=30)
    assert "STLS" in p.capa()
    p.stls(context)
    assert "STLS" not in p.capa()
    p.user(USER)
    p.pass_(PASSWORD)
    p.stat()
    p.quit()


check("CAPA", capa)
check("USER/PASS, STAT, LIST, UIDL", stat_list_uidl)
check("RETR byte for byte", retr)
check("TOP n 0", top)
check("DELE then RSET", dele_rset)
if CA_FILE:
    check("STLS", stls)
check("DELE then QUIT, new session", dele_quit)
print(f"poplib: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
