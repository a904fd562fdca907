#!/usr/bin/env bash
# Runs a wrangler-based command offline-friendly: no telemetry or error reports, no Cloudflare
# fetches for local runs, no update check (banner hidden), and wrangler's config and cache under
# ./.xdg instead of the user's home. Not for `deploy`, which needs the user's `wrangler login`.
# Usage: bash scripts/worker-env.sh wrangler dev ...
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export WRANGLER_SEND_METRICS=false
export WRANGLER_SEND_ERROR_REPORTS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false
export WRANGLER_HIDE_BANNER=true
export XDG_CONFIG_HOME="$root/.xdg"
export PATH="$root/node_modules/.bin:$PATH"
cd "$root"
exec "$@"
