/**
 * Free space of this node's library and data folders, read with statfs for the disk-space rules.
 * Each node checks its own folders (in a fleet they may be different disks, or the same NFS share
 * seen from different mounts), so this part runs on every node, not only on the notifier leader.
 * The rules are edge-triggered (core/notification-rules.ts diskTransitions): a folder fires when it
 * goes low and again only after it recovered.
 */
import { statfs as fsStatfs } from 'node:fs/promises';
import { diskTransitions, type DiskFolder, type DiskReading, type NotificationTrigger } from '../../core/notification-rules';
import type { NotificationRule } from '../../../shared/contracts/notifications';

/** The part of fs.statfs's answer used here (block size, blocks, blocks available to us). */
export interface StatfsReading {
  readonly bsize: number;
  readonly blocks: number;
  readonly bavail: number;
}

export type Statfs = (path: string) => Promise<StatfsReading>;

export const systemStatfs: Statfs = async (path) => {
  const s = await fsStatfs(path);
  return { bsize: Number(s.bsize), blocks: Number(s.blocks), bavail: Number(s.bavail) };
};

export class DiskWatcher {
  private low = new Set<string>();
  /** Folders whose last read failed (said once until one succeeds). */
  private readonly failing = new Set<DiskFolder>();

  constructor(
    private readonly folders: Readonly<Record<DiskFolder, string>>,
    private readonly nodeId: string,
    private readonly statfs: Statfs,
    private readonly logger: Pick<Console, 'warn'>,
  ) {}

  /** Reads the folders the rules name and answers the rules that went low. */
  async check(rules: readonly NotificationRule[]): Promise<Array<{ rule: NotificationRule; trigger: NotificationTrigger }>> {
    const wanted = new Set<DiskFolder>();
    for (const rule of rules) if (rule.enabled && rule.event === 'disk.low') wanted.add(rule.folder);
    if (wanted.size === 0) {
      this.low = new Set();
      return [];
    }
    const readings = new Map<DiskFolder, DiskReading>();
    for (const folder of wanted) {
      const path = this.folders[folder];
      try {
        const s = await this.statfs(path);
        readings.set(folder, { folder, path, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize, nodeId: this.nodeId });
        this.failing.delete(folder);
      } catch (error) {
        if (!this.failing.has(folder)) this.logger.warn(`Disk-space rule: cannot read the free space of the ${folder} folder ${path}: ${error instanceof Error ? error.message : String(error)}`);
        this.failing.add(folder);
      }
    }
    const { low, fired } = diskTransitions(rules, readings, this.low);
    this.low = low;
    return fired;
  }
}
