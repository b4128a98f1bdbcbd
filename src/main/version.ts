/** The application's version, from package.json (inlined by the bundler). */
import packageJson from '../../package.json';

export const APP_VERSION: string = packageJson.version;
