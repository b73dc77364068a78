/**
 * The server reads packages on reader threads (src/jobs/read-pool.ts): what comes back is what
 * readPackage returns on its own thread, a refusal keeps its code, and a read that overruns its
 * deadline or its memory limit is refused while the pool goes on with a new thread.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { totalmem } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { strFromU8, strToU8 } from 'fflate';
import { CATALOG_ID } from '../src/catalog/catalog.js';
import { PackageReadPool, readPoolOptionsFromEnv } from '../src/jobs/read-pool.js';
import { ImportRunner } from '../src/jobs/runner.js';
import { PackageError } from '../src/model/errors.js';
import { buildSolutionZip, sampleSolution } from '../src/package/build.js';
import { readPackage } from '../src/package/read.js';
import { createEnvironment, findEnvironment } from '../src/store/environments.js';
import { jobSummary } from '../src/store/jobs.js';
import { enqueueImport } from '../src/store/queue.js';
import type { Store } from '../src/store/store.js';
import { writeCabinet } from './support/cab-writer.js';
import { buildPackage, packageEntries, zipEntries } from './support/package-builder.js';
import { STORE_CASES } from './support/stores.js';

const BOX = { entities: [{ name: 'new_box', attributes: ['new_boxid', 'new_name'] }] };

function pool(options: Partial<ReturnType<typeof readPoolOptionsFromEnv>> = {}): PackageReadPool {
  return new PackageReadPool({ ...readPoolOptionsFromEnv({}), size: 1, ...options });
}

async function refusal(p: Promise<unknown>): Promise<PackageError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof PackageError, `a PackageError, not ${String(e)}`);
    return e;
  }
  assert.fail('the read was not refused');
}

describe('reading packages on reader threads', () => {
  const readers = pool();
  after(() => readers.close());

  test('a package read on a reader thread is the package readPackage returns', async () => {
    const zip = buildSolutionZip(sampleSolution());
    const cab = writeCabinet([
      {
        compression: 'mszip',
        files: Object.entries(packageEntries(BOX)).map(([name, data]) => ({ name, data })),
      },
    ]);
    for (const [label, bytes] of [
      ['sample.zip', zip],
      ['box.cab', cab],
    ] as const) {
      const here = readPackage(bytes, { label });
      const there = await readers.readPackage(bytes, { label });
      assert.deepEqual(there, here, label);
      assert.equal(there.manifest.version.isHigherThan(here.manifest.version), false);
      // components that are slices of customizations.xml are slices again, not copies
      assert.ok(there.components.some((c) => c.inDocument));
      const m = await readers.readManifest(bytes, { label });
      assert.equal(m.version.text, here.manifest.version.text);
      assert.deepEqual(m, here.manifest);
    }
  });

  test('the caller keeps its bytes', async () => {
    const zip = buildPackage(BOX);
    const copy = zip.slice();
    await readers.readPackage(zip, { label: 'box.zip' });
    assert.equal(zip.byteLength, copy.byteLength);
    assert.deepEqual(zip, copy);
  });

  test('a package that cannot be read is refused with its code, file and hint', async () => {
    const entries = packageEntries(BOX);
    const broken = strFromU8(entries['customizations.xml']).replace('</ImportExportXml>', '');
    const zip = zipEntries({ ...entries, 'customizations.xml': strToU8(broken) });
    const e = await refusal(readers.readPackage(zip, { label: 'broken.zip' }));
    assert.equal(e.code, 'XML_MALFORMED');
    assert.match(e.message, /customizations\.xml/);
    const limits = { maxTotalBytes: 1024, maxEntries: 100 };
    const big = await refusal(readers.readManifest(zip, { label: 'big.zip', limits }));
    assert.equal(big.code, 'PACKAGE_TOO_LARGE');
    assert.match(big.hint ?? '', /STRATA_MAX_PACKAGE_MB/);
    assert.equal((big.details as { allowedBytes: number }).allowedBytes, 1024);
  });
});

describe('a read that overruns its limits', { timeout: 180_000 }, () => {
  const slow = process.env.STRATA_TEST_SLOW_READ;
  after(() => {
    if (slow === undefined) delete process.env.STRATA_TEST_SLOW_READ;
    else process.env.STRATA_TEST_SLOW_READ = slow;
  });

  test('a read past its deadline is refused, its thread replaced, the next served', async () => {
    // the reader thread takes its environment when it starts: slow.zip keeps it busy 10 minutes
    process.env.STRATA_TEST_SLOW_READ = 'slow.zip=600000';
    const readers = pool({ timeoutMs: 1500 });
    try {
      const zip = buildPackage(BOX);
      const started = Date.now();
      // queued behind the slow read on the one thread: it waits, then gets a new thread
      const [stuck, next] = await Promise.allSettled([
        readers.readPackage(zip, { label: 'slow.zip' }),
        readers.readManifest(zip, { label: 'box.zip' }),
      ]);
      const seconds = (Date.now() - started) / 1000;
      assert.equal(stuck.status, 'rejected');
      const e = (stuck as PromiseRejectedResult).reason as PackageError;
      assert.equal(e.code, 'PACKAGE_READ_TIMEOUT');
      assert.match(e.message, /slow\.zip was still being read after 1\.5 s/);
      assert.match(e.hint ?? '', /STRATA_READ_TIMEOUT_SECONDS/);
      assert.equal(next.status, 'fulfilled');
      assert.equal(
        (next as PromiseFulfilledResult<{ uniqueName: string }>).value.uniqueName,
        'TestSolution',
      );
      assert.ok(seconds >= 1.5 && seconds < 60, `${seconds} s`);
    } finally {
      await readers.close();
    }
  });

  test('over its memory limit the read is refused, and the next read is served', async () => {
    // a 6 KB zip whose customizations.xml holds a million empty elements: hundreds of MB to parse
    const hungry = buildPackage({
      ...BOX,
      extraCustomizations: `<Junk>${'<a/>'.repeat(1e6)}</Junk>`,
    });
    const readers = pool({ memoryMb: 64 });
    try {
      const box = buildPackage(BOX);
      assert.equal(
        (await readers.readManifest(box, { label: 'box.zip' })).uniqueName,
        'TestSolution',
      );
      const e = await refusal(readers.readManifest(hungry, { label: 'hungry.zip' }));
      assert.equal(e.code, 'PACKAGE_READ_OUT_OF_MEMORY');
      assert.match(e.message, /hungry\.zip needs more than 64 MB/);
      assert.match(e.hint ?? '', /STRATA_READ_MEMORY_MB/);
      assert.equal(
        (await readers.readManifest(box, { label: 'box.zip' })).uniqueName,
        'TestSolution',
      );
    } finally {
      await readers.close();
    }
  });
});

describe('reader pool settings', () => {
  test('from the environment: threads by cores (1 to 4), deadline, memory', () => {
    const d = readPoolOptionsFromEnv({});
    assert.ok(d.size >= 1 && d.size <= 4);
    assert.equal(d.timeoutMs, 60_000);
    // 2048 MB, or less where the readers together would take over half the machine's memory
    assert.ok(d.memoryMb >= 256 && d.memoryMb <= 2048, `${d.memoryMb} MB`);
    assert.ok(d.memoryMb * d.size <= Math.max(256 * d.size, totalmem() / 2 ** 21));
    const set = readPoolOptionsFromEnv({
      STRATA_READ_WORKERS: '9',
      STRATA_READ_TIMEOUT_SECONDS: '2.5',
      STRATA_READ_MEMORY_MB: '512',
    });
    assert.deepEqual([set.size, set.timeoutMs, set.memoryMb], [4, 2500, 512]);
    const bad = readPoolOptionsFromEnv({
      STRATA_READ_WORKERS: '0',
      STRATA_READ_TIMEOUT_SECONDS: 'x',
    });
    assert.deepEqual([bad.size >= 1, bad.timeoutMs], [true, 60_000]);
  });
});

describe('the import runner reads on a reader thread', { timeout: 180_000 }, () => {
  const slow = process.env.STRATA_TEST_SLOW_READ;
  let store: Store;
  before(async () => {
    store = await STORE_CASES[0].open();
  });
  after(async () => {
    await store?.close();
    if (slow === undefined) delete process.env.STRATA_TEST_SLOW_READ;
    else process.env.STRATA_TEST_SLOW_READ = slow;
  });

  test('a queued package that reads too long fails its job; the event loop turns', async () => {
    process.env.STRATA_TEST_SLOW_READ = 'slow.zip=600000';
    const readers = pool({ timeoutMs: 2000 });
    const runner = new ImportRunner(store, { pollMs: 50, reader: readers });
    let beat: NodeJS.Timeout | undefined;
    try {
      await createEnvironment(store, 'east', CATALOG_ID);
      const env = await findEnvironment(store, 'east');
      // queued as queueImport would, past its own read: only the runner reads it
      const jobId = randomUUID();
      await enqueueImport(store, {
        jobId,
        envId: env.id,
        label: 'slow.zip',
        bytes: buildPackage(BOX),
        solution: {
          uniqueName: 'TestSolution',
          displayName: 'Test',
          version: '1.0.0.0',
          managed: false,
          publisher: 'contoso',
        },
        request: { options: {}, via: 'test' },
      });
      let slowest = 0;
      let last = performance.now();
      beat = setInterval(() => {
        slowest = Math.max(slowest, performance.now() - last);
        last = performance.now();
      }, 20);
      runner.start();
      let job = await jobSummary(store, env.id, jobId);
      while (job.status === 'queued' || job.status === 'running') {
        await new Promise((res) => setTimeout(res, 100));
        job = await jobSummary(store, env.id, jobId);
      }
      clearInterval(beat);
      assert.equal(job.status, 'failed');
      assert.equal(job.code, 'PACKAGE_READ_TIMEOUT');
      assert.match(job.message ?? '', /slow\.zip was still being read after 2 s/);
      // the thread the import's read ran on was not this one: there, the read would have held
      // the event loop for its whole 600 s. Bounded by the read's 2 s deadline, not by less:
      // under a full CI run's load, this thread once stood still for 1,013 ms
      assert.ok(slowest < 2000, `the event loop stood still for ${Math.round(slowest)} ms`);
    } finally {
      clearInterval(beat);
      await runner.stop();
      await readers.close();
    }
  });
});
