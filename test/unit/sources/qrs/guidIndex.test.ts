import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { ABSENT, GuidIndex, NOT_GUID } from '../../../../src/sources/qrs/guidIndex';

describe('GuidIndex', () => {
  it('finds each of 200,000 GUIDs again through its growth, and only those', () => {
    const index = new GuidIndex();
    const guids = Array.from({ length: 200_000 }, () => randomUUID());
    guids.forEach((g, i) => {
      assert.equal(index.find(g), ABSENT);
      index.add(g, i);
    });
    assert.equal(index.size, guids.length);
    guids.forEach((g, i) => assert.equal(index.find(g), i, g));
    // Fresh strings, as each page's parser makes them.
    assert.equal(index.find(JSON.parse(JSON.stringify(guids[123_456]))), 123_456);
    for (let i = 0; i < 1000; i++) {
      assert.equal(index.find(randomUUID()), ABSENT);
    }
  });

  it('tells apart GUIDs one hex digit apart in any position, and sequential ones', () => {
    const index = new GuidIndex();
    const base = '00000000-0000-0000-0000-000000000000';
    const digitAt = [...base].flatMap((c, i) => (c === '-' ? [] : [i]));
    const variants = digitAt.flatMap((at) => ['1', 'f'].map((d) => base.slice(0, at) + d + base.slice(at + 1)));
    const sequential = Array.from({ length: 5000 }, (_, i) => `6f9619ff-8b86-d011-b42d-${i.toString(16).padStart(12, '0')}`);
    const all = [base, ...variants, ...sequential];
    assert.equal(new Set(all).size, all.length);
    all.forEach((g, i) => index.add(g, i));
    all.forEach((g, i) => assert.equal(index.find(g), i, g));
  });

  it('leaves every text that is not a lowercase 8-4-4-4-12 GUID to a Map, and refuses to add one', () => {
    const index = new GuidIndex();
    const g = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    index.add(g, 7);
    for (const text of [g.toUpperCase(), `{${g}}`, g.replaceAll('-', ''), `${g} `, g.slice(0, 35), g.replace('-', '_'), g.replace('e', 'g'), g.replace('0', '\u0660'), '', 'CORP\\jdoe']) {
      assert.equal(index.find(text), NOT_GUID, JSON.stringify(text));
      assert.throws(() => index.add(text, 1), /not a GUID in QRS's form/);
    }
    assert.equal(index.find(g), 7);
    assert.equal(index.size, 1);
  });
});
