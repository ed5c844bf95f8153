/**
 * Email addresses as SES reads them: `local@domain` or `Display Name <local@domain>`, with the
 * checks SES makes before sending (an `@domain` part; no whitespace or control characters in
 * the address).
 */
import { badRequest } from './errors';

/** The bare address of `Name <addr>` or `addr`; undefined when there is none. */
export function bareAddress(s: string): string | undefined {
  const m = /<([^<>]*)>\s*$/.exec(s);
  const addr = (m ? m[1]! : s).trim();
  return addr || undefined;
}

export function checkAddress(s: unknown, field: string): string {
  if (typeof s !== 'string' || !s.trim()) throw badRequest(`Missing ${field}.`);
  const addr = bareAddress(s);
  if (!addr || !addr.includes('@')) throw badRequest(`Missing final '@domain'`);
  const at = addr.lastIndexOf('@');
  const local = addr.slice(0, at);
  const domain = addr.slice(at + 1);
  if (!local || !domain || /[\s\x00-\x1f<>]/.test(addr) || !/^[A-Za-z0-9.-]+$/.test(domain) || domain.startsWith('.') || domain.endsWith('.') || domain.includes('..'))
    throw badRequest(`Illegal address`);
  return addr;
}

export function domainOf(addr: string): string {
  return addr.slice(addr.lastIndexOf('@') + 1).toLowerCase();
}
