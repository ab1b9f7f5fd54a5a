/** Binds an HTTP server, turning bind errors into WSC_LISTEN errors. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReferenceServerError } from './errors.js';

/** Listens on host:port and resolves to the bound port. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const why =
        err.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use; stop the other server or choose another port (--port N; 0 picks a free one)`
          : err.code === 'EACCES'
            ? `no permission to listen on ${host}:${port}; choose a port above 1023`
            : err.code === 'EADDRNOTAVAIL'
              ? `${host} is not an address of this machine`
              : `cannot listen on ${host}:${port}: ${err.message}`;
      reject(new ReferenceServerError('WSC_LISTEN', why));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** `ws://host:port/path` with IPv6 hosts in brackets. */
export function urlOf(scheme: string, host: string, port: number, path = ''): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${h}:${port}${path}`;
}
