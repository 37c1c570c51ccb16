// Only the field: esbuild bundles just the named exports of a JSON module that are imported, so
// the rest of the manifest (scripts, dependencies) stays out of dist/.
import { version } from '../../package.json';

/** This build's version, as package.json states it (e.g. `0.1.0`). */
export const VERSION: string = version;

/** What every request says it comes from, so a site's logs can tell our calls apart. */
export const USER_AGENT = `license-steward/${VERSION}`;
