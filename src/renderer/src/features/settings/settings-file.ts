/** The settings file of Export/Import: saved as a download, read back from a picked file. */
import type { RuntimeSettings, RuntimeSettingsInput } from '../../../../shared/contracts/settings';

/** Offers `document` as a JSON download (nothing where the browser cannot make object URLs, as in jsdom). */
export function downloadJson(document: unknown, fileName: string): boolean {
  if (typeof URL.createObjectURL !== 'function') return false;
  const url = URL.createObjectURL(new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' }));
  const link = window.document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return true;
}

export function exportFileName(now: Date): string {
  return `media-job-control-settings-${now.toISOString().slice(0, 10)}.json`;
}

/** The file's JSON, or an error message that says what is wrong with it. */
export async function readJsonFile(file: File): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const text = await file.text();
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `${file.name} is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The form: numbers as typed (a NumberInput's value is a number or the text being typed). */
export interface SettingsDraft {
  cpu: number | string;
  gpu_encode: number | string;
  gpu_ai: number | string;
  vramHeadroomMb: number | string;
  retainCompletedDays: number | string;
  retainFailedDays: number | string;
  /** Seconds in the form; milliseconds in the API. */
  hangTimeoutSeconds: number | string;
}

export function toDraft(s: RuntimeSettings): SettingsDraft {
  return { ...s.limits, vramHeadroomMb: s.vramHeadroomMb, retainCompletedDays: s.retainCompletedDays, retainFailedDays: s.retainFailedDays, hangTimeoutSeconds: s.hangTimeoutMs / 1000 };
}

/** The fields the draft changes against `current`, without the locked ones. */
export function changedInput(draft: SettingsDraft, current: RuntimeSettings, locked: Readonly<Record<string, string>>): RuntimeSettingsInput {
  const num = (v: number | string) => (typeof v === 'number' ? v : Number(v));
  const out: RuntimeSettingsInput = {};
  const limits: NonNullable<RuntimeSettingsInput['limits']> = {};
  for (const c of ['cpu', 'gpu_encode', 'gpu_ai'] as const) if (!locked[`limits.${c}`] && num(draft[c]) !== current.limits[c]) limits[c] = num(draft[c]);
  if (Object.keys(limits).length > 0) out.limits = limits;
  if (!locked.vramHeadroomMb && num(draft.vramHeadroomMb) !== current.vramHeadroomMb) out.vramHeadroomMb = num(draft.vramHeadroomMb);
  if (!locked.retainCompletedDays && num(draft.retainCompletedDays) !== current.retainCompletedDays) out.retainCompletedDays = num(draft.retainCompletedDays);
  if (!locked.retainFailedDays && num(draft.retainFailedDays) !== current.retainFailedDays) out.retainFailedDays = num(draft.retainFailedDays);
  const hang = Math.round(num(draft.hangTimeoutSeconds) * 1000);
  if (!locked.hangTimeoutMs && hang !== current.hangTimeoutMs) out.hangTimeoutMs = hang;
  return out;
}
