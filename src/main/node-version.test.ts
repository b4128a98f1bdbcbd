import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from './node-version';

describe('the Node.js version check of the entries', () => {
  it.each([
    ['20.20.2', true],
    ['v20.20.2', true],
    ['22.11.9', true],
    ['21.99.0', true],
    ['22.12.0', false],
    ['v22.23.3', false],
    ['23.0.0', false],
    ['24.1.0', false],
  ])('Node %s refused: %s', (version, refused) => {
    const problem = nodeVersionProblem(version);
    expect(problem !== null).toBe(refused);
    if (refused) {
      expect(problem).toContain('22.12.0');
      expect(problem).toContain('npm run headless');
      expect(problem).not.toContain('\n');
    }
  });
});
