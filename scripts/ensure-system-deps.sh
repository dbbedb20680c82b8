#!/usr/bin/env bash
# Debian packages the tests need: headless Chromium for browser tests, ffmpeg for recordings, and iproute2 and
# nftables for the simulated county (classroom hosts in network namespaces, shaped links; test/support/county.ts).
# Installs what is missing when run as root with apt; otherwise says what to install. Idempotent and quick when
# everything is present.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ip >/dev/null 2>&1 && command -v tc >/dev/null 2>&1 || missing+=(iproute2)
command -v nft >/dev/null 2>&1 || missing+=(nftables)
if ((${#missing[@]} == 0)); then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[setup] installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-noto-cjk >/dev/null
  echo "[setup] installed ${missing[*]}"
else
  echo "[setup] missing: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install -y ${missing[*]} fonts-noto-cjk) and run again." >&2
  exit 1
fi
