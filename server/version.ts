import pkg from "../package.json";

/** Cadenza's version (package.json). Bundled into the app, unlike cli/version.ts which reads the file. */
export const version: string = pkg.version;
