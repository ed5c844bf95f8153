/** The group membership state machine: generations, leaders, pass-through assignments, expiry. */
import { ErrorCode } from '../../../../local/kafka/errors';
import { Group } from '../../../../local/kafka/group/group';
import type { JoinGroupRequest } from '../../../../local/kafka/protocol/joinGroup/types';
import type { GroupSnapshot } from '../../../../local/kafka/storage/offset-store';

import { until } from '../../../support/poll';

function joinReq(memberId: string, sessionTimeoutMs = 5000, rebalanceTimeoutMs = 5000): JoinGroupRequest {
  return { groupId: 'g', sessionTimeoutMs, rebalanceTimeoutMs, memberId, protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.from(memberId || 'new') }] };
}

function errorOf(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as { code: number }).code;
  }
}

let groups: Group[] = [];
function newGroup(saved: GroupSnapshot[] = []): Group {
  const g = new Group('g', { initialRebalanceDelayMs: 0 }, () => undefined, (s) => saved.push(s));
  groups.push(g);
  return g;
}
afterEach(() => {
  for (const g of groups) g.shutdown();
  groups = [];
});

test('join, rebalance on a second member, leader assignment passed through, and saved when stable', async () => {
  const saved: GroupSnapshot[] = [];
  const g = newGroup(saved);
  const a = await g.join(joinReq(''), 'client-a', '/127.0.0.1');
  expect(a).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range', leader: a.memberId });
  expect(a.members.map((m) => m.memberId)).toEqual([a.memberId]);
  await g.sync(a.memberId, 1, [{ memberId: a.memberId, assignment: Buffer.from('all') }]);
  expect(g.state).toBe('Stable');

  const bJoin = g.join(joinReq(''), 'client-b', '/127.0.0.1');
  expect(g.state).toBe('PreparingRebalance');
  expect(errorOf(() => g.heartbeat(a.memberId, 1))).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  const a2 = await g.join(joinReq(a.memberId), 'client-a', '/127.0.0.1');
  const b = await bJoin;
  expect([a2.generationId, b.generationId]).toEqual([2, 2]);
  expect(a2.leader).toBe(a.memberId); // the previous leader stays leader
  expect(a2.members).toHaveLength(2);
  expect(b.members).toHaveLength(0); // followers get no member list

  const bSync = g.sync(b.memberId, 2, []); // follower parks until the leader syncs
  expect(errorOf(() => g.heartbeat(b.memberId, 1))).toBe(ErrorCode.ILLEGAL_GENERATION);
  const aSync = await g.sync(a.memberId, 2, [
    { memberId: a.memberId, assignment: Buffer.from('p0') },
    { memberId: b.memberId, assignment: Buffer.from('p1') },
  ]);
  expect(aSync.assignment.toString()).toBe('p0');
  expect((await bSync).assignment.toString()).toBe('p1');
  expect(saved.at(-1)).toMatchObject({ generationId: 2, protocol: 'range', leaderId: a.memberId });
  expect(saved.at(-1)!.members.map((m) => Buffer.from(m.assignment, 'base64').toString()).sort()).toEqual(['p0', 'p1']);
  expect(errorOf(() => g.heartbeat('stranger', 2))).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
});

test('a member whose session expires is removed and the rest rebalance without it', async () => {
  const g = newGroup();
  const aJoin = g.join(joinReq('', 5000), 'a', '/h');
  const bJoin = g.join(joinReq('', 150), 'b', '/h');
  const [a, b] = await Promise.all([aJoin, bJoin]);
  const aSync = g.sync(a.memberId, a.generationId, [{ memberId: a.memberId, assignment: Buffer.from('x') }]);
  await g.sync(b.memberId, b.generationId, []);
  await aSync;
  // a keeps heartbeating while b goes silent, until b's 150 ms session is over
  let lastHeartbeat: number | undefined;
  await until('b to expire', () => (lastHeartbeat = errorOf(() => g.heartbeat(a.memberId, a.generationId))) === ErrorCode.REBALANCE_IN_PROGRESS, {
    timeoutMs: 3_000,
    intervalMs: 50,
  });
  expect(lastHeartbeat).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  expect(g.state).toBe('PreparingRebalance');
  expect(g.members.has(b.memberId)).toBe(false);
  const again = await g.join(joinReq(a.memberId), 'a', '/h');
  expect(again.generationId).toBe(a.generationId + 1);
  expect(again.members.map((m) => m.memberId)).toEqual([a.memberId]);
});

test('a member that does not rejoin within the rebalance timeout is dropped from the generation', async () => {
  const g = newGroup();
  const a = await g.join(joinReq('', 5000, 200), 'a', '/h');
  await g.sync(a.memberId, 1, []);
  const b = await g.join(joinReq('', 5000, 200), 'b', '/h'); // a never rejoins
  expect(b.generationId).toBe(2);
  expect(b.leader).toBe(b.memberId);
  expect([...g.members.keys()]).toEqual([b.memberId]);
});

test('leaving empties the group; a snapshot restores members after a restart', async () => {
  const saved: GroupSnapshot[] = [];
  const g = newGroup(saved);
  const a = await g.join(joinReq(''), 'a', '/h');
  await g.sync(a.memberId, 1, [{ memberId: a.memberId, assignment: Buffer.from('mine') }]);
  const restored = newGroup();
  restored.restore(saved.at(-1)!);
  expect(restored.state).toBe('Stable');
  expect(errorOf(() => restored.heartbeat(a.memberId, 1))).toBeUndefined();
  expect((await restored.sync(a.memberId, 1, [])).assignment.toString()).toBe('mine');

  g.leave(a.memberId);
  expect(g.state).toBe('Empty');
  expect(g.generationId).toBe(2);
  expect(saved.at(-1)).toMatchObject({ generationId: 2, members: [] });
  expect(errorOf(() => g.leave(a.memberId))).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  expect(errorOf(() => g.checkCommit('', -1))).toBeUndefined(); // simple commits allowed when empty
});

test('a member with no protocol in common is refused', async () => {
  const g = newGroup();
  await g.join(joinReq(''), 'a', '/h');
  expect(() => g.join({ ...joinReq(''), protocols: [{ name: 'other', metadata: Buffer.alloc(0) }] }, 'b', '/h')).toThrow(
    expect.objectContaining({ code: ErrorCode.INCONSISTENT_GROUP_PROTOCOL }),
  );
});
