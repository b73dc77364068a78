/**
 * An import's per-component results are deflated a piece at a time (store/jobs.ts packResults):
 * inflated again they are the same array, across pieces and for none.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import type { ComponentResult } from '../src/model/job-log.js';
import { packResults } from '../src/store/jobs.js';

const unpack = async (results: ComponentResult[]): Promise<unknown> =>
  JSON.parse(
    inflateRawSync(Buffer.from(packResults(results).base64, 'base64')).toString('utf8'),
  ) as unknown;

test('results of several pieces come back whole and in order', async () => {
  for (const n of [0, 1, 4_999, 5_000, 5_001, 12_345]) {
    const results = Array.from(
      { length: n },
      (_, i): ComponentResult =>
        ({
          seq: i + 1,
          type: 'attribute',
          typeLabel: 'Column',
          key: `t${i >> 4}.c${i & 15}`,
          name: `Colonne ${i} « ü »`,
          result: i % 3 === 0 ? 'warning' : 'success',
          code: '',
          message: i % 3 === 0 ? 'a "quoted" warning,\nover two lines' : 'added',
        }) as ComponentResult,
    );
    assert.deepEqual(await unpack(results), results, `${n} results`);
  }
});
