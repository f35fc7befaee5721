/**
 * This machine's names and addresses: which `Host` values the server accepts, and which URLs
 * the banner prints for the host it listens on.
 */
import { hostname, networkInterfaces } from 'node:os';
import { isLoopbackName } from '@lenslet/server';

export type Address = {
  readonly address: string;
  readonly family: 'IPv4' | 'IPv6';
  readonly internal: boolean;
};

/** Every interface address (link-local IPv6 left out: it needs a zone id to be usable). */
export function interfaceAddresses(): Address[] {
  const out: Address[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.family === 'IPv6' && /^fe80:/i.test(info.address)) continue;
      out.push({ address: info.address, family: info.family, internal: info.internal });
    }
  }
  return out;
}

/** Host names the server should answer to besides the loopback names. */
export function machineHostNames(addresses: readonly Address[] = interfaceAddresses()): string[] {
  const name = hostname().toLowerCase();
  const names = new Set<string>([name, `${name}.local`]);
  for (const a of addresses) names.add(a.address.toLowerCase());
  return [...names];
}

export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** True when only this machine can reach a server bound to `host`. */
export function isLoopbackHost(host: string): boolean {
  return isLoopbackName(host.replace(/^\[|\]$/g, ''));
}

/** 'fe80::1' => '[fe80::1]' · '10.0.0.2' => '10.0.0.2' */
function urlHost(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

export type ServerUrls = {
  readonly local: string | null;
  readonly network: string[];
  readonly public: string | null;
};

/** The URLs to print for a server on `host:port` (each ending in `/`, before any token). */
export function serverUrls(
  host: string,
  port: number,
  publicUrl: string | null,
  addresses: readonly Address[] = interfaceAddresses(),
): ServerUrls {
  const bare = host.replace(/^\[|\]$/g, '');
  let local: string | null = null;
  const network: string[] = [];
  if (isWildcardHost(host)) {
    local = `http://127.0.0.1:${port}/`;
    const v6 = bare === '::';
    for (const a of addresses) {
      if (a.internal) continue;
      if (a.family === 'IPv6' && !v6) continue;
      network.push(`http://${urlHost(a.address)}:${port}/`);
    }
    network.sort((a, b) => Number(a.includes('[')) - Number(b.includes('[')));
  } else if (isLoopbackHost(host)) {
    local = `http://${urlHost(bare)}:${port}/`;
  } else {
    network.push(`http://${urlHost(bare)}:${port}/`);
  }
  return { local, network, public: publicUrl === null ? null : `${publicUrl}/` };
}

/** Append the access token to a printed URL. */
export function withToken(url: string, token: string | null): string {
  return token === null ? url : `${url}?token=${encodeURIComponent(token)}`;
}
