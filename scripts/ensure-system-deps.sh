#!/usr/bin/env bash
# Debian packages the tests need: headless Chromium for browser tests, ffmpeg for recordings, and iproute2 and
# nftables for the simulated county (classroom hosts in network namespaces, shaped links; test/support/county.ts),
# coturn and nginx's stream module for TURN over TLS on a shared 443 (test/browser/turn-tls.e2e-spec.ts, the
# compose edge), and redis-server for the tests of several nodes (each starts its own, test/support/redis.ts).
# Installs what is missing when run as root with apt; otherwise says what to install. Idempotent and quick when
# everything is present.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ip >/dev/null 2>&1 && command -v tc >/dev/null 2>&1 || missing+=(iproute2)
command -v nft >/dev/null 2>&1 || missing+=(nftables)
command -v turnserver >/dev/null 2>&1 || missing+=(coturn)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
[ -e /usr/lib/nginx/modules/ngx_stream_module.so ] || missing+=(libnginx-mod-stream)
if ((${#missing[@]} == 0)); then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[setup] installing Debian packages: ${missing[*]}"
  apt-get update -qq
  # The tests start coturn and nginx themselves, on their own ports: the packages must not start their services
  # (nginx's would take port 80). policy-rc.d tells the maintainer scripts so, for this install only.
  own_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
  fi
  trap '[ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d' EXIT
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-noto-cjk >/dev/null
  echo "[setup] installed ${missing[*]}"
else
  echo "[setup] missing: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install -y ${missing[*]} fonts-noto-cjk) and run again." >&2
  exit 1
fi
