import { describe, expect, it } from 'vitest';
import { bundledPackages, componentsOf, excludedPackages, isCopyleft, licencesOfShipped, packageOfPath, parseAudit } from './dependencies';

const repoRoot = new URL('../..', import.meta.url).pathname;

describe('npm audit', () => {
  it('counts high and critical advisories', () => {
    const answer = { auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { info: 0, low: 3, moderate: 2, high: 1, critical: 1, total: 7 } } };
    expect(parseAudit(JSON.stringify(answer))).toEqual({ highOrCritical: 2 });
  });

  it('is null with the reason, never 0, when the advisory service does not answer', () => {
    // What npm prints here: the registry refuses the bulk advisory endpoint.
    const refused = { message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', method: 'POST', statusCode: 405, body: '', error: { summary: '', detail: '' } };
    expect(parseAudit(JSON.stringify(refused))).toEqual({ highOrCritical: null, reason: expect.stringContaining('405 Method Not Allowed') });
    expect(parseAudit('npm ERR! network')).toEqual({ highOrCritical: null, reason: 'npm audit printed no JSON (npm ERR! network)' });
  });
});

describe('licences of what ships', () => {
  it('treats GPL, AGPL and LGPL as copyleft unless an alternative is permissive', () => {
    for (const id of ['GPL-3.0-only', 'AGPL-3.0-or-later', 'LGPL-3.0-or-later', 'LGPL-2.1+', 'GPL-2.0', '(MIT AND GPL-3.0)']) expect(isCopyleft(id), id).toBe(true);
    for (const id of ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'ISC', '(MIT OR GPL-3.0)', 'MPL-2.0', 'CC0-1.0']) expect(isCopyleft(id), id).toBe(false);
  });

  it('reads the exclusions of electron-builder.yml, brace lists included', () => {
    const yaml = ['files:', '  - dist/main/**', '  - "!dist/cli.cjs"', '  - "!node_modules/{react,react-dom,scheduler}/**"', '  - "!node_modules/codec-parser/**"', '  - "!node_modules/@scope/pkg/**"'].join('\n');
    expect(excludedPackages(yaml)).toEqual(['react', 'react-dom', 'scheduler', 'codec-parser', '@scope/pkg']);
  });

  it('names the package of a bundled file, scoped or not, nested or not', () => {
    expect(packageOfPath('node_modules/react-dom/cjs/react-dom.production.js')).toBe('react-dom');
    expect(packageOfPath('node_modules/@wasm-audio-decoders/common/src/x.js')).toBe('@wasm-audio-decoders/common');
    expect(packageOfPath('node_modules/a/node_modules/b/index.js')).toBe('b');
    expect(packageOfPath('renderer/src/main.tsx')).toBeUndefined();
  });

  it('keeps out an excluded package no bundle contains, and counts one a bundle contains', () => {
    const components = componentsOf({
      bomFormat: 'CycloneDX',
      components: [
        { name: 'codec-parser', version: '2.5.0', licenses: [{ license: { id: 'LGPL-3.0-or-later' } }] },
        { name: 'react', version: '19.0.0', licenses: [{ license: { id: 'MIT' } }] },
        { name: 'mystery', version: '1.0.0' },
        { name: 'client-s3', group: '@aws-sdk', version: '3.0.0', licenses: [{ expression: 'Apache-2.0' }] },
        { name: 'gpl-thing', version: '1.0.0', licenses: [{ license: { id: 'GPL-3.0-only' } }] },
      ],
    });
    expect(components.map((c) => c.name)).toContain('@aws-sdk/client-s3');
    const report = licencesOfShipped(components, ['codec-parser', 'react', 'gpl-thing'], new Set(['react', 'gpl-thing']));
    expect(report.keptOut.map((c) => c.name)).toEqual(['codec-parser']);
    expect(report.shipped.map((c) => c.name)).toEqual(['react', 'mystery', '@aws-sdk/client-s3', 'gpl-thing']);
    expect(report.copyleft.map((c) => c.name)).toEqual(['gpl-thing']);
    expect(report.unknown.map((c) => c.name)).toEqual(['mystery']);
  });

  it('refuses what is not a CycloneDX SBOM', () => {
    expect(() => componentsOf({ spdxVersion: 'SPDX-2.3' })).toThrow(/not a CycloneDX SBOM/);
  });

  it('finds the packages bundled into the app: the renderer inlines React, the main bundle none', async () => {
    const bundled = await bundledPackages(repoRoot);
    expect([...bundled]).toEqual(expect.arrayContaining(['react', 'react-dom', 'scheduler']));
    expect(bundled.has('@aws-sdk/client-s3')).toBe(false); // main keeps packages external: they ship from node_modules
    expect(bundled.has('codec-parser')).toBe(false);
  });
});
