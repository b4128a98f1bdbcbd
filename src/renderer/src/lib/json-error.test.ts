import { describe, expect, it } from 'vitest';
import { jsonSyntaxError } from './json-error';

describe('JSON syntax errors by line', () => {
  it.each([
    ['{\n  "directoryType": "inbox",\n  "skipExisting": tru\n}', 3, 19, /Expected a value/],
    ['{ "a": 1,, }', 1, 10, /property name/],
    ['{ "a": 1, }', 1, 9, /trailing comma/],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /Expected ',' or '}'/],
    ['{ "a": ', 1, 8, /found the end of the text/],
    ['{ "a": "x\n" }', 1, 10, /span lines/],
    ['{} x', 1, 4, /after the value/],
  ])('%j → line %i, column %i', (text, line, column, message) => {
    const error = jsonSyntaxError(text);
    expect(error).toMatchObject({ line, column });
    expect(error!.message).toMatch(message);
  });

  it('says nothing about valid JSON', () => {
    expect(jsonSyntaxError('{"a": [1, -2.5e3, true, null, "\\u00e9"]}')).toBeNull();
  });
});
