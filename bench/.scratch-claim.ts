import { parseConfig } from '../src/config.js';
import { openSqliteStore } from '../src/runtime/sqlite-store.js';
import { migrationsFolder } from '../src/runtime/paths.js';
import { ingestStripe } from '../src/pipeline/ingest.js';
import { bridgeEnv, tempDatabase } from './context.js';
import { checkoutBodies } from './events.js';
const db = tempDatabase();
const { store, close } = openSqliteStore({ path: db.path, migrationsFolder: migrationsFolder(), createDirectory: false });
const config = parseConfig(bridgeEnv(db.path));
const deps = { store, testEvents: config.TEST_EVENTS, provisionalHoldMs: config.PROVISIONAL_SALE_HOLD_MS, now: Date.now };
const next = checkoutBodies('p');
for (let i = 0; i < 5000; i += 500) await Promise.all(Array.from({ length: 500 }, () => { const b = next(); return ingestStripe(JSON.parse(b), b, deps); }));
const t0 = performance.now(); const c0 = process.cpuUsage();
for (let i = 0; i < 2000; i++) {
  const [row] = await store.claimDue(Date.now(), 1, 60000, []);
  await store.markDelivered({ id: row!.id, attempts: row!.attempts, leaseUntil: row!.leaseUntil }, 'delivered', '{}', Date.now());
}
const c = process.cpuUsage(c0);
console.log('claim+mark', ((performance.now() - t0) / 2000).toFixed(3), 'ms wall', ((c.user + c.system) / 2000).toFixed(0), 'us cpu');
close(); db.remove();
