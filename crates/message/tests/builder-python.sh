#!/usr/bin/env bash
# Checks messages written by the builder with Python's email package
# (policy.default): no defects on any part, every header field readable,
# every leaf's content decodable. Fails without python3.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
if ! command -v python3 >/dev/null 2>&1; then
    echo "builder-python: python3 not found" >&2
    exit 1
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cd "$root"
MAILWIRE_BUILT_DIR="$out" cargo test --quiet -p mailwire-message --test builder samples_reparse_without_defects >/dev/null
exec python3 "$here/builder_python.py" "$out"
