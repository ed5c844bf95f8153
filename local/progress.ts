/**
 * What the local cloud tells people while it starts: a few steps, each with the time it began
 * and how long it took, then the summary. Everything the services themselves say (Redis,
 * DynamoDB Local, the broker's group joins, cold starts) goes to `<data>/logs/<service>.log`,
 * and to the console too with `--verbose`.
 */
import { appendFileSync, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

export interface ProgressOptions {
  /** prints one line for people (default: nothing) */
  print?: (line: string) => void;
  /** echo the services' own log lines too */
  verbose?: boolean;
  /** folder of the services' log files; none = they are dropped (unless verbose) */
  logDir?: string;
}

export interface Step {
  /** ends the step; `detail` says what it found or made */
  done(detail?: string): void;
}

const uncork = (out: WriteStream) => out.uncork();

export class Progress {
  private readonly started = Date.now();
  private readonly print: (line: string) => void;

  constructor(private readonly opts: ProgressOptions = {}) {
    this.print = opts.print ?? (() => undefined);
    if (opts.logDir) mkdirSync(opts.logDir, { recursive: true });
  }

  private stamp(at = Date.now()): string {
    return `[${((at - this.started) / 1000).toFixed(1).padStart(4)}s]`;
  }

  /** Starts a step; its line is printed when it is done, with its duration. */
  step(title: string): Step {
    const begun = Date.now();
    return {
      done: (detail?: string) => {
        const took = (Date.now() - begun) / 1000;
        this.print(`${this.stamp(begun)} ${title}${detail ? `: ${detail}` : ''}${took >= 0.1 ? ` (${took.toFixed(1)} s)` : ''}`);
      },
    };
  }

  /** A line for people, outside any step. */
  note(line: string): void {
    this.print(`${this.stamp()} ${line}`);
  }

  private readonly functionLogs = new Map<string, WriteStream>();

  /**
   * Where each function's own output goes: logs/<function>.log (never the console), through one
   * open stream per function so that logging stays off the invocation's path.
   */
  functionLog(logDir: string): (fn: string, line: string) => void {
    return (fn, line) => {
      let out = this.functionLogs.get(fn);
      if (!out) {
        out = createWriteStream(path.join(logDir, `${fn}.log`), { flags: 'a' });
        out.on('error', () => undefined); // a log that cannot be written never fails an invocation
        this.functionLogs.set(fn, out);
      }
      // the lines of one turn of the event loop go out as one write: under load the functions
      // log thousands of lines a second, and a write per line cost the cloud's thread more
      // than any emulator did (11 s of its 250 s in a saga benchmark's profile)
      if (!out.writableCorked) {
        out.cork();
        process.nextTick(uncork, out);
      }
      out.write(line.endsWith('\n') ? line : `${line}\n`);
    };
  }

  /** Flushes and closes the function logs. */
  async close(): Promise<void> {
    await Promise.all([...this.functionLogs.values()].map((s) => new Promise<void>((resolve) => s.end(resolve))));
    this.functionLogs.clear();
  }

  /** The log function of one service: its lines go to logs/<service>.log (and the console with --verbose). */
  serviceLog(service: string): (line: string) => void {
    const file = this.opts.logDir ? path.join(this.opts.logDir, `${service}.log`) : undefined;
    return (line: string) => {
      if (file) appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
      if (this.opts.verbose) this.print(`${this.stamp()} [${service}] ${line}`);
    };
  }
}
