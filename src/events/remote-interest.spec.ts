import { RemoteInterest } from './remote-interest.js';

describe('RemoteInterest', () => {
  it('follows what each instance adds, removes and announces in full', () => {
    const interest = new RemoteInterest(30_000);
    interest.apply({ i: 'a', add: ['t1', 't2'] }, 0);
    interest.apply({ i: 'b', add: ['t2'] }, 0);
    interest.apply({ i: 'a', del: ['t2'] }, 1);
    expect(['t1', 't2', 't3'].map((t) => interest.has(t))).toEqual([true, true, false]);
    interest.apply({ i: 'b', all: ['t3'] }, 2); // a full set replaces what was known of b
    expect(['t1', 't2', 't3'].map((t) => interest.has(t))).toEqual([true, false, true]);
  });

  it('asks for an answer to hello only', () => {
    const interest = new RemoteInterest(30_000);
    expect(interest.apply({ i: 'a', all: [], hello: true }, 0)).toBe(true);
    expect(interest.apply({ i: 'a', add: ['t'] }, 0)).toBe(false);
  });

  it('forgets an instance that stopped announcing', () => {
    const interest = new RemoteInterest(30_000);
    interest.apply({ i: 'dead', add: ['t'] }, 0);
    interest.apply({ i: 'alive', add: ['u'] }, 0);
    interest.apply({ i: 'alive', all: ['u'] }, 25_000);
    interest.expire(30_001);
    expect(interest.has('t')).toBe(false);
    expect(interest.has('u')).toBe(true);
    expect(interest.instanceCount).toBe(1);
  });
});
