/** `npm run docs:params`: prints the README's job parameter table, with its markers, to paste. */
import { jobParamsTable, TABLE_END, TABLE_START } from './job-params-table';

process.stdout.write(`${TABLE_START}\n${jobParamsTable()}\n${TABLE_END}\n`);
