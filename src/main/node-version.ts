/**
 * The Node.js this program needs. Our native modules (better-sqlite3 13) need Node ≥ 22.12: under
 * an older Node they crash the process with a segmentation fault and no message, so the entries
 * check first, before anything native is loaded, and say what to do in one line.
 */
export const MINIMUM_NODE = '22.12.0';

export function nodeVersionProblem(version: string = process.versions.node): string | null {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const [needMajor = 0, needMinor = 0] = MINIMUM_NODE.split('.').map(Number);
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return null;
  return `Media Job Control needs Node.js ${MINIMUM_NODE} or newer, and this is ${version.replace(/^v?/, 'v')}: start it with \`npm run headless\` (it uses the Node 22 that npm install pinned) or with node_modules/.bin/node.`;
}
