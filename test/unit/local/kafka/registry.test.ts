/** The API registry: what is advertised, what is refused, and nothing in between. */
import { HANDLERS } from '../../../../local/kafka/handlers/index';
import { ApiKey } from '../../../../local/kafka/protocol/api-keys';
import { IMPLEMENTED, NOT_IMPLEMENTED, findCodec, supportedVersions } from '../../../../local/kafka/protocol/registry';

test('every Kafka API key is either implemented or listed as not implemented, never both', () => {
  for (const [name, key] of Object.entries(ApiKey)) {
    const implemented = IMPLEMENTED.has(key);
    const refused = name in NOT_IMPLEMENTED;
    expect([name, implemented !== refused]).toEqual([name, true]);
  }
});

test('each implemented API has a handler and a contiguous run of codecs', () => {
  for (const [key, codecs] of IMPLEMENTED) {
    expect(HANDLERS.has(key)).toBe(true);
    codecs.forEach((c, i) => {
      expect(c.apiKey).toBe(key);
      if (i > 0) expect(c.version).toBe(codecs[i - 1].version + 1);
    });
  }
});

test('ranges satisfy both clients: librdkafka feature versions and kafkajs minimums', () => {
  const range = new Map(supportedVersions().map((v) => [v.apiKey, [v.minVersion, v.maxVersion]]));
  const overlaps = (key: number, lo: number, hi: number) => {
    const [min, max] = range.get(key)!;
    return lo <= max && min <= hi;
  };
  expect(overlaps(ApiKey.Produce, 3, 3) && overlaps(ApiKey.Fetch, 4, 4)).toBe(true); // MsgVer2
  expect(overlaps(ApiKey.OffsetCommit, 1, 2) && overlaps(ApiKey.OffsetFetch, 1, 1)).toBe(true); // balanced consumer
  for (const k of [ApiKey.FindCoordinator, ApiKey.JoinGroup, ApiKey.SyncGroup, ApiKey.Heartbeat, ApiKey.LeaveGroup, ApiKey.InitProducerId]) {
    expect(overlaps(k, 0, 0)).toBe(true);
  }
  expect(range.get(ApiKey.OffsetFetch)![1]).toBeGreaterThanOrEqual(1); // kafkajs implements OffsetFetch 1+
});

test('findCodec finds exactly the advertised versions', () => {
  expect(findCodec(ApiKey.JoinGroup, 0)?.version).toBe(0);
  expect(findCodec(ApiKey.JoinGroup, 1)?.version).toBe(1);
  expect(findCodec(ApiKey.JoinGroup, 2)).toBeUndefined();
  expect(findCodec(ApiKey.Produce, 2)).toBeUndefined();
  expect(findCodec(ApiKey.EndTxn, 0)).toBeUndefined();
  expect(findCodec(12345, 0)).toBeUndefined();
});
