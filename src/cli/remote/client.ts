/**
 * A client of the Dataverse Web API that speaks only what Microsoft documents: bearer token,
 * OData JSON, the solution messages (ImportSolutionAsync, StageAndUpgradeAsync, DeleteAndPromote,
 * ExportSolution, PublishAllXml, …) and the entity sets solutions, publishers, importjobs,
 * asyncoperations, solutioncomponents and msdyn_solutionhistories. It never relies on strata's
 * own columns or routes, so it works against Dataverse as against `strata serve`. Errors come
 * back as StrataErrors (remote-errors.ts), so exit codes are those of the local store.
 */
import { StrataError, type ErrorOptions } from '../../model/errors.js';
import { errorFromResponse, type Asked } from './remote-errors.js';
import type { ServerTarget } from './target.js';

/** A request that takes longer than this is given up (an ExportSolution of a big solution). */
const REQUEST_TIMEOUT_MS = 15 * 60 * 1000;

export interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

export class WebApiClient {
  constructor(readonly target: ServerTarget) {}

  /** One request; the answer's JSON (null for 204). `asked` names what a 404 means. */
  async request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    opts: { body?: unknown; asked?: Asked; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const url = path.startsWith('http') ? path : `${this.target.apiRoot}/${path}`;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.target.token}`,
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
      ...opts.headers,
    };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (e) {
      throw unreachable(this.target, e);
    }
    const text = await res.text();
    if (!res.ok) throw errorFromResponse(res.status, text, this.target, opts.asked);
    if (!text) return null as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new StrataError(
        'SERVER_ANSWER_INVALID',
        `${this.target.label} answered ${method} ${path.split('?')[0]} with something that is not JSON.`,
        { hint: 'Check that the URL is the server (or its /api/data/v9.2), not another site.' },
      );
    }
  }

  get<T>(path: string, asked?: Asked): Promise<T> {
    return this.request<T>('GET', path, { asked });
  }

  /** Every row of a collection, following @odata.nextLink. */
  async getAll<T>(path: string, asked?: Asked): Promise<T[]> {
    const rows: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: Page<T> = await this.request<Page<T>>('GET', next, {
        asked,
        headers: { Prefer: 'odata.maxpagesize=500' },
      });
      rows.push(...page.value);
      next = page['@odata.nextLink'];
    }
    return rows;
  }

  /** An action (POST /Name) with its parameters; its response, or null for 204. */
  action<T>(name: string, parameters?: Record<string, unknown>, asked?: Asked): Promise<T> {
    return this.request<T>('POST', name, { body: parameters, asked });
  }
}

function unreachable(target: ServerTarget, e: unknown): StrataError {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const why =
    (e as Error).name === 'TimeoutError'
      ? 'it did not answer in time'
      : (cause?.code ?? cause?.message ?? (e as Error).message);
  const opts: ErrorOptions = {
    hint: 'Check the URL (strata auth list) and that the server is running.',
    cause: e,
  };
  return new StrataError('SERVER_UNREACHABLE', `Cannot reach ${target.apiRoot}: ${why}.`, opts);
}

/** An OData string literal: 'text' with '' for a quote. */
export function literal(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
