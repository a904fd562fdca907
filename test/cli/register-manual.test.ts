import { describe, expect, test } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { buildProgram } from '../../src/cli/program.js';
import { providers } from '../../src/handlers/index.js';
import { handledRevenueCatEventTypes } from '../../src/mappers/revenuecat/index.js';
import { runCli } from './helpers/run-cli.js';

/** `register revenuecat|apple` print the steps (no API); every registered provider has a register path. */
const PUBLIC_URL = 'https://bridge.example.com';

describe('every provider in the registry', () => {
  test('has a register and an unregister subcommand', () => {
    const ctx = { env: {}, out: {}, err: {}, now: Date.now, readStdin: async () => '', setExitCode() {} } as unknown as CliContext;
    const program = buildProgram(ctx, 'test');
    const names = (command: string) =>
      program.commands
        .find((c) => c.name() === command)!
        .commands.map((c) => c.name())
        .sort();
    const sources = providers.map((p) => p.source).sort();
    expect(names('register')).toEqual(sources);
    expect(names('unregister')).toEqual(sources);
  });
});

describe('register revenuecat', () => {
  test('without REVENUECAT_WEBHOOK_AUTH: the URL, a new random Authorization value to enter on both sides, the events', async () => {
    const run = await runCli(['register', 'revenuecat', '--url', PUBLIC_URL]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Integrations > Webhooks');
    expect(run.stdout).toContain(`Webhook URL: ${PUBLIC_URL}/webhooks/revenuecat`);
    const value = /Authorization header value: (Bearer [A-Za-z0-9_-]{43}) /.exec(run.stdout)?.[1];
    expect(value).toBeDefined();
    expect(run.stdout).toContain(`REVENUECAT_WEBHOOK_AUTH="${value}"`);
    expect(run.stdout).toContain(handledRevenueCatEventTypes.join(', '));
    // A second run suggests another value: nothing guessable, nothing reused.
    const again = await runCli(['register', 'revenuecat', '--url', PUBLIC_URL]);
    expect(again.stdout).not.toContain(value!);
  });

  test('with REVENUECAT_WEBHOOK_AUTH set: points at it without printing it; --json for scripts', async () => {
    const auth = 'Bearer test-only-revenuecat-auth-0001';
    const run = await runCli(['register', 'revenuecat', '--url', PUBLIC_URL, '--tenant', 'north', '--json'], { REVENUECAT_WEBHOOK_AUTH: auth });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(auth);
    const steps = JSON.parse(run.stdout);
    expect(steps).toMatchObject({ provider: 'revenuecat', manual: true, url: `${PUBLIC_URL}/webhooks/revenuecat/north` });
    expect(steps.steps.join('\n')).toContain('providers.revenuecat.secret of tenant "north"');

    const plain = await runCli(['register', 'revenuecat', '--url', PUBLIC_URL], { REVENUECAT_WEBHOOK_AUTH: auth });
    expect(plain.stdout).toContain('exactly the value of REVENUECAT_WEBHOOK_AUTH here');
    expect(plain.stdout).not.toContain(auth);
  });

  test('unregister revenuecat says where to delete it', async () => {
    const run = await runCli(['unregister', 'revenuecat', '--url', PUBLIC_URL]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`delete the webhook whose URL is ${PUBLIC_URL}/webhooks/revenuecat`);
  });
});

describe('register apple', () => {
  test('App Store Connect steps with the URL for Version 2, and which variables the bridge still lacks', async () => {
    const run = await runCli(['register', 'apple', '--url', PUBLIC_URL], { APPLE_BUNDLE_ID: 'com.example.dubtest' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('App Store Server Notifications');
    expect(run.stdout).toContain(`Production Server URL: ${PUBLIC_URL}/webhooks/apple   and choose Version 2 Notifications`);
    expect(run.stdout).toContain(`Sandbox Server URL: ${PUBLIC_URL}/webhooks/apple`);
    expect(run.stdout).toContain('APPLE_BUNDLE_ID is set here (com.example.dubtest)');
    expect(run.stdout).toContain('APPLE_APP_APPLE_ID is not set here');
    expect(run.stdout).toContain('Request a Test Notification');
  });
});
