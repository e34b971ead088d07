/**
 * Writes after the seed build keep the derived data in step: an ingested
 * article is searchable at once and stops being found when it is deleted, and
 * an added relationship moves the degree of both ends. Expected values come
 * from the fixture text and from counting relationships through the API.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from '../helpers/test-server.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'bamako-talks.md'), 'utf8');
const KEY = 'upkeep-key';
const AUTH = { authorization: `Bearer ${KEY}` };
// "Coulibaly" occurs only in the fixture, never in the seed article.
const SEARCH = '{ search(query: "Coulibaly", first: 20) { totalCount nodes { subject { __typename ... on Document { id } } } } }';

describe('derived data after ingest, delete and curation', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { API_KEYS: `curator:${createHash('sha256').update(KEY).digest('hex')}` } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('finds an ingested article by a word only it contains, and not after it is deleted', async () => {
    expect((await server.gql(SEARCH)).data.search.totalCount).toBe(0);
    const ingested = await server.gql('mutation ($t: NonEmptyString!) { ingestDocument(input: { text: $t }) { document { id } } }', { t: FIXTURE }, AUTH);
    expect(ingested.errors).toBeUndefined();
    const docId: string = ingested.data.ingestDocument.document.id;
    const found = await server.gql(SEARCH);
    expect(found.errors).toBeUndefined();
    expect(found.data.search.totalCount).toBeGreaterThan(0);
    expect(found.data.search.nodes.map((n: any) => n.subject.id)).toContain(docId);

    const deleted = await server.gql('mutation ($id: ID!) { deleteDocument(id: $id) { __typename } }', { id: docId }, AUTH);
    expect(deleted.errors).toBeUndefined();
    expect((await server.gql(SEARCH)).data.search.totalCount).toBe(0);
  });

  it('moves both ends’ degree when a curator adds a relationship', async () => {
    // DEGREE centrality over relationships is the stored degree over (entities − 1).
    const degreeQuery = '{ entities { totalCount } centrality(metric: DEGREE, first: 100) { entity { id } score } }';
    const relCount = async (id: string): Promise<number> =>
      (await server.gql('query ($id: ID!) { relationships(entity: $id, first: 100) { totalCount } }', { id })).data.relationships.totalCount;
    const degreeOf = async (id: string): Promise<number> => {
      const { data } = await server.gql(degreeQuery);
      const score = data.centrality.find((r: any) => r.entity.id === id)?.score ?? 0;
      return Math.round(score * (data.entities.totalCount - 1));
    };
    const [a, b] = ['actor:owp', 'place:moura'];
    const before = [await degreeOf(a), await degreeOf(b)];
    expect(before).toEqual([await relCount(a), await relCount(b)]);
    const added = await server.gql(
      `mutation { addRelationship(input: { type: OPERATES_IN, source: "${a}", target: "${b}", description: "test link",
        document: "document:mali-asks-un-to-end-peacekeeping-mission", evidence: [{ quote: "Moura massacre" }] }) { id } }`,
      undefined,
      AUTH,
    );
    expect(added.errors).toBeUndefined();
    expect([await degreeOf(a), await degreeOf(b)]).toEqual([before[0]! + 1, before[1]! + 1]);
    expect([await degreeOf(a), await degreeOf(b)]).toEqual([await relCount(a), await relCount(b)]);
  });
});
