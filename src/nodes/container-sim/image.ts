/**
 * Facts about an image reference as containerd reports them: the normalized name
 * (`nginx` → `docker.io/library/nginx:latest`), a stable fake digest, a plausible size, and the
 * documented pull-failure rule (see src/nodes/README.md).
 */
import { createHash } from 'node:crypto';

export interface ImageRef {
  /** Repository without tag or digest, normalized: `docker.io/library/nginx`. */
  repository: string;
  tag: string;
}

export function parseImageRef(image: string): ImageRef {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  const name = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  const tag = hasTag ? withoutDigest.slice(colon + 1) : 'latest';
  const first = name.split('/')[0] ?? '';
  // A first segment with a dot or colon, or `localhost`, is a registry host (docker/reference rules).
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const repository = hasRegistry ? name : name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return { repository, tag };
}

/** `docker.io/library/nginx:latest`, the `image` field of a container status under containerd. */
export function normalizedImage(image: string): string {
  const ref = parseImageRef(image);
  return `${ref.repository}:${ref.tag}`;
}

/** 64 hex digits derived from the image name, so the same image always has the same digest. */
export function fakeDigest(image: string): string {
  return createHash('sha256').update(normalizedImage(image)).digest('hex');
}

/** `docker.io/library/nginx@sha256:<digest>`, the `imageID` field of a container status. */
export function imageID(image: string): string {
  return `${parseImageRef(image).repository}@sha256:${fakeDigest(image)}`;
}

/** A stable size between 2 MB and 200 MB for the Pulled event and node.status.images. */
export function imageSizeBytes(image: string): number {
  const seed = Number.parseInt(fakeDigest(image).slice(0, 8), 16);
  return 2_000_000 + (seed % 198_000_000);
}

const failingTags = new Set(['non-existent', '404']);
const failingWords = ['invalid', 'nonexistent', 'does-not-exist'];

/** True when pulling `image` fails (the documented rule; covers upstream's foo:non-existent). */
export function isUnpullable(image: string): boolean {
  const ref = parseImageRef(image);
  if (failingTags.has(ref.tag)) return true;
  const lower = image.toLowerCase();
  return failingWords.some((w) => lower.includes(w));
}

/** The error containerd returns for an unpullable image, as the kubelet quotes it. */
export function pullErrorMessage(image: string): string {
  const full = normalizedImage(image);
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${full}: not found`;
}
