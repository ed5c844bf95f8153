/**
 * The local SES's state: identities, templates, configuration sets and the messages sent, kept
 * in an append-only journal (aws-shared/journal.ts) that is compacted at start-up.
 *
 * Journal records:
 *   {t:'id', v: Identity} / {t:'idd', n}       identity put / deleted
 *   {t:'tpl', v: EmailTemplate} / {t:'tpld', n} template put / deleted
 *   {t:'cs', v: ConfigurationSet} / {t:'csd', n} configuration set put / deleted
 *   {t:'sent', v: SentEmail}                   a message sent (what /_aws/ses shows)
 *   {t:'clear', id?}                           DELETE /_aws/ses (one message or all)
 */
import path from 'node:path';
import { Journal } from '../aws-shared/journal';

export interface Tag {
  Key: string;
  Value: string;
}

export interface Identity {
  name: string;
  type: 'EMAIL_ADDRESS' | 'DOMAIN';
  tags: Tag[];
  configurationSetName?: string;
  createdAt: number;
}

export interface EmailTemplate {
  name: string;
  subject?: string;
  text?: string;
  html?: string;
  tags: Tag[];
  createdAt: number;
}

export interface ConfigurationSet {
  name: string;
  tags: Tag[];
  createdAt: number;
}

/** A sent message in LocalStack's `/_aws/ses` shape (plus the fields named after it). */
export interface SentEmail {
  Id: string;
  Region: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  Source: string;
  Subject?: string;
  Body?: { text_part: string | null; html_part: string | null };
  RawData?: string;
  Template?: string;
  TemplateData?: string;
  Timestamp: string;
  ReplyToAddresses?: string[];
  ConfigurationSetName?: string;
  EmailTags?: Array<{ Name: string; Value: string }>;
}

export class SesStore {
  readonly identities = new Map<string, Identity>();
  readonly templates = new Map<string, EmailTemplate>();
  readonly configurationSets = new Map<string, ConfigurationSet>();
  /** sent messages in order; the oldest are dropped past `maxSent` */
  sent = new Map<string, SentEmail>();
  private readonly journal: Journal;

  constructor(
    dataDir: string,
    private readonly maxSent: number,
    log: (m: string) => void,
  ) {
    this.journal = new Journal(path.join(dataDir, 'ses.journal'));
    const stats = this.journal.replay((r) => this.apply(r));
    if (stats.tornTail || stats.skipped) log(`ses: journal recovered (${stats.skipped} bad lines skipped${stats.tornTail ? ', torn tail dropped' : ''})`);
    this.compact();
  }

  /** Identity names are case-insensitive on SES. */
  static key(name: string): string {
    return name.toLowerCase();
  }

  putIdentity(i: Identity): void {
    this.identities.set(SesStore.key(i.name), i);
    this.write({ t: 'id', v: i });
  }

  deleteIdentity(name: string): void {
    this.identities.delete(SesStore.key(name));
    this.write({ t: 'idd', n: name });
  }

  putTemplate(t: EmailTemplate): void {
    this.templates.set(t.name, t);
    this.write({ t: 'tpl', v: t });
  }

  deleteTemplate(name: string): void {
    this.templates.delete(name);
    this.write({ t: 'tpld', n: name });
  }

  putConfigurationSet(c: ConfigurationSet): void {
    this.configurationSets.set(c.name, c);
    this.write({ t: 'cs', v: c });
  }

  deleteConfigurationSet(name: string): void {
    this.configurationSets.delete(name);
    this.write({ t: 'csd', n: name });
  }

  addSent(m: SentEmail): void {
    this.rememberSent(m);
    this.journal.append({ t: 'sent', v: m });
  }

  clearSent(id?: string): void {
    if (id === undefined) this.sent.clear();
    else this.sent.delete(id);
    this.write({ t: 'clear', id });
  }

  flush(): void {
    this.journal.flush();
    if (this.journal.shouldCompact()) this.compact();
  }

  close(): void {
    this.journal.close();
  }

  private write(rec: object): void {
    this.journal.append(rec);
    this.journal.flush();
  }

  private rememberSent(m: SentEmail): void {
    this.sent.set(m.Id, m);
    if (this.sent.size > this.maxSent) this.sent.delete(this.sent.keys().next().value as string);
  }

  private apply(r: Record<string, unknown>): void {
    switch (r.t) {
      case 'id':
        this.identities.set(SesStore.key((r.v as Identity).name), r.v as Identity);
        break;
      case 'idd':
        this.identities.delete(SesStore.key(r.n as string));
        break;
      case 'tpl':
        this.templates.set((r.v as EmailTemplate).name, r.v as EmailTemplate);
        break;
      case 'tpld':
        this.templates.delete(r.n as string);
        break;
      case 'cs':
        this.configurationSets.set((r.v as ConfigurationSet).name, r.v as ConfigurationSet);
        break;
      case 'csd':
        this.configurationSets.delete(r.n as string);
        break;
      case 'sent':
        this.rememberSent(r.v as SentEmail);
        break;
      case 'clear':
        if (r.id === undefined || r.id === null) this.sent.clear();
        else this.sent.delete(r.id as string);
        break;
    }
  }

  private compact(): void {
    this.journal.compact(this.snapshot());
  }

  private *snapshot(): Generator<object> {
    for (const v of this.identities.values()) yield { t: 'id', v };
    for (const v of this.templates.values()) yield { t: 'tpl', v };
    for (const v of this.configurationSets.values()) yield { t: 'cs', v };
    for (const v of this.sent.values()) yield { t: 'sent', v };
  }
}
