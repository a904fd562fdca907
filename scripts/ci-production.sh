#!/usr/bin/env bash
# The Node production path, checked end to end in a temporary copy of this checkout:
#   npm ci → npm run build → npm prune --omit=dev → start the bridge without devDependencies →
#   GET /healthz answers 200 → one Stripe webhook signed here with node:crypto answers 200 →
#   the CLI (compiled, no tsx) shows it recorded → SIGTERM to the bridge's PID, exit 0.
# These are the commands the Dockerfile runs (build stage: npm ci, npm run build, npm prune
# --omit=dev; runtime stage: node dist/src/runtime/node.js). Keep the two in step.
# No network needed when the npm cache already holds the lockfile's packages (CI ran npm ci).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/dub-bridge-production.XXXXXX")
pid=
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "copy the checkout to $work"
# Tracked and new files (not ignored ones: no node_modules, dist, data or .env).
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$root" && git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' file; do [[ -e "$file" ]] && printf '%s\0' "$file"; done |
    tar --null -T - -cf -) | tar -xf - -C "$work"
else
  tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./data --exclude=./.env --exclude=./.git -cf - . | tar -xf - -C "$work"
fi
cd "$work"

step "npm ci (prepare builds dist/)"
npm ci --no-audit --no-fund --prefer-offline
step "npm run build"
npm run build
step "npm prune --omit=dev"
npm prune --omit=dev --no-audit --no-fund
for dev in typescript tsx vitest; do
  if [[ -e "node_modules/$dev" ]]; then echo "ci-production: $dev is still installed after the prune" >&2; exit 1; fi
done

step "start the bridge (node dist/src/runtime/node.js)"
free_port() { node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
port=$(free_port)
dub_port=$(free_port) # nothing listens there: deliveries retry, which does not concern this check
secret="whsec_ci_production_$(node -e "console.log(require('node:crypto').randomBytes(24).toString('hex'))")"
export DUB_BRIDGE_ENV_FILE=off HOST=127.0.0.1 PORT="$port" STRIPE_WEBHOOK_SECRET="$secret" \
  DUB_API_KEY="dub_ci_production_$(node -e "console.log(require('node:crypto').randomBytes(16).toString('hex'))")" \
  DUB_API_URL="http://127.0.0.1:$dub_port" LOG_LEVEL=info
node dist/src/runtime/node.js >"$work/bridge.log" 2>&1 &
pid=$!

step "wait for GET /healthz 200"
healthy=
for _ in $(seq 1 100); do
  if node -e "fetch('http://127.0.0.1:$port/healthz').then((r)=>process.exit(r.status===200?0:1),()=>process.exit(1))"; then healthy=1; break; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.2
done
if [[ -z "$healthy" ]]; then echo "ci-production: /healthz never answered 200" >&2; cat "$work/bridge.log" >&2; exit 1; fi

step "send one signed Stripe webhook"
status=$(node --input-type=module -e "
import { createHmac } from 'node:crypto';
const now = Math.floor(Date.now() / 1000);
const body = JSON.stringify({
  id: 'evt_ci_production_1', object: 'event', type: 'checkout.session.completed', livemode: false, created: now,
  api_version: '2025-03-31.basil',
  data: { object: {
    id: 'cs_test_ci_production_1', object: 'checkout.session', mode: 'payment', status: 'complete', payment_status: 'paid',
    amount_subtotal: 4999, amount_total: 4999, currency: 'usd', total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    client_reference_id: 'dub_id_ciProductionClick', customer: 'cus_ci_production_1', payment_intent: 'pi_ci_production_1',
    invoice: null, subscription: null, livemode: false, metadata: { dubCustomerExternalId: 'ci_production_customer' },
    customer_details: { email: null, name: null },
  } },
});
const signature = createHmac('sha256', process.env.STRIPE_WEBHOOK_SECRET).update(now + '.' + body).digest('hex');
const response = await fetch('http://127.0.0.1:$port/webhooks/stripe', {
  method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': 't=' + now + ',v1=' + signature }, body,
});
console.error('bridge answered', response.status, await response.text());
console.log(response.status);
")
if [[ "$status" != 200 ]]; then echo "ci-production: the webhook got $status, not 200" >&2; cat "$work/bridge.log" >&2; exit 1; fi

step "the compiled CLI sees it mapped"
# Recorded before the answer, mapped right after it: look a few times.
mapped=
for _ in $(seq 1 25); do
  if node dist/src/cli/index.js events list --source stripe --json | node -e "
let text = ''; process.stdin.on('data', (c) => (text += c)).on('end', () => {
  const events = JSON.parse(text);
  process.exit(events.some((e) => e.eventKey === 'evt_ci_production_1' && e.state === 'mapped') ? 0 : 1);
});"; then mapped=1; break; fi
  sleep 0.2
done
if [[ -z "$mapped" ]]; then echo "ci-production: evt_ci_production_1 was not recorded as mapped" >&2; node dist/src/cli/index.js events list >&2; exit 1; fi
echo "recorded: evt_ci_production_1 mapped"

step "stop it by PID (SIGTERM)"
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
pid=
if [[ "$code" != 0 ]]; then echo "ci-production: the bridge exited $code on SIGTERM" >&2; cat "$work/bridge.log" >&2; exit 1; fi
step "production path ok"
