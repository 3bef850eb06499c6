#!/usr/bin/env python3
"""Differential test: mailwire-message's `mime-tree` against Python's `email`.

Usage: differential.py MIME_TREE_BINARY CORPUS_DIR...

Parses every file with `email.message_from_bytes(policy=policy.default)`
and with the `mime-tree` example, and compares them field by field in the
`mime-tree` schema: subject, from, to, cc, date, message_id and, for every
leaf part, content_type, charset, filename, disposition, size and sha256.

Every difference must be listed in `differential-known.txt` (file, field,
reason: why Python is wrong there, or why the behaviours differ on purpose);
an unlisted difference fails the run, and so does a listed one that no
longer occurs, so the list stays exact.
"""

import email
import email.policy
import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def rfc3339(dt):
    if dt is None:
        return None
    base = dt.strftime('%Y-%m-%dT%H:%M:%S')
    offset = dt.utcoffset()
    if offset is None:
        return base + '-00:00'
    minutes = int(offset.total_seconds() // 60)
    sign = '+' if minutes >= 0 else '-'
    minutes = abs(minutes)
    return '%s%s%02d:%02d' % (base, sign, minutes // 60, minutes % 60)


def addresses(msg, name):
    try:
        header = msg[name]
        if header is None:
            return []
        return [{'name': a.display_name or None, 'addr': a.addr_spec}
                for a in header.addresses]
    except Exception as e:  # Python raises on some broken headers
        return ['python error: %s' % e]


def python_view(path):
    # message_from_bytes, not message_from_binary_file: the latter reads
    # through a TextIOWrapper that turns every CRLF into LF, so bodies would
    # not be the bytes of the message.
    with open(path, 'rb') as f:
        msg = email.message_from_bytes(f.read(), policy=email.policy.default)
    view = {'file': path}
    try:
        subject = msg['subject']
        view['subject'] = None if subject is None else str(subject).strip(' \t')
    except Exception as e:
        view['subject'] = 'python error: %s' % e
    for name in ('from', 'to', 'cc'):
        view[name] = addresses(msg, name)
    try:
        date = msg['date']
        view['date'] = None if date is None else rfc3339(date.datetime)
    except Exception as e:
        view['date'] = 'python error: %s' % e
    try:
        mid = msg['message-id']
        view['message_id'] = None if mid is None else str(mid).strip()
    except Exception as e:
        view['message_id'] = 'python error: %s' % e
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b''
        filename = part.get_filename()
        parts.append({
            'content_type': part.get_content_type(),
            'charset': part.get_content_charset(),
            'filename': filename.strip() if filename else None,
            'disposition': part.get_content_disposition(),
            'size': len(payload),
            'sha256': hashlib.sha256(payload).hexdigest(),
        })
    view['parts'] = parts
    return view


def compare(ours, theirs):
    """Yields (field, ours, theirs) for every differing field."""
    for key in ('subject', 'from', 'to', 'cc', 'date', 'message_id'):
        if ours.get(key) != theirs.get(key):
            yield key, ours.get(key), theirs.get(key)
    a, b = ours['parts'], theirs['parts']
    if len(a) != len(b):
        yield 'parts.count', len(a), len(b)
    for i, (pa, pb) in enumerate(zip(a, b)):
        for key in ('content_type', 'charset', 'filename', 'disposition', 'size', 'sha256'):
            if pa.get(key) != pb.get(key):
                yield 'parts[%d].%s' % (i, key), pa.get(key), pb.get(key)


def load_known():
    known = {}
    with open(os.path.join(HERE, 'differential-known.txt'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            name, field, reason = (x.strip() for x in line.split('|', 2))
            if field == '*' or not reason:
                sys.exit('differential-known.txt: %r: one field and a reason per line' % line)
            known[(name, field)] = reason
    return known


def main():
    binary, dirs = sys.argv[1], sys.argv[2:]
    files = sorted(os.path.join(d, f) for d in dirs for f in os.listdir(d))
    out = subprocess.run([binary] + files, check=True, stdout=subprocess.PIPE).stdout
    ours = [json.loads(line) for line in out.decode('utf-8').splitlines()]
    assert len(ours) == len(files)
    known = load_known()
    seen = set()
    fields = agree = 0
    unexpected = []
    for mine in ours:
        path = mine['file']
        name = os.path.basename(path)
        theirs = python_view(path)
        diffs = list(compare(mine, theirs))
        fields += 6 + 6 * max(len(mine['parts']), len(theirs['parts']))
        for field, a, b in diffs:
            key = (name, field)
            if key in known:
                seen.add(key)
            else:
                unexpected.append('%s %s:\n  mailwire: %r\n  python:   %r' % (name, field, a, b))
        agree += 1 if not diffs else 0
    stale = sorted(set(known) - seen)
    print('differential: %d files, %d identical, %d fields compared, %d documented differences'
          % (len(files), agree, fields, len(seen)))
    for u in unexpected:
        print('UNDOCUMENTED DIFFERENCE', u)
    for s in stale:
        print('STALE ENTRY (no longer differs):', s)
    sys.exit(1 if unexpected or stale else 0)


if __name__ == '__main__':
    main()
