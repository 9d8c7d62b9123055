#!/usr/bin/env bash
# The one test command (README, CI). Installs what is missing, builds, typechecks, lints, runs every
# test of every runner, and ends with "N passed, N failed, N skipped". Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

step_failures=0
step() {
  local name=$1
  shift
  echo "── $name"
  if ! "$@"; then
    echo "ÉCHEC : $name"
    step_failures=$((step_failures + 1))
    return 1
  fi
}

step "dépendances système" bash scripts/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

# The README's own install command, and only when the lockfile changed since the last install (always on a
# fresh clone). No variable to skip Electron's download: from Electron 42 on, npm ci downloads nothing.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.vigie-lock 2>/dev/null)" != "$lock_hash" ]; then
  step "npm ci" npm ci || { echo "0 passed, 1 failed"; exit 1; }
  echo "$lock_hash" > node_modules/.vigie-lock
fi

step "build" npm run build || { echo "0 passed, $step_failures failed"; exit 1; }
step "typecheck" npm run typecheck
step "lint" npm run lint
step "format" npm run format:check

reports=dist/test-reports
rm -rf "$reports" && mkdir -p "$reports"
echo "── tests unitaires et d'intégration (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile="$reports/unit.json"
echo "── tests de bout en bout (Chromium, Electron)"
e2e=(npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile="$reports/e2e.json")
# Chromium puts the machine's non-loopback address in its ICE candidates; in a network namespace whose only
# interface is lo, WebRTC media can only use 127.0.0.1, where every other test traffic already stays.
if netns_error=$(unshare -n true 2>&1) && command -v ip >/dev/null; then
  echo "   espace de noms réseau isolé (unshare -n, seule l'interface lo) : le média reste sur 127.0.0.1"
  unshare -n sh -c 'ip link set lo up && exec "$@"' sh "${e2e[@]}"
else
  echo "   unshare -n indisponible (${netns_error:-commande ip absente}) : tests lancés sans espace de noms isolé"
  "${e2e[@]}"
fi

node scripts/summarize-tests.mjs "$step_failures" "$reports/unit.json" "$reports/e2e.json"
