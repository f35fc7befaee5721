/**
 * Which `Host` names this server answers to. A browser tricked by DNS rebinding sends the
 * attacker's name in `Host`, so only names that really mean this machine are accepted: the
 * loopback names, this machine's addresses and hostname (from the CLI), and `--public-url`'s host.
 */

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/**
 * The host name of a `Host` header without port or brackets, lower case, or null when malformed.
 * 'Example.COM:7070' => 'example.com' · '[::1]:7070' => '::1' · 'localhost.' => 'localhost'
 */
export function hostName(header: string | undefined): string | null {
  if (header === undefined) return null;
  const value = header.trim().toLowerCase();
  let name: string;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return null;
    const rest = value.slice(close + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    name = value.slice(1, close);
  } else {
    const match = /^([^:\s/@]+)(?::\d{1,5})?$/.exec(value);
    if (!match) return null;
    name = match[1]!;
  }
  if (name.endsWith('.')) name = name.slice(0, -1);
  return name === '' ? null : name;
}

/** Normalise a configured name the same way as a header: '[FE80::1]' => 'fe80::1'. */
function normalizeName(name: string): string {
  let value = name.trim().toLowerCase();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  if (value.endsWith('.')) value = value.slice(0, -1);
  return value;
}

/** The set of accepted host names. */
export function allowedHostNames(
  extra: readonly string[],
  publicUrl: string | null,
): ReadonlySet<string> {
  const names = new Set(LOOPBACK_NAMES);
  for (const name of extra) names.add(normalizeName(name));
  if (publicUrl !== null) names.add(normalizeName(new URL(publicUrl).hostname));
  return names;
}

/** True for a socket address on this machine's loopback: 127.0.0.0/8, ::1, ::ffff:127.x. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || /^(?:::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address);
}

/** True for names that only ever mean this machine. */
export function isLoopbackName(name: string): boolean {
  return LOOPBACK_NAMES.includes(normalizeName(name)) || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** The port of an origin or Host value, or its scheme's default: 'http://a:7070' => '7070'. */
function portOf(url: URL): string {
  return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
}

/**
 * True when `origin` is another loopback name for the loopback `host` the request was sent to,
 * with the same port: localhost, 127.0.0.1 and [::1] are one machine, and on one port one server.
 * 'http://127.0.0.1:7070' for 'localhost:7070' => true · for 'localhost:7071' => false
 */
export function isLoopbackAlias(origin: string, host: string): boolean {
  let from: URL;
  let to: URL;
  try {
    from = new URL(origin);
    to = new URL(`${from.protocol}//${host}`);
  } catch {
    return false;
  }
  const fromName = hostName(from.host);
  const toName = hostName(to.host);
  return (
    fromName !== null &&
    toName !== null &&
    isLoopbackName(fromName) &&
    isLoopbackName(toName) &&
    portOf(from) === portOf(to)
  );
}
