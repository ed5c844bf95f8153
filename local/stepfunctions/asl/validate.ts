/**
 * Definition checks made when a state machine is created, updated or validated, with AWS's diagnostic
 * codes and wording (ValidateStateMachineDefinition's `diagnostics`; CreateStateMachine's InvalidDefinition
 * message joins them as "<CODE>: <message> at <location>").
 *
 * Rules, as data where they are lists: the fields each state type accepts, the fields only one query
 * language accepts, the fields of which at most one may be given.
 */
import { COMPARATORS, parseTimestamp, TYPE_TESTS } from '../runtime/choice-rules';
import { INTRINSIC_NAMES, looksLikeIntrinsic, parseIntrinsic } from '../runtime/intrinsics';
import { checkJsonataSyntax, isJsonataExpression } from '../runtime/jsonata';
import { isValidPath, parsePath } from '../runtime/jsonpath';
import type { IntegrationResolver } from '../integrations/types';

export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  location?: string;
}

const STATE_TYPES = ['Task', 'Wait', 'Pass', 'Succeed', 'Fail', 'Choice', 'Parallel', 'Map'];

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const FLOW = ['Next', 'End'];
const JSONPATH_IO = ['InputPath', 'OutputPath'];
const FIELDS: Record<string, string[]> = {
  Pass: [...COMMON, ...FLOW, ...JSONPATH_IO, 'ResultPath', 'Parameters', 'Result', 'Output', 'Assign'],
  Task: [...COMMON, ...FLOW, ...JSONPATH_IO, 'ResultPath', 'Parameters', 'ResultSelector', 'Arguments', 'Output', 'Assign', 'Resource', 'Retry', 'Catch', 'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials'],
  Choice: [...COMMON, ...JSONPATH_IO, 'Choices', 'Default', 'Output', 'Assign'],
  Wait: [...COMMON, ...FLOW, ...JSONPATH_IO, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath', 'Output', 'Assign'],
  Succeed: [...COMMON, ...JSONPATH_IO, 'Output'],
  Fail: [...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath'],
  Parallel: [...COMMON, ...FLOW, ...JSONPATH_IO, 'ResultPath', 'Parameters', 'ResultSelector', 'Arguments', 'Output', 'Assign', 'Branches', 'Retry', 'Catch'],
  Map: [
    ...COMMON, ...FLOW, ...JSONPATH_IO, 'ResultPath', 'Parameters', 'ResultSelector', 'Output', 'Assign', 'Retry', 'Catch',
    'Iterator', 'ItemProcessor', 'ItemsPath', 'Items', 'ItemSelector', 'ItemReader', 'ItemBatcher', 'ResultWriter', 'Label',
    'MaxConcurrency', 'MaxConcurrencyPath', 'ToleratedFailureCount', 'ToleratedFailureCountPath', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath',
  ],
};
const JSONPATH_ONLY = ['InputPath', 'OutputPath', 'ResultPath', 'Parameters', 'ResultSelector', 'ItemsPath', 'SecondsPath', 'TimestampPath', 'ErrorPath', 'CausePath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'MaxConcurrencyPath', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath', 'Iterator'];
const JSONATA_ONLY = ['Arguments', 'Output', 'Items'];
const EXCLUSIVE: string[][] = [
  ['Next', 'End'],
  ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'],
  ['Error', 'ErrorPath'],
  ['Cause', 'CausePath'],
  ['TimeoutSeconds', 'TimeoutSecondsPath'],
  ['HeartbeatSeconds', 'HeartbeatSecondsPath'],
  ['MaxConcurrency', 'MaxConcurrencyPath'],
  ['ToleratedFailureCount', 'ToleratedFailureCountPath'],
  ['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'],
  ['Iterator', 'ItemProcessor'],
  ['Parameters', 'ItemSelector'],
];

export interface ValidateOptions {
  type?: 'STANDARD' | 'EXPRESS';
  integrations?: IntegrationResolver;
}

/** Parses and checks a definition; returns the diagnostics (empty: valid) and the parsed definition. */
export function validateDefinition(text: unknown, opts: ValidateOptions = {}): { diagnostics: Diagnostic[]; definition?: Record<string, unknown> } {
  const diags: Diagnostic[] = [];
  const err = (code: string, message: string, location?: string) => diags.push({ severity: 'ERROR', code, message, ...(location !== undefined ? { location } : {}) });
  if (typeof text !== 'string' || text.trim() === '') {
    err('SCHEMA_VALIDATION_FAILED', 'Definition must be a valid JSON object');
    return { diagnostics: diags };
  }
  let def: unknown;
  try {
    def = JSON.parse(text);
  } catch (e) {
    err('INVALID_JSON_DESCRIPTION', (e as Error).message);
    return { diagnostics: diags };
  }
  if (!def || typeof def !== 'object' || Array.isArray(def)) {
    err('SCHEMA_VALIDATION_FAILED', 'Definition must be a valid JSON object');
    return { diagnostics: diags };
  }
  const d = def as Record<string, unknown>;
  const missing = ['States', 'StartAt'].filter((k) => d[k] === undefined);
  if (missing.length) {
    err('SCHEMA_VALIDATION_FAILED', `These fields are required: [${missing.join(', ')}]`, '/');
    return { diagnostics: diags };
  }
  const topQl = d.QueryLanguage ?? 'JSONPath';
  if (topQl !== 'JSONPath' && topQl !== 'JSONata') err('SCHEMA_VALIDATION_FAILED', "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", '/QueryLanguage');
  if (d.TimeoutSeconds !== undefined && !(Number.isInteger(d.TimeoutSeconds) && (d.TimeoutSeconds as number) > 0)) err('SCHEMA_VALIDATION_FAILED', 'Value must be a positive integer', '/TimeoutSeconds');
  for (const k of Object.keys(d)) if (!['Comment', 'StartAt', 'States', 'TimeoutSeconds', 'Version', 'QueryLanguage'].includes(k)) err('SCHEMA_VALIDATION_FAILED', `Field '${k}' is not supported`, '/');
  const names = new Set<string>();
  const v = new Validator(err, names, opts, topQl === 'JSONata' ? 'JSONata' : 'JSONPath');
  v.branch(d, '', topQl === 'JSONata' ? 'JSONata' : 'JSONPath');
  return { diagnostics: diags, definition: diags.length ? undefined : d };
}

/** AWS's InvalidDefinition text for a list of diagnostics. */
export function definitionProblem(diags: Diagnostic[]): string {
  return diags.map((x) => `${x.code}: ${x.message} at ${x.location ?? 'null'}`).join(', ');
}

type Err = (code: string, message: string, location?: string) => void;

class Validator {
  constructor(
    readonly err: Err,
    readonly names: Set<string>,
    readonly opts: ValidateOptions,
    readonly topQl: 'JSONPath' | 'JSONata',
  ) {}

  branch(b: Record<string, unknown>, at: string, ql: 'JSONPath' | 'JSONata'): void {
    const states = b.States;
    if (!states || typeof states !== 'object' || Array.isArray(states)) {
      this.err('SCHEMA_VALIDATION_FAILED', 'Value must be an object', `${at}/States`);
      return;
    }
    const entries = Object.entries(states as Record<string, unknown>);
    if (!entries.length) this.err('SCHEMA_VALIDATION_FAILED', 'Value cannot be empty', `${at}/States`);
    if (typeof b.StartAt !== 'string') this.err('SCHEMA_VALIDATION_FAILED', 'Value must be a string', `${at}/StartAt`);
    else if (!(b.StartAt in (states as object))) this.err('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${b.StartAt}`, `${at}/StartAt`);
    const targets: Array<[string, string]> = [];
    for (const [name, st] of entries) {
      const loc = `${at}/States/${name}`;
      if (this.names.has(name)) this.err('DUPLICATE_STATE_NAME', `Duplicate State name: ${name}`, loc);
      this.names.add(name);
      if (name.length > 80) this.err('INVALID_STATE_NAME', `State name '${name}' exceeds the maximum length of 80`, loc);
      if (!st || typeof st !== 'object' || Array.isArray(st)) {
        this.err('SCHEMA_VALIDATION_FAILED', 'Value must be an object', loc);
        continue;
      }
      this.state(name, st as Record<string, unknown>, loc, ql, targets);
    }
    // targets, then reachability and a terminal state
    for (const [target, loc] of targets) if (!(target in (states as object))) this.err('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${target}`, loc);
    if (typeof b.StartAt !== 'string' || !(b.StartAt in (states as object))) return;
    const st = states as Record<string, Record<string, unknown>>;
    const seen = new Set<string>();
    const queue = [b.StartAt];
    let terminal = false;
    while (queue.length) {
      const n = queue.pop()!;
      if (seen.has(n) || !st[n]) continue;
      seen.add(n);
      const s = st[n];
      if (s.End === true || s.Type === 'Succeed' || s.Type === 'Fail') terminal = true;
      for (const t of outgoing(s)) queue.push(t);
    }
    if (!terminal) {
      this.err('MISSING_END_STATE', 'Workflow has no terminal state');
      return;
    }
    for (const [name] of entries) if (!seen.has(name)) this.err('MISSING_TRANSITION_TARGET', `State "${name}" is not reachable.`, `${at}/States/${name}`);
  }

  state(name: string, s: Record<string, unknown>, loc: string, parentQl: 'JSONPath' | 'JSONata', targets: Array<[string, string]>): void {
    const err = this.err;
    const type = s.Type;
    if (typeof type !== 'string' || !STATE_TYPES.includes(type)) {
      if (type === undefined) err('SCHEMA_VALIDATION_FAILED', 'These fields are required: [Type]', loc);
      else err('SCHEMA_VALIDATION_FAILED', `The field 'Type' should have one of these values: [${STATE_TYPES.join(', ')}]`, `${loc}/Type`);
      return;
    }
    let ql = parentQl;
    if (s.QueryLanguage !== undefined) {
      if (s.QueryLanguage !== 'JSONPath' && s.QueryLanguage !== 'JSONata') err('SCHEMA_VALIDATION_FAILED', "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", `${loc}/QueryLanguage`);
      else if (this.topQl === 'JSONata' && s.QueryLanguage === 'JSONPath') err('SCHEMA_VALIDATION_FAILED', "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", loc);
      else ql = s.QueryLanguage;
    }
    const allowed = FIELDS[type];
    for (const k of Object.keys(s)) if (!allowed.includes(k)) err('SCHEMA_VALIDATION_FAILED', `Field '${k}' is not supported`, loc);
    for (const k of Object.keys(s)) {
      if (ql === 'JSONata' && JSONPATH_ONLY.includes(k)) err('SCHEMA_VALIDATION_FAILED', `The QueryLanguage is set to 'JSONata', but field '${k}' is only supported for the 'JSONPath' QueryLanguage`, loc);
      if (ql === 'JSONPath' && JSONATA_ONLY.includes(k)) err('SCHEMA_VALIDATION_FAILED', `The QueryLanguage is set to 'JSONPath', but field '${k}' is only supported for the 'JSONata' QueryLanguage`, loc);
    }
    for (const group of EXCLUSIVE) {
      const present = group.filter((k) => s[k] !== undefined && !(k === 'End' && s[k] === false));
      if (present.length > 1) err('SCHEMA_VALIDATION_FAILED', `There should only be one of the following fields: [${group.join(', ')}]`, loc);
    }
    const terminalType = type === 'Choice' || type === 'Succeed' || type === 'Fail';
    if (!terminalType) {
      if (s.Next === undefined && s.End !== true) err('SCHEMA_VALIDATION_FAILED', "The field 'Next' is required but was missing", loc);
      if (s.Next !== undefined) {
        if (typeof s.Next !== 'string') err('SCHEMA_VALIDATION_FAILED', 'Value must be a string', `${loc}/Next`);
        else targets.push([s.Next, `${loc}/Next`]);
      }
      if (s.End !== undefined && typeof s.End !== 'boolean') err('SCHEMA_VALIDATION_FAILED', 'Value must be a boolean', `${loc}/End`);
    }
    if (ql === 'JSONPath') {
      for (const k of ['InputPath', 'OutputPath', 'ItemsPath'] as const) if (s[k] !== undefined && s[k] !== null) this.path(s[k], `${loc}/${k}`, true);
      if (s.ResultPath !== undefined && s.ResultPath !== null) this.referencePath(s.ResultPath, `${loc}/ResultPath`, false);
      for (const k of ['ErrorPath', 'CausePath'] as const) {
        const v = s[k];
        if (typeof v === 'string' && looksLikeIntrinsic(v)) {
          try {
            parseIntrinsic(v);
          } catch {
            err('SCHEMA_VALIDATION_FAILED', `The value for the field '${k}' must be a valid JSONPath or a valid intrinsic function call`, `${loc}/${k}`);
          }
        } else if (v !== undefined) this.referencePath(v, `${loc}/${k}`, true);
      }
      for (const k of ['SecondsPath', 'TimestampPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'MaxConcurrencyPath', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath'] as const) {
        if (s[k] !== undefined) this.referencePath(s[k], `${loc}/${k}`, true);
      }
      for (const k of ['Parameters', 'ResultSelector', 'ItemSelector'] as const) if (s[k] !== undefined) this.payload(s[k], `${loc}/${k}`);
      if (s.Assign !== undefined) this.payload(s.Assign, `${loc}/Assign`);
    } else {
      for (const k of ['Arguments', 'Output', 'Assign', 'Items', 'ItemSelector', 'Seconds', 'Timestamp', 'TimeoutSeconds', 'HeartbeatSeconds', 'Error', 'Cause', 'MaxConcurrency', 'ToleratedFailureCount', 'ToleratedFailurePercentage'] as const) {
        if (s[k] !== undefined) this.jsonata(s[k], `${loc}/${k}`);
      }
    }
    if (s.Assign !== undefined && (typeof s.Assign !== 'object' || s.Assign === null || Array.isArray(s.Assign))) err('SCHEMA_VALIDATION_FAILED', 'Value must be an object', `${loc}/Assign`);
    this.retryCatch(s, loc, targets);
    switch (type) {
      case 'Task':
        this.task(s, loc, ql);
        break;
      case 'Choice':
        this.choice(s, loc, ql, targets);
        break;
      case 'Wait':
        if (!['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'].some((k) => s[k] !== undefined)) err('SCHEMA_VALIDATION_FAILED', 'These fields are required: [Seconds, SecondsPath, Timestamp, TimestampPath]', loc);
        if (ql === 'JSONPath' && s.Seconds !== undefined && !(Number.isInteger(s.Seconds) && (s.Seconds as number) >= 0)) err('SCHEMA_VALIDATION_FAILED', 'Value must be a non-negative integer', `${loc}/Seconds`);
        if (ql === 'JSONPath' && s.Timestamp !== undefined && parseTimestamp(s.Timestamp) === null) err('SCHEMA_VALIDATION_FAILED', 'String does not match RFC3339 timestamp', `${loc}/Timestamp`);
        break;
      case 'Parallel':
        if (!Array.isArray(s.Branches) || s.Branches.length === 0) err('SCHEMA_VALIDATION_FAILED', 'Value cannot be empty', `${loc}/Branches`);
        else s.Branches.forEach((b, i) => this.subBranch(b, `${loc}/Branches[${i}]`, ql));
        break;
      case 'Map': {
        const proc = (s.ItemProcessor ?? s.Iterator) as Record<string, unknown> | undefined;
        const key = s.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
        if (!proc) err('SCHEMA_VALIDATION_FAILED', 'These fields are required: [ItemProcessor]', loc);
        else {
          if (proc.QueryLanguage !== undefined) err('SCHEMA_VALIDATION_FAILED', "Field 'QueryLanguage' is not supported", `${loc}/${key}`);
          this.subBranch({ ...proc, QueryLanguage: undefined }, `${loc}/${key}`, this.topQl);
        }
        if (typeof s.MaxConcurrency === 'number' && !(Number.isInteger(s.MaxConcurrency) && s.MaxConcurrency >= 0)) err('SCHEMA_VALIDATION_FAILED', 'Minimum value is 0', `${loc}/MaxConcurrency`);
        if (typeof s.ToleratedFailurePercentage === 'number' && (s.ToleratedFailurePercentage < 0 || s.ToleratedFailurePercentage > 100)) err('SCHEMA_VALIDATION_FAILED', 'Maximum value is 100.0', `${loc}/ToleratedFailurePercentage`);
        break;
      }
      case 'Fail':
        break;
    }
  }

  subBranch(b: unknown, at: string, ql: 'JSONPath' | 'JSONata'): void {
    if (!b || typeof b !== 'object') {
      this.err('SCHEMA_VALIDATION_FAILED', 'Value must be an object', at);
      return;
    }
    const br = b as Record<string, unknown>;
    const missing = ['States', 'StartAt'].filter((k) => br[k] === undefined);
    if (missing.length) {
      this.err('SCHEMA_VALIDATION_FAILED', `These fields are required: [${missing.join(', ')}]`, at);
      return;
    }
    this.branch(br, at, (br.QueryLanguage as 'JSONPath' | 'JSONata') ?? ql);
  }

  task(s: Record<string, unknown>, loc: string, ql: string): void {
    const r = s.Resource;
    if (typeof r !== 'string') {
      this.err('SCHEMA_VALIDATION_FAILED', s.Resource === undefined ? 'These fields are required: [Resource]' : 'Value must be a string', s.Resource === undefined ? loc : `${loc}/Resource`);
      return;
    }
    if (ql === 'JSONata' && isJsonataExpression(r)) return;
    const integ = this.opts.integrations?.resolve(r);
    if (this.opts.integrations && !integ) {
      this.err('SCHEMA_VALIDATION_FAILED', `The resource provided ${r} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`, `${loc}/Resource`);
      return;
    }
    if (this.opts.type === 'EXPRESS' && integ?.pattern === 'token') this.err('SCHEMA_VALIDATION_FAILED', "Express state machine does not support '.waitForTaskToken' service integration ", `${loc}/Resource`);
    if (this.opts.type === 'EXPRESS' && integ?.pattern === 'sync') this.err('SCHEMA_VALIDATION_FAILED', "Express state machine does not support '.sync' service integration", `${loc}/Resource`);
    for (const k of ['TimeoutSeconds', 'HeartbeatSeconds']) {
      const x = s[k];
      if (x !== undefined && !(typeof x === 'string' && ql === 'JSONata') && !(Number.isInteger(x) && (x as number) > 0)) this.err('SCHEMA_VALIDATION_FAILED', 'Value must be a positive integer', `${loc}/${k}`);
    }
    if (typeof s.TimeoutSeconds === 'number' && typeof s.HeartbeatSeconds === 'number' && s.HeartbeatSeconds >= s.TimeoutSeconds) {
      this.err('SCHEMA_VALIDATION_FAILED', 'HeartbeatSeconds must be smaller than TimeoutSeconds', `${loc}/HeartbeatSeconds`);
    }
  }

  retryCatch(s: Record<string, unknown>, loc: string, targets: Array<[string, string]>): void {
    const errorList = (l: unknown, at: string) => {
      if (!Array.isArray(l) || l.length === 0 || l.some((x) => typeof x !== 'string')) {
        this.err('SCHEMA_VALIDATION_FAILED', 'These fields are required: [ErrorEquals]', at);
        return;
      }
      const i = l.indexOf('States.ALL');
      if (i >= 0 && l.length > 1) this.err('SCHEMA_VALIDATION_FAILED', 'States.ALL must appear alone in ErrorEquals', `${at}/ErrorEquals`);
    };
    if (s.Retry !== undefined) {
      if (!Array.isArray(s.Retry)) this.err('SCHEMA_VALIDATION_FAILED', 'Value must be an array', `${loc}/Retry`);
      else
        s.Retry.forEach((r: Record<string, unknown>, i: number) => {
          const at = `${loc}/Retry[${i}]`;
          errorList(r?.ErrorEquals, at);
          if (r?.ErrorEquals && (r.ErrorEquals as string[]).includes('States.ALL') && i !== (s.Retry as unknown[]).length - 1) this.err('SCHEMA_VALIDATION_FAILED', 'States.ALL must be the last retrier', at);
          if (r?.IntervalSeconds !== undefined && !(Number.isInteger(r.IntervalSeconds) && (r.IntervalSeconds as number) >= 1)) this.err('SCHEMA_VALIDATION_FAILED', 'Minimum value is 1', `${at}/IntervalSeconds`);
          if (r?.MaxAttempts !== undefined && !(Number.isInteger(r.MaxAttempts) && (r.MaxAttempts as number) >= 0)) this.err('SCHEMA_VALIDATION_FAILED', 'Minimum value is 0', `${at}/MaxAttempts`);
          if (r?.BackoffRate !== undefined && !(typeof r.BackoffRate === 'number' && r.BackoffRate >= 1)) this.err('SCHEMA_VALIDATION_FAILED', 'Minimum value is 1.0', `${at}/BackoffRate`);
          if (r?.MaxDelaySeconds !== undefined && !(Number.isInteger(r.MaxDelaySeconds) && (r.MaxDelaySeconds as number) >= 1)) this.err('SCHEMA_VALIDATION_FAILED', 'Minimum value is 1', `${at}/MaxDelaySeconds`);
          if (r?.JitterStrategy !== undefined && r.JitterStrategy !== 'FULL' && r.JitterStrategy !== 'NONE') this.err('SCHEMA_VALIDATION_FAILED', "The field 'JitterStrategy' should have one of these values: [FULL, NONE]", `${at}/JitterStrategy`);
        });
    }
    if (s.Catch !== undefined) {
      if (!Array.isArray(s.Catch)) this.err('SCHEMA_VALIDATION_FAILED', 'Value must be an array', `${loc}/Catch`);
      else
        s.Catch.forEach((c: Record<string, unknown>, i: number) => {
          const at = `${loc}/Catch[${i}]`;
          errorList(c?.ErrorEquals, at);
          if (typeof c?.Next !== 'string') this.err('SCHEMA_VALIDATION_FAILED', 'These fields are required: [Next]', at);
          else targets.push([c.Next, `${at}/Next`]);
          if (c?.ResultPath !== undefined && c.ResultPath !== null) this.referencePath(c.ResultPath, `${at}/ResultPath`, false);
        });
    }
  }

  choice(s: Record<string, unknown>, loc: string, ql: string, targets: Array<[string, string]>): void {
    if (!Array.isArray(s.Choices) || s.Choices.length === 0) {
      this.err('SCHEMA_VALIDATION_FAILED', s.Choices === undefined ? 'These fields are required: [Choices]' : 'Value cannot be empty', s.Choices === undefined ? loc : `${loc}/Choices`);
    } else {
      s.Choices.forEach((r: Record<string, unknown>, i: number) => {
        const at = `${loc}/Choices[${i}]`;
        if (typeof r?.Next !== 'string') this.err('SCHEMA_VALIDATION_FAILED', 'These fields are required: [Next]', at);
        else targets.push([r.Next, `${at}/Next`]);
        if (ql === 'JSONata') {
          if (r?.Condition === undefined) this.err('SCHEMA_VALIDATION_FAILED', 'These fields are required: [Condition]', at);
          else this.jsonata(r.Condition, `${at}/Condition`);
        } else this.rule(r, at, true);
      });
    }
    if (s.Default !== undefined) {
      if (typeof s.Default !== 'string') this.err('SCHEMA_VALIDATION_FAILED', 'Value must be a string', `${loc}/Default`);
      else targets.push([s.Default, `${loc}/Default`]);
    }
  }

  rule(r: Record<string, unknown>, at: string, top: boolean): void {
    if (!r || typeof r !== 'object') {
      this.err('SCHEMA_VALIDATION_FAILED', 'Value must be an object', at);
      return;
    }
    if (Array.isArray(r.And) || Array.isArray(r.Or)) {
      const list = (r.And ?? r.Or) as Record<string, unknown>[];
      if (!list.length) this.err('SCHEMA_VALIDATION_FAILED', 'Value cannot be empty', `${at}/${r.And ? 'And' : 'Or'}`);
      list.forEach((x, i) => this.rule(x, `${at}/${r.And ? 'And' : 'Or'}[${i}]`, false));
      return;
    }
    if (r.Not !== undefined) {
      this.rule(r.Not as Record<string, unknown>, `${at}/Not`, false);
      return;
    }
    if (!top && r.Next !== undefined) this.err('SCHEMA_VALIDATION_FAILED', "Field 'Next' is not supported", at);
    const ops = Object.keys(r).filter((k) => (COMPARATORS as readonly string[]).includes(k) || (COMPARATORS as readonly string[]).includes(k.replace(/Path$/, '')) || (TYPE_TESTS as readonly string[]).includes(k));
    if (r.Variable === undefined) {
      this.err('SCHEMA_VALIDATION_FAILED', 'These fields are required: [Variable]', at);
      return;
    }
    this.referencePath(r.Variable, `${at}/Variable`, true);
    if (ops.length !== 1) {
      this.err('SCHEMA_VALIDATION_FAILED', ops.length ? `There should only be one of the following fields: [${ops.join(', ')}]` : 'A choice rule needs a comparison operator', at);
      return;
    }
    const op = ops[0];
    const val = r[op];
    if (op.endsWith('Path') && op !== 'StringMatchesPath') this.referencePath(val, `${at}/${op}`, true);
    else if (op === 'StringMatchesPath') this.referencePath(val, `${at}/${op}`, true);
    else if ((TYPE_TESTS as readonly string[]).includes(op) || op === 'BooleanEquals') {
      if (typeof val !== 'boolean') this.err('SCHEMA_VALIDATION_FAILED', 'Value must be a boolean', `${at}/${op}`);
    } else if (op.startsWith('Numeric')) {
      if (typeof val !== 'number') this.err('SCHEMA_VALIDATION_FAILED', 'Value must be a number', `${at}/${op}`);
    } else if (op.startsWith('Timestamp')) {
      if (parseTimestamp(val) === null) this.err('SCHEMA_VALIDATION_FAILED', 'String does not match RFC3339 timestamp', `${at}/${op}`);
    } else if (typeof val !== 'string') this.err('SCHEMA_VALIDATION_FAILED', 'Value must be a string', `${at}/${op}`);
  }

  /** A JSONPath (or a variable reference: $name.field). */
  path(v: unknown, at: string, allowContext: boolean): void {
    if (typeof v !== 'string' || !(isVariableRef(v) || (isValidPath(v) && (allowContext || !v.startsWith('$$'))))) this.err('SCHEMA_VALIDATION_FAILED', 'Value is not a valid JSONPath', at);
  }

  /** A reference path: a definite JSONPath ($.a.b, $['a'][0]) or a variable reference. */
  referencePath(v: unknown, at: string, allowContext: boolean): void {
    if (typeof v === 'string' && isVariableRef(v)) return;
    let ok = typeof v === 'string' && (allowContext || !v.startsWith('$$'));
    if (ok) {
      try {
        ok = parsePath(v as string).segs !== null;
      } catch {
        ok = false;
      }
    }
    if (!ok) this.err('SCHEMA_VALIDATION_FAILED', 'Value is not a Reference Path', at);
  }

  payload(tpl: unknown, at: string): void {
    if (Array.isArray(tpl)) {
      tpl.forEach((x) => this.payload(x, at));
      return;
    }
    if (!tpl || typeof tpl !== 'object') return;
    for (const [k, v] of Object.entries(tpl)) {
      if (k.endsWith('.$')) {
        const bad = () => this.err('SCHEMA_VALIDATION_FAILED', `The value for the field '${k}' must be a valid JSONPath or a valid intrinsic function call`, at);
        if (typeof v !== 'string') bad();
        else if (looksLikeIntrinsic(v)) {
          try {
            parseIntrinsic(v);
          } catch {
            bad();
          }
        } else if (!isVariableRef(v) && !isValidPath(v)) bad();
        else if (v.startsWith('States.') && !INTRINSIC_NAMES.some((n) => v.startsWith(n))) bad();
      } else this.payload(v, at);
    }
  }

  jsonata(v: unknown, at: string): void {
    if (typeof v === 'string') {
      const problem = checkJsonataSyntax(v);
      if (problem) this.err('INVALID_JSONATA_EXPRESSION', problem, at);
    } else if (Array.isArray(v)) v.forEach((x, i) => this.jsonata(x, `${at}/${i}`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) this.jsonata(x, `${at}/${k}`);
  }
}

function isVariableRef(v: string): boolean {
  return /^\$[A-Za-z_][A-Za-z0-9_]*((\.|\[).*)?$/s.test(v) && (() => {
    const rest = v.replace(/^\$[A-Za-z_][A-Za-z0-9_]*/, '');
    return rest === '' || isValidPath(`$${rest}`);
  })();
}

function outgoing(s: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof s.Next === 'string') out.push(s.Next);
  if (typeof s.Default === 'string') out.push(s.Default);
  if (Array.isArray(s.Choices)) for (const c of s.Choices) if (typeof c?.Next === 'string') out.push(c.Next);
  if (Array.isArray(s.Catch)) for (const c of s.Catch) if (typeof c?.Next === 'string') out.push(c.Next);
  return out;
}
