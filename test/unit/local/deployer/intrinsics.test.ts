import { IntrinsicError, NO_VALUE, resolve, type ResolveScope } from '../../../../local/deployer/intrinsics';

const scope = (overrides: Partial<ResolveScope> = {}): ResolveScope => ({
  stackName: 'Stack',
  region: 'us-east-1',
  accountId: '000000000000',
  ref: (id) => (id === 'Table' ? 'Stack-Table' : `ref:${id}`),
  getAtt: (id, attr) => `att:${id}.${attr}`,
  importValue: (name) => (name === 'Other:Export' ? 'imported' : undefined),
  condition: (name) => name === 'IsProd',
  ...overrides,
});

describe('intrinsic functions', () => {
  it('resolves Ref, pseudo parameters and Fn::GetAtt in both forms', () => {
    expect(resolve({ Ref: 'Table' }, scope())).toBe('Stack-Table');
    expect(resolve({ Ref: 'AWS::Region' }, scope())).toBe('us-east-1');
    expect(resolve({ Ref: 'AWS::AccountId' }, scope())).toBe('000000000000');
    expect(resolve({ 'Fn::GetAtt': ['Fn', 'Arn'] }, scope())).toBe('att:Fn.Arn');
    expect(resolve({ 'Fn::GetAtt': 'Cache.Endpoint.Address' }, scope())).toBe('att:Cache.Endpoint.Address');
  });

  it('joins, substitutes (with locals, attributes and ${!literals}), selects and splits', () => {
    expect(resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x']] }, scope())).toBe('arn:aws:x');
    expect(resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:${Table}/${Fn.Arn}/${!Literal}' }, scope())).toBe('arn:aws:Stack-Table/att:Fn.Arn/${Literal}');
    expect(resolve({ 'Fn::Sub': ['${Name}-${AWS::Region}', { Name: { Ref: 'Table' } }] }, scope())).toBe('Stack-Table-us-east-1');
    expect(resolve({ 'Fn::Select': [2, { 'Fn::Split': ['/', 'a/b/c'] }] }, scope())).toBe('c');
    expect(() => resolve({ 'Fn::Select': [5, ['a']] }, scope())).toThrow(IntrinsicError);
  });

  it('imports values, evaluates conditions and drops AWS::NoValue', () => {
    expect(resolve({ 'Fn::ImportValue': 'Other:Export' }, scope())).toBe('imported');
    expect(resolve({ 'Fn::If': ['IsProd', 'big', 'small'] }, scope())).toBe('big');
    expect(resolve({ 'Fn::If': ['IsDev', 'big', { Ref: 'AWS::NoValue' }] }, scope())).toBe(NO_VALUE);
    expect(resolve({ A: 1, B: { 'Fn::If': ['IsDev', 2, { Ref: 'AWS::NoValue' }] } }, scope())).toEqual({ A: 1 });
    expect(resolve([1, { Ref: 'AWS::NoValue' }, 3], scope())).toEqual([1, 3]);
    expect(resolve({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }, scope())).toBe(true);
  });

  it('names what it cannot resolve', () => {
    expect(() => resolve({ 'Fn::Join': ['', [{ 'Fn::GetAZs': '' }]] }, scope())).toThrow(/Fn::Join expects a string/);
  });
});
