import { inLanes } from '../../../../../lambdas/shared/events/consumer';

/** A promise with its resolve, to hold a piece of work until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

const laneOf = (item: string) => item.split(':')[0]!;

describe('inLanes: the events of one key in order, different keys at once', () => {
  it('handles the items of one lane in their order and starts other lanes while one waits', async () => {
    const held = gate();
    const log: string[] = [];
    const run = inLanes(['a:1', 'b:1', 'a:2', 'b:2', 'c:1'], laneOf, async (item) => {
      log.push(`start ${item}`);
      if (item === 'a:1') await held.opened;
      log.push(`end ${item}`);
    }, 3);
    // a:1 is held; lanes b and c run to their end meanwhile, a:2 does not start
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start a:1', 'start b:1', 'end b:1', 'start c:1', 'end c:1', 'start b:2', 'end b:2']);
    held.open();
    await run;
    expect(log.slice(7)).toEqual(['end a:1', 'start a:2', 'end a:2']);
  });

  it('runs at most `lanes` lanes at once', async () => {
    let running = 0;
    let most = 0;
    await inLanes(['a:1', 'b:1', 'c:1', 'd:1', 'e:1', 'a:2'], laneOf, async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
    }, 2);
    expect(most).toBe(2);
  });

  it('stops a failed lane at the failure, lets the other lanes finish, then rethrows', async () => {
    const done: string[] = [];
    await expect(
      inLanes(['a:1', 'b:1', 'a:2', 'b:2', 'a:3'], laneOf, async (item) => {
        if (item === 'a:2') throw new Error('a:2 failed');
        done.push(item);
      }, 4),
    ).rejects.toThrow('a:2 failed');
    expect(done.sort()).toEqual(['a:1', 'b:1', 'b:2']);
  });

  it('with one lane handles the whole batch strictly in order', async () => {
    const done: string[] = [];
    await inLanes(['a:1', 'b:1', 'a:2'], () => 'all', async (item) => void done.push(item), 1);
    expect(done).toEqual(['a:1', 'b:1', 'a:2']);
  });
});
