import { odataError } from './errors.js';

/**
 * The grammar of OData's $filter, shared by strata's two query paths: the solution entity sets,
 * filtered in memory (odata.ts), and the records of tables, filtered in SQL (record-query.ts).
 * It knows no columns and no types: it turns text into a tree of comparisons and string
 * functions joined by and / or / not, keeping each name and literal as written, with its
 * position, so that each path resolves names and reads literals its own way.
 *
 * Precedence: not binds tighter than and, and tighter than or; parentheses group. `not` applies
 * to the comparison, call or group after it (`not name eq 'x'` is `not (name eq 'x')`), which
 * is what people mean by it. Keywords and operators are read in any case. Errors read as
 * Dataverse's (Microsoft.OData's) do: "Syntax error at position 5 in 'name eqq 'x''.", with
 * what was expected in the hint.
 */
export type Token =
  | { kind: 'str'; text: string; pos: number }
  | { kind: 'word'; text: string; pos: number }
  | { kind: 'punct'; text: '(' | ')' | ','; pos: number };

export type LiteralToken = Extract<Token, { kind: 'str' | 'word' }>;

export type Comparison = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type StringFunction = 'contains' | 'startswith' | 'endswith';

/** A property name as written, and where. */
export interface NameToken {
  text: string;
  pos: number;
}

export type FilterSyntax =
  | { op: 'and' | 'or'; left: FilterSyntax; right: FilterSyntax }
  | { op: 'not'; expr: FilterSyntax }
  | { op: 'cmp'; cmp: Comparison; name: NameToken; value: LiteralToken }
  | { op: 'fn'; fn: StringFunction; name: NameToken; value: LiteralToken };

const COMPARISONS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set<string>(['contains', 'startswith', 'endswith']);

/** Microsoft.OData's message for text it cannot read, with what it expected as the hint. */
export function syntaxError(text: string, pos: number, expected: string) {
  return odataError(
    'ODATA_QUERY_INVALID',
    `Syntax error at position ${pos} in '${text}'.`,
    expected,
  );
}

/**
 * Words, punctuation and single-quoted strings (`''` inside one is a quote). A word runs to the
 * next space, parenthesis, comma or quote: GUIDs, dates and `_x_value` names are one word each.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: 'punct', text: c, pos: i++ });
    } else if (c === "'") {
      const end = stringEnd(text, i);
      out.push({ kind: 'str', text: text.slice(i + 1, end).replace(/''/g, "'"), pos: i });
      i = end + 1;
    } else {
      const word = /^[^\s(),']+/.exec(text.slice(i))![0];
      out.push({ kind: 'word', text: word, pos: i });
      i += word.length;
    }
  }
  return out;
}

/** Where the string literal opening at `start` closes. */
function stringEnd(text: string, start: number): number {
  let j = start + 1;
  for (;;) {
    if (j >= text.length)
      throw odataError(
        'ODATA_QUERY_INVALID',
        `There is an unterminated literal at position ${start} in '${text}'.`,
        "Close the string with a quote; write a quote inside it twice ('O''Brien').",
      );
    if (text[j] !== "'") j++;
    else if (text[j + 1] === "'") j += 2;
    else return j;
  }
}

/** Reads a whole $filter; whatever is left over is a syntax error. */
export function parseFilterSyntax(text: string): FilterSyntax {
  return new FilterReader(text).read();
}

class FilterReader {
  private readonly toks: Token[];
  private pos = 0;

  constructor(private readonly text: string) {
    this.toks = tokenize(text);
  }

  read(): FilterSyntax {
    const e = this.or();
    if (this.pos < this.toks.length) this.fail('and, or, or the end of the expression');
    return e;
  }

  private fail(expected: string): never {
    throw syntaxError(
      this.text,
      this.toks[this.pos]?.pos ?? this.text.length,
      `Expected ${expected}.`,
    );
  }

  private keyword(): string | null {
    const t = this.toks[this.pos];
    return t?.kind === 'word' ? t.text.toLowerCase() : null;
  }

  private punct(p: '(' | ')' | ','): boolean {
    const t = this.toks[this.pos];
    return t?.kind === 'punct' && t.text === p;
  }

  private expect(p: '(' | ')' | ','): void {
    if (!this.punct(p)) this.fail(`'${p}'`);
    this.pos++;
  }

  private or(): FilterSyntax {
    let left = this.and();
    while (this.keyword() === 'or') {
      this.pos++;
      left = { op: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterSyntax {
    let left = this.unary();
    while (this.keyword() === 'and') {
      this.pos++;
      left = { op: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterSyntax {
    if (this.keyword() !== 'not') return this.primary();
    this.pos++;
    return { op: 'not', expr: this.unary() };
  }

  private primary(): FilterSyntax {
    if (this.punct('(')) {
      this.pos++;
      const e = this.or();
      this.expect(')');
      return e;
    }
    const t = this.toks[this.pos];
    if (t?.kind !== 'word') this.fail('a property name, a function or (');
    const next = this.toks[this.pos + 1];
    if (next?.kind === 'punct' && next.text === '(') return this.call(t);
    this.pos++;
    const cmp = this.keyword();
    if (cmp === null || !COMPARISONS.has(cmp))
      this.fail(`an operator (eq, ne, gt, ge, lt, le) after '${t.text}'`);
    this.pos++;
    return {
      op: 'cmp',
      cmp: cmp as Comparison,
      name: { text: t.text, pos: t.pos },
      value: this.literal(),
    };
  }

  /** contains(name,'x'), startswith(...), endswith(...). */
  private call(t: Extract<Token, { kind: 'word' }>): FilterSyntax {
    const fn = t.text.toLowerCase();
    if (!FUNCTIONS.has(fn))
      throw odataError(
        'ODATA_QUERY_INVALID',
        `An unknown function with name '${t.text}' was found. This may also be a function ` +
          'import or a key lookup on a navigation property, which is not allowed.',
        'strata supports the functions contains, startswith and endswith in $filter.',
      );
    this.pos += 2;
    const name = this.toks[this.pos];
    if (name?.kind !== 'word') this.fail(`a property name in ${fn}(...)`);
    this.pos++;
    this.expect(',');
    const value = this.literal();
    this.expect(')');
    return { op: 'fn', fn: fn as StringFunction, name: { text: name.text, pos: name.pos }, value };
  }

  private literal(): LiteralToken {
    const t = this.toks[this.pos];
    if (t === undefined || t.kind === 'punct') this.fail('a value');
    this.pos++;
    return t;
  }
}

/** A literal as OData reads it, before anyone asks what column it is compared with. */
export type LiteralValue =
  | { type: 'string'; value: string }
  | { type: 'null' }
  | { type: 'boolean'; value: boolean }
  | { type: 'integer' | 'decimal' | 'guid' | 'date' | 'datetime'; text: string }
  /** a bare word that is none of the above: a property name, or nothing OData knows */
  | { type: 'word'; text: string };

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,7})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?$/i;

/** Whether year-month-day names a day of the calendar (no 2023-02-30). */
function realDay(y: string, m: string, d: string): boolean {
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    day.getUTCFullYear() === Number(y) &&
    day.getUTCMonth() === Number(m) - 1 &&
    day.getUTCDate() === Number(d)
  );
}

/** What kind of literal a token is: strings are quoted, everything else is a bare word. */
export function literalValue(t: LiteralToken): LiteralValue {
  if (t.kind === 'str') return { type: 'string', value: t.text };
  const w = t.text;
  if (w === 'null') return { type: 'null' };
  if (w === 'true' || w === 'false') return { type: 'boolean', value: w === 'true' };
  if (INTEGER.test(w)) return { type: 'integer', text: w };
  if (DECIMAL.test(w)) return { type: 'decimal', text: w };
  if (GUID.test(w)) return { type: 'guid', text: w.toLowerCase() };
  const date = DATE.exec(w);
  if (date && realDay(date[1], date[2], date[3])) return { type: 'date', text: w };
  const dt = DATETIME.exec(w);
  if (dt && realDay(dt[1], dt[2], dt[3])) return { type: 'datetime', text: w };
  return { type: 'word', text: w };
}
