import { describe, expect, it } from 'vitest';
import { modelTags, tagName } from './model-tags';

describe('modelTags', () => {
  const samples = [
    { t: 1, detections: [{ label: 'face', score: 0.62 }, { label: 'person', score: 0.4 }] },
    { t: 3, detections: [{ label: 'face', score: 0.91 }, { label: 'person', score: 0.7 }, { label: 'traffic light', score: 0.55 }] },
    { t: 5, detections: [{ label: 'person', score: 0.66 }, { label: 'person', score: 0.8 }] },
    { t: 7, detections: [] },
  ];

  it('one tag per label at or above the minimum: highest confidence, first to last sample seen, half a step either side', () => {
    expect(modelTags(samples, { minConfidence: 0.5, durationSeconds: 8, stepSeconds: 2 })).toEqual([
      { tag: 'face', confidence: 0.91, startSeconds: 0, endSeconds: 4 },
      { tag: 'person', confidence: 0.8, startSeconds: 2, endSeconds: 6 },
      { tag: 'traffic-light', confidence: 0.55, startSeconds: 2, endSeconds: 4 },
    ]);
  });

  it('leaves out what never reaches the minimum, and clamps the range to the video', () => {
    expect(modelTags(samples, { minConfidence: 0.85, durationSeconds: 3.5, stepSeconds: 2 })).toEqual([{ tag: 'face', confidence: 0.91, startSeconds: 2, endSeconds: 3.5 }]);
    expect(modelTags([], { minConfidence: 0, durationSeconds: 8, stepSeconds: 2 })).toEqual([]);
  });

  it('a label seen apart (a gap of one sample or more) is one record per run of samples', () => {
    const apart = [
      { t: 5, detections: [{ label: 'face', score: 0.7 }] },
      { t: 15, detections: [{ label: 'face', score: 0.9 }] },
      { t: 25, detections: [{ label: 'face', score: 0.3 }] },
      { t: 35, detections: [] },
      { t: 45, detections: [{ label: 'face', score: 0.6 }, { label: 'face', score: 0.8 }] },
    ];
    expect(modelTags(apart, { minConfidence: 0.5, durationSeconds: 50, stepSeconds: 10 })).toEqual([
      { tag: 'face', confidence: 0.9, startSeconds: 0, endSeconds: 20 },
      { tag: 'face', confidence: 0.8, startSeconds: 40, endSeconds: 50 },
    ]);
  });

  it('names: lower case, spaces to hyphens', () => {
    expect([tagName('Teddy Bear'), tagName(' cell  phone'), tagName('person')]).toEqual(['teddy-bear', 'cell-phone', 'person']);
  });
});
