/**
 * The group coordinator APIs: FindCoordinator (always this node), JoinGroup, SyncGroup,
 * Heartbeat, LeaveGroup, DescribeGroups, ListGroups and DeleteGroups. Membership logic is in
 * group/; these functions translate requests and map coordinator errors to error codes.
 */
import { ErrorCode } from '../errors';
import type { DeleteGroupsRequest, DeleteGroupsResponse } from '../protocol/deleteGroups/types';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from '../protocol/describeGroups/types';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from '../protocol/findCoordinator/types';
import type { HeartbeatRequest, HeartbeatResponse } from '../protocol/heartbeat/types';
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/joinGroup/types';
import type { LeaveGroupRequest, LeaveGroupResponse } from '../protocol/leaveGroup/types';
import type { ListGroupsRequest, ListGroupsResponse } from '../protocol/listGroups/types';
import type { SyncGroupRequest, SyncGroupResponse } from '../protocol/syncGroup/types';
import { type Handler, codeOf } from './context';

export const handleFindCoordinator: Handler<FindCoordinatorRequest, FindCoordinatorResponse> = (_req, { broker }) => ({
  errorCode: ErrorCode.NONE,
  nodeId: broker.config.nodeId,
  host: broker.config.host,
  port: broker.config.port,
});

export const handleJoinGroup: Handler<JoinGroupRequest, JoinGroupResponse> = async (req, { broker, header, clientHost }) => {
  try {
    return await broker.coordinator.join(req, header.clientId ?? '', clientHost);
  } catch (err) {
    return { errorCode: codeOf(err), generationId: -1, protocolName: '', leader: '', memberId: req.memberId, members: [] };
  }
};

export const handleSyncGroup: Handler<SyncGroupRequest, SyncGroupResponse> = async (req, { broker }) => {
  try {
    return await broker.coordinator.sync(req);
  } catch (err) {
    return { errorCode: codeOf(err), assignment: Buffer.alloc(0) };
  }
};

export const handleHeartbeat: Handler<HeartbeatRequest, HeartbeatResponse> = (req, { broker }) => {
  try {
    broker.coordinator.heartbeat(req.groupId, req.generationId, req.memberId);
    return { errorCode: ErrorCode.NONE };
  } catch (err) {
    return { errorCode: codeOf(err) };
  }
};

export const handleLeaveGroup: Handler<LeaveGroupRequest, LeaveGroupResponse> = (req, { broker }) => {
  try {
    broker.coordinator.leave(req.groupId, req.memberId);
    return { errorCode: ErrorCode.NONE };
  } catch (err) {
    return { errorCode: codeOf(err) };
  }
};

export const handleDescribeGroups: Handler<DescribeGroupsRequest, DescribeGroupsResponse> = (req, { broker }) => ({
  groups: req.groups.map((g) => broker.coordinator.describe(g)),
});

export const handleListGroups: Handler<ListGroupsRequest, ListGroupsResponse> = (_req, { broker }) => ({
  errorCode: ErrorCode.NONE,
  groups: broker.coordinator.list(),
});

export const handleDeleteGroups: Handler<DeleteGroupsRequest, DeleteGroupsResponse> = async (req, { broker }) => ({
  throttleTimeMs: 0,
  results: await Promise.all(
    req.groupsNames.map(async (groupId) => {
      try {
        await broker.coordinator.deleteGroup(groupId);
        return { groupId, errorCode: ErrorCode.NONE };
      } catch (err) {
        return { groupId, errorCode: codeOf(err) };
      }
    }),
  ),
});
