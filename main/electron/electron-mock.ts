// A recording stand-in for the `electron` module (cf. Electron Fiddle's tests/mocks/electron.ts).
// The Electron binary cannot run on the build machine, so the wiring tests import the real entry
// point with this mock and then drive what it registered: the app:// handler, the permission
// handlers, the request filter, the window's preferences and events, the IPC channels.
import type { Deployment } from '../aws/deployment';

type Listener = (...args: unknown[]) => unknown;

/** A deployment file as the emulator writes it (the wiring tests never contact it). */
export const emulatorDeployment: Deployment = {
  target: 'emulator',
  endpoint: 'http://127.0.0.1:1',
  region: 'eu-central-1',
  userPoolId: 'eu-central-1_test',
  userPoolClientId: 'client',
  identityPoolId: 'eu-central-1:00000000-0000-0000-0000-000000000000',
  envelopeKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/envelope',
  storageKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/storage',
  bucket: 'voicevault-test',
  demoUsers: [],
};

export interface FakeWebContents {
  url: string;
  listeners: Map<string, Listener[]>;
  windowOpenHandler?: (details: { url: string }) => { action: string };
  on(name: string, listener: Listener): FakeWebContents;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void;
  getURL(): string;
  /** Fires an event the way Electron would, with a preventable event object; returns whether it was prevented. */
  emit(name: string, ...args: unknown[]): boolean;
}

export function fakeWebContents(url = 'app://voicevault/index.html'): FakeWebContents {
  const contents: FakeWebContents = {
    url,
    listeners: new Map(),
    on(name, listener) {
      contents.listeners.set(name, [...(contents.listeners.get(name) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler) {
      contents.windowOpenHandler = handler;
    },
    getURL: () => contents.url,
    emit(name, ...args) {
      let prevented = false;
      const event = { preventDefault: () => (prevented = true) };
      for (const listener of contents.listeners.get(name) ?? []) listener(event, ...args);
      return prevented;
    },
  };
  return contents;
}

export interface ElectronMockState {
  /** What app.getAppPath() answers (the tests put a built renderer under dist/renderer). */
  appPath: string;
  userDataPath: string;
  isPackaged: boolean;
  singleInstanceLock: boolean;
  storageBackend: string;
  encryptionAvailable: boolean;
  calls: string[];
  schemes: unknown[];
  appListeners: Map<string, Listener[]>;
  protocolHandlers: Map<string, (request: Request) => Promise<Response> | Response>;
  permissionRequestHandler?: Listener;
  permissionCheckHandler?: Listener;
  devicePermissionHandler?: Listener;
  displayMediaRequestHandler?: Listener;
  beforeRequest?: Listener;
  ipcHandlers: Map<string, Listener>;
  windows: FakeBrowserWindow[];
  openedExternally: string[];
}

function initialState(): ElectronMockState {
  return {
    appPath: '/nonexistent',
    userDataPath: '/nonexistent',
    isPackaged: false,
    singleInstanceLock: true,
    storageBackend: 'gnome_libsecret',
    encryptionAvailable: true,
    calls: [],
    schemes: [],
    appListeners: new Map(),
    protocolHandlers: new Map(),
    ipcHandlers: new Map(),
    windows: [],
    openedExternally: [],
  };
}

export const state: ElectronMockState = initialState();

/** Back to a fresh app (tests that load main.ts more than once). */
export function resetState(): void {
  for (const key of Object.keys(state)) delete (state as unknown as Record<string, unknown>)[key];
  Object.assign(state, initialState());
}

export class FakeBrowserWindow {
  readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>;
  readonly webContents = fakeWebContents('');
  readonly loaded: string[] = [];
  readonly listeners = new Map<string, Listener[]>();
  focused = 0;

  constructor(options: FakeBrowserWindow['options']) {
    this.options = options;
    state.windows.push(this);
    // Electron emits web-contents-created for every new webContents.
    for (const listener of state.appListeners.get('web-contents-created') ?? []) listener({}, this.webContents);
  }

  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.webContents.url = url;
  }

  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }

  once(name: string, listener: Listener): this {
    return this.on(name, listener);
  }

  show(): void {
    state.calls.push('window.show');
  }

  isMinimized(): boolean {
    return false;
  }

  restore(): void {}

  focus(): void {
    this.focused += 1;
  }
}

function addListener(map: Map<string, Listener[]>, name: string, listener: Listener): void {
  map.set(name, [...(map.get(name) ?? []), listener]);
}

// A stand-in keychain: reversible, but not the identity, so a test can see the files are not plaintext.
const xorKey = 0x5a;

export const app = {
  enableSandbox: () => state.calls.push('app.enableSandbox'),
  on: (name: string, listener: Listener) => addListener(state.appListeners, name, listener),
  whenReady: () => Promise.resolve(),
  getVersion: () => '0.1.0-test',
  getAppPath: () => state.appPath,
  getPath: (name: string) => {
    if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
    return state.userDataPath;
  },
  get isPackaged() {
    return state.isPackaged;
  },
  requestSingleInstanceLock: () => {
    state.calls.push('app.requestSingleInstanceLock');
    return state.singleInstanceLock;
  },
  quit: () => state.calls.push('app.quit'),
};

export const crashReporter = { start: () => state.calls.push('crashReporter.start') };

export const protocol = {
  registerSchemesAsPrivileged: (list: unknown[]) => state.schemes.push(...list),
  handle: (scheme: string, handler: (request: Request) => Promise<Response>) => state.protocolHandlers.set(scheme, handler),
  registerFileProtocol: () => state.calls.push('protocol.registerFileProtocol'),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler: Listener) => (state.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler: Listener) => (state.permissionCheckHandler = handler),
    setDevicePermissionHandler: (handler: Listener) => (state.devicePermissionHandler = handler),
    setDisplayMediaRequestHandler: (handler: Listener) => (state.displayMediaRequestHandler = handler),
    webRequest: { onBeforeRequest: (handler: Listener) => (state.beforeRequest = handler) },
  },
};

export const ipcMain = {
  handle: (channel: string, listener: Listener) => state.ipcHandlers.set(channel, listener),
  on: (channel: string) => state.calls.push(`ipcMain.on:${channel}`),
};

export const safeStorage = {
  isEncryptionAvailable: () => state.encryptionAvailable,
  getSelectedStorageBackend: () => state.storageBackend as 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown',
  encryptString: (text: string) => Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ xorKey)),
  decryptString: (data: Buffer) => Buffer.from(data.map((b) => b ^ xorKey)).toString('utf8'),
};

export const shell = {
  openExternal: async (url: string) => {
    state.openedExternally.push(url);
  },
};

export const BrowserWindow = FakeBrowserWindow;

export default { app, crashReporter, protocol, session, ipcMain, safeStorage, shell, BrowserWindow };
