import { mergeDocuments } from '../../../../local/xray/summary';
import type { SegmentDocument } from '../../../../local/xray/segments';

const T = '1-5759e988-bd862e3fe1be46a994272793';

describe('folding independent subsegments into their segments', () => {
  it('nests them under their parent at any depth, in order, and keeps orphans on their own', () => {
    const docs: SegmentDocument[] = [
      { name: 'inner', id: 'cccccccccccccccc', trace_id: T, type: 'subsegment', parent_id: 'bbbbbbbbbbbbbbbb', start_time: 3, end_time: 4 },
      { name: 'fn', id: 'aaaaaaaaaaaaaaaa', trace_id: T, start_time: 1, end_time: 9, subsegments: [{ name: 'Invocation', id: 'dddddddddddddddd', start_time: 1, end_time: 9 }] },
      { name: '## handler', id: 'bbbbbbbbbbbbbbbb', trace_id: T, type: 'subsegment', parent_id: 'aaaaaaaaaaaaaaaa', start_time: 2, end_time: 8 },
      { name: 'orphan', id: 'eeeeeeeeeeeeeeee', trace_id: T, type: 'subsegment', parent_id: 'ffffffffffffffff', start_time: 5, end_time: 6 },
    ];
    const merged = mergeDocuments(docs);
    expect(merged.map((d) => d.name)).toEqual(['fn', 'orphan']);
    expect(merged[0]!.subsegments!.map((s) => s.name)).toEqual(['Invocation', '## handler']);
    const handler = merged[0]!.subsegments![1]!;
    expect([handler.type, handler.parent_id, handler.trace_id]).toEqual([undefined, undefined, undefined]);
    expect(handler.subsegments!.map((s) => s.name)).toEqual(['inner']);
    // the inputs are left as they were
    expect(docs[1]!.subsegments).toHaveLength(1);
  });
});
