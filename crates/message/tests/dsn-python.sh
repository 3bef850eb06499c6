#!/bin/sh
# Builds the sample delivery status notifications of src/dsn/tests.rs and
# reads each one with Python's `email` package: multipart/report with
# report-type=delivery-status, a message/delivery-status part whose
# groups carry the required fields (RFC 3464 §2.2, §2.3), the returned
# content type, and no parse defect.
# Prints "dsn-python: N/N" and exits non-zero if any sample fails.
set -eu
cd "$(dirname "$0")/../../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
DSN_SAMPLES_DIR="$dir" cargo test -q -p mailwire-message --lib \
    dsn::tests::write_samples_for_python -- --exact >/dev/null
python3 - "$dir" <<'PY'
import email, email.policy, pathlib, sys

expected = {
    "failed-headers": ("text/rfc822-headers", ["failed"]),
    "failed-full": ("message/rfc822", ["failed", "delivered"]),
    "delayed": (None, ["delayed"]),
}
files = sorted(pathlib.Path(sys.argv[1]).glob("*.eml"))
passed = 0
for path in files:
    problems = []
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    returned, actions = expected.get(path.stem, (None, []))
    def check(ok, what):
        if not ok:
            problems.append(what)
    check(msg.get_content_type() == "multipart/report", "content type")
    check(msg.get_param("report-type") == "delivery-status", "report-type")
    parts = msg.get_payload()
    check(isinstance(parts, list) and len(parts) == (3 if returned else 2), "part count")
    if isinstance(parts, list) and len(parts) >= 2:
        check(parts[0].get_content_type() == "text/plain", "human-readable part")
        check(len(parts[0].get_content()) > 0, "human-readable text")
        status = parts[1]
        check(status.get_content_type() == "message/delivery-status", "status part")
        groups = status.get_payload()
        check(isinstance(groups, list) and len(groups) == 1 + len(actions), "groups")
        if isinstance(groups, list) and groups:
            check(groups[0]["Reporting-MTA"] == "dns; mx.example.org", "Reporting-MTA")
            check(groups[0]["Original-Envelope-Id"] == "QQ314159", "ENVID")
            check(groups[0]["Arrival-Date"] is not None, "Arrival-Date")
            for group, action in zip(groups[1:], actions):
                check(group["Action"] == action, "Action")
                check(str(group["Final-Recipient"]).startswith("rfc822; "), "Final-Recipient")
                check(group["Status"] is not None, "Status")
                if action == "failed":
                    check(group["Original-Recipient"] == "rfc822; Bob@Example.NET", "ORCPT")
                    check("User unknown" in str(group["Diagnostic-Code"]), "Diagnostic-Code")
                if action == "delayed":
                    check(group["Will-Retry-Until"] is not None, "Will-Retry-Until")
        if returned:
            check(parts[2].get_content_type() == returned, "returned content type")
            if returned == "message/rfc822":
                inner = parts[2].get_payload()[0]
                check(inner["Message-ID"] == "<1@example.org>", "returned message")
    for part in msg.walk():
        check(not part.defects, "defects %r" % (part.defects,))
    if problems:
        print("FAIL %s: %s" % (path.name, ", ".join(problems)))
    else:
        passed += 1
print("dsn-python: %d/%d" % (passed, len(files)))
sys.exit(0 if files and passed == len(files) else 1)
PY
