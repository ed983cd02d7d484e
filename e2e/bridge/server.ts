// The loopback test bridge: serves the built renderer and answers the IPC contract over HTTP on
// 127.0.0.1, backed by the real main-process services. It lives in e2e/ only and is never part of
// a release build (a test checks the bundles).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IpcHandlers } from '../../shared/ipc-contract';
import { serveAppFile } from '../../main/electron/protocol';
import { dispatchIpc } from '../../main/session/dispatch';

export interface TestBridge {
  url: string;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage, limit = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startTestBridge(rendererRoot: string, handlers: IpcHandlers): Promise<TestBridge> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method === 'POST' && url.pathname.startsWith('/bridge/')) {
        const method = url.pathname.slice('/bridge/'.length);
        const text = await readBody(request);
        const result = await dispatchIpc(handlers, method, text ? JSON.parse(text) : undefined);
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result));
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
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
