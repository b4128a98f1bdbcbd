import { describe, expect, it } from 'vitest';
import type { MediaEvent } from '../../../shared/contracts/events';
import { ApiError } from '../api/api-error';
import { makeJobResult, makeQuarantined, makeSavings, savingsHandlers, TRANSCODE_JOB_ID } from '../features/savings/fixtures';
import { createFakeClient, makeJob, makeVideo, manualTimers } from '../testing/fake-client';
import { createSavingsStore, lastReplaceSaving } from './savings-store';

const VIDEO = makeVideo();
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const timers = manualTimers();
  const client = createFakeClient(savingsHandlers(VIDEO));
  let subscribed = 0;
  const subscribe = client.subscribe.bind(client);
  client.subscribe = (s) => {
    subscribed += 1;
    const off = subscribe(s);
    return () => {
      subscribed -= 1;
      off();
    };
  };
  const restored: string[] = [];
  const store = createSavingsStore(client, { timers, refreshDelayMs: 500, batchIntervalMs: 100, onRestored: (r) => restored.push(r.videoId) });
  return { timers, client, store, restored, subscribed: () => subscribed };
}

const ended = (type: string, status: 'completed' | 'failed' | 'running', videoId = VIDEO.id, id = TRANSCODE_JOB_ID): MediaEvent => ({ type: 'job.updated', job: makeJob({ id, type: type as 'transcode', status, params: { videoId } }) });

describe('the savings store', () => {
  it('reads every grouping when shown, and nothing (no subscription) before', async () => {
    const { store, client, subscribed } = setup();
    expect(client.calls).toEqual([]);
    expect(subscribed()).toBe(0);
    const release = store.getState().retain();
    expect(subscribed()).toBe(1);
    await flush();
    expect(client.callsOf('getSavings')).toEqual([{ groupBy: 'day' }, { groupBy: 'codec' }, { groupBy: 'folder' }, { groupBy: 'node' }]);
    const { byGroup, loaded, error } = store.getState();
    expect(loaded).toBe(true);
    expect(error).toBeNull();
    expect(byGroup.codec).toEqual(makeSavings('codec'));
    expect(byGroup.day!.total.bytesSaved).toBe(30 * 1024 * 1024);
    release();
    expect(subscribed()).toBe(0);
  });

  it('re-reads the savings once after transcodes and re-encodes end (debounced), not for other jobs', async () => {
    const { store, client, timers } = setup();
    store.getState().retain();
    await flush();
    const reads = () => client.callsOf('getSavings').length;
    expect(reads()).toBe(4);
    client.emit([ended('thumbnail_generate', 'completed'), ended('transcode', 'running')]);
    timers.advance(1000);
    expect(reads()).toBe(4);
    client.emit([ended('transcode', 'completed')]);
    client.emit([ended('reencode_streaming', 'failed', VIDEO.id, makeJob().id)]);
    timers.advance(0); // the batch (the first after a quiet time goes at once)
    timers.advance(499);
    expect(reads()).toBe(4);
    timers.advance(1);
    expect(reads()).toBe(8);
  });

  it('keeps a row or a card current without reading the savings (retain without savings)', async () => {
    const { store, client, timers } = setup();
    const release = store.getState().retain({ savings: false });
    store.getState().loadResult(TRANSCODE_JOB_ID);
    await flush();
    expect(client.callsOf('getSavings')).toEqual([]);
    expect(store.getState().results[TRANSCODE_JOB_ID]).toEqual({ status: 'ready', data: makeJobResult() });
    // the job ends again (a retry): its result is forgotten, so whatever shows it reads it again
    client.emit([ended('transcode', 'completed')]);
    timers.advance(1000);
    expect(store.getState().results[TRANSCODE_JOB_ID]).toBeUndefined();
    expect(client.callsOf('getSavings')).toEqual([]);
    release();
  });

  it('tells a result not written yet (404) from an error', async () => {
    const { store, client } = setup();
    client.handlers.getJobResult = ({ id }) => {
      if (id === 'a') throw new ApiError('NOT_FOUND', 'Job a has no result yet');
      throw new ApiError('INTERNAL', 'disk on fire');
    };
    store.getState().loadResult('a');
    store.getState().loadResult('b');
    await flush();
    expect(store.getState().results.a).toEqual({ status: 'none', message: 'Job a has no result yet' });
    expect(store.getState().results.b).toEqual({ status: 'error', message: 'disk on fire' });
  });

  it('reads a video’s transcodes once per row stamp, again when the row changed', async () => {
    const { store, client } = setup();
    store.getState().loadTranscodes(VIDEO.id, false, 't1');
    store.getState().loadTranscodes(VIDEO.id, false, 't1');
    await flush();
    store.getState().loadTranscodes(VIDEO.id, false, 't1');
    expect(client.callsOf('getVideoTranscodes')).toHaveLength(1);
    expect(store.getState().transcodes[VIDEO.id]).toEqual({ status: 'ready', data: makeQuarantined(VIDEO) });
    store.getState().loadTranscodes(VIDEO.id, false, 't2');
    await flush();
    expect(client.callsOf('getVideoTranscodes')).toHaveLength(2);
  });

  it('restores an original: then re-reads the video’s history and the savings shown, and tells the library', async () => {
    const { store, client, restored } = setup();
    store.getState().retain();
    store.getState().loadTranscodes(VIDEO.id);
    await flush();
    const promise = store.getState().restore(VIDEO.id);
    expect(store.getState().restoring[VIDEO.id]).toBe(true);
    await expect(promise).resolves.toEqual({ videoId: VIDEO.id, path: VIDEO.path, sizeBytes: 50 * 1024 * 1024, videoCodec: 'h264' });
    expect(store.getState().restoring[VIDEO.id]).toBeUndefined();
    await flush();
    expect(client.callsOf('restoreVideo')).toEqual([{ id: VIDEO.id }]);
    expect(client.callsOf('getVideoTranscodes')).toHaveLength(2);
    expect(client.callsOf('getSavings')).toHaveLength(8);
    expect(store.getState().transcodes[VIDEO.id]).toMatchObject({ status: 'ready', data: { videoId: VIDEO.id, quarantined: null, history: [{ action: 'restored' }, { action: 'replaced' }] } });
    expect(restored).toEqual([VIDEO.id]);
  });

  it('a restore refused because nothing is in quarantine any more re-reads what is true and rethrows', async () => {
    const { store, client, restored } = setup();
    client.handlers.restoreVideo = () => {
      throw new ApiError('NOT_FOUND', 'nothing in quarantine');
    };
    await expect(store.getState().restore(VIDEO.id)).rejects.toThrow('nothing in quarantine');
    await flush();
    expect(client.callsOf('getVideoTranscodes')).toHaveLength(1);
    expect(store.getState().restoring).toEqual({});
    expect(restored).toEqual([]);
  });

  it('reads what it shows again after missed events', async () => {
    const { store, client } = setup();
    store.getState().retain();
    store.getState().loadResult(TRANSCODE_JOB_ID);
    await flush();
    client.reset();
    expect(store.getState().results).toEqual({});
    await flush();
    expect(client.callsOf('getSavings')).toHaveLength(8);
  });

  it('computes a row’s saving from its last replace only', () => {
    const replaced = makeQuarantined(VIDEO);
    expect(lastReplaceSaving(replaced)).toMatchObject({ bytes: 20 * 1024 * 1024, percent: 40 });
    const restoredSince = { ...replaced, quarantined: null, history: [{ ...replaced.history[0]!, action: 'restored' as const }, ...replaced.history] };
    expect(lastReplaceSaving(restoredSince)).toBeNull();
    expect(lastReplaceSaving({ videoId: VIDEO.id, quarantined: null, history: [] })).toBeNull();
  });
});
