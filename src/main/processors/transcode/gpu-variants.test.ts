import { describe, expect, it } from 'vitest';
import { stepLabel, type PipelineStep } from '../encode/gpu-pipeline';
import { ledgerGpu } from './gpu-variants';

const probes = [{ index: 0, name: 'NVIDIA RTX A4000' }, { index: 1, name: 'NVIDIA RTX A5000' }];
const step = (kind: PipelineStep['kind'], index: number | null): PipelineStep => ({ kind, gpu: index === null ? null : { index, uuid: `GPU-${index}` }, label: stepLabel(kind, 'hevc', 'libx265', null) });

describe('ledgerGpu: the GPU the ledger records for an encode', () => {
  it('names the GPU of the successful step by its index, not the node\'s first GPU', () => {
    expect(ledgerGpu('hevc_nvenc', step('other_gpu', 1), probes, 'NVIDIA RTX A4000')).toBe('NVIDIA RTX A5000 (GPU 1)');
    expect(ledgerGpu('hevc_nvenc', step('full_gpu', 0), probes, 'NVIDIA RTX A4000')).toBe('NVIDIA RTX A4000 (GPU 0)');
    expect(ledgerGpu('hevc_nvenc', step('cpu_decode', 3), probes, null)).toBe('GPU 3');
  });

  it('is null for a software encode, an NVDEC-decode step included; an unpinned NVENC encode gets the default GPU, QSV its family', () => {
    expect(ledgerGpu('libx265', step('software', null), probes, 'NVIDIA RTX A4000')).toBeNull();
    expect(ledgerGpu('libx265', step('nvdec_software', 1), probes, 'NVIDIA RTX A4000')).toBeNull();
    expect(ledgerGpu('hevc_nvenc', step('cpu_decode', null), probes, 'NVIDIA RTX A4000')).toBe('NVIDIA RTX A4000');
    expect(ledgerGpu('hevc_qsv', undefined, probes, 'NVIDIA RTX A4000')).toBe('qsv');
  });
});
