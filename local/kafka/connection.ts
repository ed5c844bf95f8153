/**
 * One client TCP connection: splits the byte stream into size-prefixed request frames,
 * decodes each with the codec the registry names for its api key and version, runs the
 * handler, and writes responses in request order (Kafka's guarantee; handlers may finish out
 * of order, e.g. a long-polling Fetch followed by a Heartbeat).
 *
 * Refusals, as Kafka does them: an ApiVersions request of an unknown version is answered in
 * the v0 format with UNSUPPORTED_VERSION and the ApiVersions range; any other unknown api key
 * or version, a frame whose size is negative or too large, or a body that does not parse,
 * closes this connection only.
 */
import type net from 'node:net';
import { ErrorCode, MalformedRequestError } from './errors';
import type { BrokerState, RequestContext } from './handlers/context';
import { NO_RESPONSE } from './handlers/context';
import { HANDLERS } from './handlers/index';
import { ApiKey, apiName } from './protocol/api-keys';
import apiVersionsV0 from './protocol/apiVersions/v0';
import type { Codec } from './protocol/codec';
import { type RequestHeader, decodeRequestHeader, encodeResponseHeader } from './protocol/header';
import { Reader } from './protocol/reader';
import { findCodec, supportedVersions } from './protocol/registry';
import { Writer } from './protocol/writer';

/** Kafka's socket.request.max.bytes default. */
export const MAX_FRAME_BYTES = 100 * 1024 * 1024;

interface Slot {
  parts: Buffer[] | null;
}

export class Connection {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Size of the frame being assembled (with its 4-byte prefix), or -1 while unknown. */
  private needed = -1;
  private readonly slots: Slot[] = [];
  private closed = false;
  private readonly clientHost: string;

  constructor(
    private readonly socket: net.Socket,
    private readonly broker: BrokerState,
    private readonly onClosed: (c: Connection) => void,
  ) {
    this.clientHost = `/${socket.remoteAddress ?? 'unknown'}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  close(reason?: string): void {
    if (this.closed) return;
    if (reason) this.broker.log(`closing connection from ${this.clientHost}: ${reason}`);
    this.closed = true;
    this.slots.length = 0;
    this.socket.destroy();
    this.onClosed(this);
  }

  // ---- framing --------------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    if (this.pendingBytes === 0) {
      this.consume(chunk);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.needed < 0 ? this.pendingBytes >= 4 : this.pendingBytes >= this.needed) {
      const joined = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      this.consume(joined);
    }
  }

  /** Handles every complete frame in `buf` and keeps the incomplete rest. */
  private consume(buf: Buffer): void {
    let at = 0;
    while (buf.length - at >= 4) {
      const size = buf.readInt32BE(at);
      if (size < 0 || size > MAX_FRAME_BYTES) {
        this.close(`bad frame size ${size}`);
        return;
      }
      if (buf.length - at - 4 < size) break;
      const frame = buf.subarray(at + 4, at + 4 + size);
      at += 4 + size;
      this.onFrame(frame);
      if (this.closed) return;
    }
    if (at < buf.length) {
      const rest = buf.subarray(at);
      this.pending = [rest];
      this.pendingBytes = rest.length;
      this.needed = rest.length >= 4 ? 4 + rest.readInt32BE(0) : -1;
    } else {
      this.needed = -1;
    }
  }

  // ---- dispatch -------------------------------------------------------------------------

  private onFrame(frame: Buffer): void {
    const r = new Reader(frame);
    let header: RequestHeader;
    try {
      header = decodeRequestHeader(r);
    } catch (err) {
      this.close(`malformed request header: ${(err as Error).message}`);
      return;
    }
    const codec = findCodec(header.apiKey, header.apiVersion);
    if (!codec) {
      if (header.apiKey === ApiKey.ApiVersions) {
        const range = supportedVersions().filter((v) => v.apiKey === ApiKey.ApiVersions);
        this.respondNow(header, apiVersionsV0, { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: range, throttleTimeMs: 0 });
      } else {
        this.close(`unsupported api ${apiName(header.apiKey)} (key ${header.apiKey}) version ${header.apiVersion}`);
      }
      return;
    }
    let req: unknown;
    try {
      req = codec.decodeRequest(r);
    } catch (err) {
      const why = err instanceof MalformedRequestError || err instanceof RangeError ? (err as Error).message : String(err);
      this.close(`malformed ${apiName(header.apiKey)} v${header.apiVersion} request: ${why}`);
      return;
    }
    const handler = HANDLERS.get(header.apiKey)!;
    const silent = header.apiKey === ApiKey.Produce && (req as { acks: number }).acks === 0;
    const slot: Slot = { parts: null };
    if (!silent) this.slots.push(slot);
    const ctx: RequestContext = { header, clientHost: this.clientHost, broker: this.broker };
    let result: ReturnType<typeof handler>;
    try {
      result = handler(req, ctx);
    } catch (err) {
      this.fail(header, err);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (res) => this.complete(slot, header, codec, res),
        (err: unknown) => this.fail(header, err),
      );
    } else {
      this.complete(slot, header, codec, result);
    }
  }

  private fail(header: RequestHeader, err: unknown): void {
    this.close(`${apiName(header.apiKey)} handler failed: ${(err as Error)?.message ?? String(err)}`);
  }

  private encode(header: RequestHeader, codec: Codec<unknown, unknown>, res: unknown): Buffer[] {
    const w = new Writer();
    w.int32(0); // size, patched below
    encodeResponseHeader(w, header.correlationId);
    codec.encodeResponse(w, res);
    const parts = w.parts();
    parts[0].writeInt32BE(w.length - 4, 0);
    return parts;
  }

  private complete(slot: Slot, header: RequestHeader, codec: Codec<unknown, unknown>, res: unknown): void {
    if (this.closed || res === NO_RESPONSE) return;
    try {
      slot.parts = this.encode(header, codec, res);
    } catch (err) {
      this.fail(header, err);
      return;
    }
    this.flush();
  }

  /** A response that is not the product of a handler (the ApiVersions refusal). */
  private respondNow(header: RequestHeader, codec: Codec<unknown, unknown>, res: unknown): void {
    this.slots.push({ parts: this.encode(header, codec, res) });
    this.flush();
  }

  private flush(): void {
    if (this.slots.length === 0 || this.slots[0].parts === null) return;
    this.socket.cork();
    while (this.slots.length > 0 && this.slots[0].parts !== null) {
      for (const p of this.slots.shift()!.parts!) this.socket.write(p);
    }
    this.socket.uncork();
  }
}
