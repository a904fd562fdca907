import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { installAuth } from './auth.js';
import { deadLettersPage } from './dead-letters.js';
import type { ConsoleDeps, ConsoleEnv } from './deps.js';
import { overviewPage } from './overview.js';
import { confirmPage, replayAction } from './replay.js';
import { securityHeaders } from './respond.js';
import { searchPage } from './search.js';
import { tracePage } from './trace.js';

export type { ConsoleDeps } from './deps.js';

/**
 * The operator console: "did this sale reach Dub, and if not, why?", and replay. Server-rendered
 * HTML, no scripts. Mount it only when CONSOLE_TOKEN is set:
 * `app.route('/console', createConsole(deps))`.
 */
export function createConsole(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>();
  // Forms are small; a replay of a whole reason group posts at most 1,000 ids.
  app.use(bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('form too large', 413) }));
  app.use(securityHeaders());
  installAuth(app, deps);
  app.get('/', (c) => overviewPage(c, deps));
  app.get('/search', (c) => searchPage(c, deps));
  app.post('/search', (c) => searchPage(c, deps));
  app.get('/events/:id{[0-9]+}', (c) => tracePage(c, deps));
  app.post('/events/:id{[0-9]+}/reveal', (c) => tracePage(c, deps));
  app.get('/dead', (c) => deadLettersPage(c, deps));
  app.post('/replay/confirm', (c) => confirmPage(c, deps));
  app.post('/replay', (c) => replayAction(c, deps));
  return app;
}
