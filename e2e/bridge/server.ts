// The loopback test bridge: serves the built renderer and answers the IPC contract over HTTP on
// 127.0.0.1, backed by the real main-process services through the same dispatch as the Electron
// wiring. It lives in e2e/ only and is never part of a release build (a test checks the bundles).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ipcChannel, ipcMethods, type IpcHandlers, type IpcMethod } from '../../shared/ipc-contract';
import { serveAppFile } from '../../main/electron/protocol';
import { dispatchIpc } from '../../main/session/dispatch';
import { decodeWire, encodeWire } from './wire';

export interface TestBridge {
  url: string;
  close(): Promise<void>;
}

export interface TestBridgeOptions {
  /** Sees every request after decoding (e.g. the PCM the page sent), before dispatch. */
  onRequest?: (method: IpcMethod, request: unknown) => void;
}

// The contract's largest request is a 256 MiB file; base64 makes it a third larger.
const bodyLimit = 360 * 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > bodyLimit) throw new Error('request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const methodOfChannel = new Map<string, IpcMethod>(ipcMethods.map((method) => [ipcChannel(method), method]));

export async function startTestBridge(rendererRoot: string, handlers: IpcHandlers, options: TestBridgeOptions = {}): Promise<TestBridge> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method === 'POST' && url.pathname.startsWith('/bridge/')) {
        const channel = decodeURIComponent(url.pathname.slice('/bridge/'.length));
        const method = methodOfChannel.get(channel);
        const text = await readBody(request);
        const payload = text ? decodeWire(JSON.parse(text)) : undefined;
        if (method) options.onRequest?.(method, payload);
        // An unknown channel goes to dispatch too, which refuses it like the app does.
        const result = await dispatchIpc(handlers, method ?? channel, payload);
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(encodeWire(result)));
        return;
      }
      if (request.method !== 'GET') {
        response.writeHead(404).end();
        return;
      }
      // The same file serving (and CSP header) as the app:// protocol.
      const served = await serveAppFile(rendererRoot, `http://127.0.0.1${url.pathname}`);
      response.writeHead(served.status, Object.fromEntries(served.headers)).end(Buffer.from(await served.arrayBuffer()));
    })().catch(() => {
      if (!response.headersSent) response.writeHead(400).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
