# Shared by the install scripts: timed, prefixed log lines and an idempotent apt step.
# Source it after setting INSTALL_NAME (the prefix of every line).

fail() { echo "$INSTALL_NAME: FAILED: $*" >&2; exit 1; }
now() { date +%s%3N; }
took() { local ms=$(($(now) - $1)); printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); }
step() { echo "$INSTALL_NAME: $1 ($(took "$2"))"; }

# Installs the Debian packages given that are missing, as root; apt-get update alone costs
# seconds, so a machine that has them all only asks dpkg.
ensure_apt_packages() {
  local missing=() p t
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  t=$(now)
  if ((${#missing[@]})); then
    [ "$(id -u)" -eq 0 ] || fail "missing Debian packages (${missing[*]}); run as root or: apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || fail "apt-get update"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]}"
    step "apt installed ${missing[*]}" "$t"
  else
    step "apt packages present" "$t"
  fi
}
