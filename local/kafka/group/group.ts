/**
 * One consumer group's membership state machine, as Kafka's group coordinator runs it:
 *
 *   Empty --join--> PreparingRebalance --all known members rejoined, or rebalance timeout-->
 *   CompletingRebalance --leader's SyncGroup--> Stable --join/leave/session expiry--> PreparingRebalance
 *
 * Each completed join bumps the generation; the first member (or the surviving previous
 * leader) is the leader and receives every member's metadata; the assignment it sends in
 * SyncGroup is passed through to each member untouched. Members whose session expires (no
 * heartbeat, commit or sync for session_timeout_ms) are removed, and members that do not
 * rejoin within the rebalance timeout are dropped from the new generation.
 *
 * When the group becomes Stable or Empty its metadata is handed to `persist` (Kafka writes it
 * to __consumer_offsets at the same points) and restore() brings it back after a restart.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, KafkaProtocolError } from '../errors';
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/joinGroup/types';
import type { SyncGroupResponse } from '../protocol/syncGroup/types';
import type { GroupSnapshot } from '../storage/offset-store';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupTimings {
  /** Wait after the first member joins an empty group, so others can join the same generation. */
  initialRebalanceDelayMs: number;
}

export class Member {
  assignment: Buffer = Buffer.alloc(0);
  joinWaiter: ((res: JoinGroupResponse) => void) | null = null;
  syncWaiter: ((res: SyncGroupResponse) => void) | null = null;
  private sessionTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly id: string,
    public clientId: string,
    public clientHost: string,
    public sessionTimeoutMs: number,
    public rebalanceTimeoutMs: number,
    public protocols: { name: string; metadata: Buffer }[],
  ) {}

  metadataFor(protocol: string): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? Buffer.alloc(0);
  }

  /** (Re)arms the session timer; `onExpire` runs if nothing refreshes it in time. */
  touch(onExpire: () => void): void {
    this.stopSession();
    this.sessionTimer = setTimeout(onExpire, this.sessionTimeoutMs);
    this.sessionTimer.unref();
  }

  stopSession(): void {
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    this.sessionTimer = null;
  }
}

export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocol: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  private rebalanceTimer: NodeJS.Timeout | null = null;
  /** True while the first join of an empty group waits for others (no early completion). */
  private initialDelay = false;

  constructor(
    readonly id: string,
    private readonly timings: GroupTimings,
    private readonly log: (m: string) => void,
    private readonly persist: (snapshot: GroupSnapshot) => void,
  ) {}

  snapshot(): GroupSnapshot {
    const protocol = this.protocol;
    return {
      generationId: this.generationId,
      protocolType: this.protocolType,
      protocol,
      leaderId: this.leaderId,
      members: [...this.members.values()].map((m) => ({
        id: m.id,
        clientId: m.clientId,
        clientHost: m.clientHost,
        sessionTimeoutMs: m.sessionTimeoutMs,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        metadata: protocol ? m.metadataFor(protocol).toString('base64') : '',
        assignment: m.assignment.toString('base64'),
      })),
    };
  }

  /** Reloads a persisted group: Stable with its members (whose sessions start afresh), or Empty. */
  restore(s: GroupSnapshot): void {
    this.generationId = s.generationId;
    this.protocolType = s.protocolType;
    this.protocol = s.protocol;
    this.leaderId = s.leaderId;
    for (const sm of s.members) {
      const protocols = s.protocol ? [{ name: s.protocol, metadata: Buffer.from(sm.metadata, 'base64') }] : [];
      const m = new Member(sm.id, sm.clientId, sm.clientHost, sm.sessionTimeoutMs, sm.rebalanceTimeoutMs, protocols);
      m.assignment = Buffer.from(sm.assignment, 'base64');
      this.members.set(m.id, m);
      m.touch(() => this.expire(m));
    }
    this.state = this.members.size > 0 && s.protocol ? 'Stable' : 'Empty';
    if (this.state === 'Empty') this.members.clear();
  }

  // ---- JoinGroup ---------------------------------------------------------------------------

  join(req: JoinGroupRequest, clientId: string, clientHost: string): Promise<JoinGroupResponse> {
    if (this.state === 'Dead') throw new KafkaProtocolError(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'group is being deleted');
    if (req.protocols.length === 0 || req.protocolType === '') {
      throw new KafkaProtocolError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, 'no protocols');
    }
    if (this.members.size > 0 && (req.protocolType !== this.protocolType || this.commonProtocols(req.protocols).length === 0)) {
      throw new KafkaProtocolError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, `member protocols do not match group ${this.id}`);
    }
    let member: Member;
    if (req.memberId === '') {
      member = new Member(`${clientId || 'member'}-${randomUUID()}`, clientId, clientHost, req.sessionTimeoutMs, req.rebalanceTimeoutMs, req.protocols);
      this.members.set(member.id, member);
      if (!this.leaderId) this.leaderId = member.id;
      this.log(`group ${this.id}: ${member.id} joins`);
    } else {
      const existing = this.members.get(req.memberId);
      if (!existing) throw new KafkaProtocolError(ErrorCode.UNKNOWN_MEMBER_ID, `unknown member ${req.memberId}`);
      member = existing;
      member.protocols = req.protocols;
      member.sessionTimeoutMs = req.sessionTimeoutMs;
      member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
      member.clientId = clientId;
      member.clientHost = clientHost;
    }
    this.protocolType = req.protocolType;
    if (member.joinWaiter) {
      // A second join from the same member replaces the first; the first is told to rejoin.
      member.joinWaiter(this.errorJoin(member.id, ErrorCode.REBALANCE_IN_PROGRESS));
    }
    const answer = new Promise<JoinGroupResponse>((resolve) => {
      member.joinWaiter = resolve;
    });
    member.stopSession(); // a member waiting in JoinGroup is alive by definition
    if (this.state !== 'PreparingRebalance') this.prepareRebalance(this.state === 'Empty' ? this.timings.initialRebalanceDelayMs : undefined);
    else this.maybeCompleteJoin();
    return answer;
  }

  private errorJoin(memberId: string, errorCode: number): JoinGroupResponse {
    return { errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
  }

  private commonProtocols(extra?: { name: string }[]): string[] {
    let common: string[] | null = extra ? extra.map((p) => p.name) : null;
    for (const m of this.members.values()) {
      const names = new Set(m.protocols.map((p) => p.name));
      common = common === null ? [...names] : common.filter((n) => names.has(n));
    }
    return common ?? [];
  }

  /** Kafka's vote: each member picks its most preferred protocol among the common ones. */
  private selectProtocol(): string {
    const candidates = this.commonProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.protocols.find((p) => candidates.includes(p.name))!.name;
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = candidates[0];
    for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
    return best;
  }

  private prepareRebalance(delayMs?: number): void {
    if (this.state === 'CompletingRebalance') {
      // Members still waiting for their assignment must rejoin.
      for (const m of this.members.values()) {
        if (m.syncWaiter) {
          m.syncWaiter({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
          m.syncWaiter = null;
        }
      }
    }
    this.state = 'PreparingRebalance';
    this.log(`group ${this.id}: preparing rebalance (generation ${this.generationId})`);
    let timeout = delayMs;
    if (timeout === undefined) {
      timeout = 0;
      for (const m of this.members.values()) timeout = Math.max(timeout, m.rebalanceTimeoutMs);
    }
    this.clearRebalanceTimer();
    this.initialDelay = delayMs !== undefined;
    this.rebalanceTimer = setTimeout(() => this.onRebalanceTimeout(), timeout);
    this.rebalanceTimer.unref();
    if (delayMs === undefined) this.maybeCompleteJoin();
  }

  private clearRebalanceTimer(): void {
    if (this.rebalanceTimer) clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = null;
    this.initialDelay = false;
  }

  private onRebalanceTimeout(): void {
    this.rebalanceTimer = null;
    this.initialDelay = false;
    if (this.state !== 'PreparingRebalance') return;
    for (const m of [...this.members.values()]) {
      if (!m.joinWaiter) {
        this.log(`group ${this.id}: ${m.id} did not rejoin in time; removed`);
        this.removeMember(m);
      }
    }
    this.completeJoin();
  }

  private maybeCompleteJoin(): void {
    if (this.state !== 'PreparingRebalance' || this.initialDelay) return;
    for (const m of this.members.values()) if (!m.joinWaiter) return;
    this.completeJoin();
  }

  private completeJoin(): void {
    this.clearRebalanceTimer();
    this.generationId++;
    if (this.members.size === 0) {
      this.state = 'Empty';
      this.protocol = null;
      this.leaderId = null;
      this.log(`group ${this.id}: empty at generation ${this.generationId}`);
      this.persist(this.snapshot());
      return;
    }
    if (!this.leaderId || !this.members.has(this.leaderId)) this.leaderId = this.members.keys().next().value!;
    const protocol = this.selectProtocol();
    this.protocol = protocol;
    this.state = 'CompletingRebalance';
    this.log(`group ${this.id}: generation ${this.generationId} with ${this.members.size} member(s), leader ${this.leaderId}`);
    const all = [...this.members.values()].map((m) => ({ memberId: m.id, metadata: m.metadataFor(protocol) }));
    for (const m of this.members.values()) {
      const waiter = m.joinWaiter!;
      m.joinWaiter = null;
      m.assignment = Buffer.alloc(0);
      m.touch(() => this.expire(m));
      waiter({
        errorCode: ErrorCode.NONE,
        generationId: this.generationId,
        protocolName: protocol,
        leader: this.leaderId,
        memberId: m.id,
        members: m.id === this.leaderId ? all : [],
      });
    }
  }

  // ---- SyncGroup / Heartbeat / LeaveGroup ----------------------------------------------------

  private validMember(memberId: string, generationId: number): Member {
    const m = this.members.get(memberId);
    if (!m || this.state === 'Empty' || this.state === 'Dead') throw new KafkaProtocolError(ErrorCode.UNKNOWN_MEMBER_ID, `unknown member ${memberId}`);
    if (generationId !== this.generationId) {
      throw new KafkaProtocolError(ErrorCode.ILLEGAL_GENERATION, `generation ${generationId} is not the current ${this.generationId}`);
    }
    return m;
  }

  sync(memberId: string, generationId: number, assignments: { memberId: string; assignment: Buffer }[]): Promise<SyncGroupResponse> {
    const m = this.validMember(memberId, generationId);
    if (this.state === 'PreparingRebalance') throw new KafkaProtocolError(ErrorCode.REBALANCE_IN_PROGRESS, 'rebalance in progress');
    m.touch(() => this.expire(m));
    if (this.state === 'Stable') return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: m.assignment });
    // CompletingRebalance
    const answer = new Promise<SyncGroupResponse>((resolve) => {
      m.syncWaiter = resolve;
    });
    if (memberId === this.leaderId) {
      const given = new Map(assignments.map((a) => [a.memberId, a.assignment]));
      for (const member of this.members.values()) member.assignment = given.get(member.id) ?? Buffer.alloc(0);
      this.state = 'Stable';
      this.log(`group ${this.id}: stable at generation ${this.generationId}`);
      this.persist(this.snapshot());
      for (const member of this.members.values()) {
        if (member.syncWaiter) {
          member.syncWaiter({ errorCode: ErrorCode.NONE, assignment: member.assignment });
          member.syncWaiter = null;
        }
      }
    }
    return answer;
  }

  heartbeat(memberId: string, generationId: number): void {
    const m = this.validMember(memberId, generationId);
    m.touch(() => this.expire(m));
    if (this.state === 'PreparingRebalance') throw new KafkaProtocolError(ErrorCode.REBALANCE_IN_PROGRESS, 'rebalance in progress');
  }

  /** OffsetCommit's membership check (Kafka's rules); a "simple" commit (no member) needs an empty group. */
  checkCommit(memberId: string, generationId: number): void {
    if (generationId < 0 && memberId === '' && this.state === 'Empty') return;
    const m = this.validMember(memberId, generationId);
    if (this.state === 'CompletingRebalance') throw new KafkaProtocolError(ErrorCode.REBALANCE_IN_PROGRESS, 'rebalance in progress');
    m.touch(() => this.expire(m));
  }

  leave(memberId: string): void {
    const m = this.members.get(memberId);
    if (!m) throw new KafkaProtocolError(ErrorCode.UNKNOWN_MEMBER_ID, `unknown member ${memberId}`);
    this.log(`group ${this.id}: ${memberId} leaves`);
    this.removeAndRebalance(m);
  }

  private expire(m: Member): void {
    if (this.members.get(m.id) !== m) return;
    this.log(`group ${this.id}: ${m.id} session expired`);
    this.removeAndRebalance(m);
  }

  private removeMember(m: Member): void {
    m.stopSession();
    if (m.joinWaiter) m.joinWaiter(this.errorJoin(m.id, ErrorCode.UNKNOWN_MEMBER_ID));
    if (m.syncWaiter) m.syncWaiter({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    m.joinWaiter = m.syncWaiter = null;
    this.members.delete(m.id);
    if (this.leaderId === m.id) this.leaderId = this.members.keys().next().value ?? null;
  }

  private removeAndRebalance(m: Member): void {
    this.removeMember(m);
    if (this.state === 'Stable' || this.state === 'CompletingRebalance') this.prepareRebalance();
    else if (this.state === 'PreparingRebalance') {
      if (this.members.size === 0) this.completeJoin();
      else this.maybeCompleteJoin();
    }
  }

  /** Stops timers and fails parked requests (broker shutdown or group deletion). */
  shutdown(): void {
    this.clearRebalanceTimer();
    for (const m of this.members.values()) {
      m.stopSession();
      m.joinWaiter = m.syncWaiter = null;
    }
    this.state = 'Dead';
  }
}
