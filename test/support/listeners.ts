/**
 * The sockets a process tree listens on, read from /proc (no tool needed): TCP sockets in LISTEN
 * and bound UDP sockets, with their local address, for the processes whose ids are given.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface Listener {
  pid: number;
  protocol: 'tcp' | 'udp';
  address: string;
  port: number;
}

function descendants(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i]!) ?? []));
  return out;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // gone
  }
  return inodes;
}

function decode(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  // IPv6: four little-endian 32-bit words
  const words = hex.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''));
  const groups = words.join('').match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, ''));
  return groups.join(':');
}

/** Every TCP listener and bound UDP socket of `root` and its descendants. */
export function listenersOf(root: number): Listener[] {
  const byInode = new Map<string, number>();
  for (const pid of descendants(root)) for (const inode of socketInodes(pid)) byInode.set(inode, pid);
  const out: Listener[] = [];
  for (const [file, protocol] of [['tcp', 'tcp'], ['tcp6', 'tcp'], ['udp', 'udp'], ['udp6', 'udp']] as const) {
    let lines: string[];
    try {
      lines = readFileSync(`/proc/net/${file}`, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      const [addr, portHex] = f[1]!.split(':') as [string, string];
      const state = f[3];
      const inode = f[9]!;
      const pid = byInode.get(inode);
      if (pid === undefined) continue;
      if (protocol === 'tcp' && state !== '0A') continue; // LISTEN only
      if (protocol === 'udp' && state !== '07') continue; // bound (unconnected)
      out.push({ pid, protocol, address: decode(addr), port: parseInt(portHex, 16) });
    }
  }
  return out;
}
