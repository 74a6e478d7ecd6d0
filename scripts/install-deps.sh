#!/usr/bin/env bash
# Installs every Debian 12 package Marina needs to build, run and test.
# Idempotent: packages already installed are skipped; apt-get update runs only
# when something is missing. Must run as root (or with sudo available).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  clang libclang-rt-14-dev
  libboost1.81-all-dev
  libpqxx-dev libpq-dev
  libhiredis-dev
  libsecp256k1-dev
  nlohmann-json3-dev
  libsimdjson-dev
  libssl-dev
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
  postgresql postgresql-contrib
  redis-server
  nginx-light
  curl procps iproute2
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# Node.js is only needed for the independent end-to-end client; a machine that
# already has node and npm (from any source) keeps them, since Debian's npm
# conflicts with a newer npm installed elsewhere.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian starts packaged daemons on install; Marina runs its own private
# instances, so the system-wide ones are left alone but never required.

# Node packages for the independent end-to-end clients (nostr-tools, ws).
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -f "$root/tests/e2e/js/package.json" ] && [ ! -d "$root/tests/e2e/js/node_modules/nostr-tools" ]; then
  echo "install-deps: npm install in tests/e2e/js"
  (cd "$root/tests/e2e/js" && npm install --no-audit --no-fund --silent)
fi
