import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../infra/config.ts';
import { SubaccountProvisionerStack } from '../../../infra/stack.ts';

/** Well above today's bundle; a jump past it means a dependency started dragging in far more. */
const BUNDLE_LIMIT_BYTES = 2 * 1024 * 1024;

describe('real synth: bundling, CloudFormation validation and cdk-nag as `cdk synth` runs them', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'subaccount-provisioner-synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  // Same wiring as infra/app.ts, with bundling and the built-in validation left on.
  const app = new App({ outdir });
  const stack = new SubaccountProvisionerStack(app, 'BundleStack', { config: parseConfig({}) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template);

  const bundleDirOf = (functionPrefix: string): string => {
    const [, resource] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith(functionPrefix),
    )!;
    const s3Key = (resource.Properties.Code as { S3Key: string }).S3Key;
    return join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
  };

  it.each([
    ['tenant-events', 'TenantEventsFunctionHandlerFunction'],
    ['reconcile', 'ReconcileHandlerFunction'],
    ['close-sweep', 'CloseSweepHandlerFunction'],
  ])('bundles the %s handler as one small ES module with a source map', (_name, prefix) => {
    const dir = bundleDirOf(prefix);
    const bundle = join(dir, 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
    expect(statSync(bundle).size).toBeLessThan(BUNDLE_LIMIT_BYTES);

    const code = readFileSync(bundle, 'utf8');
    expect(code.startsWith("import { createRequire as __createRequire } from 'node:module';")).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
    // Parses as ESM without running the module's top level.
    expect(() => execFileSync(process.execPath, ['--check', bundle], { stdio: 'pipe' })).not.toThrow();
  });

  it("ships undici's SIMD HTTP parser only, its fallback build left a runtime require", () => {
    const code = readFileSync(join(bundleDirOf('TenantEventsFunctionHandlerFunction'), 'index.mjs'), 'utf8');
    const simd = readFileSync('node_modules/undici/lib/llhttp/llhttp_simd-wasm.js', 'utf8');
    const fallback = readFileSync('node_modules/undici/lib/llhttp/llhttp-wasm.js', 'utf8');
    // Each build is one base64 literal; a slice from its middle identifies it.
    const marker = (source: string) => source.slice(source.length / 2, source.length / 2 + 64);
    expect(code).toContain(marker(simd));
    expect(code).not.toContain(marker(fallback));
    expect(code).toContain('"../llhttp/llhttp-wasm.js"');
  });
});
