/**
 * V8's JSON.parse messages → the wording of Go's encoding/json, which kubectl users see from a real
 * apiserver (`invalid character 'x' looking for beginning of value`). Only the message changes; the
 * position of the fault is the one V8 found.
 */

/** What Go says the parser was doing when it met the bad character, keyed by V8's message start. */
const contexts: readonly [RegExp, string][] = [
  [/^Expected property name/, 'looking for beginning of object key string'],
  [/^Expected ':' after property name/, 'after object key'],
  [/^Expected ',' or '}' after property value/, 'after object key:value pair'],
  [/^Expected ',' or '\]' after array element/, 'after array element'],
  [/^Unexpected non-whitespace character after JSON/, 'after top-level value'],
  [/^Bad control character in string literal/, 'in string literal'],
  [/^Bad escaped character/, 'in string escape code'],
  [/^Bad Unicode escape/, 'in \\u hexadecimal character escape'],
  [/^(No number after minus sign|Exponent part is missing|Unterminated fractional number)/, 'in numeric literal'],
];

/** Go's quoteChar: `'x'`, `'\''`, `'"'`, `'\n'`. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  return `'${JSON.stringify(c).slice(1, -1)}'`;
}

/** The Go encoding/json text for a JSON.parse failure of `text`. */
export function goJsonSyntaxError(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const at = /at position (\d+)/.exec(message);
  const position = at ? Number(at[1]) : undefined;
  if (/^Unexpected end of JSON input|^Unterminated string/.test(message)) return 'unexpected end of JSON input';
  if (position !== undefined && position >= text.length) return 'unexpected end of JSON input';
  const token = /^Unexpected token '(.+?)', /.exec(message)?.[1];
  const char = position !== undefined ? String.fromCodePoint(text.codePointAt(position) ?? 0) : (token ?? '?');
  const context = contexts.find(([pattern]) => pattern.test(message))?.[1] ?? 'looking for beginning of value';
  return `invalid character ${quoteChar(char)} ${context}`;
}
