/**
 * What an NVIDIA card can encode, by its class (its name as nvidia-smi reports it). Pure.
 *
 * - Data-centre compute cards (H100, H200, H800, A100, A800, A30, B100/B200, GH200/GB200) have
 *   NVDEC but NO NVENC: an encode there must not be placed at all.
 * - Consumer cards (GeForce, TITAN) cap concurrent NVENC sessions per system; current drivers
 *   (since 2024) allow 8 (`OpenEncodeSessionEx failed: out of memory (10)` past it).
 * - Professional and other data-centre cards (RTX A/Ada workstation, Quadro, T4, L4, L40, A10,
 *   A16, A40 …) have no session cap.
 * MEDIA_NVENC_SESSIONS, when set, is the cap of every card that has NVENC.
 */

export const CONSUMER_NVENC_SESSIONS = 8;

export interface NvencProfile {
  readonly encodeSupported: boolean;
  /** Concurrent sessions allowed; null: no cap. */
  readonly sessionCap: number | null;
}

const NO_NVENC = /\b(?:[HAB]100|H200|H800|A800|A30|B200|GH200|GB200)\b/i;
const CONSUMER = /\b(?:GeForce|TITAN)\b/i;

export function nvencProfile(name: string, configuredSessions: number | null = null): NvencProfile {
  if (NO_NVENC.test(name)) return { encodeSupported: false, sessionCap: 0 };
  if (configuredSessions !== null && Number.isInteger(configuredSessions) && configuredSessions > 0) return { encodeSupported: true, sessionCap: configuredSessions };
  return { encodeSupported: true, sessionCap: CONSUMER.test(name) ? CONSUMER_NVENC_SESSIONS : null };
}
