/**
 * The one place that says which Kafka APIs and versions this broker speaks.
 *
 * IMPLEMENTED lists, per API key, one codec per version; the versions of an API must be
 * contiguous because ApiVersions advertises them as a min..max range. The ranges are chosen
 * so kafkajs 2.2.4 and librdkafka 2.0 (kcat) both find a version they implement: each client
 * takes min(its max, our max), and librdkafka enables a feature only if our range overlaps
 * the versions in its feature table (e.g. MsgVer2 needs Produce 3 and Fetch 4, the balanced
 * consumer needs FindCoordinator/JoinGroup/SyncGroup/Heartbeat/LeaveGroup 0, OffsetCommit 1-2,
 * OffsetFetch 1), hence the low versions.
 *
 * NOT_IMPLEMENTED names every other API key with the reason. A request for one of them, or for
 * a version outside the advertised range, is refused as Kafka refuses it: ApiVersions of an
 * unknown version is answered in the v0 format with UNSUPPORTED_VERSION; anything else closes
 * the connection (see connection.ts).
 */
import type { Codec } from './codec';
import { ApiKey, type ApiName } from './api-keys';
import apiVersionsV0 from './apiVersions/v0';
import apiVersionsV1 from './apiVersions/v1';
import apiVersionsV2 from './apiVersions/v2';
import createTopicsV0 from './createTopics/v0';
import deleteGroupsV0 from './deleteGroups/v0';
import deleteTopicsV0 from './deleteTopics/v0';
import describeGroupsV0 from './describeGroups/v0';
import fetchV4 from './fetch/v4';
import findCoordinatorV0 from './findCoordinator/v0';
import heartbeatV0 from './heartbeat/v0';
import initProducerIdV0 from './initProducerId/v0';
import joinGroupV0 from './joinGroup/v0';
import joinGroupV1 from './joinGroup/v1';
import leaveGroupV0 from './leaveGroup/v0';
import listGroupsV0 from './listGroups/v0';
import listOffsetsV1 from './listOffsets/v1';
import metadataV4 from './metadata/v4';
import offsetCommitV2 from './offsetCommit/v2';
import offsetFetchV1 from './offsetFetch/v1';
import produceV3 from './produce/v3';
import syncGroupV0 from './syncGroup/v0';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCodec = Codec<any, any>;

export const IMPLEMENTED: ReadonlyMap<number, readonly AnyCodec[]> = new Map<number, AnyCodec[]>([
  [ApiKey.Produce, [produceV3]],
  [ApiKey.Fetch, [fetchV4]],
  [ApiKey.ListOffsets, [listOffsetsV1]],
  [ApiKey.Metadata, [metadataV4]],
  [ApiKey.OffsetCommit, [offsetCommitV2]],
  [ApiKey.OffsetFetch, [offsetFetchV1]],
  [ApiKey.FindCoordinator, [findCoordinatorV0]],
  [ApiKey.JoinGroup, [joinGroupV0, joinGroupV1]],
  [ApiKey.Heartbeat, [heartbeatV0]],
  [ApiKey.LeaveGroup, [leaveGroupV0]],
  [ApiKey.SyncGroup, [syncGroupV0]],
  [ApiKey.DescribeGroups, [describeGroupsV0]],
  [ApiKey.ListGroups, [listGroupsV0]],
  [ApiKey.ApiVersions, [apiVersionsV0, apiVersionsV1, apiVersionsV2]],
  [ApiKey.CreateTopics, [createTopicsV0]],
  [ApiKey.DeleteTopics, [deleteTopicsV0]],
  [ApiKey.InitProducerId, [initProducerIdV0]],
  [ApiKey.DeleteGroups, [deleteGroupsV0]],
]);

const INTER_BROKER = 'inter-broker/controller API: this is a single node';
const NO_TXN = 'transactions are not supported (idempotent produce is)';
const NO_SECURITY = 'no authentication or ACLs: the broker listens on loopback only';

/** Every Kafka API this broker does not implement, and why. */
export const NOT_IMPLEMENTED: Readonly<Partial<Record<ApiName, string>>> = {
  LeaderAndIsr: INTER_BROKER,
  StopReplica: INTER_BROKER,
  UpdateMetadata: INTER_BROKER,
  ControlledShutdown: INTER_BROKER,
  SaslHandshake: NO_SECURITY,
  DeleteRecords: 'log truncation from the front is not supported',
  OffsetForLeaderEpoch: 'no leader epochs: one replica, never truncated',
  AddPartitionsToTxn: NO_TXN,
  AddOffsetsToTxn: NO_TXN,
  EndTxn: NO_TXN,
  WriteTxnMarkers: NO_TXN,
  TxnOffsetCommit: NO_TXN,
  DescribeAcls: NO_SECURITY,
  CreateAcls: NO_SECURITY,
  DeleteAcls: NO_SECURITY,
  DescribeConfigs: 'topics have no configurable settings',
  AlterConfigs: 'topics have no configurable settings',
  AlterReplicaLogDirs: INTER_BROKER,
  DescribeLogDirs: INTER_BROKER,
  SaslAuthenticate: NO_SECURITY,
  CreatePartitions: 'partition counts are fixed at creation',
  CreateDelegationToken: NO_SECURITY,
  RenewDelegationToken: NO_SECURITY,
  ExpireDelegationToken: NO_SECURITY,
  DescribeDelegationToken: NO_SECURITY,
  ElectLeaders: INTER_BROKER,
  IncrementalAlterConfigs: 'topics have no configurable settings',
  AlterPartitionReassignments: INTER_BROKER,
  ListPartitionReassignments: INTER_BROKER,
  OffsetDelete: 'use DeleteGroups',
  DescribeClientQuotas: 'no quotas',
  AlterClientQuotas: 'no quotas',
  DescribeUserScramCredentials: NO_SECURITY,
  AlterUserScramCredentials: NO_SECURITY,
};

for (const [key, codecs] of IMPLEMENTED) {
  codecs.forEach((c, i) => {
    if (c.apiKey !== key || (i > 0 && c.version !== codecs[i - 1].version + 1)) {
      throw new Error(`protocol registry: codecs for api ${key} must be contiguous versions of that api`);
    }
  });
}

export function findCodec(apiKey: number, version: number): AnyCodec | undefined {
  const codecs = IMPLEMENTED.get(apiKey);
  if (!codecs) return undefined;
  const i = version - codecs[0].version;
  return i >= 0 && i < codecs.length ? codecs[i] : undefined;
}

/** What ApiVersions advertises. */
export function supportedVersions(): { apiKey: number; minVersion: number; maxVersion: number }[] {
  return [...IMPLEMENTED.entries()]
    .sort(([a], [b]) => a - b)
    .map(([apiKey, codecs]) => ({ apiKey, minVersion: codecs[0].version, maxVersion: codecs[codecs.length - 1].version }));
}
