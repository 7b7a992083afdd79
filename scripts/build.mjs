// Bundles the CLI into dist/wharf.mjs with esbuild (dependencies stay external), so `npm start`
// runs plain JavaScript and starts in well under a second.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/wharf.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
