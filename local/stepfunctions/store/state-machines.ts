/**
 * State machines, persisted in `<dataDir>/state-machines.json` (replaced atomically on every change),
 * and their definitions, one immutable file per revision in `<dataDir>/definitions/<sha256>.json`, so that
 * an execution keeps the definition it started with when its state machine is updated.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Definition } from '../asl/types';
import { ensureDir, join, writeAtomic } from './files';

export interface LoggingConfiguration {
  level?: 'ALL' | 'ERROR' | 'FATAL' | 'OFF';
  includeExecutionData?: boolean;
  destinations?: Array<{ cloudWatchLogsLogGroup?: { logGroupArn?: string } }>;
}

export interface MachineRecord {
  name: string;
  arn: string;
  type: 'STANDARD' | 'EXPRESS';
  roleArn: string;
  defHash: string;
  /** epoch ms */
  creationDate: number;
  updateDate?: number;
  revisionId?: string;
  description?: string;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: { enabled: boolean };
  tags: Record<string, string>;
}

export class MachineStore {
  private readonly machines = new Map<string, MachineRecord>();
  private readonly defs = new Map<string, { text: string; parsed: Definition }>();
  private readonly file: string;
  private readonly defDir: string;

  constructor(readonly dataDir: string) {
    this.file = join(dataDir, 'state-machines.json');
    this.defDir = join(dataDir, 'definitions');
    ensureDir(this.defDir);
    if (fs.existsSync(this.file)) {
      const data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { machines: MachineRecord[] };
      for (const m of data.machines) this.machines.set(m.arn, m);
    }
  }

  get(arn: string): MachineRecord | undefined {
    return this.machines.get(arn);
  }

  list(): MachineRecord[] {
    return [...this.machines.values()];
  }

  put(m: MachineRecord): void {
    this.machines.set(m.arn, m);
    this.save();
  }

  delete(arn: string): void {
    this.machines.delete(arn);
    this.save();
  }

  private save(): void {
    writeAtomic(this.file, JSON.stringify({ machines: [...this.machines.values()] }, null, 1));
  }

  /** Stores a definition text (once per content) and returns its hash. */
  saveDefinition(text: string, parsed: Definition): string {
    const hash = crypto.createHash('sha256').update(text).digest('hex');
    if (!this.defs.has(hash)) {
      const f = join(this.defDir, `${hash}.json`);
      if (!fs.existsSync(f)) writeAtomic(f, text);
      this.defs.set(hash, { text, parsed });
    }
    return hash;
  }

  definition(hash: string): { text: string; parsed: Definition } {
    let d = this.defs.get(hash);
    if (!d) {
      const text = fs.readFileSync(join(this.defDir, `${hash}.json`), 'utf8');
      d = { text, parsed: JSON.parse(text) as Definition };
      this.defs.set(hash, d);
    }
    return d;
  }
}
