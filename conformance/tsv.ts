/** Tab-separated files with a header row, as subset.tsv and expected-failures.tsv are written. */
export function parseTsv(text: string): Array<Record<string, string>> {
  const lines = text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const [header, ...rows] = lines;
  if (!header) return [];
  const columns = header.split('\t');
  return rows.map((row) => {
    const cells = row.split('\t');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

export function formatTsv(columns: readonly string[], rows: ReadonlyArray<Record<string, string>>): string {
  const clean = (v: string) => v.replace(/[\t\n]/g, ' ');
  return `${[columns.join('\t'), ...rows.map((r) => columns.map((c) => clean(r[c] ?? '')).join('\t'))].join('\n')}\n`;
}
