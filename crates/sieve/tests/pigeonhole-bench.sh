#!/usr/bin/env bash
# Per-message cost of the 50-rule script (tests/bench/rules50.sieve) on the
# bench messages (tests/bench/generate.rs): Pigeonhole's sieve-test, one
# process per message as it works, against mailwire-sieve in one process
# (message parsing included). Prints both per-message figures.
#
# Usage: crates/sieve/tests/pigeonhole-bench.sh [PIGEONHOLE_MESSAGES] [MAILWIRE_MESSAGES]
# (defaults 200 and 10000). Needs sieve-test (apt-get install dovecot-sieve).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
ph_count="${1:-200}"
mw_count="${2:-10000}"

cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p mailwire-sieve --example sieve-run
runner="$root/target/release/examples/sieve-run"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$runner" --generate "$mw_count" "$work/messages"
cp "$here/bench/rules50.sieve" "$work/"
if [ "$(id -u)" = 0 ]; then
    printf 'mail_uid = nobody\nmail_gid = nogroup\n' > "$work/dovecot.conf"
fi
printf 'mail_location = maildir:%s/mail\n' "$work" >> "$work/dovecot.conf"
chmod -R a+rwX "$work"
# Compile once so that every run loads the saved binary, as a server would.
(cd "$work" && sieve-test -c dovecot.conf rules50.sieve messages/00000.eml >/dev/null 2>&1 || true)

files=()
for ((i = 0; i < ph_count; i++)); do files+=("$(printf '%s/messages/%05d.eml' "$work" "$i")"); done
start=$(date +%s%N)
for f in "${files[@]}"; do
    to="$(sed -n 's/^X-Envelope-To: *\(.*\)\r$/\1/p' "$f")"
    (cd "$work" && sieve-test -c dovecot.conf -r "$to" rules50.sieve "$f" >/dev/null 2>&1)
done
end=$(date +%s%N)
ph_us=$(( (end - start) / 1000 / ph_count ))
echo "pigeonhole sieve-test: $ph_count messages, ${ph_us} us per message (process start, script load, parse, run)"
echo -n "mailwire-sieve, the same $ph_count messages: "
"$runner" --time "$work/rules50.sieve" "${files[@]}"
echo -n "mailwire-sieve, $mw_count messages: "
"$runner" --time "$work/rules50.sieve" "$work"/messages/*.eml
