/**
 * The one list of EventBridge operations: what this emulator answers, and what it refuses with
 * the reason. A refused operation is answered as UnknownOperationException naming that reason.
 */
import { EventBridgeError } from './errors';
import * as archives from './operations/archives';
import * as buses from './operations/buses';
import type { Input } from './operations/common';
import * as events from './operations/events';
import * as replays from './operations/replays';
import * as rules from './operations/rules';
import * as tags from './operations/tags';
import * as targets from './operations/targets';
import type { EventBridgeService } from './service';

export type Operation = (svc: EventBridgeService, input: Input) => unknown;

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateEventBus: buses.createEventBus,
  DescribeEventBus: buses.describeEventBus,
  ListEventBuses: buses.listEventBuses,
  UpdateEventBus: buses.updateEventBus,
  DeleteEventBus: buses.deleteEventBus,
  PutRule: rules.putRule,
  DescribeRule: rules.describeRule,
  ListRules: rules.listRules,
  DeleteRule: rules.deleteRule,
  EnableRule: rules.enableRule,
  DisableRule: rules.disableRule,
  PutTargets: targets.putTargets,
  RemoveTargets: targets.removeTargets,
  ListTargetsByRule: targets.listTargetsByRule,
  ListRuleNamesByTarget: targets.listRuleNamesByTarget,
  PutEvents: events.putEvents,
  TestEventPattern: events.testEventPattern,
  CreateArchive: archives.createArchive,
  DescribeArchive: archives.describeArchive,
  ListArchives: archives.listArchives,
  UpdateArchive: archives.updateArchive,
  DeleteArchive: archives.deleteArchive,
  StartReplay: replays.startReplay,
  DescribeReplay: replays.describeReplay,
  ListReplays: replays.listReplays,
  CancelReplay: replays.cancelReplay,
  TagResource: tags.tagResource,
  UntagResource: tags.untagResource,
  ListTagsForResource: tags.listTagsForResource,
};

const API_DESTINATIONS = 'API destinations and connections (HTTP targets) are not emulated';
const PARTNERS = 'partner event sources are not emulated';
const ENDPOINTS = 'global endpoints (multi-region failover) are not emulated';
const PERMISSIONS = 'bus resource policies are not emulated (every local caller may put events)';

export const NOT_EMULATED: Readonly<Record<string, string>> = {
  CreateApiDestination: API_DESTINATIONS,
  DescribeApiDestination: API_DESTINATIONS,
  ListApiDestinations: API_DESTINATIONS,
  UpdateApiDestination: API_DESTINATIONS,
  DeleteApiDestination: API_DESTINATIONS,
  CreateConnection: API_DESTINATIONS,
  DescribeConnection: API_DESTINATIONS,
  ListConnections: API_DESTINATIONS,
  UpdateConnection: API_DESTINATIONS,
  DeleteConnection: API_DESTINATIONS,
  DeauthorizeConnection: API_DESTINATIONS,
  CreateEndpoint: ENDPOINTS,
  DescribeEndpoint: ENDPOINTS,
  ListEndpoints: ENDPOINTS,
  UpdateEndpoint: ENDPOINTS,
  DeleteEndpoint: ENDPOINTS,
  ActivateEventSource: PARTNERS,
  DeactivateEventSource: PARTNERS,
  DescribeEventSource: PARTNERS,
  ListEventSources: PARTNERS,
  CreatePartnerEventSource: PARTNERS,
  DeletePartnerEventSource: PARTNERS,
  DescribePartnerEventSource: PARTNERS,
  ListPartnerEventSources: PARTNERS,
  ListPartnerEventSourceAccounts: PARTNERS,
  PutPartnerEvents: PARTNERS,
  PutPermission: PERMISSIONS,
  RemovePermission: PERMISSIONS,
};

export function resolveOperation(svc: EventBridgeService, name: string): (input: Input) => unknown {
  const op = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  if (op) return (input) => op(svc, input);
  const why = Object.hasOwn(NOT_EMULATED, name) ? NOT_EMULATED[name] : undefined;
  throw new EventBridgeError(
    'UnknownOperationException',
    why ? `The local EventBridge does not emulate ${name}: ${why}.` : `Operation ${name} is not part of the EventBridge API.`,
  );
}
