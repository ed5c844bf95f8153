/** API key -> handler. Every key in protocol/registry.ts IMPLEMENTED must have one (checked at startup). */
import { ApiKey } from '../protocol/api-keys';
import { handleApiVersions } from './api-versions';
import type { Handler } from './context';
import { handleFetch } from './fetch';
import {
  handleDeleteGroups,
  handleDescribeGroups,
  handleFindCoordinator,
  handleHeartbeat,
  handleJoinGroup,
  handleLeaveGroup,
  handleListGroups,
  handleSyncGroup,
} from './groups';
import { handleListOffsets } from './list-offsets';
import { handleMetadata } from './metadata';
import { handleOffsetCommit, handleOffsetFetch } from './offsets';
import { handleProduce } from './produce';
import { handleInitProducerId } from './producer-id';
import { handleCreateTopics, handleDeleteTopics } from './topics';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const HANDLERS: ReadonlyMap<number, Handler<any, any>> = new Map<number, Handler<any, any>>([
  [ApiKey.Produce, handleProduce],
  [ApiKey.Fetch, handleFetch],
  [ApiKey.ListOffsets, handleListOffsets],
  [ApiKey.Metadata, handleMetadata],
  [ApiKey.OffsetCommit, handleOffsetCommit],
  [ApiKey.OffsetFetch, handleOffsetFetch],
  [ApiKey.FindCoordinator, handleFindCoordinator],
  [ApiKey.JoinGroup, handleJoinGroup],
  [ApiKey.Heartbeat, handleHeartbeat],
  [ApiKey.LeaveGroup, handleLeaveGroup],
  [ApiKey.SyncGroup, handleSyncGroup],
  [ApiKey.DescribeGroups, handleDescribeGroups],
  [ApiKey.ListGroups, handleListGroups],
  [ApiKey.ApiVersions, handleApiVersions],
  [ApiKey.CreateTopics, handleCreateTopics],
  [ApiKey.DeleteTopics, handleDeleteTopics],
  [ApiKey.InitProducerId, handleInitProducerId],
  [ApiKey.DeleteGroups, handleDeleteGroups],
]);
