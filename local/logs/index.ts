/**
 * Local Amazon CloudWatch Logs: the API (AWS JSON 1.1, `X-Amz-Target: Logs_20140328.<Operation>`)
 * over the log files the local cloud already writes in `<data>/logs/`. See README.md.
 *
 *   const logs = createLogs({ logDir, region, accountId, sources: () => [{ logGroupName, file, kind }] });
 *   edge:  { name: 'logs', targets: ['Logs_20140328.'], route: logs.route }
 *
 * Log groups are the ones the template names: a function's `LoggingConfig.LogGroup` (else
 * `/aws/lambda/<function>`), a state machine's logging destination; any other file of the folder
 * (the services' own logs) is `/local-cloud/<name>`. A group has one stream per UTC day:
 * `YYYY/MM/DD/[$LATEST]<id>` for functions (Lambda's naming), `states/<machine>/YYYY-MM-DD/<id>` for
 * state machines, `YYYY-MM-DD` otherwise.
 *
 * Operations: DescribeLogGroups, DescribeLogStreams, GetLogEvents, FilterLogEvents (filter
 * patterns: ./filter-pattern.ts); anything else answers UnknownOperationException. Errors: HTTP 400,
 * `{"__type": "<Name>", "message": …}`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { bufferedBody } from '../aws-shared/body';
import { compileFilterPattern, FilterPatternError } from './filter-pattern';
import { dayOf, LogFile, type LogEvent } from './log-file';

export interface LogSource {
  logGroupName: string;
  /** file name in the log folder, e.g. `orders-create.log` */
  file: string;
  kind: 'lambda' | 'states' | 'local';
}

export interface LogsOptions {
  logDir: string;
  region: string;
  accountId: string;
  /** the groups the template names, read at each request (the deployment may come later) */
  sources?: () => LogSource[];
  log?: (m: string) => void;
}

export class LogsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const TARGET = 'Logs_20140328.';
const MAX_BYTES = 1024 * 1024;

type In = Record<string, unknown>;

interface Group {
  source: LogSource;
  file: LogFile;
}

export interface Logs {
  route: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;
  targetPrefix: string;
}

export function createLogs(opts: LogsOptions): Logs {
  const files = new Map<string, LogFile>();
  const fileOf = (name: string) => {
    let f = files.get(name);
    if (!f) {
      f = new LogFile(path.join(opts.logDir, name));
      files.set(name, f);
    }
    f.refresh();
    return f;
  };
  const groups = (): Map<string, Group> => {
    const out = new Map<string, Group>();
    const claimed = new Set<string>();
    for (const s of opts.sources?.() ?? []) {
      claimed.add(s.file);
      if (existsSync(path.join(opts.logDir, s.file))) out.set(s.logGroupName, { source: s, file: fileOf(s.file) });
    }
    let entries: string[] = [];
    try {
      entries = readdirSync(opts.logDir);
    } catch {
      // no log folder yet
    }
    for (const f of entries) {
      if (!f.endsWith('.log') || claimed.has(f)) continue;
      const name = `/local-cloud/${f.slice(0, -4)}`;
      if (!out.has(name)) out.set(name, { source: { logGroupName: name, file: f, kind: 'local' }, file: fileOf(f) });
    }
    return out;
  };
  const groupArn = (name: string) => `arn:aws:logs:${opts.region}:${opts.accountId}:log-group:${name}`;
  const streamName = (g: Group, day: string) => {
    const id = createHash('sha256').update(`${g.source.logGroupName}/${day}`).digest('hex').slice(0, 32);
    if (g.source.kind === 'lambda') return `${day.replace(/-/g, '/')}/[$LATEST]${id}`;
    if (g.source.kind === 'states') return `states/${path.basename(g.source.file, '.log')}/${day}/${id.slice(0, 8)}`;
    return day;
  };
  const dayOfStream = (g: Group, stream: string): string | undefined => {
    for (const day of g.file.days.keys()) if (streamName(g, day) === stream) return day;
    return undefined;
  };
  const groupNamed = (input: In): Group => {
    const id = (input.logGroupName ?? input.logGroupIdentifier) as string | undefined;
    if (typeof id !== 'string' || !id) throw new LogsError('InvalidParameterException', '1 validation error detected: Value null at \'logGroupName\' failed to satisfy constraint: Member must not be null');
    const name = id.startsWith('arn:') ? id.split(':log-group:')[1]?.replace(/:\*$/, '') ?? id : id;
    const g = groups().get(name);
    if (!g) throw new LogsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return g;
  };
  const limitOf = (input: In, max: number, fallback = max) => {
    const l = input.limit;
    if (l === undefined || l === null) return fallback;
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 1 || l > max) throw new LogsError('InvalidParameterException', `1 validation error detected: Value '${String(l)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${max}`);
    return l;
  };
  const page = (token: unknown): number => {
    if (token === undefined || token === null) return 0;
    const n = Number(Buffer.from(String(token), 'base64').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) throw new LogsError('InvalidParameterException', 'The specified nextToken is invalid.');
    return n;
  };
  const tokenOf = (n: number) => Buffer.from(String(n)).toString('base64');
  const ms = (v: unknown) => (typeof v === 'number' ? v : undefined);

  const operations: Record<string, (input: In) => unknown> = {
    DescribeLogGroups(input) {
      const prefix = input.logGroupNamePrefix as string | undefined;
      const pattern = input.logGroupNamePattern as string | undefined;
      if (prefix && pattern) throw new LogsError('InvalidParameterException', 'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
      const limit = limitOf(input, 50);
      const all = [...groups().values()]
        .filter((g) => (!prefix || g.source.logGroupName.startsWith(prefix)) && (!pattern || g.source.logGroupName.toLowerCase().includes(pattern.toLowerCase())))
        .sort((a, b) => (a.source.logGroupName < b.source.logGroupName ? -1 : 1));
      const from = page(input.nextToken);
      const slice = all.slice(from, from + limit);
      return {
        logGroups: slice.map((g) => ({
          logGroupName: g.source.logGroupName,
          creationTime: Math.floor(g.file.created ?? 0),
          metricFilterCount: 0,
          arn: `${groupArn(g.source.logGroupName)}:*`,
          logGroupArn: groupArn(g.source.logGroupName),
          storedBytes: g.file.storedBytes,
          logGroupClass: 'STANDARD',
        })),
        ...(from + limit < all.length ? { nextToken: tokenOf(from + limit) } : {}),
      };
    },
    DescribeLogStreams(input) {
      const g = groupNamed(input);
      const prefix = input.logStreamNamePrefix as string | undefined;
      const byTime = input.orderBy === 'LastEventTime';
      if (byTime && prefix) throw new LogsError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
      const limit = limitOf(input, 50);
      let all = [...g.file.days].map(([day, d]) => ({ day, d, name: streamName(g, day) })).filter((s) => !prefix || s.name.startsWith(prefix));
      all.sort((a, b) => (byTime ? a.d.last - b.d.last : a.name < b.name ? -1 : 1));
      if (input.descending === true) all = all.reverse();
      const from = page(input.nextToken);
      const slice = all.slice(from, from + limit);
      return {
        logStreams: slice.map((s) => ({
          logStreamName: s.name,
          creationTime: s.d.first,
          firstEventTimestamp: s.d.first,
          lastEventTimestamp: s.d.last,
          lastIngestionTime: s.d.last,
          uploadSequenceToken: '1',
          arn: `${groupArn(g.source.logGroupName)}:log-stream:${s.name}`,
          storedBytes: 0,
        })),
        ...(from + limit < all.length ? { nextToken: tokenOf(from + limit) } : {}),
      };
    },
    GetLogEvents(input) {
      const g = groupNamed(input);
      const stream = input.logStreamName as string | undefined;
      if (!stream) throw new LogsError('InvalidParameterException', "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
      const day = dayOfStream(g, stream);
      if (!day) throw new LogsError('ResourceNotFoundException', 'The specified log stream does not exist.');
      const limit = limitOf(input, 10_000);
      const dayStart = Date.parse(`${day}T00:00:00Z`);
      const from = Math.max(dayStart, ms(input.startTime) ?? -Infinity);
      const to = Math.min(dayStart + 86_400_000, ms(input.endTime) ?? Infinity);
      const token = input.nextToken as string | undefined;
      const m = token ? /^([fb])\/(\d+)$/.exec(token) : null;
      if (token && !m) throw new LogsError('InvalidParameterException', 'The specified nextToken is invalid.');
      let events: LogEvent[];
      if (m?.[1] === 'b') {
        const before = Number(m[2]);
        events = takeLast([...g.file.events(from, to)].filter((e) => e.offset < before), limit);
      } else if (m?.[1] === 'f' || input.startFromHead === true) {
        const after = m ? Number(m[2]) - 1 : -1; // a forward token holds the offset after its last event
        events = takeFirst(g.file.events(from, to, after), limit);
      } else events = takeLast([...g.file.events(from, to)], limit);
      const fwd = events.length ? events[events.length - 1]!.offset + 1 : m?.[1] === 'f' ? Number(m[2]) : 0;
      const back = events.length ? events[0]!.offset : m?.[1] === 'b' ? Number(m[2]) : 0;
      return {
        events: events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.timestamp })),
        nextForwardToken: `f/${String(fwd).padStart(56, '0')}`,
        nextBackwardToken: `b/${String(back).padStart(56, '0')}`,
      };
    },
    FilterLogEvents(input) {
      const g = groupNamed(input);
      let matches;
      try {
        matches = compileFilterPattern(input.filterPattern as string | undefined);
      } catch (err) {
        if (err instanceof FilterPatternError) throw new LogsError('InvalidParameterException', err.message);
        throw err;
      }
      const limit = limitOf(input, 10_000);
      const names = input.logStreamNames as string[] | undefined;
      const prefix = input.logStreamNamePrefix as string | undefined;
      if (names && prefix) throw new LogsError('InvalidParameterException', 'logStreamNames and logStreamNamePrefix are mutually exclusive.');
      const after = input.nextToken !== undefined ? page(input.nextToken) - 1 : -1;
      const out: Array<Record<string, unknown>> = [];
      let bytes = 0;
      let more = false;
      const searched = new Set<string>();
      for (const e of g.file.events(ms(input.startTime), ms(input.endTime), after)) {
        const stream = streamName(g, dayOf(e.timestamp));
        if ((names && !names.includes(stream)) || (prefix && !stream.startsWith(prefix))) continue;
        searched.add(stream);
        if (!matches(e.message)) continue;
        if (out.length >= limit || bytes + e.message.length > MAX_BYTES) {
          more = true;
          break;
        }
        bytes += e.message.length + 26;
        out.push({ logStreamName: stream, timestamp: e.timestamp, message: e.message, ingestionTime: e.timestamp, eventId: String(e.offset).padStart(56, '0') });
      }
      const lastOffset = out.length ? Number(out[out.length - 1]!.eventId) : after;
      return {
        events: out,
        searchedLogStreams: [...searched].map((s) => ({ logStreamName: s, searchedCompletely: !more })),
        ...(more ? { nextToken: tokenOf(lastOffset + 1) } : {}),
      };
    },
  };

  return {
    targetPrefix: TARGET,
    async route(req, res) {
      const target = req.headers['x-amz-target'];
      if (typeof target !== 'string' || !target.startsWith(TARGET)) return false;
      const name = target.slice(TARGET.length);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), ...headers });
        res.end(text);
      };
      try {
        const op = operations[name];
        if (!op) throw new LogsError('UnknownOperationException', `The local CloudWatch Logs does not serve ${name}`);
        const raw = await bufferedBody(req);
        let input: In;
        try {
          input = raw.length ? (JSON.parse(raw.toString('utf8')) as In) : {};
        } catch {
          throw new LogsError('SerializationException', 'The request body is not valid JSON');
        }
        send(200, op(input ?? {}));
      } catch (err) {
        if (err instanceof LogsError) send(400, { __type: err.type, message: err.message }, { 'x-amzn-ErrorType': err.type });
        else {
          opts.log?.(`logs ${name}: ${(err as Error).stack ?? err}`);
          send(500, { __type: 'ServiceUnavailableException', message: 'internal error' }, { 'x-amzn-ErrorType': 'ServiceUnavailableException' });
        }
      }
      return true;
    },
  };
}

function takeFirst(it: Iterable<LogEvent>, n: number): LogEvent[] {
  const out: LogEvent[] = [];
  let bytes = 0;
  for (const e of it) {
    if (out.length >= n || bytes + e.message.length > MAX_BYTES) break;
    bytes += e.message.length + 26;
    out.push(e);
  }
  return out;
}

function takeLast(all: LogEvent[], n: number): LogEvent[] {
  return all.slice(Math.max(0, all.length - n));
}

export { compileFilterPattern } from './filter-pattern';
