import { describe, expect, it } from 'vitest';
import { serializeTerminal, terminalFromLines, writeTerminal } from './terminal-buffer';

const show = (text: string, start = terminalFromLines([])) => writeTerminal(start, text).lines;

describe('terminal buffer', () => {
  it('redraws the current line on \\r, as ffmpeg status lines do', () => {
    expect(show('frame=  10 fps=5\rframe=  20 fps=6\rframe=  30 fps=7')).toEqual(['frame=  30 fps=7']);
  });

  it('keeps the tail of a longer line that a shorter redraw does not cover', () => {
    expect(show('abcdef\rXY')).toEqual(['XYcdef']);
  });

  it('treats CRLF as a newline and LF as a new line', () => {
    expect(show('one\r\ntwo\nthree')).toEqual(['one', 'two', 'three']);
  });

  it('continues the last loaded line and redraws it on \\r', () => {
    const loaded = terminalFromLines(['Input #0', 'frame=1']);
    expect(writeTerminal(loaded, '\rframe=2\nDone\n').lines).toEqual(['Input #0', 'frame=2', 'Done', '']);
  });

  it('strips colour codes and honours erase-to-end-of-line', () => {
    expect(show('\u001b[31mred\u001b[0m text')).toEqual(['red text']);
    expect(show('long status line\r\u001b[Kshort')).toEqual(['short']);
  });

  it('handles backspace and stays bounded', () => {
    expect(show('ab\bc')).toEqual(['ac']);
    const big = writeTerminal(terminalFromLines([]), 'x\n'.repeat(50), 10);
    expect(big.lines).toHaveLength(10);
    expect(big.dropped).toBe(41);
  });

  it('moves the cursor along the line and clears whole lines', () => {
    expect(show('abcdef\u001b[3Gx')).toEqual(['abxdef']);
    expect(show('abcdef\u001b[2Dx\u001b[1Cy')).toEqual(['abcdxfy']);
    expect(show('status 99%\u001b[2K\rdone')).toEqual(['done']);
  });

  it('serializes to text that a terminal replays to the same lines and cursor', () => {
    const folded = writeTerminal(terminalFromLines([]), 'Input #0\nframe=1 speed=1x\r');
    const replayed = writeTerminal(terminalFromLines([]), serializeTerminal(folded));
    expect(replayed).toEqual(folded);
    expect(writeTerminal(replayed, 'frame=2 speed=2x\r').lines).toEqual(['Input #0', 'frame=2 speed=2x']);
  });
});
