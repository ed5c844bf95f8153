/**
 * What a target receives: the event as JSON, or its `Input`, its `InputPath` selection, or the
 * output of its `InputTransformer`. Pure.
 *
 * InputTransformer, as AWS renders it (behaviour recorded from EventBridge):
 *   - `<name>` is replaced by the value of InputPathsMap[name] or of a predefined variable
 *     (aws.events.rule-arn, aws.events.rule-name, aws.events.event.ingestion-time,
 *     aws.events.event — the event without its detail, with "detailType" —, aws.events.event.json
 *     — the whole event); a name that is neither is refused when the target is put.
 *   - A template whose first character is `{` or `[` is a JSON template. There, a placeholder
 *     outside quotes takes the value's JSON text (a string gets its quotes); inside quotes a
 *     string is inserted as is, unescaped, and an object or array makes the output invalid JSON,
 *     which EventBridge does not deliver. A path that matches nothing gives "" outside quotes and
 *     nothing inside them.
 *   - Any other template is text: values are inserted as they are (strings unquoted, numbers,
 *     booleans and null as JSON) except that inside quotes an object or array loses its quotes
 *     ("{acc_id:0a787ecb-4015,sf_id:baz}", "[HIGH]"), so that a quoted template stays one JSON string.
 */
import { evaluateJsonPath, parseJsonPath, JsonPathError } from './json-path';

export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

export interface TargetInputSpec {
  Id: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
}

export interface DeliveryContext {
  ruleArn: string;
  ruleName: string;
  /** ISO-8601 time the event was received */
  ingestionTime: string;
}

export const PREDEFINED_VARIABLES = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
] as const;

const PLACEHOLDER = /<([A-Za-z0-9_.-]+)>/g;

/** A target input that cannot be produced; the delivery fails (to the DLQ when there is one). */
export class InputTransformError extends Error {}

/** Checks a target's input settings as PutTargets does; returns the message of the first problem. */
export function validateTargetInput(t: TargetInputSpec): string | null {
  const given = [t.Input !== undefined, t.InputPath !== undefined, t.InputTransformer !== undefined].filter(Boolean).length;
  if (given > 1) return `Only one of Input, InputPath, or InputTransformer must be provided for target ${t.Id}.`;
  if (t.InputPath !== undefined) {
    try {
      parseJsonPath(t.InputPath);
    } catch (err) {
      if (err instanceof JsonPathError) return `InputPath for target ${t.Id} is not a valid JSON path.`;
      throw err;
    }
  }
  const tr = t.InputTransformer;
  if (tr) {
    const map = tr.InputPathsMap ?? {};
    for (const [key, path] of Object.entries(map)) {
      if ((PREDEFINED_VARIABLES as readonly string[]).includes(key)) return `InputPathsMap for target ${t.Id} redefines the reserved variable ${key}.`;
      try {
        parseJsonPath(path);
      } catch (err) {
        if (err instanceof JsonPathError) return `InputPathsMap for target ${t.Id} contains invalid JSON path ${path}.`;
        throw err;
      }
    }
    for (const m of tr.InputTemplate.matchAll(PLACEHOLDER)) {
      const name = m[1];
      if (!Object.hasOwn(map, name) && !(PREDEFINED_VARIABLES as readonly string[]).includes(name)) {
        return `InputTemplate for target ${t.Id} contains invalid placeholder ${name}.`;
      }
    }
  }
  return null;
}

/** The event as `<aws.events.event>` shows it: no detail, "detailType", AWS's key order. */
function eventWithoutDetail(event: Record<string, unknown>, ctx: DeliveryContext): Record<string, unknown> {
  return {
    id: event.id,
    account: event.account,
    detailType: event['detail-type'],
    time: ctx.ingestionTime,
    source: event.source,
    region: event.region,
    resources: event.resources,
    version: event.version,
  };
}

function variableValue(
  name: string,
  map: Record<string, string>,
  event: Record<string, unknown>,
  ctx: DeliveryContext,
): { found: boolean; value?: unknown } {
  if (Object.hasOwn(map, name)) return evaluateJsonPath(event, map[name]);
  switch (name) {
    case 'aws.events.rule-arn':
      return { found: true, value: ctx.ruleArn };
    case 'aws.events.rule-name':
      return { found: true, value: ctx.ruleName };
    case 'aws.events.event.ingestion-time':
      return { found: true, value: ctx.ingestionTime };
    case 'aws.events.event':
      return { found: true, value: eventWithoutDetail(event, ctx) };
    case 'aws.events.event.json':
      return { found: true, value: event };
    default:
      return { found: false };
  }
}

/** Renders an InputTransformer for one event. Throws InputTransformError for invalid JSON output. */
export function renderInputTransformer(tr: InputTransformer, event: Record<string, unknown>, ctx: DeliveryContext): string {
  const template = tr.InputTemplate;
  const map = tr.InputPathsMap ?? {};
  const trimmed = template.trimStart();
  const jsonTemplate = trimmed.startsWith('{') || trimmed.startsWith('[');
  let out = '';
  let inQuotes = false;
  let i = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const at = m.index as number;
    const literal = template.slice(i, at);
    inQuotes = quoteStateAfter(literal, inQuotes);
    out += literal;
    const v = variableValue(m[1], map, event, ctx);
    out += render(v, inQuotes, jsonTemplate);
    i = at + m[0].length;
  }
  out += template.slice(i);
  if (jsonTemplate) {
    try {
      JSON.parse(out);
    } catch {
      throw new InputTransformError(`the input transformer produced invalid JSON: ${out.length > 200 ? `${out.slice(0, 200)}…` : out}`);
    }
  }
  return out;
}

function quoteStateAfter(text: string, inQuotes: boolean): boolean {
  let q = inQuotes;
  for (let k = 0; k < text.length; k++) {
    if (text[k] === '\\') k++;
    else if (text[k] === '"') q = !q;
  }
  return q;
}

function render(v: { found: boolean; value?: unknown }, inQuotes: boolean, jsonTemplate: boolean): string {
  if (!v.found || v.value === undefined) return inQuotes || !jsonTemplate ? '' : '""';
  const value = v.value;
  if (typeof value === 'string') return inQuotes || !jsonTemplate ? value : JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const json = JSON.stringify(value);
  return inQuotes && !jsonTemplate ? json.replace(/"/g, '') : json;
}

/** The payload a target receives for an event (a JSON text, or text from a non-JSON template). */
export function targetInput(t: TargetInputSpec, event: Record<string, unknown>, eventJson: string, ctx: DeliveryContext): string {
  if (t.Input !== undefined) return t.Input;
  if (t.InputPath !== undefined) {
    const v = evaluateJsonPath(event, t.InputPath);
    if (!v.found) throw new InputTransformError(`InputPath ${t.InputPath} selects nothing in the event`);
    return JSON.stringify(v.value);
  }
  if (t.InputTransformer) return renderInputTransformer(t.InputTransformer, event, ctx);
  return eventJson;
}
