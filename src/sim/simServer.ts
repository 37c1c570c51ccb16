import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/logger';
import type { SimTimers } from './simTimers';

/** How to serve a simulator. */
export interface SimServerOptions {
  /** 0 = ephemeral. */
  readonly port: number;
  /** The server's key and certificate, and whatever else its TLS needs (QRS asks for client certificates). */
  readonly tls: ServerOptions;
  readonly log: Logger;
  /** Delays to cancel on close. */
  readonly timers: SimTimers;
  /** Answers one request; a rejection becomes a 500, or a cut connection once the head is out. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** A simulator's HTTPS server. */
export interface SimServer {
  readonly port: number;
  /** `https://localhost:PORT`: the name the simulated certificates are issued to. */
  readonly url: string;
  /** Clears pending delays, then stops listening and ends every connection, keep-alive ones too. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 only: a simulator is never reachable from another machine. Resolves with the port. */
export async function listenOnLoopback(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Stops a server without waiting for idle keep-alive connections to time out. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts a simulator's HTTPS server on loopback. */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const { log, handle, timers } = options;
  const server = createServer(options.tls, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      log.error(`request failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Internal simulator error');
      } else {
        res.destroy();
      }
    });
  });
  const port = await listenOnLoopback(server, options.port);
  return {
    port,
    url: `https://localhost:${port}`,
    close: async () => {
      timers.clear();
      await closeServer(server);
    },
  };
}
