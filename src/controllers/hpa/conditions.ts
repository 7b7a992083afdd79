/** HPA status conditions: set in place, lastTransitionTime moving only when the status changes. */
import type { HPACondition, HPAStatus } from './types.ts';

export function setCondition(
  status: HPAStatus,
  now: string,
  type: HPACondition['type'],
  conditionStatus: HPACondition['status'],
  reason: string,
  message: string,
): void {
  const conditions = status.conditions ?? [];
  const existing = conditions.find((c) => c.type === type);
  const lastTransitionTime =
    existing && existing.status === conditionStatus ? (existing.lastTransitionTime ?? now) : now;
  const next: HPACondition = { type, status: conditionStatus, lastTransitionTime, reason, message };
  status.conditions = existing ? conditions.map((c) => (c === existing ? next : c)) : [...conditions, next];
}
