/**
 * Kubernetes' own `$(VAR)` expansion of command, args and env values (done by the kubelet before
 * any shell runs): `$(NAME)` becomes the variable's value when defined and stays as written when
 * not; `$$` escapes a dollar, so `$$(NAME)` yields the literal `$(NAME)`.
 * Behaviour as in third_party/forked/golang/expansion.
 */
export function expandKubeReferences(input: string, env: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      out += env.get(name) ?? `$(${name})`;
      i = close + 1;
    } else {
      out += `$${next}`;
      i += 2;
    }
  }
  return out;
}
