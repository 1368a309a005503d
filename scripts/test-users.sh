#!/usr/bin/env bash
# test-users.sh - two local logins for the sudo tests against the throwaway sshd (run by .ci/run as root):
# kernelsoak-test with password-less sudo, kernelsoak-nosudo without. No usable password; key login only,
# and only through the tests' own sshd (its AuthorizedKeysFile lives in the test's temporary directory).
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "test-users.sh: needs root" >&2; exit 1; }
command -v sudo >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends sudo >&2
for u in kernelsoak-test kernelsoak-nosudo; do
  id "$u" >/dev/null 2>&1 || useradd --create-home --shell /bin/sh "$u"
  # "*": no password can match, yet not "locked" ("!"), which sshd without PAM would refuse outright
  usermod -p "*" "$u"
done
echo 'kernelsoak-test ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/kernelsoak-test
chmod 0440 /etc/sudoers.d/kernelsoak-test
