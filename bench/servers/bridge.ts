import { parseConfig } from '../../src/config.js';
import { startNodeBridge } from '../../src/runtime/node-server.js';
import { answerParent } from './ipc.js';

// The real bridge, configured from the environment like `npm start`, logging to stdout.
const bridge = await startNodeBridge(parseConfig(process.env));
answerParent(bridge.port, { stop: () => bridge.shutdown() });
