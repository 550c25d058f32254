/** metav1.Condition bookkeeping: lastTransitionTime moves only when status flips. */
import type { Condition, ConditionType } from '@storefront/cdk8s';

export type ConditionStatus = 'True' | 'False' | 'Unknown';
export interface ConditionInput {
  readonly type: ConditionType;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message?: string;
}

export function mergeConditions(
  previous: readonly Condition[] | undefined,
  next: readonly ConditionInput[],
  generation: number,
  now: string,
): Condition[] {
  return next.map((c) => {
    const before = previous?.find((p) => p.type === c.type);
    return {
      type: c.type,
      status: c.status,
      reason: c.reason,
      ...(c.message ? { message: c.message.slice(0, 2048) } : {}),
      lastTransitionTime: before && before.status === c.status ? before.lastTransitionTime : now,
      observedGeneration: generation,
    };
  });
}

export const conditionOf = (conditions: readonly Condition[] | undefined, type: ConditionType) =>
  conditions?.find((c) => c.type === type);

/** The conditions whose status flipped between two lists (for Events). */
export function transitions(before: readonly Condition[] | undefined, after: readonly Condition[]): Condition[] {
  return after.filter((c) => conditionOf(before, c.type as ConditionType)?.status !== c.status);
}
