// electron-builder.yml as configuration (Electron's zip cannot be downloaded here, so no installer
// is built in tests): what ships, how macOS may use the microphone, which installers, no publishing.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface BuilderConfig {
  appId: string;
  asar: boolean;
  files: string[];
  extraResources: { from: string; to: string }[];
  linux: { target: string[] };
  mac: { hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string; extendInfo: Record<string, string> };
  win: { target: string[] };
  publish: unknown;
}

async function config(): Promise<BuilderConfig> {
  return parseYaml(await readFile(`${repoRoot}electron-builder.yml`, 'utf8')) as BuilderConfig;
}

describe('packaging (electron-builder.yml)', () => {
  it('ships only the bundles, in an asar, under one app id', async () => {
    const { appId, asar, files } = await config();
    expect(appId).toBe('com.voicevault.desktop');
    expect(asar).toBe(true);
    const included = files.filter((pattern) => !pattern.startsWith('!'));
    expect(included).toEqual(['dist/main/**', 'dist/renderer/**', 'package.json']);
    for (const excluded of ['!dist/cli.cjs', '!e2e/**', '!node_modules/codec-parser/**']) expect(files).toContain(excluded);
  });

  it('packages the deployment file a release build trusts, at <resources>/deployment.json', async () => {
    expect((await config()).extraResources).toEqual([{ from: 'build/deployment.json', to: 'deployment.json' }]);
  });

  it('signs macOS builds with the hardened runtime, the audio-input entitlement and the microphone text', async () => {
    const { mac } = await config();
    expect(mac.hardenedRuntime).toBe(true);
    expect(mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/records/);
    for (const path of [mac.entitlements, mac.entitlementsInherit]) {
      const plist = await readFile(`${repoRoot}${path}`, 'utf8');
      expect(plist).toMatch(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
      // No camera, and no exemption that would let other code be loaded into the app.
      expect(plist).not.toMatch(/device\.camera|disable-library-validation|allow-dyld-environment-variables/);
    }
  });

  it('builds AppImage and deb on Linux, NSIS on Windows, and publishes nothing', async () => {
    const { linux, win, publish } = await config();
    expect(linux.target).toEqual(['AppImage', 'deb']);
    expect(win.target).toEqual(['nsis']);
    expect(publish).toBeNull();
  });

  it('npm run dist never publishes either', async () => {
    const pkg = JSON.parse(await readFile(`${repoRoot}package.json`, 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toMatch(/electron-builder .*--publish never/);
  });
});
