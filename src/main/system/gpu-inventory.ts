/**
 * One-off GPU inventory through systeminformation (vendor, model, VRAM of every adapter,
 * including those nvidia-smi does not see, e.g. Intel/AMD for VAAPI/QSV). It may run nvidia-smi
 * synchronously, so it is called once at start-up, never on a hot path; live VRAM comes from
 * the nvidia-smi sampler.
 */
import si from 'systeminformation';

export interface GpuAdapter {
  readonly vendor: string;
  readonly model: string;
  readonly vramMb: number | null;
  readonly bus: string | null;
}

export async function readGpuInventory(): Promise<GpuAdapter[]> {
  try {
    const { controllers } = await si.graphics();
    return controllers.map((c) => ({ vendor: c.vendor, model: c.model, vramMb: c.vram ?? null, bus: c.bus || null }));
  } catch {
    return [];
  }
}
