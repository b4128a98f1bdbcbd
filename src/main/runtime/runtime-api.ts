/**
 * The runtime's facade and what it is built from: the types createRuntime takes and returns (kept
 * apart from the wiring, which callers never need to read to use a runtime).
 */
import type { SegmentRuntimeDeps } from './segments/segment-cascade';
import type { GpuEncodeSupport } from '../core/gpu-placement';
import type { DeliveryStore } from '../core/notification-ports';
import type { TranscodeOperations } from '../processors/transcode/transcode-service';
import type { Caller } from '../../shared/contracts/access';
import type { OperationName, OperationOutput } from '../../shared/contracts/operations';
import type { SystemExtras } from '../../shared/contracts/system';
import type { AnalysisStore } from '../core/analysis-ports';
import type { FleetEventChannel, FleetRegistry, LiveAttempt, WakeSource } from '../core/fleet-ports';
import type { VideoStore } from '../core/library-ports';
import type { PipelineStore } from '../core/pipeline-ports';
import type { SettingsStore } from '../core/watch-ports';
import type { GpuActivitySource } from '../system/gpu-activity';
import type { GpuInventory } from '../system/nvidia-gpus';
import type { JobStore, RecordedProcess } from '../core/ports';
import type { Clock, Timers } from '../core/clock';
import type { ProcessorRegistry } from '../processors/processor';
import type { GpuReadingSource, GpuWorkProfile } from './capacity-state';
import type { RuntimeConfig } from './config';
import type { JobTypeCatalog } from './create-job';
import type { LibraryWatchDeps } from './library-watcher';
import type { RuntimeEventListener } from './events';
import type { FleetTiming } from './fleet-member';
import type { TransitionListener } from './transitions';
import type { Statfs } from './notifications/disk-watcher';
import type { HttpPost } from './notifications/webhook-sender';

/** The runtime acting for itself (tests, scheduled work): no token, every right. */
export const INTERNAL_CALLER: Caller = { name: 'internal', role: 'admin' };

export interface RuntimeDeps {
  readonly config: RuntimeConfig;
  /** The environment the configuration came from: a variable set there locks its runtime setting (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly store: JobStore;
  readonly videos: VideoStore;
  /** Analysis results (scenes); without it the analysis read operations answer NOT_FOUND. */
  readonly analysis?: AnalysisStore;
  readonly processors: ProcessorRegistry;
  readonly gpu?: GpuReadingSource;
  /**
   * The node's GPUs one by one (nvidia-smi): with GPUs in it and no declared VRAM budget, each GPU
   * job is placed on one GPU (core/gpu-placement.ts). Absent: one node-wide budget from `gpu`.
   */
  readonly gpuInventory?: GpuInventory;
  /** What the start-up probe found each GPU (by index) can do for encodes; absent: judged by card class. */
  readonly gpuEncodeSupport?: () => ReadonlyMap<number, GpuEncodeSupport>;
  /** What the GPU really does here (encoder probe); by default both GPU categories use it. */
  readonly gpuWork?: () => GpuWorkProfile;
  readonly clock?: Clock;
  /** Timers of the runtime's services; real ones unless a test drives them. */
  readonly timers?: Timers;
  /** Job types this runtime accepts; the spec's catalog unless a test narrows or widens it. */
  readonly catalog?: JobTypeCatalog;
  readonly logger?: Pick<Console, 'info' | 'warn' | 'error'>;
  readonly readLibraryFile?: (relativePath: string, maxBytes: number) => Promise<Buffer>;
  /** GPUs, tools and encoders for the System page (only the composition root knows them). */
  readonly systemExtras?: () => SystemExtras;
  /** Kills child processes a crashed run left behind; the /proc-checked default unless a test swaps it. */
  readonly killOrphans?: (processes: readonly RecordedProcess[]) => Promise<number[]>;
  /** Fleet mode: this node shares its store with others (PostgreSQL). Absent: the embedded default, a fleet of one. */
  readonly fleet?: FleetDeps;
  /** Pipelines (runtime/pipelines); absent: the pipeline operations answer NOT_FOUND. */
  readonly pipelines?: PipelineStore;
  /** The library watcher's stores and prober; absent: no watcher (a runtime without a library). */
  readonly libraryWatch?: LibraryWatchDeps;
  /** Settings shared by every node (time windows, the drain); the library watcher's store, else kept in memory. */
  readonly settings?: SettingsStore;
  /** What uses the GPU and what runs here, for the GPU yield; nvidia-smi and /proc unless a test swaps it. */
  readonly gpuActivity?: GpuActivitySource;
  /** Library transcoding (results, savings, restore, ALREADY_PROCESSED); absent: those answer NOT_FOUND (savings: zeros). */
  readonly transcode?: TranscodeOperations;
  /** Segmented encodes (#20): their parts' store and work folders; absent: segment mode stays off and nothing cascades. */
  readonly segments?: SegmentRuntimeDeps;
  /** The notifier's I/O, swapped by tests: statfs (disk-space rules), the webhook POST, and how often it checks (default 30 s). */
  readonly notifications?: { readonly statfs?: Statfs; readonly post?: HttpPost; readonly checkMs?: number };
  /** Where webhook tries are kept (the database's); absent: in memory. */
  readonly deliveries?: DeliveryStore;
}

export interface FleetDeps {
  readonly registry: FleetRegistry;
  readonly wake?: WakeSource;
  /** Job changes relayed between nodes, so a UI on any node follows the whole fleet. */
  readonly events?: FleetEventChannel;
  /** One per process (a uuid). */
  readonly instanceId: string;
  readonly timing: FleetTiming;
}

export interface Runtime {
  readonly config: RuntimeConfig;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Runs one operation of the operations table for `caller` (recorded on the jobs it creates and
   * in the log lines of its actions). A caller whose role is below the operation's access is
   * refused with FORBIDDEN; without a caller the runtime acts for itself (tests, internal work).
   */
  execute<N extends OperationName>(name: N, input: unknown, caller?: Caller): Promise<OperationOutput<N>>;
  subscribe(listener: RuntimeEventListener): () => void;
  /**
   * The status transitions THIS node makes (creates, starts, recorded outcomes, rescues, manual
   * actions it serves), for metrics; unlike `subscribe`, no events relayed from other nodes and no
   * waiting-reason rewrites.
   */
  observeTransitions(listener: TransitionListener): () => void;
  /** Attempts running in this process now (for the watchdog, metrics and tests). */
  runningJobIds(): string[];
  /** The same with their attempt numbers (fencing tokens). */
  liveAttempts(): LiveAttempt[];
  /** The VRAM budget the scheduler uses now; null without a GPU or a declared budget. */
  vramBudgetMb(): number | null;
}
