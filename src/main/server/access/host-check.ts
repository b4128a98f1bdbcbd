/**
 * Which Host headers a server answers: a guard against DNS rebinding, where a page on another
 * site re-points its own name at 127.0.0.1 and then reads our API as "same origin". A server bound
 * to loopback serves only localhost, 127.0.0.1 and [::1] (any port) plus the names listed in
 * MEDIA_ALLOWED_HOSTS; bound to another address it checks the list when one is set (it cannot
 * know every name and address the machine is reached by).
 */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

/** A Host header: a name or IPv4 address, or a bracketed IPv6 address, and an optional port. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::\d{1,5})?$/i;

export function isLoopbackAddress(bindHost: string): boolean {
  const host = bindHost.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** The host names a server answers to, or null when it answers any (non-loopback bind, no list). */
export function allowedHostNames(bindHost: string, allowList: string | undefined): ReadonlySet<string> | null {
  const listed = (allowList ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
    .map((entry) => HOST_HEADER.exec(entry)?.[1] ?? entry);
  if (!isLoopbackAddress(bindHost) && listed.length === 0) return null;
  return new Set([...LOOPBACK_NAMES, ...listed]);
}

/** The name part of a Host header (lower case, IPv6 in brackets), or null when it is not a plain host[:port]. */
export function hostName(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = HOST_HEADER.exec(header.trim());
  return match ? match[1]!.toLowerCase() : null;
}

export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string> | null): boolean {
  if (allowed === null) return true;
  const name = hostName(header);
  return name !== null && allowed.has(name);
}
