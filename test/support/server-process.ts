/**
 * A strata server in its own process, for the test that runs two servers on one PostgreSQL
 * database (test/server-processes.test.ts). Prints {"url": ...} once listening; stops on SIGTERM.
 *   STRATA_TEST_PG_URL=... STRATA_TEST_SCHEMA=... node --import tsx test/support/server-process.ts
 */
import { buildServer } from '../../src/server/app.js';
import { PostgresStore } from '../../src/store/postgres/adapter.js';

const store = await PostgresStore.open(
  process.env.STRATA_TEST_PG_URL!,
  process.env.STRATA_TEST_SCHEMA,
);
const app = await buildServer({ store, logger: false, runner: { pollMs: 30 } });
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ url }) + '\n');
process.once('SIGTERM', () => {
  void app
    .close()
    .then(() => store.close())
    .then(() => process.exit(0));
});
