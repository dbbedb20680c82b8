#!/bin/sh
# Builds mediasoup's C++ worker from Debian's packages and the npm registry alone (no GitHub, no PyPI), for
# machines and school intranets that can't download mediasoup's prebuilt binary.
#   usage: build-worker-offline.sh <node_modules/mediasoup dir> <output binary path>
# Needs root on Debian 12 (apt). ~6–7 minutes on 2 cores. Called by scripts/mediasoup/install-worker.mjs.
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
  libssl-dev libuv1-dev libsrtp2-dev libabsl-dev libusrsctp-dev \
  libflatbuffers-dev flatbuffers-compiler >/dev/null

# meson >= 1.1.0 is required; Debian 12 has 1.0.1. The backports suite of the mirror this machine already
# uses has a pure-Python meson: downloaded with a private apt state and unpacked, system apt left as it is.
MESON_BIN="$WORK/meson/usr/lib/python3/dist-packages/meson"
if [ ! -x "$MESON_BIN" ]; then
  step "2/4 meson from bookworm-backports"
  A="$WORK/apt-bpo"; rm -rf "$A"; mkdir -p "$A/lists/partial" "$A/cache/archives/partial"
  URI=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
  [ -n "$URI" ] || URI=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list)
  CODENAME=$(. /etc/os-release && echo "$VERSION_CODENAME")
  echo "deb $URI $CODENAME-backports main" > "$A/sources.list"
  APTO="-o Dir::Etc::sourcelist=$A/sources.list -o Dir::Etc::sourceparts=/nonexistent -o Dir::State::Lists=$A/lists -o Dir::Cache=$A/cache"
  # shellcheck disable=SC2086
  apt-get $APTO -qq update
  # shellcheck disable=SC2086
  (cd "$A" && apt-get $APTO -qq download "meson/$CODENAME-backports")
  rm -rf "$WORK/meson"; dpkg -x "$A"/meson_*_all.deb "$WORK/meson"
  cp "$WORK/meson/usr/bin/meson" "$MESON_BIN"
else
  step "2/4 meson (cached)"
fi
"$MESON_BIN" --version >/dev/null

step "3/4 meson subprojects -> Debian libraries; DTLS fix"
"$HERE/make-shims.sh" "$W" >/dev/null
# Upstream bug: onSslBioOut() tests `operationType == BIO_CB_RETURN`, but OpenSSL ORs BIO_CB_RETURN into the
# operation. With Debian's kernel-TLS OpenSSL that crashes the worker on the first browser DTLS handshake.
sed -i 's/(operationType == BIO_CB_RETURN)/((operationType \& BIO_CB_RETURN) != 0)/' "$W/src/RTC/DtlsTransport.cpp"
grep -q '((operationType & BIO_CB_RETURN) != 0)' "$W/src/RTC/DtlsTransport.cpp" ||
  { echo "[mediasoup-worker] the DTLS BIO callback fix did not apply to this mediasoup version" >&2; exit 1; }
mkdir -p "$W/pip_invoke" "$W/out/pip_meson_ninja/bin"
ln -sf /usr/bin/ninja "$W/out/pip_meson_ninja/bin/ninja"

step "4/4 compiling (about 6–7 minutes on 2 cores; ninja prints [done/total])"
(cd "$MS" && \
  PYTHON=/usr/bin/python3 \
  MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD=1 \
  MESON="$MESON_BIN" \
  MESON_ARGS="--wrap-mode=nodownload -Dms_disable_liburing=true" \
  node npm-scripts.mjs worker:build)
mkdir -p "$(dirname "$OUT")"
cp "$W/out/Release/mediasoup-worker" "$OUT.tmp" && mv "$OUT.tmp" "$OUT"
step "built $OUT"
