/**
 * The group coordinator: every consumer group lives here (this single node coordinates them
 * all). It owns the in-memory membership state (group.ts, lost on restart, as clients expect:
 * they rejoin) and the committed offsets (storage/offset-store.ts, persisted).
 */
import { ErrorCode, KafkaProtocolError } from '../errors';
import type { DescribedGroup } from '../protocol/describeGroups/types';
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/joinGroup/types';
import type { SyncGroupRequest, SyncGroupResponse } from '../protocol/syncGroup/types';
import type { OffsetStore } from '../storage/offset-store';
import { Group, type GroupTimings } from './group';

export interface CoordinatorOptions extends GroupTimings {
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  /** false: groups come back Empty after a restart (their committed offsets stay) */
  restoreMembers: boolean;
  log: (m: string) => void;
}

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly offsets: OffsetStore,
    private readonly opts: CoordinatorOptions,
  ) {
    for (const [id, snapshot] of offsets.groupSnapshots()) {
      const g = this.newGroup(id);
      g.restore(opts.restoreMembers ? snapshot : { ...snapshot, members: [] });
      if (g.state === 'Stable') opts.log(`group ${id}: restored at generation ${g.generationId} with ${g.members.size} member(s)`);
    }
  }

  private newGroup(id: string): Group {
    const g = new Group(id, this.opts, this.opts.log, (snapshot) => {
      this.offsets.saveGroup(id, snapshot).catch((err: Error) => this.opts.log(`group ${id}: metadata not saved: ${err.message}`));
    });
    this.groups.set(id, g);
    return g;
  }

  private group(id: string, create: boolean): Group | undefined {
    return this.groups.get(id) ?? (create ? this.newGroup(id) : undefined);
  }

  join(req: JoinGroupRequest, clientId: string, clientHost: string): Promise<JoinGroupResponse> {
    if (!req.groupId) throw new KafkaProtocolError(ErrorCode.INVALID_GROUP_ID, 'empty group id');
    if (req.sessionTimeoutMs < this.opts.minSessionTimeoutMs || req.sessionTimeoutMs > this.opts.maxSessionTimeoutMs) {
      throw new KafkaProtocolError(
        ErrorCode.INVALID_SESSION_TIMEOUT,
        `session timeout ${req.sessionTimeoutMs} outside ${this.opts.minSessionTimeoutMs}..${this.opts.maxSessionTimeoutMs}`,
      );
    }
    const g = this.group(req.groupId, req.memberId === '');
    if (!g) throw new KafkaProtocolError(ErrorCode.UNKNOWN_MEMBER_ID, `unknown group ${req.groupId}`);
    return g.join(req, clientId, clientHost);
  }

  sync(req: SyncGroupRequest): Promise<SyncGroupResponse> {
    const g = this.group(req.groupId, false);
    if (!g) throw new KafkaProtocolError(ErrorCode.UNKNOWN_MEMBER_ID, `unknown group ${req.groupId}`);
    return g.sync(req.memberId, req.generationId, req.assignments);
  }

  heartbeat(groupId: string, generationId: number, memberId: string): void {
    const g = this.group(groupId, false);
    if (!g) throw new KafkaProtocolError(ErrorCode.UNKNOWN_MEMBER_ID, `unknown group ${groupId}`);
    g.heartbeat(memberId, generationId);
  }

  leave(groupId: string, memberId: string): void {
    const g = this.group(groupId, false);
    if (!g) throw new KafkaProtocolError(ErrorCode.UNKNOWN_MEMBER_ID, `unknown group ${groupId}`);
    g.leave(memberId);
  }

  /** Throws the group-level error that makes every partition of an OffsetCommit fail. */
  checkCommit(groupId: string, memberId: string, generationId: number): void {
    if (!groupId) throw new KafkaProtocolError(ErrorCode.INVALID_GROUP_ID, 'empty group id');
    const g = this.group(groupId, false);
    if (!g) {
      if (generationId < 0) return; // a commit without membership ("simple" consumer/admin)
      throw new KafkaProtocolError(ErrorCode.UNKNOWN_MEMBER_ID, `unknown group ${groupId}`);
    }
    g.checkCommit(memberId, generationId);
  }

  commitOffsets(groupId: string, entries: { topic: string; partition: number; offset: number; metadata: string | null }[]): Promise<void> {
    return this.offsets.commit(groupId, entries);
  }

  committed(groupId: string, topic: string, partition: number) {
    return this.offsets.get(groupId, topic, partition);
  }

  /** A deleted topic's committed offsets go too. */
  forgetTopic(topic: string): Promise<void> {
    return this.offsets.deleteTopic(topic);
  }

  list(): { groupId: string; protocolType: string }[] {
    const ids = new Set([...this.groups.keys(), ...this.offsets.groupIds()]);
    return [...ids].map((groupId) => ({ groupId, protocolType: this.groups.get(groupId)?.protocolType ?? '' }));
  }

  describe(groupId: string): DescribedGroup {
    const g = this.groups.get(groupId);
    if (!g) {
      const state = this.offsets.hasGroup(groupId) ? 'Empty' : 'Dead';
      return { errorCode: ErrorCode.NONE, groupId, groupState: state, protocolType: '', protocolData: '', members: [] };
    }
    const stable = g.state === 'Stable';
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      groupState: g.state,
      protocolType: g.protocolType ?? '',
      protocolData: stable ? (g.protocol ?? '') : '',
      members: [...g.members.values()].map((m) => ({
        memberId: m.id,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable && g.protocol ? m.metadataFor(g.protocol) : Buffer.alloc(0),
        memberAssignment: stable ? m.assignment : Buffer.alloc(0),
      })),
    };
  }

  async deleteGroup(groupId: string): Promise<void> {
    const g = this.groups.get(groupId);
    if (!g && !this.offsets.hasGroup(groupId)) throw new KafkaProtocolError(ErrorCode.GROUP_ID_NOT_FOUND, `no group ${groupId}`);
    if (g && g.members.size > 0) throw new KafkaProtocolError(ErrorCode.NON_EMPTY_GROUP, `group ${groupId} has members`);
    if (g) {
      g.shutdown();
      this.groups.delete(groupId);
    }
    await this.offsets.deleteGroup(groupId);
  }

  shutdown(): void {
    for (const g of this.groups.values()) g.shutdown();
    this.groups.clear();
  }
}
