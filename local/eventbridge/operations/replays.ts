/** StartReplay, DescribeReplay, ListReplays, CancelReplay. */
import { busNameOf, nameInArn, replayArn } from '../arns';
import { busNotFound, illegalStatus, limitExceeded, replayNotFound, resourceAlreadyExists, validationError } from '../errors';
import type { Replay } from '../model';
import { runReplay } from '../replay';
import type { EventBridgeService } from '../service';
import { C, NAME_PATTERN, REPLAY_STATES } from '../validation';
import { check, compact, epoch, paginate, str, timestampMs, type Input } from './common';

/** EventBridge runs at most 10 replays at a time per account and region. */
const MAX_ACTIVE_REPLAYS = 10;
const replayName = (key = 'ReplayName', required = true) => ({ key, required, type: 'string' as const, pattern: NAME_PATTERN, minLength: 1, maxLength: 64 });

export function startReplay(svc: EventBridgeService, input: Input) {
  check(input, [
    replayName(),
    C.description(),
    C.arn('EventSourceArn'),
    { key: 'EventStartTime', required: true, type: 'timestamp' },
    { key: 'EventEndTime', required: true, type: 'timestamp' },
    { key: 'Destination', required: true, type: 'structure' },
  ]);
  const name = str(input, 'ReplayName') as string;
  const destination = input.Destination as { Arn?: unknown; FilterArns?: unknown };
  if (typeof destination.Arn !== 'string') throw validationError("1 validation error detected: Value null at 'destination.arn' failed to satisfy constraint: Member must not be null");
  if (destination.FilterArns !== undefined && (!Array.isArray(destination.FilterArns) || destination.FilterArns.some((a) => typeof a !== 'string'))) {
    throw validationError('Parameter Destination.FilterArns is not valid.');
  }
  if (svc.replays.has(name)) throw resourceAlreadyExists(`Replay ${name} already exists.`);
  const archiveArnValue = str(input, 'EventSourceArn') as string;
  const archiveName = nameInArn(archiveArnValue, 'archive');
  const archive = archiveName ? svc.archives.get(archiveName) : undefined;
  if (!archive || archive.arn !== archiveArnValue) {
    throw validationError(`Parameter EventSourceArn is not valid. Reason: Archive ${archiveName ?? archiveArnValue} does not exist.`);
  }
  const start = timestampMs(input.EventStartTime) as number;
  const end = timestampMs(input.EventEndTime) as number;
  if (!(start < end)) throw validationError('Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
  const destBus = busNameOf(svc.scope, destination.Arn);
  if (!nameInArn(destination.Arn, 'event-bus') || !svc.buses.has(destBus)) throw busNotFound(nameInArn(destination.Arn, 'event-bus') ?? destination.Arn);
  if (destBus !== archive.bus) throw validationError('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
  const active = [...svc.replays.values()].filter((r) => r.state === 'STARTING' || r.state === 'RUNNING' || r.state === 'CANCELLING').length;
  if (active >= MAX_ACTIVE_REPLAYS) throw limitExceeded();
  const replay: Replay = compact({
    name,
    arn: replayArn(svc.scope, name),
    description: str(input, 'Description'),
    archiveArn: archive.arn,
    archive: archive.name,
    destination: compact({ Arn: destination.Arn, FilterArns: destination.FilterArns as string[] | undefined }),
    eventStartMs: start,
    eventEndMs: end,
    state: 'STARTING' as const,
    replayStartMs: svc.clock.now(),
  });
  svc.replays.set(name, replay);
  svc.persist();
  // the replay starts on the emulator's clock (at once on the wall clock; when a manual clock moves)
  svc.clock.setTimeout(() => void runReplay(svc, replay), 0);
  return { ReplayArn: replay.arn, State: 'STARTING', ReplayStartTime: epoch(replay.replayStartMs) };
}

function replay(svc: EventBridgeService, name: string): Replay {
  const r = svc.replays.get(name);
  if (!r) throw replayNotFound(name);
  return r;
}

function summary(r: Replay) {
  return compact({
    ReplayName: r.name,
    EventSourceArn: r.archiveArn,
    State: r.state,
    StateReason: r.stateReason,
    EventStartTime: epoch(r.eventStartMs),
    EventEndTime: epoch(r.eventEndMs),
    EventLastReplayedTime: r.lastReplayedMs !== undefined ? epoch(r.lastReplayedMs) : undefined,
    ReplayStartTime: epoch(r.replayStartMs),
    ReplayEndTime: r.replayEndMs !== undefined ? epoch(r.replayEndMs) : undefined,
  });
}

export function describeReplay(svc: EventBridgeService, input: Input) {
  check(input, [replayName()]);
  const r = replay(svc, str(input, 'ReplayName') as string);
  return compact({ ...summary(r), ReplayArn: r.arn, Description: r.description, Destination: r.destination });
}

export function listReplays(svc: EventBridgeService, input: Input) {
  check(input, [replayName('NamePrefix', false), { key: 'State', type: 'string', enum: REPLAY_STATES }, C.arn('EventSourceArn', false), C.nextToken(), C.limit()]);
  const prefix = str(input, 'NamePrefix') ?? '';
  const state = str(input, 'State');
  const source = str(input, 'EventSourceArn');
  const list = [...svc.replays.values()].filter((r) => r.name.startsWith(prefix) && (state === undefined || r.state === state) && (source === undefined || r.archiveArn === source));
  const { page, nextToken } = paginate(list, (r) => r.name, input.Limit as number | undefined, str(input, 'NextToken'));
  return compact({ Replays: page.map(summary), NextToken: nextToken });
}

export function cancelReplay(svc: EventBridgeService, input: Input) {
  check(input, [replayName()]);
  const r = replay(svc, str(input, 'ReplayName') as string);
  if (r.state !== 'STARTING' && r.state !== 'RUNNING') throw illegalStatus(`Replay ${r.name} is not in a valid state for this operation.`);
  r.state = 'CANCELLING';
  svc.persist();
  return { ReplayArn: r.arn, State: 'CANCELLING' };
}
