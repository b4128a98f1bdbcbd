import { describe, expect, it } from 'vitest';
import { ConsoleBuffer } from './console-buffer';

describe('ConsoleBuffer', () => {
  it('keeps lines, with a bare \\r redrawing the current line like a terminal', () => {
    const buffer = new ConsoleBuffer();
    buffer.write('Input #0\nframe=  10 fps=0.0\rframe=  20 fps=20\rframe=  30 fps=25\n');
    buffer.write('Error while decoding\n');
    expect(buffer.getLines()).toEqual(['Input #0', 'frame=  30 fps=25', 'Error while decoding']);
  });

  it('treats \\r\\n as one break even when split across chunks, and shows the line in progress', () => {
    const buffer = new ConsoleBuffer();
    buffer.write('one\r');
    buffer.write('\ntwo\r\nthr');
    expect(buffer.getLines()).toEqual(['one', 'two', 'thr']);
    expect(buffer.text()).toBe('one\ntwo\nthr');
  });

  it('drops the oldest lines beyond the line and byte bounds, and counts them', () => {
    const byLines = new ConsoleBuffer({ maxLines: 3 });
    for (let i = 1; i <= 5; i += 1) byLines.write(`line ${i}\n`);
    expect(byLines.getLines()).toEqual(['line 3', 'line 4', 'line 5']);
    expect(byLines.droppedLines).toBe(2);

    const byBytes = new ConsoleBuffer({ maxBytes: 20 });
    byBytes.write('aaaaaaaaa\nbbbbbbbbb\nccccccccc\n');
    expect(byBytes.getLines()).toEqual(['bbbbbbbbb', 'ccccccccc']);
  });

  it('cuts one absurdly long line', () => {
    const buffer = new ConsoleBuffer({ maxLineLength: 5 });
    buffer.write('abcdefghij\n');
    expect(buffer.getLines()).toEqual(['abcde']);
  });

  it('tail skips blank lines', () => {
    const buffer = new ConsoleBuffer();
    buffer.write('a\n\n  \nb\nc\n');
    expect(buffer.tail(2)).toEqual(['b', 'c']);
  });

  it('passes raw chunks to subscribers until they unsubscribe; a throwing one does no harm', () => {
    const buffer = new ConsoleBuffer();
    const seen: string[] = [];
    const stop = buffer.subscribe((chunk) => seen.push(chunk));
    buffer.subscribe(() => {
      throw new Error('viewer bug');
    });
    buffer.write('x\r');
    stop();
    buffer.write('y\n');
    expect(seen).toEqual(['x\r']);
    expect(buffer.getLines()).toEqual(['y']);
  });
});
