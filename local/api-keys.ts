/**
 * API key values for the local cloud. In AWS, API Gateway generates each key's value and it
 * never appears in the template; locally the values are generated once per data folder and kept
 * in it, so a restart keeps the same keys.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export class ApiKeyStore {
  private readonly values: Record<string, { name: string; value: string }>;

  constructor(private readonly file: string) {
    this.values = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ApiKeyStore['values']) : {};
  }

  /** The value of a key, made on first use: 40 characters like API Gateway's own. */
  value(keyId: string, name: string): string {
    let entry = this.values[keyId];
    if (!entry) {
      entry = { name, value: randomBytes(30).toString('base64url').slice(0, 40) };
      this.values[keyId] = entry;
      writeFileSync(this.file, JSON.stringify(this.values, null, 2), { mode: 0o600 });
    }
    return entry.value;
  }
}
