import type { TestProject } from 'vitest/node';
import { startFakeDubSwitchboard } from './fake-dub-switchboard.js';

/** Node side of the workers tests: starts the fake Dub switchboard and tells the pool its URL. */
export default async function setup(project: TestProject) {
  const switchboard = await startFakeDubSwitchboard();
  project.provide('fakeDubSwitchboard', switchboard.url);
  return () => switchboard.close();
}
