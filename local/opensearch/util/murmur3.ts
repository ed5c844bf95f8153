// Murmur3 x86 32-bit hash of a routing string, computed the way OpenSearch's Murmur3HashFunction does
// (UTF-16 code units written little-endian, seed 0), so documents land on the same shard as in OpenSearch.
// Twenty lines of arithmetic: no npm dependency is worth it.

function mix(k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

export function murmur3Routing(routing: string): number {
  const bytes = new Uint8Array(routing.length * 2);
  for (let i = 0; i < routing.length; i++) {
    const c = routing.charCodeAt(i);
    bytes[i * 2] = c & 0xff;
    bytes[i * 2 + 1] = c >>> 8;
  }
  return murmur3Bytes(bytes);
}

/** MurmurHash3 x86_32 with seed 0 over raw bytes (signed 32-bit result, as Java returns it). */
export function murmur3Bytes(bytes: Uint8Array): number {
  const n = bytes.length;
  let h = 0;
  const blocks = n >>> 2;
  for (let i = 0; i < blocks; i++) {
    const o = i * 4;
    const k = bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24);
    h ^= mix(k);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = blocks * 4;
  const rem = n & 3;
  if (rem >= 3) k ^= bytes[tail + 2] << 16;
  if (rem >= 2) k ^= bytes[tail + 1] << 8;
  if (rem >= 1) {
    k ^= bytes[tail];
    h ^= mix(k);
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Routing factor OpenSearch uses: number of routing shards (a power-of-two multiple up to 1024) / shards. */
export function routingNumShards(numShards: number): number {
  if (numShards >= 512) return numShards;
  const log2 = Math.floor(Math.log2(1024 / numShards));
  return numShards * 2 ** log2;
}

/** Shard id of a document with the given effective routing (routing param, else _id). */
export function shardFor(routing: string, numShards: number): number {
  if (numShards === 1) return 0;
  const rns = routingNumShards(numShards);
  const hash = murmur3Routing(routing);
  const mod = ((hash % rns) + rns) % rns;
  return Math.floor(mod / (rns / numShards));
}
