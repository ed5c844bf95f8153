/**
 * Target input: InputPath, and InputTransformer templates with the outputs recorded from
 * EventBridge (quoting of strings, objects and lists in string vs JSON templates, missing paths,
 * predefined variables), plus the examples of the API reference.
 */
import { evaluateJsonPath, InputTransformError, renderInputTransformer, targetInput, validateTargetInput } from '../../../../local/eventbridge/transform';

const event = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'core.update-account-command',
  source: 'core.update-account-command',
  account: '111111111111',
  time: '2024-07-11T13:55:39Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    command: 'update-account',
    payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
    listsingle: ['HIGH'],
    listmulti: ['ACTIVE', 'INACTIVE'],
    valid: true,
  },
};
const ctx = {
  ruleArn: 'arn:aws:events:us-east-1:111111111111:rule/bus-1/rule-1',
  ruleName: 'rule-1',
  ingestionTime: '2024-07-11T13:55:39.123Z',
};
const paths = {
  userId: '$.detail.payload.acc_id',
  payload: '$.detail.payload',
  systemstring: '$.detail.awsAccountId',
  listsingle: '$.detail.listsingle',
  listmulti: '$.detail.listmulti',
  valid: '$.detail.valid',
  'detail-type': '$.detail-type',
  timestamp: '$.time',
  command: '$.detail.command',
  missing: '$.detail.notinmessage',
};
const render = (template: string) => renderInputTransformer({ InputPathsMap: paths, InputTemplate: template }, event, ctx);

describe('templates, with the output EventBridge delivers', () => {
  test.each([
    [
      '{"method": "PUT", "path": "users-service/users/<userId>", "bod": <payload>}',
      '{"method": "PUT", "path": "users-service/users/0a787ecb-4015", "bod": {"acc_id":"0a787ecb-4015","sf_id":"baz"}}',
    ],
    [
      '"Payload of <payload> with path users-service/users/<userId> and <userId>"',
      '"Payload of {acc_id:0a787ecb-4015,sf_id:baz} with path users-service/users/0a787ecb-4015 and 0a787ecb-4015"',
    ],
    ['{"id" : <userId>}', '{"id" : "0a787ecb-4015"}'],
    ['{"id" : "<userId>"}', '{"id" : "0a787ecb-4015"}'],
    [
      '{"method": "PUT", "path": "users-service/users/<userId>", "bod": [<userId>, "hardcoded"]}',
      '{"method": "PUT", "path": "users-service/users/0a787ecb-4015", "bod": ["0a787ecb-4015", "hardcoded"]}',
    ],
    ['"<listsingle> single list item"', '"[HIGH] single list item"'],
    ['"<listmulti> multiple list items"', '"[ACTIVE,INACTIVE] multiple list items"'],
    ['{"singlelistitem": <listsingle>}', '{"singlelistitem": ["HIGH"]}'],
    [
      '"<listsingle> single list item <listmulti> multiple list items <systemstring> system account id <payload> payload <userId> user id"',
      '"[HIGH] single list item [ACTIVE,INACTIVE] multiple list items  system account id {acc_id:0a787ecb-4015,sf_id:baz} payload 0a787ecb-4015 user id"',
    ],
    ['{"multi_replacement": "users/<userId>/second/<userId>"}', '{"multi_replacement": "users/0a787ecb-4015/second/0a787ecb-4015"}'],
    ['"Command is <valid>!"', '"Command is true!"'],
    ['"{[/Check with special starting characters for event of <detail-type> type"', '"{[/Check with special starting characters for event of core.update-account-command type"'],
    [
      '{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}',
      '{"detailType": "core.update-account-command",  "time": "2024-07-11T13:55:39Z", "command": "update-account"}',
    ],
    [
      '{"detailType": <detail-type>,  "time": <timestamp>, "command": <missing>}',
      '{"detailType": "core.update-account-command",  "time": "2024-07-11T13:55:39Z", "command": ""}',
    ],
    [
      '"Event of <detail-type> type, at time <timestamp>, info extracted from detail <missing>"',
      '"Event of core.update-account-command type, at time 2024-07-11T13:55:39Z, info extracted from detail "',
    ],
  ])('%s', (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  test.each([
    '{"not_valid": "users-service/users/<payload>", "bod": <payload>}',
    '{"payload": "<payload>"}',
    '{"singlelistitem": "<listsingle>"}',
  ])('an object or list inside quotes of a JSON template is not delivered: %s', (template) => {
    expect(() => render(template)).toThrow(InputTransformError);
  });
});

describe('the API reference examples', () => {
  const ec2 = { ...event, detail: { instance: 'i-0123456789', status: 'RUNNING' } };
  const map = { instance: '$.detail.instance', status: '$.detail.status' };
  const r = (InputTemplate: string) => renderInputTransformer({ InputPathsMap: map, InputTemplate }, ec2, ctx);
  test('a text template', () => {
    expect(r('<instance> is in state <status>')).toBe('i-0123456789 is in state RUNNING');
  });
  test('quotes within a text template', () => {
    expect(r('<instance> is in state "<status>"')).toBe('i-0123456789 is in state "RUNNING"');
  });
  test('a JSON template with variables in quotes and out', () => {
    const out = r('{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<status>\\""}');
    expect(JSON.parse(out)).toEqual({ myInstance: 'i-0123456789', myStatus: 'i-0123456789 is in state "RUNNING"' });
  });
});

describe('predefined variables', () => {
  test('in a string template', () => {
    expect(
      renderInputTransformer(
        { InputTemplate: '"Message containing all pre defined variables <aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"' },
        event,
        ctx,
      ),
    ).toBe(
      '"Message containing all pre defined variables arn:aws:events:us-east-1:111111111111:rule/bus-1/rule-1 rule-1 2024-07-11T13:55:39.123Z"',
    );
  });
  test('the event, and the event without its detail', () => {
    const out = renderInputTransformer({ InputTemplate: '{"originalEvent": <aws.events.event>, "originalEventJson": <aws.events.event.json>}' }, event, ctx);
    const parsed = JSON.parse(out) as { originalEvent: Record<string, unknown>; originalEventJson: unknown };
    expect(Object.keys(parsed.originalEvent)).toEqual(['id', 'account', 'detailType', 'time', 'source', 'region', 'resources', 'version']);
    expect(parsed.originalEvent).toEqual({
      id: event.id,
      account: '111111111111',
      detailType: 'core.update-account-command',
      time: '2024-07-11T13:55:39.123Z',
      source: 'core.update-account-command',
      region: 'us-east-1',
      resources: [],
      version: '0',
    });
    expect(parsed.originalEventJson).toEqual(event);
  });
});

describe('Input and InputPath', () => {
  const json = JSON.stringify(event);
  test('no input setting: the event', () => {
    expect(targetInput({ Id: 't' }, event, json, ctx)).toBe(json);
  });
  test('Input is passed as given', () => {
    expect(targetInput({ Id: 't', Input: '{"custom-value": "somecustominput"}' }, event, json, ctx)).toBe('{"custom-value": "somecustominput"}');
  });
  test('InputPath selects a part of the event', () => {
    expect(targetInput({ Id: 't', InputPath: '$.detail' }, event, json, ctx)).toBe(JSON.stringify(event.detail));
    expect(targetInput({ Id: 't', InputPath: '$.detail.payload.sf_id' }, event, json, ctx)).toBe('"baz"');
    expect(() => targetInput({ Id: 't', InputPath: '$.detail.nothing' }, event, json, ctx)).toThrow(InputTransformError);
  });
  test('JSON paths: indices and wildcards', () => {
    expect(evaluateJsonPath(event, '$.detail.listmulti[1]')).toEqual({ found: true, value: 'INACTIVE' });
    expect(evaluateJsonPath(event, '$.detail.listmulti[*]')).toEqual({ found: true, value: ['ACTIVE', 'INACTIVE'] });
    expect(evaluateJsonPath(event, '$.detail.payload.*')).toEqual({ found: true, value: ['0a787ecb-4015', 'baz'] });
    expect(evaluateJsonPath(event, '$')).toEqual({ found: true, value: event });
    expect(evaluateJsonPath(event, '$.detail.listmulti[5]')).toEqual({ found: false });
  });
});

describe('validation when targets are put', () => {
  test('an undefined placeholder', () => {
    expect(
      validateTargetInput({
        Id: 'target-1',
        InputTransformer: { InputPathsMap: { 'detail-type': '$.detail-type' }, InputTemplate: '"Event of <detail-type> type, with not defined key <notdefinedkey>"' },
      }),
    ).toBe('InputTemplate for target target-1 contains invalid placeholder notdefinedkey.');
  });
  test('two input settings', () => {
    expect(validateTargetInput({ Id: 'target-1', Input: '{}', InputPath: '$.detail' })).toBe(
      'Only one of Input, InputPath, or InputTransformer must be provided for target target-1.',
    );
  });
  test('a valid transformer', () => {
    expect(validateTargetInput({ Id: 't', InputTransformer: { InputPathsMap: paths, InputTemplate: '{"a": <userId>, "b": <aws.events.rule-name>}' } })).toBeNull();
  });
});
