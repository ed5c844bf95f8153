// Error classes of the local OpenSearch engine, serialised exactly as OpenSearch does:
// {"error":{"root_cause":[...],"type":"...","reason":"...",...},"status":N}.

/** Base class: an OpenSearch exception with its snake_case `type`, HTTP status and extra body fields. */
export class OpenSearchError extends Error {
  constructor(
    readonly type: string,
    readonly reason: string,
    readonly status: number,
    readonly extra: Record<string, unknown> = {},
    readonly causedBy?: OpenSearchError,
  ) {
    super(reason);
    this.name = type;
  }

  /** The exception as OpenSearch writes it inside "error" (without root_cause). */
  toXContent(): Record<string, unknown> {
    const out: Record<string, unknown> = { type: this.type, reason: this.reason, ...this.extra };
    if (this.causedBy) out.caused_by = this.causedBy.toXContent();
    return out;
  }

  /** Root causes as OpenSearch guesses them: the exception itself unless a subclass says otherwise. */
  rootCauses(): Record<string, unknown>[] {
    const { caused_by: _c, ...own } = this.toXContent();
    return [own];
  }

  /** Full HTTP response body. */
  toBody(): Record<string, unknown> {
    return { error: { root_cause: this.rootCauses(), ...this.toXContent() }, status: this.status };
  }
}

const naIndex = (index: string) => ({ index, index_uuid: '_na_' });

export class IndexNotFoundError extends OpenSearchError {
  constructor(index: string) {
    super('index_not_found_exception', `no such index [${index}]`, 404, {
      index,
      'resource.id': index,
      'resource.type': 'index_or_alias',
      index_uuid: '_na_',
    });
  }
}

export class ResourceAlreadyExistsError extends OpenSearchError {
  constructor(index: string, uuid: string) {
    super('resource_already_exists_exception', `index [${index}/${uuid}] already exists`, 400, { index, index_uuid: uuid });
  }
}

export class InvalidIndexNameError extends OpenSearchError {
  constructor(index: string, why: string) {
    super('invalid_index_name_exception', `Invalid index name [${index}], ${why}`, 400, naIndex(index));
  }
}

export class VersionConflictError extends OpenSearchError {
  constructor(index: string, uuid: string, shard: number, id: string, explanation: string) {
    super('version_conflict_engine_exception', `[${id}]: version conflict, ${explanation}`, 409, {
      index,
      shard: String(shard),
      index_uuid: uuid,
    });
  }
}

export class DocumentMissingError extends OpenSearchError {
  constructor(index: string, uuid: string, shard: number, id: string) {
    super('document_missing_exception', `[${id}]: document missing`, 404, { index, shard: String(shard), index_uuid: uuid });
  }
}

export class IllegalArgumentError extends OpenSearchError {
  constructor(reason: string, causedBy?: OpenSearchError) {
    super('illegal_argument_exception', reason, 400, {}, causedBy);
  }
}

export class ActionRequestValidationError extends OpenSearchError {
  constructor(problems: string[]) {
    super('action_request_validation_exception', `Validation Failed: ${problems.map((p, i) => `${i + 1}: ${p};`).join('')}`, 400);
  }
}

/** parsing_exception: malformed query DSL; carries line/col like OpenSearch's XContent location. */
export class ParsingError extends OpenSearchError {
  constructor(reason: string, line = 1, col = 1, causedBy?: OpenSearchError) {
    super('parsing_exception', reason, 400, { line, col }, causedBy);
  }
}

export class XContentParseError extends OpenSearchError {
  constructor(reason: string, causedBy?: OpenSearchError) {
    super('x_content_parse_exception', reason, 400, {}, causedBy);
  }
}

export class JsonParseError extends OpenSearchError {
  constructor(reason: string) {
    super('json_parse_exception', reason, 400);
  }
}

export class MapperParsingError extends OpenSearchError {
  constructor(reason: string, causedBy?: OpenSearchError) {
    super('mapper_parsing_exception', reason, 400, {}, causedBy);
  }
}

export class StrictDynamicMappingError extends OpenSearchError {
  constructor(field: string, parent: string) {
    super('strict_dynamic_mapping_exception', `mapping set to strict, dynamic introduction of [${field}] within [${parent}] is not allowed`, 400);
  }
}

export class QueryShardError extends OpenSearchError {
  constructor(reason: string, index: string, uuid: string, causedBy?: OpenSearchError) {
    super('query_shard_exception', reason, 400, { index, index_uuid: uuid }, causedBy);
  }
}

export class RoutingMissingError extends OpenSearchError {
  constructor(index: string, id: string) {
    super('routing_missing_exception', `routing is required for [${index}]/[${id}]`, 400, naIndex(index));
  }
}

/** A failure while searching a shard, reported by OpenSearch wrapped in search_phase_execution_exception. */
export class SearchPhaseExecutionError extends OpenSearchError {
  constructor(
    readonly shardFailures: { shard: number; index: string; cause: OpenSearchError }[],
    phase = 'query',
  ) {
    const first = shardFailures[0]?.cause;
    super(
      'search_phase_execution_exception',
      'all shards failed',
      first ? first.status : 500,
      {
        phase,
        grouped: true,
        failed_shards: shardFailures.map((f) => ({ shard: f.shard, index: f.index, node: NODE_ID, reason: f.cause.toXContent() })),
      },
      first,
    );
  }

  override rootCauses(): Record<string, unknown>[] {
    const seen = new Set<string>();
    const out: Record<string, unknown>[] = [];
    for (const f of this.shardFailures) {
      const own = f.cause.rootCauses();
      for (const rc of own) {
        const key = `${rc.type}|${rc.reason}|${rc.index ?? ''}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push(rc);
        }
      }
    }
    return out;
  }
}

/** Errors that OpenSearch reports as a bare string, e.g. unknown URIs: {"error":"no handler found ...","status":400}. */
export class PlainError extends OpenSearchError {
  constructor(reason: string, status: number) {
    super('plain', reason, status);
  }
  override toBody(): Record<string, unknown> {
    return { error: this.reason, status: this.status };
  }
}

export const NODE_ID = 'bG9jYWwtb3BlbnNlYXJjaA';
