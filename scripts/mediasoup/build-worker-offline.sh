#!/bin/sh
# Builds mediasoup's C++ worker from Debian's packages and the npm registry alone (no GitHub, no PyPI), for
# machines and school intranets that can't download mediasoup's prebuilt binary.
#   usage: build-worker-offline.sh <node_modules/mediasoup dir> <output binary path>
# Needs root on Debian 12 (apt). 3–7 minutes on 2 cores. Called by scripts/mediasoup/install-worker.mjs.
set -eu
MS=$1
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
W="$MS/worker"
WORK=${MS_BUILD_WORK:-$(dirname "$OUT")/work}
step() { echo "[mediasoup-worker] $*"; }

[ "$(id -u)" = 0 ] || { echo "[mediasoup-worker] building the worker offline needs root (apt-get); run 'sudo npm run setup:mediasoup'" >&2; exit 1; }
command -v apt-get >/dev/null || { echo "[mediasoup-worker] no apt-get: the offline build supports Debian 12 only" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

step "1/4 Debian packages: compiler, ninja, invoke and the worker's libraries"
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  g++ pkg-config ninja-build python3 python3-invoke python3-setuptools \
  libssl-dev libuv1-dev libsrtp2-dev libflatbuffers-dev flatbuffers-compiler >/dev/null

# Packages Debian 12 lacks come from other suites of the mirror this machine already uses, downloaded with a
# private apt state and unpacked into $WORK: the system's apt sources and packages are left as they are.
URI=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[ -n "$URI" ] || URI=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list)
fetch_deb() { # <suite> <package> <unpack dir>
  A="$WORK/apt-$1"; rm -rf "$A"; mkdir -p "$A/lists/partial" "$A/cache/archives/partial"
  echo "deb $URI $1 main" > "$A/sources.list"
  APTO="-o Dir::Etc::sourcelist=$A/sources.list -o Dir::Etc::sourceparts=/nonexistent -o Dir::State::Lists=$A/lists -o Dir::Cache=$A/cache"
  # shellcheck disable=SC2086
  apt-get $APTO -qq update
  # shellcheck disable=SC2086
  (cd "$A" && apt-get $APTO -qq download "$2/$1" 2>/dev/null)
  rm -rf "$3"; dpkg -x "$A"/"$2"_*.deb "$3"; rm -rf "$A"
}
CODENAME=$(. /etc/os-release && echo "$VERSION_CODENAME")

# meson >= 1.1.0 is required; Debian 12 has 1.0.1. Backports has a pure-Python one.
MESON_BIN="$WORK/meson/usr/lib/python3/dist-packages/meson"
if [ ! -x "$MESON_BIN" ]; then
  step "2/4 meson from $CODENAME-backports"
  fetch_deb "$CODENAME-backports" meson "$WORK/meson"
  cp "$WORK/meson/usr/bin/meson" "$MESON_BIN"
else
  step "2/4 meson (cached)"
fi
"$MESON_BIN" --version >/dev/null

# mediasoup >= 3.2x includes <ankerl/unordered_dense.h> (header-only, MIT). No Debian release packages it on
# its own; Debian unstable's libtulip-dev ships version 4.4, whose map/set/hash API is the one mediasoup uses.
if [ -f "$W/subprojects/unordered-dense.wrap" ] && [ -z "${UNORDERED_DENSE_H:-}" ]; then
  UNORDERED_DENSE_H="$WORK/unordered_dense/usr/include/tulip/unordered_dense.h"
  if [ ! -f "$UNORDERED_DENSE_H" ]; then
    step "2/4 ankerl::unordered_dense (the header libtulip-dev ships, from Debian unstable)"
    fetch_deb sid libtulip-dev "$WORK/unordered_dense"
    [ -f "$UNORDERED_DENSE_H" ] ||
      { echo "[mediasoup-worker] libtulip-dev no longer ships unordered_dense.h: set UNORDERED_DENSE_H to a copy of it" >&2; exit 1; }
  fi
  export UNORDERED_DENSE_H
fi

# The DTLS BIO callback fix this script applied up to mediasoup 3.19.3 is upstream since (DtlsTransport.cpp
# tests `(operationType & BIO_CB_RETURN) != 0`); nothing is patched any more.
step "3/4 meson subprojects -> Debian libraries"
"$HERE/make-shims.sh" "$W" >/dev/null
mkdir -p "$W/pip_invoke" "$W/out/pip_meson_ninja/bin"
ln -sf /usr/bin/ninja "$W/out/pip_meson_ninja/bin/ninja"

step "4/4 compiling (3–7 minutes on 2 cores; ninja prints [done/total])"
(cd "$MS" && \
  PYTHON=/usr/bin/python3 \
  MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD=1 \
  MESON="$MESON_BIN" \
  MESON_ARGS="--wrap-mode=nodownload" \
  node npm-scripts.mjs worker:build)
mkdir -p "$(dirname "$OUT")"
cp "$W/out/Release/mediasoup-worker" "$OUT.tmp" && mv "$OUT.tmp" "$OUT"
step "built $OUT"
