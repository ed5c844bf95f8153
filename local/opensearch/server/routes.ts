// The REST API surface: which handler serves which method and path.
import * as docs from '../api/documents';
import { bulk } from '../api/bulk';
import * as info from '../api/info';
import * as indices from '../api/indices';
import * as searchApi from '../api/search';
import { updateDoc } from '../api/update';
import { Router } from './router';

export function buildRouter(): Router {
  const r = new Router();
  r.add(['GET', 'HEAD'], '/', () => info.rootInfo())
    .add('GET', '/_cluster/health', info.clusterHealth)
    .add('GET', '/_cluster/health/{index}', info.clusterHealth)
    .add('GET', '/_cat/indices', info.catIndices)
    .add('GET', '/_cat/indices/{index}', info.catIndices)
    .add('GET', '/_cat/health', info.catHealth)
    .add(['POST', 'PUT'], '/_bulk', bulk)
    .add(['POST', 'PUT'], '/{index}/_bulk', bulk)
    .add(['GET', 'POST'], '/_search', searchApi.search)
    .add(['GET', 'POST'], '/{index}/_search', searchApi.search)
    .add(['GET', 'POST'], '/_msearch', searchApi.msearch)
    .add(['GET', 'POST'], '/{index}/_msearch', searchApi.msearch)
    .add(['GET', 'POST'], '/_count', searchApi.count)
    .add(['GET', 'POST'], '/{index}/_count', searchApi.count)
    .add('POST', '/{index}/_delete_by_query', searchApi.deleteByQuery)
    .add(['GET', 'POST'], '/_mget', docs.mget)
    .add(['GET', 'POST'], '/{index}/_mget', docs.mget)
    .add(['GET', 'POST'], '/_refresh', indices.refresh)
    .add(['GET', 'POST'], '/{index}/_refresh', indices.refresh)
    .add('GET', '/_mapping', indices.getMapping)
    .add('GET', '/{index}/_mapping', indices.getMapping)
    .add(['PUT', 'POST'], '/{index}/_mapping', indices.putMapping)
    .add('GET', '/_settings', indices.getSettings)
    .add('GET', '/{index}/_settings', indices.getSettings)
    .add('PUT', '/{index}/_settings', indices.putSettings)
    .add(['PUT', 'POST'], '/{index}/_doc/{id}', (q) => docs.indexDoc(q))
    .add('GET', '/{index}/_doc/{id}', (q) => docs.getDoc(q))
    .add('HEAD', '/{index}/_doc/{id}', (q) => {
      const res = docs.getDoc(q);
      return { status: res.status };
    })
    .add('DELETE', '/{index}/_doc/{id}', docs.deleteDoc)
    .add('POST', '/{index}/_doc', (q) => docs.indexDoc(q))
    .add(['PUT', 'POST'], '/{index}/_create/{id}', (q) => docs.indexDoc(q, 'create'))
    .add('GET', '/{index}/_source/{id}', (q) => docs.getDoc(q, true))
    .add('POST', '/{index}/_update/{id}', updateDoc)
    .add('PUT', '/{index}', indices.createIndex)
    .add('DELETE', '/{index}', indices.deleteIndex)
    .add('HEAD', '/{index}', indices.indexExists)
    .add('GET', '/{index}', indices.getIndex);
  return r;
}
