import { creationOrder, references } from '../../../../local/deployer/order';

describe('creation order', () => {
  const known = new Set(['A', 'B', 'C']);

  it('finds references in Ref, both Fn::GetAtt forms and Fn::Sub, and ignores pseudo parameters and unknown ids', () => {
    expect([...references({ Ref: 'A' }, known)]).toEqual(['A']);
    expect([...references({ 'Fn::GetAtt': ['B', 'Arn'] }, known)]).toEqual(['B']);
    expect([...references({ 'Fn::GetAtt': 'C.Endpoint.Address' }, known)]).toEqual(['C']);
    expect([...references({ 'Fn::Sub': 'x-${A}-${B.Arn}-${AWS::Region}-${!C}' }, known)].sort()).toEqual(['A', 'B']);
    expect([...references({ 'Fn::Sub': ['${v}', { v: { Ref: 'C' } }] }, known)]).toEqual(['C']);
    expect([...references({ Ref: 'AWS::StackName' }, known)]).toEqual([]);
    expect([...references({ nested: [{ deep: { Ref: 'Z' } }] }, known)]).toEqual([]);
  });

  it('creates a resource after what it references or depends on, else in template order', () => {
    const order = creationOrder({
      Resources: {
        Method: { Type: 'M', Properties: { ResourceId: { Ref: 'Resource' }, Uri: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
        Resource: { Type: 'R', Properties: { RestApiId: { Ref: 'Api' } } },
        Api: { Type: 'A' },
        Fn: { Type: 'F', DependsOn: ['Role'] },
        Role: { Type: 'Role' },
        Lone: { Type: 'L' },
      },
    });
    expect(order).toEqual(['Api', 'Resource', 'Role', 'Fn', 'Method', 'Lone']);
  });

  it('names a circular dependency', () => {
    expect(() => creationOrder({ Resources: { A: { Type: 'T', Properties: { x: { Ref: 'B' } } }, B: { Type: 'T', DependsOn: 'A' } } })).toThrow(
      /circular dependency between resources: A -> B -> A/,
    );
  });
});
