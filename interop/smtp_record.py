#!/usr/bin/env python3
"""A recording SMTP proxy for one session, STARTTLS included, and a check
of what the recording shows.

Usage: smtp_record.py proxy LISTEN_PORT UPSTREAM_PORT CERT KEY TRANSCRIPT
       smtp_record.py check TRANSCRIPT EXPECTATION...

proxy: accepts one client on 127.0.0.1:LISTEN_PORT and relays it to
127.0.0.1:UPSTREAM_PORT. When the client sends STARTTLS and the server
answers 220, the proxy completes TLS with both: as the server towards the
client (CERT and KEY, which the client must trust) and as a client towards
the server (verified against CERT as "localhost"). Every read from the
client, before and after TLS, is written to TRANSCRIPT as one JSON line
{"tls": bool, "data": text (latin-1)}: one line per read shows which
commands arrived together, so a test can tell pipelined commands (several
in one read) from commands sent one at a time, and see BDAT, DATA and the
parameters of MAIL and RCPT as they went over the wire.

TRANSCRIPT is created once the proxy listens. Exits when the session
ends, or after 120 s.

check: splits the client's bytes into commands (skipping BDAT chunks and
DATA content) and checks each EXPECTATION; prints the commands, with the
read each arrived in, and exits 1 when one does not hold:

  tls                   MAIL came after STARTTLS
  pipelined             MAIL and RCPT commands arrived together in one read
  unpipelined           every command arrived alone in its read (DATA
                        content only after DATA's own read)
  bdat                  the message went with BDAT, the last one LAST; no DATA
  data                  the message went with DATA; no BDAT
  mail-param=P          the MAIL command has parameter P (e.g. SMTPUTF8)
  rcpt-param=P          every RCPT command has parameter P
  rcpts=N               N RCPT commands
"""

import json
import re
import select
import socket
import ssl
import sys
import threading

TIMEOUT = 120


def read_reply(sock):
    """Reads one whole SMTP reply (the last line has a space after the code)."""
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
        lines = data.split(b"\r\n")
        if len(lines) >= 2 and len(lines[-2]) >= 4 and lines[-2][3:4] == b" ":
            return data


def proxy(listen_port, upstream_port, cert, key, transcript_path):
    lock = threading.Lock()

    def record(data, tls):
        with lock:
            transcript.write(json.dumps({"tls": tls, "data": data.decode("latin-1")}) + "\n")
            transcript.flush()

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", int(listen_port)))
    listener.listen(1)
    listener.settimeout(TIMEOUT)
    # The transcript appears once the proxy listens: the caller waits for
    # it (a probe connection would be taken for the client).
    transcript = open(transcript_path, "w", encoding="utf-8")
    client, _ = listener.accept()
    listener.close()
    server = socket.create_connection(("127.0.0.1", int(upstream_port)), timeout=TIMEOUT)
    client.settimeout(TIMEOUT)

    # Plaintext phase: relay until STARTTLS is accepted or the session ends.
    upgraded = False
    while not upgraded:
        ready, _, _ = select.select([client, server], [], [], TIMEOUT)
        if not ready:
            sys.exit("smtp_record: timed out")
        if server in ready:
            data = server.recv(65536)
            if not data:
                return
            client.sendall(data)
        if client in ready:
            data = client.recv(65536)
            if not data:
                return
            record(data, False)
            server.sendall(data)
            if data.strip().upper() == b"STARTTLS":
                reply = read_reply(server)
                client.sendall(reply)
                upgraded = reply.startswith(b"220 ")

    to_server = ssl.create_default_context(cafile=cert)
    server = to_server.wrap_socket(server, server_hostname="localhost")
    to_client = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    to_client.load_cert_chain(cert, key)
    client = to_client.wrap_socket(client, server_side=True)

    def pump(source, sink, log):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if log:
                    record(data, True)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            try:
                sink.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    threads = [
        threading.Thread(target=pump, args=(client, server, True), daemon=True),
        threading.Thread(target=pump, args=(server, client, False), daemon=True),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)


def commands(transcript_path):
    """The client's commands as (read number, tls, line, alone), in order."""
    reads = [json.loads(line) for line in open(transcript_path, encoding="utf-8")]
    stream = b""
    owner = []  # the read each byte of the stream came from
    for n, r in enumerate(reads):
        data = r["data"].encode("latin-1")
        stream += data
        owner += [(n, r["tls"])] * len(data)
    out = []
    i = 0
    in_data = False
    while i < len(stream):
        if in_data:
            end = stream.find(b"\r\n.\r\n", i - 2 if i >= 2 else i)
            if end < 0:
                break
            i = end + 5
            in_data = False
            continue
        end = stream.find(b"\r\n", i)
        if end < 0:
            break
        line = stream[i:end].decode("utf-8", "replace")
        n = owner[i][0]
        # Alone: nothing else of its read before or after it.
        alone = (i == 0 or owner[i - 1][0] != n) and (
            end + 2 == len(stream) or owner[end + 2][0] != n)
        out.append((n, owner[i][1], line, alone))
        i = end + 2
        verb = line.split(" ", 1)[0].upper()
        if verb == "BDAT":
            m = re.match(r"(?i)BDAT (\d+)", line)
            i += int(m.group(1)) if m else 0
        elif verb == "DATA":
            in_data = True
    return out


def check(transcript_path, expectations):
    cmds = commands(transcript_path)
    verbs = [line.split(" ", 1)[0].upper() for _, _, line, _ in cmds]
    per_read = {}
    for n, _, line, _ in cmds:
        per_read.setdefault(n, []).append(line)
    mails = [line for _, _, line, _ in cmds if line.upper().startswith("MAIL FROM:")]
    rcpts = [line for _, _, line, _ in cmds if line.upper().startswith("RCPT TO:")]
    failures = []
    for e in expectations:
        if e == "tls":
            ok = any(tls for _, tls, line, _ in cmds if line.upper().startswith("MAIL FROM:"))
        elif e == "pipelined":
            ok = any(sum(1 for l in ls if l.upper().startswith(("MAIL FROM:", "RCPT TO:"))) >= 2
                     for ls in per_read.values())
        elif e == "unpipelined":
            ok = all(alone for _, _, _, alone in cmds)
        elif e == "bdat":
            bdats = [line for _, _, line, _ in cmds if line.upper().startswith("BDAT ")]
            ok = bool(bdats) and bdats[-1].upper().endswith(" LAST") and "DATA" not in verbs
        elif e == "data":
            ok = "DATA" in verbs and "BDAT" not in verbs
        elif e.startswith("mail-param="):
            p = e.split("=", 1)[1].upper()
            ok = len(mails) == 1 and p in mails[0].upper().split()[1:]
        elif e.startswith("rcpt-param="):
            p = e.split("=", 1)[1].upper()
            ok = bool(rcpts) and all(p in r.upper().split()[1:] for r in rcpts)
        elif e.startswith("rcpts="):
            ok = len(rcpts) == int(e.split("=", 1)[1])
        else:
            sys.exit("smtp_record: unknown expectation " + e)
        if not ok:
            failures.append(e)
    if failures:
        for n, tls, line, alone in cmds:
            print("  read %2d%s: %s%s" % (n, " (TLS)" if tls else "", line,
                                         "" if alone else "   [shares its read]"))
        print("not seen on the wire: " + ", ".join(failures))
    return not failures


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "proxy":
        proxy(*sys.argv[2:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "check":
        sys.exit(0 if check(sys.argv[2], sys.argv[3:]) else 1)
    else:
        sys.exit(__doc__)
