import { StrataError } from '../model/errors.js';
import { renderJsonLog } from './log-json.js';
import { renderSpreadsheetLog } from './log-spreadsheet.js';
import type { ImportJobLog } from '../model/job-log.js';

export type LogFormat = 'xml' | 'json';

const LOG_FORMATS: readonly LogFormat[] = ['xml', 'json'];

export interface RenderedLog {
  body: string;
  contentType: string;
  extension: string;
}

/** Renders the downloadable log: SpreadsheetML 2003 (opens in Excel) or JSON. */
export function renderLog(log: ImportJobLog, format: LogFormat): RenderedLog {
  switch (format) {
    case 'xml':
      return {
        body: renderSpreadsheetLog(log),
        contentType: 'application/vnd.ms-excel',
        extension: '.xml',
      };
    case 'json':
      return { body: renderJsonLog(log), contentType: 'application/json', extension: '.json' };
    default:
      throw new StrataError('LOG_FORMAT_UNKNOWN', `Unknown log format "${String(format)}".`, {
        hint: `Use one of: ${LOG_FORMATS.join(', ')}.`,
        details: { format, supported: LOG_FORMATS },
      });
  }
}
