#!/usr/bin/env bash
# Compares mailwire-sieve with Dovecot Pigeonhole's sieve-test on the
# scripts and messages under tests/pigeonhole/. Each message carries its
# envelope in X-Envelope-From and X-Envelope-To. Both sides print their
# actions normalised (folder, lowercased sorted flags, redirect address,
# reject, vacation period), sorted; any difference fails.
#
# Known divergence, kept out of the scripts: Pigeonhole 0.5.19 lets a
# :matches pattern that starts with several "?" match strings it should
# not ("???x*" matches "Sunday lunch"); mailwire-sieve follows RFC 5228
# §2.7.1.
#
# Needs sieve-test (Debian: apt-get install dovecot-sieve). Starts no server.
# Usage: crates/sieve/tests/pigeonhole.sh   (from the workspace root or anywhere)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cases="$here/pigeonhole"

if ! command -v sieve-test >/dev/null; then
    echo "sieve-test not found (apt-get install dovecot-sieve)" >&2
    exit 1
fi

cargo build --quiet --manifest-path "$root/Cargo.toml" -p mailwire-sieve --example sieve-run
runner="$root/target/debug/examples/sieve-run"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
# sieve-test drops privileges to the mail user; it never opens the Maildir
# without -e.
if [ "$(id -u)" = 0 ]; then
    printf 'mail_uid = nobody\nmail_gid = nogroup\n' > "$work/dovecot.conf"
fi
# Executing (-e) stores into this throw-away Maildir.
printf 'mail_location = maildir:%s/mail\n' "$work" >> "$work/dovecot.conf"
cp "$cases"/scripts/*.sieve "$here"/bench/rules50.sieve "$cases"/messages/*.eml "$work/"
chmod 777 "$work"
chmod 644 "$work"/*
mkdir -m 777 "$work/mail"

normalise_pigeonhole() {
    awk -v sent="$1" '
    function flush() {
        if (kind == "store") {
            n = split(tolower(flags), f, " "); out = ""
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (f[j] < f[i]) { t = f[i]; f[i] = f[j]; f[j] = t }
            for (i = 1; i <= n; i++) out = out (i > 1 ? " " : "") f[i]
            print "store " folder " flags=" out
        } else if (kind == "vacation") {
            if (sent) print "vacation seconds=" seconds
        }
        kind = ""; flags = ""
    }
    /^ \* store message in folder: / { flush(); kind = "store"; folder = substr($0, index($0, "folder: ") + 8); next }
    /^ +\+ add IMAP flags: / { flags = flags " " substr($0, index($0, "flags: ") + 7); next }
    /^ \* redirect message to: / { flush(); a = substr($0, index($0, "to: ") + 4); gsub(/[<>]/, "", a); print "redirect " a; next }
    /^ \* send vacation message:/ { flush(); kind = "vacation"; next }
    /=> seconds *: / { seconds = $NF; next }
    /^ \* reject message/ { flush(); print "reject"; next }
    /^ \* / { flush(); next }
    /^(Implicit keep|Performed actions):/ { flush(); next }
    END { flush() }
    ' | sort
}

pass=0
fail=0
for script in "$work"/*.sieve; do
    for message in "$work"/*.eml; do
        from="$(sed -n 's/^X-Envelope-From: *\(.*\)\r$/\1/p' "$message" | head -1)"
        to="$(sed -n 's/^X-Envelope-To: *\(.*\)\r$/\1/p' "$message" | head -1)"
        # The dry run lists the actions; whether vacation really answers
        # (RFC 5230 §4.5-§4.6 checks) only shows when executing (-e), which
        # needs the target folders to exist.
        dry="$(cd "$work" && sieve-test -c dovecot.conf -f "$from" -r "$to" "$script" "$message" 2>/dev/null || true)"
        while IFS= read -r folder; do
            [ "$folder" = INBOX ] && continue
            mkdir -p "$work/mail/.$folder/cur" "$work/mail/.$folder/new" "$work/mail/.$folder/tmp"
            chmod -R 777 "$work/mail/.$folder"
        done < <(printf '%s\n' "$dry" | sed -n 's/^ \* store message in folder: //p')
        executed="$(cd "$work" && sieve-test -c dovecot.conf -e -f "$from" -r "$to" "$script" "$message" 2>&1 || true)"
        sent=0
        case "$executed" in *"sent vacation response"*) sent=1 ;; esac
        expected="$(printf '%s\n' "$dry" | normalise_pigeonhole "$sent")"
        actual="$("$runner" -f "$from" -r "$to" "$script" "$message")"
        name="$(basename "$script") $(basename "$message")"
        if [ "$expected" = "$actual" ]; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "DIFFERENT: $name"
            diff <(echo "$expected") <(echo "$actual") | sed 's/^/    /' || true
        fi
    done
done
echo "pigeonhole: $pass passed, $fail failed"
[ "$fail" = 0 ]
