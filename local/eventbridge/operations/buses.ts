/** CreateEventBus, DescribeEventBus, ListEventBuses, UpdateEventBus, DeleteEventBus. */
import { busArn, busNameOf } from '../arns';
import { busNotFound, resourceAlreadyExists, validationError } from '../errors';
import type { Bus } from '../model';
import type { EventBridgeService } from '../service';
import { BUS_NAME_PATTERN, C } from '../validation';
import { check, compact, epoch, paginate, str, type Input } from './common';

const deadLetter = { key: 'DeadLetterConfig', type: 'structure' as const };

function describe(b: Bus) {
  return compact({
    Name: b.name,
    Arn: b.arn,
    Description: b.description,
    KmsKeyIdentifier: b.kmsKeyIdentifier,
    DeadLetterConfig: b.deadLetterConfig,
    CreationTime: epoch(b.createdMs),
    LastModifiedTime: epoch(b.modifiedMs),
  });
}

export function createEventBus(svc: EventBridgeService, input: Input) {
  check(input, [
    { key: 'Name', required: true, type: 'string', pattern: BUS_NAME_PATTERN, minLength: 1, maxLength: 256 },
    C.description(),
    { key: 'KmsKeyIdentifier', type: 'string', minLength: 0, maxLength: 2048 },
    deadLetter,
    { key: 'Tags', type: 'list' },
  ]);
  const name = str(input, 'Name') as string;
  if (input.EventSourceName !== undefined) throw validationError('Partner event buses are not emulated by the local cloud.');
  if (name.includes('/')) throw validationError("Event bus name must not contain '/'.");
  if (svc.buses.has(name)) throw resourceAlreadyExists(`Event bus ${name} already exists.`);
  const now = svc.clock.now();
  const bus: Bus = compact({
    name,
    arn: busArn(svc.scope, name),
    description: str(input, 'Description'),
    kmsKeyIdentifier: str(input, 'KmsKeyIdentifier'),
    deadLetterConfig: input.DeadLetterConfig as Bus['deadLetterConfig'],
    createdMs: now,
    modifiedMs: now,
  });
  svc.buses.set(name, bus);
  if (Array.isArray(input.Tags) && input.Tags.length) svc.tags.set(bus.arn, input.Tags as Array<{ Key: string; Value: string }>);
  svc.persist();
  return compact({ EventBusArn: bus.arn, Description: bus.description, KmsKeyIdentifier: bus.kmsKeyIdentifier, DeadLetterConfig: bus.deadLetterConfig });
}

export function describeEventBus(svc: EventBridgeService, input: Input) {
  check(input, [C.busNameOrArn('Name')]);
  return describe(svc.bus(str(input, 'Name')));
}

export function listEventBuses(svc: EventBridgeService, input: Input) {
  check(input, [{ key: 'NamePrefix', type: 'string', pattern: BUS_NAME_PATTERN, minLength: 1, maxLength: 256 }, C.limit(), C.nextToken()]);
  const prefix = str(input, 'NamePrefix') ?? '';
  const buses = [...svc.buses.values()].filter((b) => b.name.startsWith(prefix));
  const { page, nextToken } = paginate(buses, (b) => b.name, input.Limit as number | undefined, str(input, 'NextToken'));
  return compact({
    EventBuses: page.map((b) => compact({ Name: b.name, Arn: b.arn, Description: b.description, CreationTime: epoch(b.createdMs), LastModifiedTime: epoch(b.modifiedMs) })),
    NextToken: nextToken,
  });
}

export function updateEventBus(svc: EventBridgeService, input: Input) {
  check(input, [C.busNameOrArn('Name'), C.description(), { key: 'KmsKeyIdentifier', type: 'string', maxLength: 2048 }, deadLetter]);
  const bus = svc.bus(str(input, 'Name'));
  if (input.Description !== undefined) bus.description = str(input, 'Description');
  if (input.KmsKeyIdentifier !== undefined) bus.kmsKeyIdentifier = str(input, 'KmsKeyIdentifier');
  if (input.DeadLetterConfig !== undefined) bus.deadLetterConfig = input.DeadLetterConfig as Bus['deadLetterConfig'];
  bus.modifiedMs = svc.clock.now();
  svc.persist();
  return compact({ Arn: bus.arn, Name: bus.name, Description: bus.description, KmsKeyIdentifier: bus.kmsKeyIdentifier, DeadLetterConfig: bus.deadLetterConfig });
}

export function deleteEventBus(svc: EventBridgeService, input: Input) {
  check(input, [{ key: 'Name', required: true, type: 'string', pattern: BUS_NAME_PATTERN, minLength: 1, maxLength: 256 }]);
  const name = busNameOf(svc.scope, str(input, 'Name'));
  if (name === 'default') throw validationError('Cannot delete event bus default.');
  const bus = svc.buses.get(name);
  if (!bus) throw busNotFound(name);
  // the bus's rules (and their targets) go with it
  for (const r of svc.rules.get(name)?.values() ?? []) {
    svc.scheduler.sync(r, true);
    svc.tags.delete(r.arn);
  }
  svc.rules.delete(name);
  svc.rulesChanged(name);
  svc.buses.delete(name);
  svc.tags.delete(bus.arn);
  svc.persist();
  return {};
}
