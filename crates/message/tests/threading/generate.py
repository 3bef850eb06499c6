"""Writes generated.mbox: 1000 messages with random threading headers
(References chains, In-Reply-To only, missing parents, duplicate and
missing Message-IDs, reference loops, reply and forward subjects, blobs,
equal dates) for comparing threading with Dovecot. Deterministic."""
import random

rng = random.Random(5256)
subjects = ["lunch", "Plans", "build failure", "release 1.0", "", "[list] news", "Meeting"]
prefixes = ["", "", "Re: ", "RE: ", "Re[2]: ", "Fwd: ", "Fw: ", "[list] Re: ", "Re: [list] ", "re:re: "]
ids = []
out = []
for n in range(1000):
    own = f"{n}.{rng.randrange(10**6)}@gen.example"
    if ids and rng.random() < 0.03:
        own = rng.choice(ids)  # duplicate
    headers = []
    if rng.random() > 0.04:
        headers.append(f"Message-ID: <{own}>")
    ids.append(own)
    kind = rng.random()
    if kind < 0.45 and len(ids) > 1:
        chain = rng.sample(ids[:-1], min(len(ids) - 1, rng.randrange(1, 5)))
        if rng.random() < 0.1:
            chain.append(f"missing.{n}@gen.example")
        if rng.random() < 0.05:
            chain.append(own)  # a loop through itself
        headers.append("References: " + " ".join(f"<{c}>" for c in chain))
    elif kind < 0.65 and len(ids) > 1:
        headers.append(f"In-Reply-To: <{rng.choice(ids[:-1])}> (sent by someone)")
    subject = rng.choice(prefixes) + rng.choice(subjects)
    if rng.random() < 0.05:
        subject = f"[fwd: {subject}]"
    if rng.random() < 0.05:
        subject += " (fwd)"
    headers.append(f"Subject: {subject}")
    if rng.random() > 0.05:
        day = rng.randrange(1, 28)
        hour = rng.randrange(0, 3)
        zone = rng.choice(["+0000", "-0800", "+0530"])
        headers.append(f"Date: {day} Mar 2020 {hour:02}:00:00 {zone}")
    headers.append("From: someone@gen.example")
    out.append("From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n" + "\n".join(headers) + "\n\nbody\n\n")
open("generated.mbox", "w").write("".join(out))
