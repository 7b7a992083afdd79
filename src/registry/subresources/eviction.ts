/**
 * pods/eviction (policy/v1 Eviction): a delete that honours PodDisruptionBudgets. The disruption
 * controller keeps status.disruptionsAllowed current; eviction only reads it and spends one.
 */
import { labelSelectorFromSpec } from '../../selectors/index.ts';
import { internalError, successStatus, tooManyRequests } from '../../status.ts';
import type { DeleteOptions, KubeObject, LabelSelector } from '../../types/meta.ts';
import { deleteObject } from '../delete.ts';
import { getObject } from '../get.ts';
import { listObjects } from '../list.ts';
import type { RegistryState } from '../registry-state.ts';
import { objectField } from '../strategies/shared.ts';
import type { RequestContext, ResourceDef } from '../types.ts';
import { writeUpdate } from '../update.ts';

interface BudgetStatus {
  disruptionsAllowed?: number;
  desiredHealthy?: number;
  currentHealthy?: number;
}

function matchingBudgets(budgets: readonly KubeObject[], pod: Readonly<KubeObject>): KubeObject[] {
  return budgets.filter((b) => {
    const selector = (b.spec as { selector?: LabelSelector } | undefined)?.selector;
    // A PDB without a selector matches nothing in policy/v1; an empty one matches every pod.
    return selector !== undefined && labelSelectorFromSpec(selector).matches(pod.metadata.labels);
  });
}

/** 429 while the budget allows no disruption. */
function refuseWithoutDisruptions(budget: Readonly<KubeObject>): void {
  const status = (budget.status ?? {}) as BudgetStatus;
  if ((status.disruptionsAllowed ?? 0) >= 1) return;
  throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", [
    {
      reason: 'DisruptionBudget',
      message: `The disruption budget ${budget.metadata.name ?? ''} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
    },
  ]);
}

export async function evictPod(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  body: unknown,
  context: RequestContext,
): Promise<{ object: unknown; code: number }> {
  const eviction = (body ?? {}) as { deleteOptions?: DeleteOptions };
  const pod = await getObject(state, def, namespace, name, {});
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  // Finished or already terminating pods disrupt nothing (eviction.go canIgnorePDB).
  const isExempt =
    phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
  if (!isExempt) {
    const budgetDef = state.table.lookup('policy', 'v1', 'poddisruptionbudgets');
    const budgets = budgetDef ? matchingBudgets((await listObjects(state, budgetDef, namespace, {})).items, pod) : [];
    if (budgets.length > 1) {
      throw internalError(
        new Error('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.'),
      );
    }
    const budget = budgets[0];
    if (budget && budgetDef) {
      refuseWithoutDisruptions(budget);
      if (!context.dryRun) {
        // Concurrent evictions (kubectl drain sends them in parallel) race on the budget: the check is
        // repeated on each attempt against the budget as it now is, and the write carries no
        // resourceVersion so a conflict re-reads instead of failing (eviction.go retries on conflict).
        await writeUpdate(
          state,
          budgetDef,
          namespace,
          budget.metadata.name ?? '',
          {
            scope: 'status',
            next: ({ object }) => {
              refuseWithoutDisruptions(object);
              delete object.metadata.resourceVersion;
              const s = objectField(object, 'status');
              s.disruptionsAllowed = Math.max(0, Number(s.disruptionsAllowed ?? 0) - 1);
              s.disruptedPods = {
                ...(s.disruptedPods as object | undefined),
                [name]: new Date(state.clock()).toISOString().replace(/\.\d+Z$/, 'Z'),
              };
              return object;
            },
          },
          context,
        );
      }
    }
  }
  await deleteObject(state, def, namespace, name, { ...eviction.deleteOptions }, context);
  return { object: successStatus(undefined, 201), code: 201 };
}
