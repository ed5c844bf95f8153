/**
 * The SNS API (2010-03-31) as served: every operation of the Smithy model that the local SNS
 * answers, and those it refuses. One table for the query protocol and the in-process calls.
 */
import type { Operation } from './operations/context';
import {
  createPlatformApplication,
  createPlatformEndpoint,
  deleteEndpoint,
  deletePlatformApplication,
  getEndpointAttributes,
  getPlatformApplicationAttributes,
  listEndpointsByPlatformApplication,
  listPlatformApplications,
  setEndpointAttributes,
  setPlatformApplicationAttributes,
} from './operations/platform';
import { publish, publishBatch } from './operations/publish';
import {
  checkIfPhoneNumberIsOptedOut,
  getSMSAttributes,
  getSMSSandboxAccountStatus,
  listPhoneNumbersOptedOut,
  optInPhoneNumber,
  setSMSAttributes,
} from './operations/sms';
import {
  confirmSubscription,
  getSubscriptionAttributes,
  listSubscriptions,
  listSubscriptionsByTopic,
  setSubscriptionAttributes,
  subscribe,
  unsubscribe,
} from './operations/subscriptions';
import {
  createTopic,
  deleteTopic,
  getTopicAttributes,
  listTagsForResource,
  listTopics,
  setTopicAttributes,
  tagResource,
  untagResource,
} from './operations/topics';

export const OPERATIONS: Record<string, Operation> = {
  CreateTopic: createTopic,
  DeleteTopic: deleteTopic,
  ListTopics: listTopics,
  GetTopicAttributes: getTopicAttributes,
  SetTopicAttributes: setTopicAttributes,
  Subscribe: subscribe,
  ConfirmSubscription: confirmSubscription,
  Unsubscribe: unsubscribe,
  ListSubscriptions: listSubscriptions,
  ListSubscriptionsByTopic: listSubscriptionsByTopic,
  GetSubscriptionAttributes: getSubscriptionAttributes,
  SetSubscriptionAttributes: setSubscriptionAttributes,
  Publish: publish,
  PublishBatch: publishBatch,
  CreatePlatformApplication: createPlatformApplication,
  GetPlatformApplicationAttributes: getPlatformApplicationAttributes,
  SetPlatformApplicationAttributes: setPlatformApplicationAttributes,
  ListPlatformApplications: listPlatformApplications,
  DeletePlatformApplication: deletePlatformApplication,
  CreatePlatformEndpoint: createPlatformEndpoint,
  GetEndpointAttributes: getEndpointAttributes,
  SetEndpointAttributes: setEndpointAttributes,
  DeleteEndpoint: deleteEndpoint,
  ListEndpointsByPlatformApplication: listEndpointsByPlatformApplication,
  SetSMSAttributes: setSMSAttributes,
  GetSMSAttributes: getSMSAttributes,
  CheckIfPhoneNumberIsOptedOut: checkIfPhoneNumberIsOptedOut,
  ListPhoneNumbersOptedOut: listPhoneNumbersOptedOut,
  OptInPhoneNumber: optInPhoneNumber,
  GetSMSSandboxAccountStatus: getSMSSandboxAccountStatus,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};

/** Operations whose output is empty (no `<...Result>` element in the answer). */
export const UNIT_OUTPUT = new Set([
  'DeleteTopic',
  'SetTopicAttributes',
  'Unsubscribe',
  'SetSubscriptionAttributes',
  'SetEndpointAttributes',
  'DeleteEndpoint',
  'SetPlatformApplicationAttributes',
  'DeletePlatformApplication',
]);

/** In the model but not served: answered with an InvalidParameter naming the reason. */
export const NOT_IMPLEMENTED: Record<string, string> = {
  AddPermission: 'topic policies are not enforced locally; set the Policy attribute instead',
  RemovePermission: 'topic policies are not enforced locally; set the Policy attribute instead',
  GetDataProtectionPolicy: 'message data protection is not emulated',
  PutDataProtectionPolicy: 'message data protection is not emulated',
  CreateSMSSandboxPhoneNumber: 'the local account is not in the SMS sandbox',
  DeleteSMSSandboxPhoneNumber: 'the local account is not in the SMS sandbox',
  ListSMSSandboxPhoneNumbers: 'the local account is not in the SMS sandbox',
  VerifySMSSandboxPhoneNumber: 'the local account is not in the SMS sandbox',
  ListOriginationNumbers: 'origination numbers are not emulated',
};
