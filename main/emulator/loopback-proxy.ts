// For tests and the demo: a loopback HTTP proxy in front of the emulator. It records every request
// (so a test can scan what went over the wire) and injects network faults on demand (so a test can
// show what the uploader survives). It only ever listens on, and forwards to, loopback.
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { VoiceVaultError } from '../../shared/errors';

export type ProxiedService = 's3' | 'kms' | 'cognito-identity' | 'cognito-idp';

/** What the fault function sees: the request head, before any body byte is read. */
export interface ProxiedRequest {
  /** 0-based arrival order. */
  index: number;
  service: ProxiedService;
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
}

export interface RecordedRequest extends ProxiedRequest {
  /** The request body bytes the proxy received (all of them, or as many as arrived before a fault). */
  body: Buffer;
  /** The fault applied, if any. */
  fault?: Fault['kind'];
  /** The status the client got: the emulator's, the injected one, or undefined when it got none. */
  status?: number;
  /** The emulator's status, when the request reached it (with lose-response the client never sees it). */
  upstreamStatus?: number;
}

export type Fault =
  /** Reset the connection once this many body bytes have arrived (0 or absent: at once). */
  | { kind: 'drop'; afterBytes?: number }
  /** Reset the connection on the request head, reading nothing. */
  | { kind: 'refuse' }
  /** Answer with this status and body instead of forwarding. */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Stop reading once this many body bytes have arrived, for `ms` (absent: until the client gives up or the proxy closes), then carry on. */
  | { kind: 'stall'; afterBytes?: number; ms?: number }
  /** Forward the request, let the emulator act on it, then reset the connection instead of answering. */
  | { kind: 'lose-response' };

export type FaultFunction = (request: ProxiedRequest) => Fault | undefined;

export interface LoopbackProxy {
  url: string;
  /** Every request in arrival order; a body is complete once the request has finished. */
  requests: RecordedRequest[];
  /** Replaces the fault function (undefined: forward everything). */
  setFault(fault: FaultFunction | undefined): void;
  close(): Promise<void>;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const targetServices: [prefix: string, service: ProxiedService][] = [
  ['TrentService.', 'kms'],
  ['AWSCognitoIdentityService.', 'cognito-identity'],
  ['AWSCognitoIdentityProviderService.', 'cognito-idp'],
];

export function serviceOf(headers: IncomingHttpHeaders): ProxiedService {
  const target = headers['x-amz-target'];
  const value = Array.isArray(target) ? target[0] : target;
  for (const [prefix, service] of targetServices) if (value?.startsWith(prefix)) return service;
  return 's3';
}

/** The access key id a SigV4 request was signed with, if any. */
export function accessKeyOf(headers: IncomingHttpHeaders): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(headers.authorization ?? '')?.[1];
}

/** An S3-style XML error answer (S3 reports errors as XML documents). */
export function s3ErrorFault(status: number, code: string, message: string): Fault {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>loopback-proxy</RequestId></Error>`;
  return { kind: 'status', status, body, headers: { 'content-type': 'application/xml' } };
}

export const expiredTokenFault = (): Fault => s3ErrorFault(400, 'ExpiredToken', 'The provided token has expired.');
export const internalErrorFault = (): Fault => s3ErrorFault(500, 'InternalError', 'We encountered an internal error. Please try again.');
export const conflictFault = (): Fault =>
  s3ErrorFault(409, 'ConditionalRequestConflict', 'A conflicting conditional operation is currently in progress against this resource. Please try again.');

/** The proxy has the whole body before it forwards, so the emulator must not be asked to say "continue". */
function withoutExpect(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { expect: _expect, ...rest } = headers;
  return rest;
}

function requireLoopback(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new VoiceVaultError('InvalidArgument', `The proxy target ${target} is not a URL.`);
  }
  if (url.protocol !== 'http:' || !loopbackHosts.has(url.hostname)) {
    throw new VoiceVaultError('InvalidArgument', `The loopback proxy forwards only to http on this machine, not to ${target}.`);
  }
  return url;
}

export async function startLoopbackProxy(options: { target: string; fault?: FaultFunction }): Promise<LoopbackProxy> {
  const target = requireLoopback(options.target);
  const requests: RecordedRequest[] = [];
  let fault = options.fault;
  let closed = false;
  const sockets = new Set<Socket>();
  const pendingStalls = new Set<() => void>();
  const upstreamAgent = new Agent({ keepAlive: true });

  const reset = (socket: Socket) => {
    if (!socket.destroyed) socket.resetAndDestroy();
  };

  /** Waits `ms` (absent: until released), released early when the client goes away or the proxy closes. */
  const stall = (ms: number | undefined, req: IncomingMessage) =>
    new Promise<void>((resolve) => {
      const done = () => {
        pendingStalls.delete(done);
        clearTimeout(timer);
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      pendingStalls.add(done);
      req.once('close', done);
    });

  /** Reads the body, applying a drop or stall once `afterBytes` have arrived. Resolves undefined if the connection went away. */
  const readBody = (req: IncomingMessage, record: RecordedRequest, applied: Fault | undefined): Promise<Buffer | undefined> =>
    new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let triggered = false;
      let settled = false;
      const finish = (complete: boolean) => {
        if (settled) return;
        settled = true;
        record.body = Buffer.concat(chunks);
        resolve(complete ? record.body : undefined);
      };
      const threshold = applied && (applied.kind === 'drop' || applied.kind === 'stall') ? (applied.afterBytes ?? 0) : undefined;
      const trigger = () => {
        if (triggered || !applied || threshold === undefined || received < threshold) return;
        triggered = true;
        if (applied.kind === 'drop') {
          reset(req.socket);
          finish(false);
        } else if (applied.kind === 'stall') {
          req.pause();
          void stall(applied.ms, req).then(() => {
            if (!req.socket.destroyed && !closed) req.resume();
          });
        }
      };
      req.on('data', (chunk: Buffer) => {
        if (triggered && applied?.kind === 'drop') return;
        // Keep only the bytes up to the threshold of a drop: the rest never "arrived".
        const room = applied?.kind === 'drop' && threshold !== undefined ? Math.max(0, threshold - received) : chunk.length;
        chunks.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
        received += chunk.length;
        trigger();
      });
      req.on('end', () => finish(!triggered || applied?.kind !== 'drop'));
      req.on('close', () => {
        if (!req.complete) finish(false);
      });
      trigger(); // a threshold of 0 applies before the first byte
    });

  const forward = (req: IncomingMessage, body: Buffer): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: withoutExpect(req.headers),
          agent: upstreamAgent,
        },
        resolve,
      );
      upstream.on('error', reject);
      req.socket.once('close', () => upstream.destroy());
      upstream.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const head: ProxiedRequest = {
      index: requests.length,
      service: serviceOf(req.headers),
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
    };
    const applied = fault?.(head);
    const record: RecordedRequest = { ...head, body: Buffer.alloc(0), ...(applied ? { fault: applied.kind } : {}) };
    requests.push(record);

    if (applied?.kind === 'refuse') {
      reset(req.socket);
      return;
    }
    const body = await readBody(req, record, applied);
    if (body === undefined || closed) return;

    if (applied?.kind === 'status') {
      record.status = applied.status;
      res.writeHead(applied.status, { 'content-length': Buffer.byteLength(applied.body ?? ''), ...applied.headers });
      res.end(applied.body ?? '');
      return;
    }
    let answer: IncomingMessage;
    try {
      answer = await forward(req, body);
    } catch {
      reset(req.socket);
      return;
    }
    record.upstreamStatus = answer.statusCode;
    if (applied?.kind === 'lose-response') {
      answer.resume();
      answer.once('end', () => reset(req.socket));
      return;
    }
    record.status = answer.statusCode;
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => reset(req.socket));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFault(next) {
      fault = next;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const release of [...pendingStalls]) release();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      upstreamAgent.destroy();
      await stopped;
    },
  };
}
