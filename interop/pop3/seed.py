#!/usr/bin/env python3
"""Seeds the POP3 interop Maildir and writes what each message must look like.

usage: seed.py MAILDIR EXPECTED_DIR

Every message is written with CRLF line endings, which is how POP3 carries
it, so a fetched message must equal its seed byte for byte. EXPECTED_DIR
gets two folders: retr/ (the whole messages) and top0/ (the header and the
blank line, the answer to TOP n 0).
"""
import os
import sys


def crlf(lines):
    return "".join(line + "\r\n" for line in lines).encode("utf-8")


def header(n, subject, extra=()):
    return [
        f"From: Sender {n} <sender{n}@remote.test>",
        "To: Carol <carol@interop.test>",
        f"Subject: {subject}",
        f"Date: Mon, 30 Nov 2026 12:{n:02d}:00 +0000",
        f"Message-ID: <pop3-{n}@interop.test>",
        "MIME-Version: 1.0",
        *extra,
    ]


MESSAGES = [
    header(1, "plain") + ["", "Hello, Carol.", "Second line."],
    header(2, "dot-leading lines")
    + ["", ".leading dot", "..two leading dots", ".", "a lone dot above", "...three", "end"],
    header(3, "=?UTF-8?Q?8-bit_gr=C3=BC=C3=9Fe?=",
           ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"])
    + ["", "Grüße aus Köln — ✓ 日本語 📬", ".Überlänge with a dot first"],
    # Larger than one 16 KiB chunk, with dots near every line start.
    header(4, "large") + [""] + [f".{k:05d} " + "x" * 70 for k in range(2000)],
    header(5, "empty body") + [""],
]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    maildir, expected = sys.argv[1], sys.argv[2]
    for d in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(maildir, d), exist_ok=True)
    for d in ("retr", "top0"):
        os.makedirs(os.path.join(expected, d), exist_ok=True)
    for n, lines in enumerate(MESSAGES, 1):
        data = crlf(lines)
        name = f"1700000000.M{n}P1.interop"
        with open(os.path.join(maildir, "new", name), "wb") as f:
            f.write(data)
        with open(os.path.join(expected, "retr", f"{n}.eml"), "wb") as f:
            f.write(data)
        head = data[: data.index(b"\r\n\r\n") + 4]
        with open(os.path.join(expected, "top0", f"{n}.eml"), "wb") as f:
            f.write(head)
    print(f"seeded {len(MESSAGES)} messages into {maildir}")


if __name__ == "__main__":
    main()
