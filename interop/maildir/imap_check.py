"""Drives Dovecot over IMAP and POP3 for interop/maildir.sh.

dump HOST PORT USER PASS      prints mailboxes, UIDs, flags and subscriptions
                              in the format of `maildir-tool dump`
change HOST PORT USER PASS    appends, flags, expunges and creates over IMAP
append HOST PORT USER PASS N  appends N messages flagged \\Flagged
uidl HOST PORT USER PASS      prints POP3 UIDL lines "N UIDL"
"""
import base64
import imaplib
import poplib
import re
import sys

LIST_RE = re.compile(rb'\((?P<attrs>[^)]*)\) (?P<sep>"[^"]*"|NIL) (?P<name>.*)$')


def mutf7_decode(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "&":
            j = s.index("-", i)
            if j == i + 1:
                out.append("&")
            else:
                b64 = s[i + 1:j].replace(",", "/")
                b64 += "=" * (-len(b64) % 4)
                out.append(base64.b64decode(b64).decode("utf-16-be"))
            i = j + 1
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def mutf7_encode(s):
    out, run = [], []

    def flush():
        if run:
            b = "".join(run).encode("utf-16-be")
            out.append("&" + base64.b64encode(b).decode().rstrip("=").replace("/", ",") + "-")
            run.clear()

    for c in s:
        if " " <= c <= "~":
            flush()
            out.append("&-" if c == "&" else c)
        else:
            run.append(c)
    flush()
    return "".join(out)


def quote(name):
    return '"' + mutf7_encode(name).replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_list(lines):
    out = []
    for line in lines:
        if line is None:
            continue
        if isinstance(line, tuple):
            line = line[0] + line[1]
        m = LIST_RE.match(line)
        assert m, line
        attrs = m.group("attrs").decode().lower()
        name = m.group("name").decode()
        if name.startswith('"'):
            name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        out.append((attrs, mutf7_decode(name)))
    return out


def login(host, port, user, password):
    imap = imaplib.IMAP4(host, int(port), timeout=60)
    imap.login(user, password)
    return imap


def dump(imap):
    typ, lines = imap.list('""', "*")
    assert typ == "OK", lines
    names = [n for a, n in parse_list(lines) if "\\noselect" not in a and "\\nonexistent" not in a]
    names.sort(key=lambda n: (n != "INBOX", n))
    for name in names:
        typ, data = imap.status(quote(name), "(UIDVALIDITY UIDNEXT MESSAGES)")
        assert typ == "OK", data
        st = dict(re.findall(rb"(UIDVALIDITY|UIDNEXT|MESSAGES) (\d+)", data[0]))
        print(f"mailbox {name} uidvalidity {int(st[b'UIDVALIDITY'])} uidnext {int(st[b'UIDNEXT'])} "
              f"messages {int(st[b'MESSAGES'])}")
        typ, _ = imap.select(quote(name), readonly=True)
        assert typ == "OK"
        if int(st[b"MESSAGES"]) == 0:
            continue
        typ, data = imap.uid("FETCH", "1:*", "(FLAGS)")
        assert typ == "OK", data
        rows = []
        for item in data:
            if isinstance(item, tuple):
                item = item[0]
            m = re.search(rb"UID (\d+)", item)
            f = re.search(rb"FLAGS \(([^)]*)\)", item)
            flags = sorted(x for x in f.group(1).decode().split() if x != "\\Recent")
            rows.append((int(m.group(1)), ",".join(flags)))
        for uid, flags in sorted(rows):
            print(f"msg {name} {uid} {flags}")
    typ, lines = imap.lsub('""', "*")
    assert typ == "OK", lines
    for name in sorted(n for _, n in parse_list(lines)):
        print(f"subscribed {name}")


def change(imap):
    msg = b"From: dovecot@example.test\r\nSubject: appended by Dovecot\r\n\r\nHello from IMAP APPEND.\r\n"
    typ, data = imap.append("INBOX", r"(\Seen $Label1 DovecotKw)", None, msg)
    assert typ == "OK", data
    imap.select("INBOX")
    assert imap.uid("STORE", "2", "+FLAGS", r"(\Flagged NewKeyword)")[0] == "OK"
    assert imap.uid("STORE", "3", "-FLAGS", r"(\Seen)")[0] == "OK"
    assert imap.uid("STORE", "1", "+FLAGS", r"(\Deleted)")[0] == "OK"
    assert imap.expunge()[0] == "OK"
    imap.select(quote("Lists/rust"))
    assert imap.uid("STORE", "1:2", "+FLAGS", r"($Label1 \Answered)")[0] == "OK"
    assert imap.uid("COPY", "3", quote("Entwürfe"))[0] == "OK"
    assert imap.create(quote("Dovecot/Neu über"))[0] == "OK"
    assert imap.subscribe(quote("Dovecot/Neu über"))[0] == "OK"
    assert imap.unsubscribe(quote("Archive/2024"))[0] == "OK"


def append(imap, count):
    for i in range(count):
        msg = f"From: dovecot@example.test\r\nSubject: concurrent {i}\r\n\r\nAppended.\r\n".encode()
        typ, data = imap.append("INBOX", r"(\Flagged)", None, msg)
        assert typ == "OK", data


def uidl(host, port, user, password):
    p = poplib.POP3(host, int(port), timeout=60)
    p.user(user)
    p.pass_(password)
    for line in p.uidl()[1]:
        print(line.decode())
    p.quit()


def main():
    cmd, host, port, user, password = sys.argv[1:6]
    if cmd == "uidl":
        uidl(host, port, user, password)
        return
    imap = login(host, port, user, password)
    if cmd == "dump":
        dump(imap)
    elif cmd == "change":
        change(imap)
    elif cmd == "append":
        append(imap, int(sys.argv[6]))
    imap.logout()


main()
