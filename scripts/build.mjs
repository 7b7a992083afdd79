// Bundles the CLI into dist/wharf.mjs with esbuild (dependencies stay external), so `npm start`
// runs plain JavaScript and starts in well under a second. Code splitting keeps every dynamic
// import() a separate chunk, so what is loaded on demand (the etcd backend and its client library,
// the cluster itself for `wharf --help`) stays out of the start-up path.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: clear the old ones so dist holds exactly one build.
rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist',
  entryNames: 'wharf',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
