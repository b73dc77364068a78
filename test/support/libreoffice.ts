import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Path of the LibreOffice binary (`soffice` or `libreoffice`), or undefined when it is not
 * installed.
 */
export const LIBREOFFICE: string | undefined = findLibreOffice();

function findLibreOffice(): string | undefined {
  for (const name of ['soffice', 'libreoffice']) {
    const r = spawnSync('which', [name], { encoding: 'utf8' });
    const p = r.status === 0 ? r.stdout.trim().split('\n')[0] : '';
    if (p && existsSync(p)) return p;
  }
  return undefined;
}

/**
 * CSV export filter options: comma separator (44), double-quote text delimiter (34), UTF-8 (76),
 * from line 1, no column formats, default language, no "quoted field as text", detect special
 * numbers, save cell contents raw (not as shown), no formulas, keep spaces, then the sheet
 * number (1-based; LibreOffice ≥ 7.2), which writes `<base>-<SheetName>.csv`.
 */
function csvFilter(sheet: number): string {
  return `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,${sheet}`;
}

/**
 * Converts a spreadsheet (here: SpreadsheetML 2003 XML) to CSV with headless LibreOffice and
 * returns the rows of sheet `sheet` (1-based, default the first). Each call uses a fresh
 * profile directory so parallel runs don't fight over the user installation's lock.
 */
export function spreadsheetToCsvRows(xmlPath: string, sheet = 1): string[][] {
  if (!LIBREOFFICE)
    throw new Error('LibreOffice is not installed (apt-get install libreoffice-calc)');
  if (!Number.isInteger(sheet) || sheet < 1)
    throw new Error(`sheet must be a 1-based sheet number, got ${sheet}`);
  const work = mkdtempSync(join(tmpdir(), 'strata-lo-'));
  try {
    const profile = join(work, `profile-${randomBytes(6).toString('hex')}`);
    const outDir = join(work, 'out');
    // LibreOffice picks the import filter by content; the .xml extension + mso-application PI
    // make it "MS Excel 2003 XML".
    const input = join(work, basename(xmlPath).replace(/\.[^.]*$/, '') + '.xml');
    copyFileSync(xmlPath, input);
    const run = (extra: string[]): string => {
      const args = [
        '--headless',
        '--norestore',
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        ...extra,
        '--convert-to',
        csvFilter(sheet),
        '--outdir',
        outDir,
        input,
      ];
      const r = spawnSync(LIBREOFFICE!, args, {
        encoding: 'utf8',
        timeout: 60_000,
        killSignal: 'SIGKILL',
      });
      if (r.error) throw new Error(`${LIBREOFFICE} failed to run: ${r.error.message}`);
      return `exit ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`;
    };
    const csvFiles = (): string[] =>
      existsSync(outDir) ? readdirSync(outDir).filter((f) => f.toLowerCase().endsWith('.csv')) : [];
    let log = run([]);
    if (csvFiles().length === 0) log += run(['--infilter=MS Excel 2003 XML']);
    const files = csvFiles();
    if (files.length !== 1)
      throw new Error(
        `LibreOffice produced ${files.length} CSV files for sheet ${sheet} of ${xmlPath}:\n${log}`,
      );
    return parseCsv(readFileSync(join(outDir, files[0]), 'utf8'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** RFC 4180 CSV: quoted fields may contain commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = (): void => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i++;
    } else if (c === '\n' || c === '\r') endRow();
    else field += c;
    i++;
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
