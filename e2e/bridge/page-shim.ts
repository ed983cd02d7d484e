// Runs in the page before the app (Playwright init script): defines `window.voicevault` with the
// contract's methods, each POSTing to the loopback bridge, just as the preload forwards over IPC.
export function installBridgeShim(methods: string[]): void {
  const api: Record<string, (request?: unknown) => Promise<unknown>> = {};
  for (const method of methods) {
    api[method] = async (request?: unknown) => {
      const response = await fetch(`/bridge/${method}`, { method: 'POST', body: request === undefined ? '' : JSON.stringify(request) });
      return response.json();
    };
  }
  Object.defineProperty(window, 'voicevault', { value: Object.freeze(api), writable: false });
}
