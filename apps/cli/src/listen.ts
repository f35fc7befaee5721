/**
 * Bind the HTTP server: the preferred port first, then the next ones (unless --strict-port), so a
 * second gallery just starts on 7071. The bind itself is the test — no probe-then-bind race.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LensletError } from '@lenslet/core';

export const PORT_ATTEMPTS = 50;

function bind(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host.replace(/^\[|\]$/g, ''));
  });
}

/** Listen on `preferred` or the next free port; resolves to the port actually bound. */
export async function listenOnFreePort(
  server: Server,
  host: string,
  preferred: number,
  strict: boolean,
): Promise<number> {
  const last =
    preferred === 0 || strict ? preferred : Math.min(65535, preferred + PORT_ATTEMPTS - 1);
  for (let port = preferred; port <= last; port++) {
    try {
      return await bind(server, port, host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && port < last) continue;
      if (code === 'EADDRINUSE') {
        throw new LensletError(
          'internal',
          strict
            ? `port ${port} on ${host} is already in use (choose another --port, or drop --strict-port to take the next free one)`
            : `ports ${preferred}–${last} on ${host} are all in use (choose another --port)`,
        );
      }
      if (code === 'EACCES') {
        throw new LensletError(
          'internal',
          `not allowed to listen on port ${port} (ports below 1024 need privileges; try --port 7070)`,
        );
      }
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
        throw new LensletError(
          'internal',
          `cannot listen on --host ${host}: no such address on this machine`,
        );
      }
      throw error;
    }
  }
  throw new LensletError('internal', `no free port from ${preferred}`);
}
