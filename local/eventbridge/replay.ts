/**
 * Replaying archived events: the events an archive received between EventStartTime and
 * EventEndTime (and before the replay started) are sent again, in order, on the archive's bus,
 * to the rules in Destination.FilterArns (all the bus's rules when there are none). A replayed
 * event is the archived one with "replay-name" added after "region", as AWS shows it; it is not
 * archived again.
 */
import type { EventBridgeService } from './service';
import type { Replay } from './model';

function withReplayName(event: Record<string, unknown>, name: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(event)) {
    out[k] = v;
    if (k === 'region') out['replay-name'] = name;
  }
  if (!('replay-name' in out)) out['replay-name'] = name;
  return out;
}

export function runReplay(svc: EventBridgeService, replay: Replay): Promise<void> {
  const run = (async () => {
    if (svc.isClosed()) return; // still STARTING: the next start marks it FAILED
    if (replay.state === 'CANCELLING') {
      finish(svc, replay, 'CANCELLED');
      return;
    }
    replay.state = 'RUNNING';
    svc.persist();
    const cancelled = () => (replay.state as Replay['state']) === 'CANCELLING';
    const archive = svc.archives.get(replay.archive);
    const bus = archive ? svc.buses.get(archive.bus) : undefined;
    if (!archive || !bus) {
      finish(svc, replay, 'FAILED', 'The archive or its event bus no longer exists.');
      return;
    }
    const onlyRules = replay.destination.FilterArns?.length ? new Set(replay.destination.FilterArns) : undefined;
    const end = Math.min(replay.eventEndMs, replay.replayStartMs);
    let n = 0;
    await svc.store.readArchive(archive.name, async (t, json) => {
      if (cancelled() || svc.isClosed()) return false;
      if (t < replay.eventStartMs || t >= end) return true;
      const event = withReplayName(JSON.parse(json) as Record<string, unknown>, replay.name);
      await svc.route(bus, { event, json: JSON.stringify(event), ingestMs: t }, { replayName: replay.name, onlyRules });
      replay.lastReplayedMs = t;
      if (++n % 100 === 0) await new Promise((r) => setImmediate(r));
      return true;
    });
    if (svc.isClosed() && !cancelled()) {
      finish(svc, replay, 'FAILED', 'The local cloud stopped while the replay was running.');
      return;
    }
    finish(svc, replay, cancelled() ? 'CANCELLED' : 'COMPLETED');
  })().catch((err: Error) => {
    svc.log(`eventbridge: replay ${replay.name} failed: ${err.message}`);
    finish(svc, replay, 'FAILED', err.message);
  });
  svc.replayRuns.set(replay.name, run);
  void run.finally(() => svc.replayRuns.delete(replay.name));
  return run;
}

function finish(svc: EventBridgeService, replay: Replay, state: Replay['state'], reason?: string): void {
  replay.state = state;
  if (reason) replay.stateReason = reason;
  replay.replayEndMs = svc.clock.now();
  if (!svc.isClosed()) svc.persist();
}
