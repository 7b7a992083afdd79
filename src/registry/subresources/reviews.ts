/**
 * The create-only, never-stored kinds kubectl uses for `auth can-i` and `auth whoami`, and token
 * reviews. Until RBAC lands the rule is simple: members of system:masters may do everything, and
 * nobody else is granted anything by this server yet.
 */
import { badRequest } from '../../status.ts';
import type { KubeObject, UserInfo } from '../../types/meta.ts';
import { isAdmin } from '../registry-state.ts';
import type { RequestContext } from '../types.ts';

export type TokenAuthenticator = (token: string) => Promise<UserInfo | undefined> | UserInfo | undefined;

type Review = (
  body: KubeObject,
  context: RequestContext,
  authenticate?: TokenAuthenticator,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

const allowedFor = (isAllowed: boolean) =>
  isAllowed
    ? { allowed: true, reason: 'allowed as a member of system:masters' }
    : { allowed: false, reason: 'no RBAC policy matched' };

const reviews: Readonly<Record<string, Review>> = {
  'authorization.k8s.io/selfsubjectaccessreviews': (_body, context) => allowedFor(isAdmin(context.user)),
  'authorization.k8s.io/subjectaccessreviews': (body) => {
    const spec = (body.spec ?? {}) as { groups?: string[]; user?: string };
    return allowedFor(isAdmin({ username: spec.user ?? '', groups: spec.groups ?? [] }));
  },
  'authorization.k8s.io/selfsubjectrulesreviews': (_body, context) =>
    isAdmin(context.user)
      ? {
          resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
          nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
          incomplete: false,
        }
      : {
          resourceRules: [],
          nonResourceRules: [],
          incomplete: true,
          evaluationError: 'RBAC evaluation is not implemented',
        },
  'authentication.k8s.io/selfsubjectreviews': (_body, context) => ({ userInfo: structuredClone(context.user) }),
  'authentication.k8s.io/tokenreviews': async (body, _context, authenticate) => {
    const token = (body.spec as { token?: string } | undefined)?.token;
    if (!token) throw badRequest('spec.token: Required value: token must be set');
    const user = authenticate ? await authenticate(token) : undefined;
    return user
      ? { authenticated: true, user, audiences: (body.spec as { audiences?: string[] }).audiences ?? [] }
      : { authenticated: false };
  },
};

export function isReviewResource(group: string, plural: string): boolean {
  return `${group}/${plural}` in reviews;
}

/** Answers a review: the body with status filled in; HTTP 201 like a create. */
export async function answerReview(
  group: string,
  plural: string,
  body: KubeObject,
  context: RequestContext,
  authenticate?: TokenAuthenticator,
): Promise<KubeObject> {
  const review = reviews[`${group}/${plural}`] as Review;
  const status = await review(body, context, authenticate);
  return { ...body, metadata: { ...body.metadata, creationTimestamp: null }, status };
}
