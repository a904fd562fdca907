import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { css } from './style.js';

/** Where the console is mounted (`app.route('/console', createConsole(deps))`). */
export const BASE = '/console';

export const pages = [
  ['overview', '', 'Overview'],
  ['search', '/search', 'Search'],
  ['dead', '/dead', 'Dead letters'],
] as const;

/** The hidden field every state-changing form carries. */
export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** The page shell: skip link, navigation, sign-out, and the inline stylesheet. */
export function Layout(props: { title: string; csrf?: string; active?: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} · dub-bridge console`}</title>
        <style>{raw(css)}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header>
          <strong>dub-bridge</strong>
          {props.csrf !== undefined && (
            <>
              <nav aria-label="Console">
                {pages.map(([id, path, label]) => (
                  <>
                    <a href={`${BASE}${path}`} aria-current={props.active === id ? 'page' : undefined}>
                      {label}
                    </a>{' '}
                  </>
                ))}
              </nav>
              <form method="post" action={`${BASE}/logout`}>
                <Csrf token={props.csrf} />
                <button type="submit">Sign out</button>
              </form>
            </>
          )}
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** A command or event state, written out and coloured. */
export const State = ({ state }: { state: string }) => <span class={`state ${state}`}>{state.replace('_', ' ')}</span>;
