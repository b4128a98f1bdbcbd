import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JOB_TYPE_CATALOG, JOB_TYPES } from '../src/shared/domain/job-types';
import { jobParamsTable, TABLE_END, TABLE_START, tableInReadme } from './job-params-table';

describe('job parameter table', () => {
  it('has a row for every parameter of every job type, and says targetBitrate is a ceiling', () => {
    const table = jobParamsTable();
    for (const type of JOB_TYPES) expect(table).toContain(`| \`${type}\` (${JOB_TYPE_CATALOG[type].category}, ${JOB_TYPE_CATALOG[type].defaultVramMb} MB) |`);
    expect(table).toMatch(/\| `targetBitrate` \| integer \(≥ 100, ≤ 100000\) \| `2000` \| A ceiling in kbit\/s/);
    expect(table).toMatch(/\| `videoIds` \| array of UUID \(exactly 4\) \| \*\*required\*\* \|/);
    // every row has the five cells (pipes inside cells are escaped)
    for (const line of table.split('\n')) expect(line.replace(/\\\|/g, '').split('|').length, line).toBe(7);
  });

  it('finds the table between the markers, and nothing without them', () => {
    expect(tableInReadme(`intro\n${TABLE_START}\n| a |\n${TABLE_END}\nrest`)).toBe('| a |');
    expect(tableInReadme('no markers here')).toBeNull();
    expect(tableInReadme(`${TABLE_END}\n${TABLE_START}`)).toBeNull();
  });

  it("is the README's table, as generated from the schemas", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const inReadme = tableInReadme(readme);
    if (inReadme === null) {
      expect.fail(`README.md has no job parameter table between ${TABLE_START} and ${TABLE_END}: run \`npm run docs:params\` and paste its output into README.md`);
    }
    expect(inReadme, 'README.md\'s job parameter table is out of date: run `npm run docs:params` and paste its output between the markers').toBe(jobParamsTable());
  });
});
