/**
 * DeleteTopics v0.
 *
 * DeleteTopics Request (Version: 0) => [topic_names] timeout_ms
 *   topic_names => STRING
 *   timeout_ms => INT32
 *
 * DeleteTopics Response (Version: 0) => [responses]
 *   responses => name error_code
 *     name => STRING
 *     error_code => INT16
 */
import { codec } from '../codec';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './types';

export default codec<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: 20,
  version: 0,
  decodeRequest: (r) => {
    const topicNames = r.array((r) => r.string());
    const timeoutMs = r.int32();
    return { topicNames, timeoutMs };
  },
  encodeResponse: (w, res) => {
    w.array(res.responses, (w, t) => {
      w.string(t.name).int16(t.errorCode);
    });
  },
});
