import { type Command, Option } from 'commander';
import type { CliAdapter } from '../adapter.js';
import type { CliContext } from '../context.js';
import { configError } from '../errors.js';
import { apiBase, createProviderApi, type ProviderApi } from '../provider-api.js';
import type { Registration, RegistrarOptions, WebhookRegistrar } from '../webhook-registrar.js';
import { webhookUrl } from '../webhook-url.js';
import { publicUrl, tenantId } from './parse.js';
import { secretFrom } from './provider-options.js';
import type { ProviderDefinition } from '../../handlers/provider.js';

/**
 * `register` / `unregister` for a provider whose webhooks the CLI manages through its REST API:
 * its adapter passes its WebhookRegistrar here and gets both commands, with the shared flags,
 * credential handling and output.
 */
export function apiCommands(r: WebhookRegistrar): Required<Pick<CliAdapter, 'register' | 'unregister'>> {
  const secretWords = r.secretOrigin === 'generated' ? 'generates its signing secret and prints it once' : 'prints its signing secret once';
  return {
    register: {
      description: `create or update the ${r.label} ${r.noun} for exactly the event types the bridge handles; ${secretWords}`,
      options: (command) => apiOptions(command, r),
      run: async (options: ApiOptions, { ctx, provider }) => runRegister(r, options, ctx, await provider()),
    },
    unregister: {
      description: `delete the ${r.label} ${r.noun}(s) at the bridge URL`,
      options: (command) => apiOptions(command, r),
      run: (options: ApiOptions, { ctx }) => runUnregister(r, options, ctx),
    },
  };
}

interface ApiOptions extends RegistrarOptions {
  url: URL;
  tenant?: string;
  /** `--api-key-stdin` / `--access-token-stdin` (commander's camelCase). */
  apiKeyStdin?: boolean;
  accessTokenStdin?: boolean;
  /** Refused (hidden): only here to say where the token goes instead. */
  apiKey?: string;
  accessToken?: string;
  json?: boolean;
}

/** Adds the options a registrar's commands share: URL, tenant, token from stdin, its own flags. */
function apiOptions(command: Command, r: WebhookRegistrar): Command {
  command
    .requiredOption('--url <public url>', `the bridge's public URL (https://bridge.example.com; /webhooks/${r.source} is added)`, publicUrl)
    .option('--tenant <id>', `a tenant's own route, /webhooks/${r.source}/<id> (TENANTS_FILE)`, tenantId)
    .option(r.credential.stdinFlag, `read ${r.credential.what} from standard input instead of ${r.credential.variable}`)
    .addOption(new Option(`${r.credential.refusedFlag} <value>`).hideHelp());
  r.options?.(command);
  if (r.flags.sandbox) command.option('--sandbox', `use ${r.label}'s sandbox (${r.bases.sandbox})`);
  return command
    .option('--json', 'print JSON (for scripts)')
    .addHelpText(
      'after',
      `\nThe token comes from ${r.credential.variable} (or ${r.credential.stdinFlag}), never from a flag; ${r.baseVariable} overrides the API's address (default ${r.bases.live}).`,
    );
}

/** The API client with the token from the environment or standard input; none is a configuration error (78). */
async function apiFor(r: WebhookRegistrar, options: ApiOptions, ctx: CliContext): Promise<ProviderApi> {
  const { variable, stdinFlag, refusedFlag, what } = r.credential;
  const stdin = r.credential.stdinFlag === '--api-key-stdin' ? options.apiKeyStdin : options.accessTokenStdin;
  const flag = refusedFlag === '--api-key' ? options.apiKey : options.accessToken;
  const token = await secretFrom(ctx, { flag, stdin, variable, stdinFlag, flagName: refusedFlag });
  if (!token) throw configError(`${variable}: set it (or pipe it in with ${stdinFlag}) to ${what}; ${r.authHint}`);
  return createProviderApi({
    label: r.label,
    base: apiBase(ctx.env, r.baseVariable, r.bases, options.sandbox),
    token,
    variable: stdin ? `the token from ${stdinFlag}` : variable,
    authHint: r.authHint,
    describeError: r.describeError,
    ...(r.mediaType ? { mediaType: r.mediaType } : {}),
  });
}

/** `unregister <provider>`: deletes the webhook(s) at the bridge URL. */
async function runUnregister(r: WebhookRegistrar, options: ApiOptions, ctx: CliContext): Promise<number> {
  const api = await apiFor(r, options, ctx);
  const url = webhookUrl(options.url, r.source, options.tenant);
  const deleted = await r.unregister(api, url, options);
  if (options.json) ctx.out.json({ provider: r.source, url, deleted });
  else if (deleted.length === 0) ctx.out.line(`no ${r.label} ${r.noun} at ${url}; nothing to remove`);
  else ctx.out.line(`deleted ${r.label} ${r.noun} ${deleted.join(', ')} -> ${url}`);
  return 0;
}

/** `register <provider>`: one webhook at the bridge URL with exactly the handled event types. */
async function runRegister(r: WebhookRegistrar, options: ApiOptions, ctx: CliContext, provider: ProviderDefinition): Promise<number> {
  const api = await apiFor(r, options, ctx);
  const url = webhookUrl(options.url, r.source, options.tenant);
  const result = await r.register(api, url, provider.handledEventTypes, options);
  // The bridge validates its secret variable at start; say now if this value would not pass.
  const check = result.secret ? provider.secret.safeParse(result.secret) : null;
  const refusal = check && !check.success ? check.error.issues[0]?.message : undefined;
  if (options.json) {
    ctx.out.json({
      provider: r.source,
      action: result.action,
      id: result.id,
      url,
      api: api.base,
      events: result.events,
      ...result.details,
      secret: result.secret,
      secretVariable: provider.secretVariable,
    });
    return 0;
  }
  printRegistration(r, result, { url, variable: provider.secretVariable, tenant: options.tenant, refusal }, ctx);
  return 0;
}

function printRegistration(
  r: WebhookRegistrar,
  result: Registration,
  at: { url: string; variable: string; tenant?: string | undefined; refusal?: string | undefined },
  ctx: CliContext,
) {
  const { out } = ctx;
  out.line(`${result.action} ${r.label} ${r.noun} ${result.id} (${result.summary}) -> ${at.url}`);
  out.line(`events: ${result.events.join(', ')}`);
  out.line('');
  if (!result.secret) {
    out.line(`${r.label} keeps the signing secret this ${r.noun} already has, so none is shown; keep the one in ${at.variable}.`);
    out.line(`If it is lost: ${r.secretLater}.`);
    return;
  }
  out.line(
    r.secretOrigin === 'generated'
      ? `signing secret (generated here and sent to ${r.label}, which never shows it; store it before you close this terminal):`
      : `signing secret (shown here once; store it before you close this terminal):`,
  );
  out.line(`  ${out.style('bold', result.secret)}`);
  if (at.tenant) out.line(`put it in TENANTS_FILE as providers.${r.source}.secret of tenant "${at.tenant}", then restart the bridge`);
  else out.line(`set it where the bridge runs: ${at.variable}=${result.secret}`);
  out.line('(while you rotate a secret, list both, comma-separated)');
  if (at.refusal) out.line(`${out.style('yellow', 'warning')} the bridge's check of ${at.variable} refuses this value: ${at.refusal}`);
}
