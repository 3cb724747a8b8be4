/**
 * The User-Agent Twilio sees. The version is read from package.json at build time (esbuild inlines
 * the JSON), so the bundled function needs no file beside it.
 */
import packageJson from '../../package.json' with { type: 'json' };

export const defaultUserAgent = (): string =>
  `subaccount-provisioner/${packageJson.version} (node ${process.version})`;
