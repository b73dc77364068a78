import type { ComponentResult, ImportJobLog, ResultKind } from '../model/job-log.js';

/**
 * The import log as SpreadsheetML 2003 XML, the format of Dynamics 365's "Download Log File":
 * Excel and LibreOffice open it directly. Two worksheets: "Solution" (label/value rows for the
 * solution manifest step) and "Components" (one row per component, failures first).
 */

/**
 * Characters XML 1.0 forbids (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates).
 * They cannot be written even as character references, so they are dropped.
 */
const ILLEGAL_XML_CHARS = new RegExp(
  [
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.source,
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.source, // a high surrogate without its low half
    /(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.source, // a low surrogate without its high half
  ].join('|'),
  'g',
);

function stripIllegalXmlChars(s: string): string {
  return s.replace(ILLEGAL_XML_CHARS, '');
}

/**
 * Escapes text for element content or attribute values. Tab, LF and CR become character
 * references (as Excel writes them) so line breaks inside a cell survive attribute-value and
 * end-of-line normalisation.
 */
function escapeSpreadsheetText(s: string): string {
  return stripIllegalXmlChars(s).replace(/[<>&"'\t\n\r]/g, (c) => {
    switch (c) {
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '&':
        return '&amp;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      case '\t':
        return '&#9;';
      case '\n':
        return '&#10;';
      default:
        return '&#13;';
    }
  });
}

const RESULT_LABEL: Record<ResultKind, string> = {
  success: 'Success',
  warning: 'Warning',
  failure: 'Failure',
};
const RESULT_RANK: Record<ResultKind, number> = { failure: 0, warning: 1, success: 2 };

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function resultLabel(r: ResultKind | string): string {
  return RESULT_LABEL[r as ResultKind] ?? capitalize(String(r));
}

/** Failures, then warnings, then successes; by seq within each group (stable for equal seq). */
function orderForLog(results: readonly ComponentResult[]): ComponentResult[] {
  return results
    .map((r, i) => ({ r, i }))
    .sort(
      (a, b) =>
        (RESULT_RANK[a.r.result] ?? 3) - (RESULT_RANK[b.r.result] ?? 3) ||
        a.r.seq - b.r.seq ||
        a.i - b.i,
    )
    .map((x) => x.r);
}

type Cell =
  | { kind: 'string'; value: string; style?: string }
  | { kind: 'number'; value: number; style?: string };

const str = (value: string | null | undefined, style?: string): Cell => ({
  kind: 'string',
  value: value ?? '',
  style,
});
const num = (value: number, style?: string): Cell =>
  Number.isFinite(value) ? { kind: 'number', value, style } : { kind: 'string', value: '', style };

function renderCell(c: Cell): string {
  const style = c.style ? ` ss:StyleID="${c.style}"` : '';
  if (c.kind === 'number')
    return `<Cell${style}><Data ss:Type="Number">${String(c.value)}</Data></Cell>`;
  return `<Cell${style}><Data ss:Type="String">${escapeSpreadsheetText(c.value)}</Data></Cell>`;
}

interface Sheet {
  name: string;
  /** column widths in points */
  widths: number[];
  rows: { cells: Cell[]; style?: string }[];
  /** number of header rows to freeze */
  freezeRows?: number;
}

function renderSheet(sheet: Sheet): string {
  const cols = Math.max(sheet.widths.length, ...sheet.rows.map((r) => r.cells.length), 1);
  const out: string[] = [];
  out.push(` <Worksheet ss:Name="${escapeSpreadsheetText(sheet.name)}">`);
  const rowCount = Math.max(sheet.rows.length, 1);
  out.push(
    `  <Table ss:ExpandedColumnCount="${cols}" ss:ExpandedRowCount="${rowCount}"` +
      ' x:FullColumns="1" x:FullRows="1">',
  );
  for (const w of sheet.widths) out.push(`   <Column ss:AutoFitWidth="0" ss:Width="${w}"/>`);
  for (const row of sheet.rows) {
    const style = row.style ? ` ss:StyleID="${row.style}"` : '';
    out.push(`   <Row${style}>${row.cells.map(renderCell).join('')}</Row>`);
  }
  out.push('  </Table>');
  out.push('  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">');
  if (sheet.freezeRows) {
    out.push('   <FreezePanes/>', '   <FrozenNoSplit/>');
    out.push(
      `   <SplitHorizontal>${sheet.freezeRows}</SplitHorizontal>`,
      `   <TopRowBottomPane>${sheet.freezeRows}</TopRowBottomPane>`,
    );
    out.push('   <ActivePane>2</ActivePane>');
  }
  out.push(
    '   <ProtectObjects>False</ProtectObjects>',
    '   <ProtectScenarios>False</ProtectScenarios>',
  );
  out.push('  </WorksheetOptions>');
  out.push(' </Worksheet>');
  return out.join('\n');
}

const ROW_STYLE: Record<ResultKind, string | undefined> = {
  failure: 'Failure',
  warning: 'Warning',
  success: undefined,
};

export function renderSpreadsheetLog(log: ImportJobLog): string {
  const s = log.solution;
  const label = (l: string): Cell => str(l, 'Label');
  const solutionRows: Sheet['rows'] = [
    { cells: [label('Solution unique name'), str(s.uniqueName)] },
    { cells: [label('Display name'), str(s.displayName)] },
    { cells: [label('Version'), str(s.version)] },
    { cells: [label('Managed'), str(s.managed ? 'Yes' : 'No')] },
    { cells: [label('Publisher'), str(s.publisher)] },
    { cells: [label('Operation'), str(capitalize(log.operation))] },
    { cells: [label('Job id'), str(log.jobId)] },
    { cells: [label('Environment'), str(log.environment)] },
    { cells: [label('Status'), str(capitalize(log.status))] },
    { cells: [label('Result'), str(resultLabel(log.result), ROW_STYLE[log.result])] },
    { cells: [label('Error code'), str(log.code)] },
    { cells: [label('Message'), str(log.message, 'Wrap')] },
    { cells: [label('Started on'), str(log.startedOn)] },
    { cells: [label('Completed on'), str(log.completedOn)] },
    { cells: [label('Progress'), num(log.progress)] },
  ];

  const header = [
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
  const componentRows: Sheet['rows'] = [{ cells: header.map((h) => str(h)), style: 'Header' }];
  for (const r of orderForLog(log.results)) {
    const style = ROW_STYLE[r.result];
    componentRows.push({
      style,
      cells: [
        num(r.seq, style),
        str(r.name, style),
        str(r.typeLabel || r.type, style),
        str(r.key, style),
        str(resultLabel(r.result), style),
        str(capitalize(r.action), style),
        str(r.code, style),
        str(r.message, style ? `${style}Wrap` : 'Wrap'),
        num(r.durationMs, style),
      ],
    });
  }

  // one style a line
  const font = 'ss:FontName="Calibri" ss:Size="11"';
  const top = '<Alignment ss:Vertical="Top"/>';
  const wrap = '<Alignment ss:Vertical="Top" ss:WrapText="1"/>';
  const fill = (color: string): string => `<Interior ss:Color="${color}" ss:Pattern="Solid"/>`;
  const border = (color: string): string =>
    '<Borders><Border ss:Position="Bottom" ss:LineStyle="Continuous" ss:Weight="1"' +
    ` ss:Color="${color}"/></Borders>`;
  const styles = [
    '<Styles>',
    ` <Style ss:ID="Default" ss:Name="Normal">${top}<Font ${font}/></Style>`,
    ` <Style ss:ID="Header"><Font ${font} ss:Bold="1"/>` +
      `${fill('#D9E1F2')}${border('#8EA9DB')}</Style>`,
    ` <Style ss:ID="Label"><Font ${font} ss:Bold="1"/></Style>`,
    ` <Style ss:ID="Wrap">${wrap}</Style>`,
    ` <Style ss:ID="Failure"><Font ${font} ss:Color="#9C0006"/>${fill('#FFC7CE')}</Style>`,
    ` <Style ss:ID="FailureWrap" ss:Parent="Failure">${wrap}</Style>`,
    ` <Style ss:ID="Warning"><Font ${font} ss:Color="#9C5700"/>${fill('#FFEB9C')}</Style>`,
    ` <Style ss:ID="WarningWrap" ss:Parent="Warning">${wrap}</Style>`,
    '</Styles>',
  ].join('\n');

  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<?mso-application progid="Excel.Sheet"?>',
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"' +
      ' xmlns:o="urn:schemas-microsoft-com:office:office"' +
      ' xmlns:x="urn:schemas-microsoft-com:office:excel"' +
      ' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">',
    styles,
    renderSheet({ name: 'Solution', widths: [140, 360], rows: solutionRows }),
    renderSheet({
      name: 'Components',
      widths: [30, 180, 110, 200, 60, 70, 150, 420, 80],
      rows: componentRows,
      freezeRows: 1,
    }),
    '</Workbook>',
    '',
  ].join('\n');
}
