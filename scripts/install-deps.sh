#!/usr/bin/env bash
# System packages the tests drive for real: Chromium (e2e), Kamailio + SIPp (telephony lab),
# rtpengine (the lab's media relay between plain-RTP callers and the positions, for the voice feature),
# poppler-utils (PDF text checks), sqlite3 (tamper test), PostgreSQL (replication).
# Installs only what is missing, so a machine that has everything spends no time here.
set -euo pipefail
packages=(chromium kamailio kamailio-websocket-modules sip-tester rtpengine-daemon poppler-utils sqlite3 postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Paquets système manquants : ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Installez-les en root : apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts the packaged services on install; the tests start their own instances on free ports.
for service in kamailio rtpengine-daemon postgresql; do
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then systemctl stop "$service" || true; fi
  if [ -x "/etc/init.d/$service" ]; then "/etc/init.d/$service" stop >/dev/null 2>&1 || true; fi
done
