/**
 * After a crash, kills the child processes the previous run recorded, through the media layer's
 * /proc-checked killOrphans (a PID the kernel reused for another process is left alone: its start
 * time differs from the recorded one; a tool's process group goes with it).
 */
import type { RecordedProcess } from '../core/ports';
import { killOrphans } from '../processors/media/orphan-cleanup';

export async function killRecordedOrphans(processes: readonly RecordedProcess[]): Promise<number[]> {
  const byCommand = new Map<string, RecordedProcess[]>();
  for (const p of processes) byCommand.set(p.command, [...(byCommand.get(p.command) ?? []), p]);
  const killed: number[] = [];
  for (const [command, records] of byCommand) killed.push(...(await killOrphans(records, { tool: command })).killed);
  return killed;
}
