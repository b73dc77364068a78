import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderLog } from '../src/jobs/log-format.js';
import { renderJsonLog } from '../src/jobs/log-json.js';
import { renderSpreadsheetLog } from '../src/jobs/log-spreadsheet.js';
import type { ImportJobLog } from '../src/model/job-log.js';
import { StrataError } from '../src/model/errors.js';
import { parseXml, type XmlElement } from '../src/package/xml.js';
import { TEST_OUTPUT } from './support/fixtures.js';
import { LIBREOFFICE, spreadsheetToCsvRows } from './support/libreoffice.js';

const SS_NS = 'urn:schemas-microsoft-com:office:spreadsheet';

/**
 * A failure message with everything that needs escaping, a comma and line break for CSV, and two
 * control characters.
 */
const NASTY =
  'Attribute <new_price> & "amount" can\'t be\u0007 changed, type mismatch\u001B:\nexpected Money';
const NASTY_CLEAN =
  'Attribute <new_price> & "amount" can\'t be changed, type mismatch:\nexpected Money';

function sampleLog(): ImportJobLog {
  return {
    jobId: 'job-0001',
    environment: 'dev',
    solution: {
      uniqueName: 'ContosoRealEstate',
      displayName: 'Contoso 不動産',
      version: '1.2.3.4',
      managed: true,
      publisher: 'contoso',
    },
    operation: 'import',
    status: 'failed',
    progress: 100,
    startedOn: '2024-05-01T10:00:00.000Z',
    completedOn: '2024-05-01T10:00:07.250Z',
    result: 'failure',
    code: 'IMPORT_FAILED',
    message: '2 components failed.',
    results: [
      {
        seq: 1,
        type: 'entity',
        typeLabel: 'Entity',
        key: 'account',
        name: 'Account',
        result: 'success',
        action: 'updated',
        code: '',
        message: '',
        durationMs: 120,
      },
      {
        seq: 2,
        type: 'attribute',
        typeLabel: 'Attribute',
        key: 'new_property.new_price',
        name: 'Price',
        result: 'failure',
        action: 'skipped',
        code: 'ATTRIBUTE_TYPE_CHANGE',
        message: NASTY,
        durationMs: 35,
      },
      {
        seq: 3,
        type: 'form',
        typeLabel: 'Form',
        key: 'new_property.main',
        name: 'Main form',
        result: 'warning',
        action: 'updated',
        code: 'FORM_CONTROL_MISSING',
        message: 'Control new_legacy was removed.',
        durationMs: 8,
      },
      {
        seq: 4,
        type: 'optionset',
        typeLabel: 'Option Set',
        key: 'new_status',
        name: 'Status',
        result: 'success',
        action: 'added',
        code: '',
        message: '',
        durationMs: 0,
      },
      {
        seq: 5,
        type: 'entity',
        typeLabel: 'Entity',
        key: 'new_property',
        name: '物件',
        result: 'failure',
        action: 'skipped',
        code: 'ENTITY_KEY_CONFLICT',
        message: 'Key 物件番号 already exists.',
        durationMs: 1500,
      },
    ],
  };
}

/** Expected Components rows after the header: failures (by seq), warnings, successes. */
const EXPECTED_COMPONENT_ROWS = [
  [
    '2',
    'Price',
    'Attribute',
    'new_property.new_price',
    'Failure',
    'Skipped',
    'ATTRIBUTE_TYPE_CHANGE',
    NASTY_CLEAN,
    '35',
  ],
  [
    '5',
    '物件',
    'Entity',
    'new_property',
    'Failure',
    'Skipped',
    'ENTITY_KEY_CONFLICT',
    'Key 物件番号 already exists.',
    '1500',
  ],
  [
    '3',
    'Main form',
    'Form',
    'new_property.main',
    'Warning',
    'Updated',
    'FORM_CONTROL_MISSING',
    'Control new_legacy was removed.',
    '8',
  ],
  ['1', 'Account', 'Entity', 'account', 'Success', 'Updated', '', '', '120'],
  ['4', 'Status', 'Option Set', 'new_status', 'Success', 'Added', '', '', '0'],
];
const HEADER = [
  '#',
  'Name',
  'Type',
  'Key',
  'Result',
  'Action',
  'Error Code',
  'Description',
  'Duration (ms)',
];

const kids = (el: XmlElement, name: string): XmlElement[] =>
  el.children.filter((c) => c.name === name);
const cellText = (cell: XmlElement): string => kids(cell, 'Data')[0]?.text ?? '';

function writeSample(): string {
  const dir = join(TEST_OUTPUT, 'log-render');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'import-log.xml');
  writeFileSync(file, renderSpreadsheetLog(sampleLog()), 'utf8');
  return file;
}

const LO_MISSING = 'LibreOffice not installed (apt-get install libreoffice-calc)';
// Skip without LibreOffice, except on CI where the missing tool must fail the run.
const loSkip: string | false = LIBREOFFICE || process.env.CI ? false : LO_MISSING;
if (loSkip) console.log(`# log-render: LibreOffice tests skipped: ${loSkip}`);
const requireLibreOffice = (): void =>
  assert.ok(LIBREOFFICE, `${LO_MISSING}; required when CI is set`);

test('spreadsheet log is well-formed SpreadsheetML: two worksheets, correct table sizes', () => {
  const xml = renderSpreadsheetLog(sampleLog());
  assert.ok(
    xml.startsWith(
      '<?xml version="1.0" encoding="utf-8"?>\n<?mso-application progid="Excel.Sheet"?>\n',
    ),
  );
  // nothing XML 1.0 forbids survives (the control characters are stripped)
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);

  const root = parseXml(xml, 'import-log.xml');
  assert.equal(root.name, 'Workbook');
  assert.equal(root.attrs.xmlns, SS_NS);
  assert.equal(root.attrs['xmlns:ss'], SS_NS);

  const styles = kids(kids(root, 'Styles')[0], 'Style');
  const style = (id: string): XmlElement | undefined => styles.find((s) => s.attrs['ss:ID'] === id);
  assert.equal(kids(style('Header')!, 'Font')[0].attrs['ss:Bold'], '1');
  assert.ok(kids(style('Failure')!, 'Interior')[0].attrs['ss:Color']);
  assert.ok(kids(style('Warning')!, 'Interior')[0].attrs['ss:Color']);

  const sheets = kids(root, 'Worksheet');
  assert.deepEqual(
    sheets.map((s) => s.attrs['ss:Name']),
    ['Solution', 'Components'],
  );
  for (const sheet of sheets) {
    const table = kids(sheet, 'Table')[0];
    const rows = kids(table, 'Row');
    assert.equal(
      Number(table.attrs['ss:ExpandedRowCount']),
      rows.length,
      `${sheet.attrs['ss:Name']} row count`,
    );
    assert.equal(
      Number(table.attrs['ss:ExpandedColumnCount']),
      Math.max(...rows.map((r) => kids(r, 'Cell').length)),
      `${sheet.attrs['ss:Name']} column count`,
    );
  }

  const rows = kids(kids(sheets[1], 'Table')[0], 'Row');
  assert.deepEqual(kids(rows[0], 'Cell').map(cellText), HEADER);
  assert.equal(rows[0].attrs['ss:StyleID'], 'Header');
  assert.deepEqual(
    rows.slice(1).map((r) => kids(r, 'Cell').map(cellText)),
    EXPECTED_COMPONENT_ROWS,
  );
  assert.deepEqual(
    rows.slice(1).map((r) => r.attrs['ss:StyleID']),
    ['Failure', 'Failure', 'Warning', undefined, undefined],
  );
  const types = kids(rows[1], 'Cell').map((c) => kids(c, 'Data')[0].attrs['ss:Type']);
  assert.deepEqual(types, [
    'Number',
    'String',
    'String',
    'String',
    'String',
    'String',
    'String',
    'String',
    'Number',
  ]);
});

test(
  'LibreOffice reads the Components sheet back: header, every row, failures first',
  { skip: loSkip },
  () => {
    requireLibreOffice();
    const rows = spreadsheetToCsvRows(writeSample(), 2);
    assert.deepEqual(rows[0], HEADER);
    assert.deepEqual(rows.slice(1), EXPECTED_COMPONENT_ROWS);
  },
);

test('LibreOffice reads the Solution sheet back', { skip: loSkip }, () => {
  requireLibreOffice();
  const rows = spreadsheetToCsvRows(writeSample(), 1);
  const value = new Map(rows.map((r) => [r[0], r[1]]));
  assert.equal(rows.length, 15);
  assert.equal(value.get('Solution unique name'), 'ContosoRealEstate');
  assert.equal(value.get('Display name'), 'Contoso 不動産');
  assert.equal(value.get('Version'), '1.2.3.4');
  assert.equal(value.get('Managed'), 'Yes');
  assert.equal(value.get('Result'), 'Failure');
  assert.equal(value.get('Error code'), 'IMPORT_FAILED');
  assert.equal(value.get('Progress'), '100');
});

test('JSON log round-trips with results in seq order and summary counts', () => {
  const log = sampleLog();
  const body = renderJsonLog(log);
  assert.ok(body.startsWith('{\n  "jobId": "job-0001",'), 'pretty-printed with 2-space indent');
  const parsed = JSON.parse(body);
  assert.deepEqual(parsed, { ...log, summary: { total: 5, success: 2, warning: 1, failure: 2 } });
  assert.deepEqual(
    parsed.results.map((r: { seq: number }) => r.seq),
    [1, 2, 3, 4, 5],
  );
  assert.equal(parsed.results[1].message, NASTY);
});

test('renderLog picks body, content type, extension; unknown format is LOG_FORMAT_UNKNOWN', () => {
  const log = sampleLog();
  const xml = renderLog(log, 'xml');
  assert.equal(xml.contentType, 'application/vnd.ms-excel');
  assert.equal(xml.extension, '.xml');
  assert.equal(xml.body, renderSpreadsheetLog(log));
  const json = renderLog(log, 'json');
  assert.equal(json.contentType, 'application/json');
  assert.equal(json.extension, '.json');
  assert.equal(json.body, renderJsonLog(log));
  assert.throws(
    () => renderLog(log, 'csv' as never),
    (e: unknown) =>
      e instanceof StrataError &&
      e.code === 'LOG_FORMAT_UNKNOWN' &&
      /csv/.test(e.message) &&
      !!e.hint,
  );
});
