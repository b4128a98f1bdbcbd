import { describe, expect, it } from 'vitest';
import { vramCeiling, type NodeBudget } from './vram-ceiling';

const node = (id: string, vramBudgetMb: number | null, extra: Partial<NodeBudget> = {}): NodeBudget => ({ id, online: true, limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb, ...extra });

describe('the largest VRAM a new job may ask for, across the fleet', () => {
  it.each<[string, NodeBudget[], 'gpu_ai' | 'gpu_encode' | 'cpu', { mb: number; nodeId: string } | null]>([
    ['a 4 GB node beside a 24 GB one: the 24 GB', [node('small', 4_000), node('big', 24_000)], 'gpu_ai', { mb: 24_000, nodeId: 'big' }],
    ['an offline big node does not count', [node('small', 4_000), node('big', 24_000, { online: false })], 'gpu_ai', { mb: 4_000, nodeId: 'small' }],
    ['a node with no slots for the category does not count', [node('small', 4_000), node('big', 24_000, { limits: { cpu: 5, gpu_encode: 2, gpu_ai: 0 } })], 'gpu_ai', { mb: 4_000, nodeId: 'small' }],
    ['a node without a budget (software) takes any size', [node('small', 4_000), node('cpu-box', null)], 'gpu_encode', null],
    ['a front node without slots and without a budget does not lift the ceiling', [node('front', null, { limits: { cpu: 0, gpu_encode: 0, gpu_ai: 0 } }), node('gpu', 8_000)], 'gpu_ai', { mb: 8_000, nodeId: 'gpu' }],
    ['no online node for the category: no ceiling (the job waits for one)', [node('big', 24_000, { online: false })], 'gpu_ai', null],
    ['cpu jobs have none', [node('small', 4_000)], 'cpu', null],
  ])('%s', (_what, nodes, category, expected) => {
    expect(vramCeiling(nodes, category)).toEqual(expected);
  });
});
