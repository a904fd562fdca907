import { tempStore } from '../helpers/temp-store.js';
import { storeContract } from './store-contract.js';

/** The Store contract on better-sqlite3: a fresh migrated SQLite file per test. */
storeContract('better-sqlite3', async () => {
  const { store, dispose } = tempStore();
  return { store, dispose: async () => dispose() };
});
