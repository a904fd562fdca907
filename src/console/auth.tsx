import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ConsoleDeps, ConsoleEnv } from './deps.js';
import { BASE, Layout } from './layout.js';
import { render } from './respond.js';
import { csrfMatches, csrfToken, newSession, readSession, SESSION_MS, sessionKeys, tokenMatches, type SessionKeys } from './session.js';

const COOKIE = 'dub_console';

/** Secure cookies over HTTPS, also behind a proxy that terminates TLS. */
const isHttps = (c: Context) => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

function SignIn({ failed }: { failed: boolean }) {
  return (
    <Layout title="Sign in">
      <h1>Sign in to the console</h1>
      {failed && (
        <p class="alert" role="alert">
          That is not the console token. Use the value of CONSOLE_TOKEN.
        </p>
      )}
      <form method="post" action={`${BASE}/login`}>
        <label for="token">Console token (CONSOLE_TOKEN)</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
        <p>
          <button type="submit">Sign in</button>
        </p>
      </form>
    </Layout>
  );
}

/**
 * Sign-in and sign-out routes, then the guard every other console route sits behind: a valid
 * session cookie (else a GET goes to the sign-in page and anything else is refused with 401), and
 * on every POST the session's CSRF token (else 403).
 */
export function installAuth(app: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  const token = deps.config.CONSOLE_TOKEN;
  if (!token) throw new Error('createConsole: CONSOLE_TOKEN is not set; mount the console only when it is');
  let derived: Promise<SessionKeys> | undefined;
  const keys = () => (derived ??= sessionKeys(token));

  app.get('/login', (c) => render(c, <SignIn failed={false} />));
  app.post('/login', async (c) => {
    const typed = (await c.req.parseBody({ all: true })).token;
    if (typeof typed !== 'string' || !(await tokenMatches(await keys(), typed))) return render(c, <SignIn failed />, 401);
    setCookie(c, COOKIE, await newSession(await keys(), deps.now()), {
      path: BASE,
      httpOnly: true,
      secure: isHttps(c),
      sameSite: 'Strict',
      maxAge: SESSION_MS / 1000,
    });
    return c.redirect(BASE, 303);
  });

  app.use('*', async (c, next) => {
    const session = await readSession(await keys(), getCookie(c, COOKIE), deps.now());
    if (!session) {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect(`${BASE}/login`, 303);
      return c.text('sign in first: no valid console session', 401);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const form = await c.req.parseBody({ all: true });
      if (!(await csrfMatches(await keys(), session, form._csrf))) {
        return c.text('refused: the form has no valid CSRF token; reload the page and try again', 403);
      }
    }
    c.set('csrf', await csrfToken(await keys(), session));
    await next();
  });

  // Sessions are stateless: signing out removes this browser's cookie; changing CONSOLE_TOKEN ends them all.
  app.post('/logout', (c) => {
    deleteCookie(c, COOKIE, { path: BASE, secure: isHttps(c) });
    return c.redirect(`${BASE}/login`, 303);
  });
}
