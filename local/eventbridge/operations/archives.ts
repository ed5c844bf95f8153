/** CreateArchive, DescribeArchive, ListArchives, UpdateArchive, DeleteArchive. */
import { busNameOf, nameInArn } from '../arns';
import { archiveNotFound, busNotFound, resourceAlreadyExists, validationError } from '../errors';
import type { Archive } from '../model';
import { compilePatternOrThrow, type EventBridgeService } from '../service';
import { ARCHIVE_STATES, C, NAME_PATTERN } from '../validation';
import { check, compact, epoch, paginate, str, type Input } from './common';

const archiveName = (required = true) => ({ key: 'ArchiveName', required, type: 'string' as const, pattern: NAME_PATTERN, minLength: 1, maxLength: 48 });

/** The bus an archive's EventSourceArn names; ResourceNotFoundException when there is none. */
export function sourceBus(svc: EventBridgeService, arn: string): string {
  const name = nameInArn(arn, 'event-bus');
  const resolved = name ? busNameOf(svc.scope, arn) : arn;
  if (!name || resolved !== name || !svc.buses.has(name)) throw busNotFound(name ?? arn);
  return name;
}

export interface ArchiveDefinition {
  name: string;
  eventSourceArn: string;
  description?: string;
  eventPattern?: string;
  retentionDays?: number;
}

export function createArchiveFrom(svc: EventBridgeService, d: ArchiveDefinition): Archive {
  const bus = sourceBus(svc, d.eventSourceArn);
  if (svc.archives.has(d.name)) throw resourceAlreadyExists(`Archive ${d.name} already exists.`);
  const compiled = d.eventPattern !== undefined ? compilePatternOrThrow(d.eventPattern) : undefined;
  const archive: Archive = compact({
    name: d.name,
    arn: svc.newArchiveArn(d.name),
    eventSourceArn: d.eventSourceArn,
    bus,
    description: d.description,
    eventPattern: d.eventPattern,
    retentionDays: d.retentionDays ?? 0,
    state: 'ENABLED' as const,
    createdMs: svc.clock.now(),
    eventCount: 0,
    sizeBytes: 0,
    compiled,
  });
  svc.archives.set(d.name, archive);
  svc.persist();
  return archive;
}

export function createArchive(svc: EventBridgeService, input: Input) {
  check(input, [archiveName(), C.arn('EventSourceArn'), C.description(), C.eventPattern(), { key: 'RetentionDays', type: 'integer', min: 0 }, { key: 'KmsKeyIdentifier', type: 'string', maxLength: 2048 }]);
  const a = createArchiveFrom(svc, {
    name: str(input, 'ArchiveName') as string,
    eventSourceArn: str(input, 'EventSourceArn') as string,
    description: str(input, 'Description'),
    eventPattern: str(input, 'EventPattern'),
    retentionDays: input.RetentionDays as number | undefined,
  });
  return { ArchiveArn: a.arn, State: a.state, CreationTime: epoch(a.createdMs) };
}

function archive(svc: EventBridgeService, name: string): Archive {
  const a = svc.archives.get(name);
  if (!a) throw archiveNotFound(name);
  return a;
}

export function describeArchive(svc: EventBridgeService, input: Input) {
  check(input, [archiveName()]);
  const a = archive(svc, str(input, 'ArchiveName') as string);
  return compact({
    ArchiveArn: a.arn,
    ArchiveName: a.name,
    EventSourceArn: a.eventSourceArn,
    Description: a.description,
    EventPattern: a.eventPattern,
    State: a.state,
    RetentionDays: a.retentionDays,
    SizeBytes: a.sizeBytes,
    EventCount: a.eventCount,
    CreationTime: epoch(a.createdMs),
  });
}

export function listArchives(svc: EventBridgeService, input: Input) {
  check(input, [{ ...archiveName(false), key: 'NamePrefix' }, C.arn('EventSourceArn', false), { key: 'State', type: 'string', enum: ARCHIVE_STATES }, C.nextToken(), C.limit()]);
  const prefix = str(input, 'NamePrefix') ?? '';
  const source = str(input, 'EventSourceArn');
  const bus = source !== undefined ? sourceBus(svc, source) : undefined;
  const state = str(input, 'State');
  const list = [...svc.archives.values()].filter((a) => a.name.startsWith(prefix) && (bus === undefined || a.bus === bus) && (state === undefined || a.state === state));
  const { page, nextToken } = paginate(list, (a) => a.name, input.Limit as number | undefined, str(input, 'NextToken'));
  return compact({
    Archives: page.map((a) =>
      compact({
        ArchiveName: a.name,
        EventSourceArn: a.eventSourceArn,
        State: a.state,
        RetentionDays: a.retentionDays,
        SizeBytes: a.sizeBytes,
        EventCount: a.eventCount,
        CreationTime: epoch(a.createdMs),
      }),
    ),
    NextToken: nextToken,
  });
}

export function updateArchiveFrom(svc: EventBridgeService, name: string, d: { description?: string; eventPattern?: string; retentionDays?: number }): Archive {
  const a = archive(svc, name);
  if (d.eventPattern !== undefined) {
    a.compiled = compilePatternOrThrow(d.eventPattern);
    a.eventPattern = d.eventPattern;
  }
  if (d.description !== undefined) a.description = d.description;
  if (d.retentionDays !== undefined) a.retentionDays = d.retentionDays;
  svc.persist();
  return a;
}

export function updateArchive(svc: EventBridgeService, input: Input) {
  check(input, [archiveName(), C.description(), C.eventPattern(), { key: 'RetentionDays', type: 'integer', min: 0 }, { key: 'KmsKeyIdentifier', type: 'string', maxLength: 2048 }]);
  if (input.EventPattern === undefined && input.RetentionDays === undefined && input.Description === undefined) {
    throw validationError('At least one of EventPattern, RetentionDays or Description must be provided.');
  }
  const a = updateArchiveFrom(svc, str(input, 'ArchiveName') as string, {
    description: str(input, 'Description'),
    eventPattern: str(input, 'EventPattern'),
    retentionDays: input.RetentionDays as number | undefined,
  });
  return { ArchiveArn: a.arn, State: a.state, CreationTime: epoch(a.createdMs) };
}

export async function deleteArchive(svc: EventBridgeService, input: Input) {
  check(input, [archiveName()]);
  const a = archive(svc, str(input, 'ArchiveName') as string);
  svc.archives.delete(a.name);
  await svc.store.deleteArchive(a.name);
  svc.persist();
  return {};
}
