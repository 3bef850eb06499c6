#!/usr/bin/env bash
# Compares mailwire-message with Python's email package on the test corpus.
# Fails when python3 is missing (install it: apt-get install python3). Run
# from anywhere.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
if ! command -v python3 >/dev/null 2>&1; then
    echo "differential: python3 not found" >&2
    exit 1
fi
cd "$root"
cargo build --quiet --example mime-tree
target="${CARGO_TARGET_DIR:-$root/target}"
exec python3 "$here/differential.py" "$target/debug/examples/mime-tree" \
    "$here/corpus/python" "$here/corpus/mailwire"
