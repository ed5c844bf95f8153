/**
 * The SQS API (2012-11-05): every operation of the Smithy model, and whether it is served.
 * Both protocols (JSON 1.0 and query) dispatch through this one table.
 */
import {
  cancelMessageMoveTask,
  listDeadLetterSourceQueues,
  listMessageMoveTasks,
  startMessageMoveTask,
} from './operations/dead-letter';
import type { Operation } from './operations/context';
import { changeMessageVisibility, changeMessageVisibilityBatch, deleteMessage, deleteMessageBatch } from './operations/messages';
import {
  createQueue,
  deleteQueue,
  getQueueAttributes,
  getQueueUrl,
  listQueueTags,
  listQueues,
  purgeQueue,
  setQueueAttributes,
  tagQueue,
  untagQueue,
} from './operations/queues';
import { receiveMessage } from './operations/receive';
import { sendMessage, sendMessageBatch } from './operations/send';

export const OPERATIONS: Record<string, Operation> = {
  CreateQueue: createQueue,
  GetQueueUrl: getQueueUrl,
  GetQueueAttributes: getQueueAttributes,
  SetQueueAttributes: setQueueAttributes,
  ListQueues: listQueues,
  DeleteQueue: deleteQueue,
  PurgeQueue: purgeQueue,
  TagQueue: tagQueue,
  UntagQueue: untagQueue,
  ListQueueTags: listQueueTags,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  ReceiveMessage: receiveMessage,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  StartMessageMoveTask: startMessageMoveTask,
  ListMessageMoveTasks: listMessageMoveTasks,
  CancelMessageMoveTask: cancelMessageMoveTask,
};

/** In the model but not served: answered with UnsupportedOperation, so a caller sees a clear refusal. */
export const NOT_IMPLEMENTED: Record<string, string> = {
  AddPermission: 'queue policies are not enforced locally; set the Policy attribute instead',
  RemovePermission: 'queue policies are not enforced locally; set the Policy attribute instead',
};
