# Shared by dev/images and dev/cluster (sourced, not run).
# shellcheck shell=bash

NAMIDB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NAMIDB_CACHE_ROOT="${NAMIDB_CACHE:-$HOME/.cache/namidb}"

# The release version: the chart's appVersion is the one source of the image tags, the chart's
# defaults and the operator's default writer image (a test checks the operator's against it).
namidb_version() {
  awk '/^appVersion:/ {gsub(/"/, "", $2); print $2}' "$NAMIDB_ROOT/charts/namidb-operator/Chart.yaml"
}
NAMIDB_VERSION="$(namidb_version)"
WRITER_IMAGE="ghcr.io/namidb/namidb-writer:$NAMIDB_VERSION"
OPERATOR_IMAGE="ghcr.io/namidb/namidb-operator:$NAMIDB_VERSION"
# Pod sandbox image of dev/cluster's nodes (dev/lib/pause), named after its source's content.
PAUSE_IMAGE_REPO="localhost/namidb-pause"

# Where dev/images keeps image archives for dev/cluster to load.
IMAGES_DIR="$NAMIDB_CACHE_ROOT/images"

# require_root WHAT: containers, mounts and network namespaces need root.
require_root() {
  [[ $(id -u) -eq 0 ]] || die "$1 needs root (network namespaces, mounts, containers); run it with sudo"
}

# ensure_packages PKG...: installs the Debian packages that are missing, or dies in one line.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing Debian packages (${missing[*]}) and no apt-get to install them"
  log "installing Debian packages: ${missing[*]}"
  local out
  out=$(mktemp)
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$out" 2>&1; then
    local why
    why=$(grep -E '^(E|Err):' "$out" | head -n1)
    rm -f "$out"
    die "cannot install Debian packages (${missing[*]}): ${why:-apt-get failed}"
  fi
  rm -f "$out"
}

# The Go caches dev/testbin fills, so small Go builds here reuse them.
go_env() {
  export GOMODCACHE="$NAMIDB_CACHE_ROOT/go/mod" GOCACHE="$NAMIDB_CACHE_ROOT/go/build"
  export GOFLAGS="-mod=mod" CGO_ENABLED=0
}
