// The loopback test bridge: serves the built renderer and answers the IPC contract over HTTP on
// 127.0.0.1, backed by the real main-process services. It lives in e2e/ only and is never part of
// a release build (a test checks the bundles).
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentSecurityPolicy } from '../../shared/csp';
import type { IpcHandlers } from '../../shared/ipc-contract';
import { contentTypeOf, resolveAppFile } from '../../main/electron/protocol';
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
      const file = resolveAppFile(rendererRoot, `http://127.0.0.1${url.pathname}`);
      if (request.method !== 'GET' || !file) {
        response.writeHead(404).end();
        return;
      }
      try {
        const body = await readFile(file);
        response
          .writeHead(200, { 'Content-Type': contentTypeOf(file), 'Content-Security-Policy': contentSecurityPolicy })
          .end(body);
      } catch {
        response.writeHead(404).end();
      }
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
