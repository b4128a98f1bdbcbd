/**
 * Where a JSON text stops being JSON, as a line and column the user can find. JSON.parse decides
 * whether it parses; engines word their errors differently and some give no position at all, so on
 * failure a small scanner walks the text to the first offending character and says what it expected.
 */
export interface JsonSyntaxError {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const lines = text.slice(0, Math.max(0, Math.min(position, text.length))).split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

class ScanError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

/** Walks the whole text as one JSON value; throws a ScanError where it breaks. */
function scan(text: string): void {
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i += 1;
  };
  const describe = (at: number) => (at >= text.length ? 'the end of the text' : `'${text[at]}'`);
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    NUMBER.lastIndex = i;
    if (ch !== undefined && /[-\d]/.test(ch) && NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    const literal = LITERALS.find((l) => text.startsWith(l, i));
    if (literal) {
      i += literal.length;
      return;
    }
    throw new ScanError(`Expected a value, found ${describe(i)}`, i);
  };
  const string = () => {
    i += 1;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') throw new ScanError('A string may not span lines', i);
      if (text[i] === '\\') {
        if (!/["\\/bfnrtu]/.test(text[i + 1] ?? '')) throw new ScanError('Unknown escape in a string', i);
        i += text[i + 1] === 'u' ? 6 : 2;
      } else i += 1;
    }
    if (i >= text.length) throw new ScanError('A string is not closed', i);
    i += 1;
  };
  const list = (close: string, item: () => void) => {
    i += 1;
    space();
    if (text[i] === close) {
      i += 1;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[i] === ',') {
        const comma = i;
        i += 1;
        space();
        if (text[i] === close) throw new ScanError(`A trailing comma before '${close}'`, comma);
        continue;
      }
      if (text[i] === close) {
        i += 1;
        return;
      }
      throw new ScanError(`Expected ',' or '${close}', found ${describe(i)}`, i);
    }
  };
  const object = () =>
    list('}', () => {
      space();
      if (text[i] !== '"') throw new ScanError(`Expected a property name in double quotes, found ${describe(i)}`, i);
      string();
      space();
      if (text[i] !== ':') throw new ScanError(`Expected ':' after a property name, found ${describe(i)}`, i);
      i += 1;
      value();
    });
  const array = () => list(']', value);
  value();
  space();
  if (i < text.length) throw new ScanError(`Unexpected ${describe(i)} after the value`, i);
}

/** Null when the text parses. */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    try {
      scan(text);
    } catch (found) {
      if (found instanceof ScanError) return { message: found.message, ...lineAndColumn(text, found.position) };
    }
    // the engine refused what the scanner let through: say it, at the end
    return { message: error instanceof Error ? error.message : String(error), ...lineAndColumn(text, text.length) };
  }
}
