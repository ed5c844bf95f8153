/**
 * The local Secrets Manager's state: every secret with its versions, kept in memory and written
 * to `<dataDir>/secrets.json` after each change (temp file, fsync, rename: a crash leaves the old
 * or the new file whole). Secrets are few and small, so one document is the simple and compact
 * form; a journal (what SQS keeps) would pay off only at thousands of writes a second.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Tag {
  Key: string;
  Value: string;
}

export interface SecretVersion {
  id: string;
  /** SecretString */
  string?: string;
  /** SecretBinary, base64 */
  binary?: string;
  stages: string[];
  /** epoch ms */
  created: number;
  lastAccessed?: number;
}

export interface Secret {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: Tag[];
  created: number;
  lastChanged: number;
  lastAccessed?: number;
  /** set while scheduled for deletion (DeleteSecret with a recovery window) */
  deletedAt?: number;
  /** when the scheduled deletion takes effect */
  deletionDate?: number;
  versions: SecretVersion[];
  /** for secrets deployed from a template: a fingerprint of GenerateSecretString, so a restart regenerates only when it changed */
  generator?: string;
}

interface Document {
  version: 1;
  secrets: Secret[];
}

export class SecretStore {
  /** by ARN, in creation order */
  private readonly byArn = new Map<string, Secret>();
  private readonly file: string;

  constructor(dataDir: string, log: (m: string) => void = () => undefined) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'secrets.json');
    if (fs.existsSync(this.file)) {
      try {
        const doc = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Document;
        for (const s of doc.secrets) this.byArn.set(s.arn, s);
      } catch (err) {
        // a torn write cannot happen (rename is atomic); a hand-edited file can
        log(`secretsmanager: ${this.file} is unreadable (${(err as Error).message}); starting empty and keeping it as .corrupt`);
        fs.renameSync(this.file, `${this.file}.corrupt`);
      }
    }
  }

  all(): Secret[] {
    return [...this.byArn.values()];
  }

  byName(name: string): Secret | undefined {
    for (const s of this.byArn.values()) if (s.name === name) return s;
    return undefined;
  }

  get(arn: string): Secret | undefined {
    return this.byArn.get(arn);
  }

  put(secret: Secret): void {
    this.byArn.set(secret.arn, secret);
    this.save();
  }

  remove(arn: string): void {
    if (this.byArn.delete(arn)) this.save();
  }

  /** Writes the whole state (call after changing a secret in place). */
  save(): void {
    const doc: Document = { version: 1, secrets: this.all() };
    const tmp = `${this.file}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(doc));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }
}
