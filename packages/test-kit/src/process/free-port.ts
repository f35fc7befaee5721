import { createServer } from 'node:net';

/**
 * A free loopback port below Linux's ephemeral range (32768+), so a server restarted on the same
 * port cannot lose it to another process's listen(0) meanwhile.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
