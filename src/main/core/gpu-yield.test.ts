import { describe, expect, it } from 'vitest';
import { gpuYieldSettingsSchema } from '../../shared/contracts/queue-control';
import { gpuHoldReason, matchesName, type GpuActivityReading } from './gpu-yield';

const settings = gpuYieldSettingsSchema.parse({ enabled: true, processNames: ['obs', 'eldenring.exe'] });
const reading = (o: Partial<GpuActivityReading> = {}): GpuActivityReading => ({ namedProcesses: [], encoderProcesses: [], encoderSessions: 0, ...o });
const ours = (pids: number[] = [], encoderSessions = 0) => ({ pids: new Set(pids), encoderSessions });

describe('GPU yield policy', () => {
  it.each([
    { name: 'nothing runs', r: reading(), own: ours(), expected: null },
    { name: 'a named process runs', r: reading({ namedProcesses: [{ pid: 10, name: 'obs' }] }), own: ours(), expected: 'held: obs is running' },
    { name: 'our own process of that name', r: reading({ namedProcesses: [{ pid: 10, name: 'obs' }] }), own: ours([10]), expected: null },
    { name: 'another program uses the encoder', r: reading({ encoderProcesses: [{ pid: 7, name: 'ffmpeg-other' }] }), own: ours(), expected: 'held: ffmpeg-other uses the GPU encoder' },
    { name: 'our encode uses the encoder', r: reading({ encoderProcesses: [{ pid: 7, name: 'ffmpeg' }], encoderSessions: 1 }), own: ours([7], 1), expected: null },
    { name: 'more sessions than ours', r: reading({ encoderProcesses: null, encoderSessions: 3 }), own: ours([], 1), expected: 'held: another program uses the GPU encoder (2 sessions)' },
    { name: 'no nvidia-smi', r: reading({ encoderProcesses: null, encoderSessions: null }), own: ours(), expected: null },
  ])('$name', ({ r, own, expected }) => {
    expect(gpuHoldReason(r, settings, own)).toBe(expected);
  });

  it('holds nothing when the setting is off, and only by name when the encoder is not watched', () => {
    expect(gpuHoldReason(reading({ namedProcesses: [{ pid: 1, name: 'obs' }] }), { ...settings, enabled: false }, ours())).toBeNull();
    expect(gpuHoldReason(reading({ encoderSessions: 2 }), { ...settings, watchEncoder: false }, ours())).toBeNull();
  });

  it('matches names case-insensitively, allowing for comm cutting them at 15 characters', () => {
    expect(matchesName('OBS', 'obs')).toBe(true);
    expect(matchesName('eldenring.exe', 'eldenring.exe')).toBe(true);
    expect(matchesName('averyverylongna', 'averyverylongname')).toBe(true);
    expect(matchesName('obs-helper', 'obs')).toBe(false);
  });
});
