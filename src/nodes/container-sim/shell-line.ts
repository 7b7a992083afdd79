/**
 * A tiny shell-line reader for `sh -c` scripts: words with '…' / "…" quoting and backslash escapes,
 * `$VAR` / `${VAR}` expansion from the container's environment, and the list operators `;`, `&&`,
 * `||` plus newlines. Pipes, redirections and subshells are not simulated: `|`, `>` and friends end
 * the word list of the current command and whatever follows up to the next operator is dropped, so
 * `echo hi > /tmp/x` still logs nothing odd and succeeds.
 */

export type Connector = ';' | '&&' | '||';

/** One simple command and how it joins the previous one (the first is always ';'). */
export interface ShellCommand {
  connector: Connector;
  argv: string[];
}

const isNameStart = (c: string) => /[A-Za-z_]/.test(c);
const isNameChar = (c: string) => /[A-Za-z0-9_]/.test(c);

/** Splits `script` into commands, expanding variables from `env` (unset expands to ''). */
export function parseShellLine(script: string, env: ReadonlyMap<string, string>): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let argv: string[] = [];
  let word = '';
  let hasWord = false;
  let connector: Connector = ';';
  let dropping = false;

  const endWord = () => {
    if (hasWord && !dropping) argv.push(word);
    word = '';
    hasWord = false;
  };
  const endCommand = (next: Connector) => {
    endWord();
    if (argv.length > 0) commands.push({ connector, argv });
    argv = [];
    connector = next;
    dropping = false;
  };
  /** Reads a `$…` expansion starting at script[i] === '$'; returns the index after it. */
  const expand = (i: number): number => {
    const next = script[i + 1] ?? '';
    if (next === '{') {
      const close = script.indexOf('}', i + 2);
      if (close > 0) {
        word += env.get(script.slice(i + 2, close).split(':-')[0] ?? '') ?? defaultOf(script.slice(i + 2, close));
        hasWord = true;
        return close + 1;
      }
    } else if (isNameStart(next)) {
      let j = i + 1;
      while (j < script.length && isNameChar(script[j] ?? '')) j++;
      word += env.get(script.slice(i + 1, j)) ?? '';
      hasWord = true;
      return j;
    } else if (next === '?') {
      word += '0';
      hasWord = true;
      return i + 2;
    }
    word += '$';
    hasWord = true;
    return i + 1;
  };

  let i = 0;
  while (i < script.length) {
    const c = script[i] ?? '';
    if (c === "'") {
      const close = script.indexOf("'", i + 1);
      const end = close < 0 ? script.length : close;
      word += script.slice(i + 1, end);
      hasWord = true;
      i = end + 1;
    } else if (c === '"') {
      hasWord = true;
      i++;
      while (i < script.length && script[i] !== '"') {
        const d = script[i] ?? '';
        if (d === '\\' && i + 1 < script.length && '"\\$`'.includes(script[i + 1] ?? '')) {
          word += script[i + 1];
          i += 2;
        } else if (d === '$') {
          i = expand(i);
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      word += script[i + 1] ?? '';
      hasWord = true;
      i += 2;
    } else if (c === '$') {
      i = expand(i);
    } else if (c === '&' && script[i + 1] === '&') {
      endCommand('&&');
      i += 2;
    } else if (c === '|' && script[i + 1] === '|') {
      endCommand('||');
      i += 2;
    } else if (c === ';' || c === '\n') {
      endCommand(';');
      i++;
    } else if (c === '#' && !hasWord) {
      while (i < script.length && script[i] !== '\n') i++;
    } else if ('|<>&'.includes(c)) {
      endWord();
      dropping = true;
      i++;
    } else if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else {
      word += c;
      hasWord = true;
      i++;
    }
  }
  endCommand(';');
  return commands;
}

function defaultOf(expression: string): string {
  const at = expression.indexOf(':-');
  return at < 0 ? '' : expression.slice(at + 2);
}
