/**
 * Honest waiting reasons: a suspended job keeps its slot (and VRAM), so "cpu: 2 of 2 slots busy"
 * with one job running is true but puzzling. While the queue has suspended jobs, the jobs page
 * reads them (listJobs status=suspended, again whenever their count changes) and the waiting
 * reasons of their category name them: "… — 1 held by a suspended job (holiday.mp4): resume or
 * cancel it to free the slot".
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Job } from '../../../../shared/contracts/job';
import type { ResourceCategory } from '../../../../shared/domain/statuses';
import { jobSubject } from '../../lib/job-subject';
import { useAppStore, useStores } from '../../stores/stores-context';

export type SuspendedByCategory = Partial<Record<ResourceCategory, readonly string[]>>;

const SuspendedSlotsContext = createContext<SuspendedByCategory>({});

const SLOTS_BUSY = /^(cpu|gpu_encode|gpu_ai): (\d+) of (\d+) slots busy$/;

/** The scheduler's reason, with the slots suspended jobs hold named. */
export function explainWaiting(reason: string | null, suspended: SuspendedByCategory): string | null {
  if (!reason) return reason;
  const match = SLOTS_BUSY.exec(reason);
  if (!match) return reason;
  const titles = suspended[match[1] as ResourceCategory] ?? [];
  if (titles.length === 0) return reason;
  const held = titles.length === 1 ? `1 held by a suspended job (${titles[0]})` : `${titles.length} held by suspended jobs (${titles.slice(0, 3).join(', ')}${titles.length > 3 ? ', …' : ''})`;
  return `${reason} — ${held}: resume or cancel ${titles.length === 1 ? 'it' : 'them'} to free the slot`;
}

export function groupSuspended(jobs: readonly Job[]): SuspendedByCategory {
  const out: Partial<Record<ResourceCategory, string[]>> = {};
  for (const job of jobs) if (job.status === 'suspended') (out[job.resourceCategory] ??= []).push(jobSubject(job).title);
  return out;
}

export function SuspendedSlotsProvider({ children }: { readonly children: ReactNode }) {
  const { client } = useStores();
  const count = useAppStore('queue', (s) => s.stats?.suspended ?? 0);
  const [suspended, setSuspended] = useState<SuspendedByCategory>({});
  useEffect(() => {
    if (count === 0) {
      setSuspended({});
      return;
    }
    let current = true;
    client
      .call('listJobs', { status: 'suspended', limit: 100 })
      .then((list) => current && setSuspended(groupSuspended(list.data)))
      .catch(() => {}); // the plain reason stays
    return () => {
      current = false;
    };
  }, [client, count]);
  return <SuspendedSlotsContext.Provider value={suspended}>{children}</SuspendedSlotsContext.Provider>;
}

/** A job's waiting reason as the UI shows it. */
export function useWaitingReason(reason: string | null): string | null {
  return explainWaiting(reason, useContext(SuspendedSlotsContext));
}
