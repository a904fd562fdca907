/**
 * The CLI's read queries are the operator queries the console uses too (src/ops/queries.ts): one
 * copy of the SQL. They run on the CLI's read-only connection.
 */
export { deliveryPause, listEvents, type DeliveryPause, type EventFilter, type EventSummary } from '../ops/queries.js';
