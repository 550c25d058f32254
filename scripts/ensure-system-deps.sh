#!/usr/bin/env bash
# Debian packages the test suite runs for real (not mocks): Prometheus (promtool rule tests and a
# real scrape), unzip (the Helm binary ships zipped inside an npm package), Chromium (the browser
# tests drive Debian's build with playwright-core, which downloads no browser), openssl (the Stripe
# browser test's throwaway certificate). Run before `npm test`;
# installs what is missing when it can (root), otherwise says exactly what to run.
set -euo pipefail
missing=()
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing test dependencies: ${missing[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian package may start its own Prometheus on :9090; the tests run their own.
  pkill -x prometheus 2>/dev/null || true
else
  echo "the test suite needs: ${missing[*]}. Install with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
