"""Reads every .eml file of a directory with Python's email package
(policy.default) and fails on any defect or unreadable header or part."""
import email
import email.policy
import pathlib
import sys


def check(path):
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    problems = []
    for part in message.walk():
        if part.defects:
            problems.append(f"defects {part.defects!r}")
        for name, value in part.items():
            if getattr(value, "defects", None):
                problems.append(f"{name}: {value.defects!r}")
            str(value)
        if not part.is_multipart() and part.get_content_type() != "message/rfc822":
            part.get_content()
    return problems


def main():
    files = sorted(pathlib.Path(sys.argv[1]).glob("*.eml"))
    if not files:
        sys.exit("builder-python: no messages written")
    failed = 0
    for path in files:
        problems = check(path)
        if problems:
            failed += 1
            print(f"{path.name}: {'; '.join(problems)}")
    print(f"builder-python: {len(files) - failed}/{len(files)} messages without defects")
    sys.exit(1 if failed else 0)


main()
