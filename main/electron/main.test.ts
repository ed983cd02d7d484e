import { describe, expect, it, vi } from 'vitest';

// The Electron binary cannot run here (DESIGN.md): this mock records how main.ts wires the app.
const calls: string[] = [];
const schemes: unknown[] = [];
vi.mock('electron', () => ({
  app: {
    enableSandbox: () => calls.push('enableSandbox'),
    on: (name: string) => calls.push(`on:${name}`),
    whenReady: () => new Promise(() => undefined),
    getVersion: () => '0.0.0',
    quit: () => undefined,
  },
  crashReporter: { start: () => calls.push('crashReporter.start') },
  protocol: { registerSchemesAsPrivileged: (list: unknown[]) => schemes.push(...list), handle: () => undefined },
  BrowserWindow: class {},
  ipcMain: { handle: () => undefined },
  session: { defaultSession: {} },
}));

describe('Electron entry point', () => {
  it('enables the sandbox, never starts the crash reporter and registers a secure app:// scheme', async () => {
    await import('./main');
    expect(calls).toContain('enableSandbox');
    expect(calls).not.toContain('crashReporter.start');
    expect(calls).toContain('on:web-contents-created');
    expect(schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });
});
