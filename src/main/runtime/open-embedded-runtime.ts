/**
 * The runtime as the desktop app and the headless server run it: the library folders, the stores
 * (SQLite in the data folder by default; the shared PostgreSQL database of a fleet when
 * DATABASE_URL is set), live GPU telemetry, the processors and the runtime, started. `close` stops
 * dispatching, waits for running attempts, then closes the database.
 *
 * The data folder (database, API tokens) is owner-only: created 0700, or tightened to 0700 when it
 * exists with looser bits; the SQLite files in it are 0600 (open-database.ts).
 */
import type { AnalysisStore } from '../core/analysis-ports';
import type { DeliveryStore } from '../core/notification-ports';
import type { VideoStore } from '../core/library-ports';
import type { PipelineStore } from '../core/pipeline-ports';
import { discoverMediaTools, type MediaTools } from '../processors/media/tool-discovery';
import { nvencSessionLimit, usesGpu, type EncoderInventory } from '../processors/media/hardware-encoders';
import { encodeSupportOf, gpuProbeView, probeNodeEncoders } from '../processors/media/node-encoders';
import type { GpuWorkProfile } from './capacity-state';
import { APP_VERSION } from '../version';
import { readFile, stat } from 'node:fs/promises';
import { LibraryPaths } from '../library/library-paths';
import { createRegistry, type ProcessorRegistry } from '../processors/processor';
import { openSqliteStores } from '../storage/sqlite/open-sqlite-stores';
import { openPostgresStores } from '../storage/postgres/open-postgres-stores';
import type { JobStore } from '../core/ports';
import type { LeaderLeaseStore, SettingsStore, VideoFileIndex } from '../core/watch-ports';
import { probeVideo } from '../processors/library/probe-video';
import { TranscodeService } from '../processors/transcode/transcode-service';
import type { TranscodeStore } from '../core/transcode-ports';
import type { SegmentStore } from '../core/segment-ports';
import { SEGMENTS_FOLDER, workDirOf } from '../processors/segments/segment-files';
import { randomUUID } from 'node:crypto';
import type { FleetDeps } from './create-runtime';
import type { GpuSample } from '../system/nvidia-smi';
import { NvidiaGpuSampler } from '../system/nvidia-gpus';
import { ensurePrivateDirectory } from '../system/private-paths';
import type { RuntimeConfig } from './config';
import type { JobTypeCatalog } from './create-job';
import { createRuntime, type Runtime } from './create-runtime';
import type { ProcessorDeps } from '../processors/processor-deps';

export type { ProcessorDeps };

export interface EmbeddedRuntimeOptions {
  /** Builds the job processors; none by default. */
  readonly processors?: (deps: ProcessorDeps) => ProcessorRegistry;
  readonly catalog?: JobTypeCatalog;
  /** The environment the configuration was read from (locks the runtime settings it sets); process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface EmbeddedRuntime {
  readonly runtime: Runtime;
  /** Where the queue lives: the SQLite file, or the fleet's PostgreSQL database. */
  readonly database: 'sqlite' | 'postgresql';
  readonly library: LibraryPaths;
  readonly tools: MediaTools | null;
  readonly toolsError: string | null;
  readonly encoders: EncoderInventory;
  gpus(): readonly GpuSample[];
  close(): Promise<void>;
}

/**
 * gpu_encode uses the GPU only where a hardware encoder passed its probe, or where NVDEC decode was
 * measured faster on a card without NVENC; NVENC caps concurrent sessions.
 */
function gpuWorkOf(encoders: EncoderInventory): GpuWorkProfile {
  const hardware = (encoders.preferred !== null && usesGpu(encoders.preferred)) || encoders.decodeChoice?.decodeOnGpu === true;
  return {
    gpuCategories: hardware ? ['gpu_encode', 'gpu_ai'] : ['gpu_ai'],
    gpuEncodeCap: encoders.preferred === 'h264_nvenc' ? nvencSessionLimit() : null,
  };
}

interface Stores {
  readonly jobs: JobStore;
  readonly videos: VideoStore;
  readonly analysis: AnalysisStore;
  readonly pipelines: PipelineStore;
  readonly settings: SettingsStore;
  readonly videoFiles: VideoFileIndex;
  /** Fleet: named leader leases (one node watches the library). */
  readonly leases?: LeaderLeaseStore;
  /** Library transcoding: savings ledger, fingerprints, swap journal, quarantine. */
  readonly transcode: TranscodeStore;
  /** Segmented encodes' chunk jobs (#20). */
  readonly segments?: SegmentStore;
  /** Webhook tries (the fleet's, in PostgreSQL). */
  readonly deliveries: DeliveryStore;
  readonly fleet: FleetDeps | null;
  close(): Promise<void>;
}

async function openStores(config: RuntimeConfig): Promise<Stores> {
  if (!config.databaseUrl) return { ...openSqliteStores(config.databaseFile), fleet: null };
  const instanceId = randomUUID();
  const stores = await openPostgresStores(config.databaseUrl, { leaseMs: config.fleet.leaseMs, node: { nodeId: config.nodeId, instanceId } });
  return {
    ...stores,
    fleet: { registry: stores.fleet, ...(stores.wake ? { wake: stores.wake, events: stores.wake.events } : {}), instanceId, timing: config.fleet },
  };
}

async function findTools(): Promise<{ tools: MediaTools | null; toolsError: string | null }> {
  try {
    return { tools: await discoverMediaTools(), toolsError: null };
  } catch (error) {
    return { tools: null, toolsError: error instanceof Error ? error.message : String(error) };
  }
}

export async function openEmbeddedRuntime(config: RuntimeConfig, options: EmbeddedRuntimeOptions = {}): Promise<EmbeddedRuntime> {
  ensurePrivateDirectory(config.dataDir);
  const library = new LibraryPaths(config.libraryPath);
  library.ensureDirectories();
  const stores = await openStores(config);
  const sampler = new NvidiaGpuSampler();
  try {
    const [, discovered] = await Promise.all([sampler.start(), findTools()]);
    const { tools, toolsError } = discovered;
    // the H.264 encoders, then each NVIDIA GPU on its own (gpu-probe.ts) and the NVDEC decode choice
    const nvidia = sampler.gpus().map((g) => ({ index: g.index, uuid: g.uuid, name: g.name }));
    const encoders: EncoderInventory = tools ? await probeNodeEncoders({ ffmpegPath: tools.ffmpeg.path, gpus: nvidia }) : { available: [], failed: [], preferred: null };
    const encodeSupport = encodeSupportOf(encoders);
    const transcode = new TranscodeService({
      store: stores.transcode,
      videos: stores.videos,
      library,
      nodeId: config.nodeId,
      quarantineDays: config.quarantineDays,
      sharedStore: stores.fleet !== null,
      gpuName: () => sampler.gpus()[0]?.name ?? null,
      logger: console,
    });
    const processors = options.processors?.({ videos: stores.videos, analysis: stores.analysis, library, tools, toolsError, encoders, scanParallelism: Math.max(1, config.limits.cpu), transcode, ...(stores.segments ? { segments: stores.segments } : {}) }) ?? createRegistry([]);
    const runtime = createRuntime({
      config,
      store: stores.jobs,
      videos: stores.videos,
      analysis: stores.analysis,
      pipelines: stores.pipelines,
      processors,
      transcode,
      deliveries: stores.deliveries,
      ...(stores.segments ? { segments: { store: stores.segments, workFolder: (id: string) => library.resolve(workDirOf(id)), root: library.resolve(SEGMENTS_FOLDER) } } : {}),
      ...(stores.fleet ? { fleet: stores.fleet } : {}),
      ...(options.catalog ? { catalog: options.catalog } : {}),
      ...(options.env ? { env: options.env } : {}),
      libraryWatch: {
        library,
        settings: stores.settings,
        files: stores.videoFiles,
        leases: stores.leases ?? null,
        parallelism: Math.max(1, config.limits.cpu),
        probe: (absolutePath, signal) => {
          if (!tools) throw new Error(toolsError ?? 'ffprobe was not found.');
          return probeVideo({ absolutePath, ffprobePath: tools.ffprobe.path, signal });
        },
      },
      gpu: { current: () => sampler.gpus()[0] ?? null },
      // every NVIDIA GPU one by one: jobs are placed per GPU unless MEDIA_TOTAL_VRAM_MB declares one budget
      gpuInventory: sampler,
      gpuEncodeSupport: () => encodeSupport,
      gpuWork: () => gpuWorkOf(encoders),
      readLibraryFile: async (relativePath, maxBytes) => {
        const path = library.resolve(relativePath);
        if ((await stat(path)).size > maxBytes) throw new Error(`${relativePath} is larger than ${maxBytes} bytes`);
        return readFile(path);
      },
      systemExtras: () => ({
        version: APP_VERSION,
        gpus: sampler.gpus().map((g) => ({ ...g })),
        tools: {
          ffmpeg: tools ? { path: tools.ffmpeg.path, version: tools.ffmpeg.version, source: tools.ffmpeg.source } : null,
          ffprobe: tools ? { path: tools.ffprobe.path, version: tools.ffprobe.version, source: tools.ffprobe.source } : null,
          error: toolsError,
        },
        encoders: {
          available: [...encoders.available],
          preferred: encoders.preferred,
          failed: encoders.failed.map((f) => ({ ...f })),
          ...(encoders.gpus && encoders.gpus.length > 0 ? { gpus: encoders.gpus.map(gpuProbeView) } : {}),
          ...(encoders.decodeChoice ? { decodeChoice: { ...encoders.decodeChoice } } : {}),
        },
      }),
    });
    await runtime.start();
    // after the runtime rescued this node's jobs: the swaps their attempts left half done are theirs to finish or undo
    await transcode.start();
    let closing: Promise<void> | null = null;
    return {
      runtime,
      database: stores.fleet ? 'postgresql' : 'sqlite',
      library,
      tools,
      toolsError,
      encoders,
      gpus: () => sampler.gpus(),
      close() {
        closing ??= (async () => {
          try {
            await transcode.stop();
            await runtime.stop();
          } finally {
            sampler.stop();
            await stores.close();
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    sampler.stop();
    await stores.close();
    throw error;
  }
}
