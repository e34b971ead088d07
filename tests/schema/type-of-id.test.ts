import { describe, expect, it } from 'vitest';

import { typeOfId } from '../../src/schema/type-of-id.js';

describe('typeOfId', () => {
  it.each([
    ['actor:mali', 'Actor'],
    ['person:el-ghassim-wane', 'Person'],
    ['place:moura', 'Place'],
    ['event:moura-massacre', 'Event'],
    ['statement:el-ghassim-wane-consent', 'Statement'],
    ['relationship:el-ghassim-wane--leads--minusma', 'Relationship'],
    ['document:mali-asks-un-to-end-peacekeeping-mission', 'Document'],
    ['mention:mali-asks-un-to-end-peacekeeping-mission:120', 'Mention'],
  ])('%s is a %s', (id, type) => {
    expect(typeOfId(id)).toBe(type);
  });

  it.each(['', 'mali', 'actor', 'actorx', 'actors:mali', 'Actor:mali', ':mali', 'constructor:x', 'toString:x', '__proto__:x', 'hasOwnProperty:x'])(
    '%j names no type',
    (id) => {
      expect(typeOfId(id)).toBeNull();
    },
  );
});
