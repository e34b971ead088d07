/**
 * `entity(name:)` finds an entity by its name or any alias, ignoring case,
 * diacritics and punctuation; unknown names and ids give null.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const lookup = async (name: string) =>
  (await server.data<{ entity: { id: string; name: string } | null }>('query ($name: String!) { entity(name: $name) { id name } }', { name }))
    .entity;

describe('entity(name:) finds one entity by any of its names', () => {
  it.each([
    // The text's own names.
    ['Al-Quaeda', 'actor:al-qaeda'], // the article's spelling
    ['ISIL', 'actor:isil'],
    ['ISIS', 'actor:isil'], // "ISIL (ISIS)"
    ['blue helmets', 'actor:minusma'], // "the mandate of the blue helmets"
    ['UN peacekeepers', 'actor:minusma'],
    ['MINUSMA', 'actor:minusma'],
    ['Wane', 'person:el-ghassim-wane'],
    ['El Ghassim Wane', 'person:el-ghassim-wane'],
    ['Nebenzia', 'person:vassily-nebenzia'],
    ['Vassily Nebenzia', 'person:vassily-nebenzia'],
    ['military junta', 'actor:mali-interim-military-government'], // "a military junta taking control"
    ['the junta', 'actor:mali-interim-military-government'],
    ['junta', 'actor:mali-interim-military-government'],
    ['interim military government', 'actor:mali-interim-military-government'],
    ['UN', 'actor:un'],
    ['US', 'actor:us'],
    ['Wagner', 'actor:wagner'],
    ['Russia', 'actor:russia'],
    ['Mali', 'actor:mali'],
    ['Malian troops', 'actor:malian-troops'],
    ['Malians', 'actor:malian-citizens'],
    ['rebels', 'actor:northern-mali-rebels'],
    ['OWP', 'actor:owp'],
    ['Northern Mali', 'place:northern-mali'],
    ['Moura', 'place:moura'],
    ['Sahel', 'place:sahel'],
    ['middle east', 'place:middle-east'],
    // Common names the text does not use.
    ['United Nations', 'actor:un'],
    ['Al-Qaeda', 'actor:al-qaeda'],
    ['Islamic State', 'actor:isil'],
  ])('%j → %s', async (name, id) => {
    expect((await lookup(name))?.id).toBe(id);
  });
});

describe('matching ignores case, diacritics and punctuation', () => {
  it.each([
    ['al qaeda', 'actor:al-qaeda'],
    ['AL-QAEDA', 'actor:al-qaeda'],
    ['al-quaeda', 'actor:al-qaeda'],
    ['  Al — Qaeda  ', 'actor:al-qaeda'],
    ['isis', 'actor:isil'],
    ['Blue-Helmets', 'actor:minusma'],
    ['BLUE HELMETS!', 'actor:minusma'],
    ['the blue helmets', 'actor:minusma'],
    ['minusma', 'actor:minusma'],
    ['wane', 'person:el-ghassim-wane'],
    ['NEBENZIA', 'person:vassily-nebenzia'],
    ['Nébenzia', 'person:vassily-nebenzia'],
    ['Vassíly Nebénzia', 'person:vassily-nebenzia'],
    ['Malí', 'actor:mali'],
    ['the UN', 'actor:un'],
    ['un', 'actor:un'],
    ['U.N.', 'actor:un'],
    ['united nations', 'actor:un'],
    ['the US', 'actor:us'],
    ['us', 'actor:us'],
    ['U.S.', 'actor:us'],
    ['The Junta', 'actor:mali-interim-military-government'],
    ['Military-Junta', 'actor:mali-interim-military-government'],
    ['MIDDLE EAST', 'place:middle-east'],
  ])('%j → %s', async (name, id) => {
    expect((await lookup(name))?.id).toBe(id);
  });
});

describe('unknown names and ids give null, not errors', () => {
  it.each(['Atlantis', 'al qaedaa', 'Nebenziaa', 'Wagner Groupp', '', '   ', '--', 'the'])('entity(name: %j) is null', async (name) => {
    expect(await lookup(name)).toBeNull();
  });

  it.each(['actor:atlantis', 'person:nobody', 'event:nothing', 'statement:none', 'relationship:a--leads--b', 'document:none', 'mention:none:0', 'nonsense', '', 'constructor:x', '__proto__:x'])(
    'node(id: %j) is null',
    async (id) => {
      const { data, errors } = await server.gql('query ($id: ID!) { node(id: $id) { id } }', { id });
      expect(errors).toBeUndefined();
      expect(data.node).toBeNull();
    },
  );

  it('nodes(ids:) keeps the order asked, with null for unknown ids', async () => {
    const { nodes } = await server.data('{ nodes(ids: ["actor:wagner", "actor:atlantis", "person:vassily-nebenzia"]) { id } }');
    expect(nodes).toEqual([{ id: 'actor:wagner' }, null, { id: 'person:vassily-nebenzia' }]);
  });
});

describe('every name an entity lists finds that entity', () => {
  it('name and each alias, lower-cased, lead back to the entity', async () => {
    const { entities } = await server.data('{ entities(first: 100) { nodes { id name aliases } } }');
    let checked = 0;
    for (const e of entities.nodes) {
      for (const name of [e.name, ...e.aliases]) {
        expect((await lookup(name.toLowerCase()))?.id, `${name} → ${e.id}`).toBe(e.id);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });
});
