/**
 * The most VRAM a new job may ask for: what the best online node that runs its category could ever
 * give it. A job is refused at creation only when no such node could hold it, whichever node the
 * request came through (a 4 GB node accepts a job for the 24 GB node beside it). A node without a
 * budget (no GPU telemetry and none declared) runs GPU work in software and reserves no VRAM, so it
 * takes any size; with no online node for the category at all, nothing is known and the job is
 * accepted to wait for one. Pure.
 */
import type { ResourceCategory } from '../../shared/domain/statuses';

export interface NodeBudget {
  readonly id: string;
  readonly online: boolean;
  readonly limits: Readonly<Record<ResourceCategory, number>>;
  /** null: no VRAM budget (software, or no GPU): any size runs. */
  readonly vramBudgetMb: number | null;
}

/** null: no ceiling; else the largest budget and the node that has it. */
export function vramCeiling(nodes: readonly NodeBudget[], category: ResourceCategory): { readonly mb: number; readonly nodeId: string } | null {
  if (category === 'cpu') return null;
  const able = nodes.filter((n) => n.online && (n.limits[category] ?? 0) > 0);
  if (able.length === 0 || able.some((n) => n.vramBudgetMb === null)) return null;
  let best = able[0]!;
  for (const n of able) if (n.vramBudgetMb! > best.vramBudgetMb!) best = n;
  return { mb: best.vramBudgetMb!, nodeId: best.id };
}
