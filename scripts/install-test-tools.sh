#!/usr/bin/env bash
# Installs what the unit tests need beyond `npm ci`. The keychain test (test/unit/cli/keychain.test.ts)
# drives the real OS keychain: a D-Bus session (dbus), a Secret Service (gnome-keyring) and the optional
# dependency keytar, compiled against libsecret. `npm ci` skips an optional dependency whose build
# fails without a word, so keytar is missing on any machine that lacked libsecret-1-dev at `npm ci`
# time; step 2 builds it afterwards, at the version package-lock.json pins.
# Idempotent: a warm run only checks (well under a second) and exits.
set -euo pipefail
SCRIPTS="$(cd "$(dirname "$0")" && pwd)"
cd "$(dirname "$0")/.."

INSTALL_NAME=install-test-tools
# shellcheck source=lib/installSteps.sh
source "$SCRIPTS/lib/installSteps.sh"
t_all=$(now)

# 1. Debian packages, only the missing ones (apt-get update alone costs seconds). keytar has no
# prebuilt binary for every Node ABI, so node-gyp may compile it: hence the C++ toolchain, python3
# and pkg-config (which finds libsecret-1) next to libsecret-1-dev itself.
ensure_apt_packages libsecret-1-dev gnome-keyring dbus pkg-config build-essential python3
for tool in dbus-run-session gnome-keyring-daemon pkg-config; do
  command -v "$tool" >/dev/null || fail "$tool is missing after the apt step"
done
pkg-config --exists libsecret-1 || fail "pkg-config cannot find libsecret-1 after the apt step"

# 2. keytar, loaded the way the CLI loads it: require() from the repository root.
t=$(now)
keytar_loads() { node -e "require('keytar')" >/dev/null 2>&1; }
if keytar_loads; then
  step "keytar present" "$t"
else
  version=$(node -p "require('./package-lock.json').packages['node_modules/keytar']?.version ?? ''") \
    || fail "cannot read package-lock.json"
  [ -n "$version" ] || fail "package-lock.json pins no keytar (node_modules/keytar); run npm install once to lock it"
  installed=$(node -p "try { require('./node_modules/keytar/package.json').version } catch { '' }")
  if [ "$installed" = "$version" ]; then
    # Present but unbuilt or broken (say, built before libsecret-1-dev or for another Node ABI).
    npm rebuild keytar --loglevel=error || fail "npm rebuild keytar (see the npm log above; node-gyp needs the packages of step 1)"
  else
    # npm ci skipped it, so there is nothing to rebuild (and `npm rebuild` would still report
    # success). Installing the locked version takes the lockfile's integrity, runs keytar's build
    # (allowScripts in package.json lets it) and writes neither package.json nor package-lock.json.
    npm install --no-save --no-fund --no-audit --loglevel=error "keytar@$version" \
      || fail "npm install keytar@$version (see the npm log above; node-gyp needs the packages of step 1)"
  fi
  keytar_loads || fail "keytar@$version installed but require('keytar') still fails: $(node -e "require('keytar')" 2>&1 | grep -m1 -i error)"
  step "keytar $version built" "$t"
fi

echo "install-test-tools: ready ($(took "$t_all"))"
