/**
 * The same writes through the API leave the same graph on SQLite and on
 * PostgreSQL: ingest an article, curate it (confirm, add a statement, merge,
 * reject), delete it; after each step both servers must give the same
 * answers to the same reads — entities with their provenance and derived
 * counts, statements, search hits with snippets and evidence, analytics and
 * the audit log (all but its timestamps) — and the same errors to the same
 * refused writes. Skipped, with the reason, where PostgreSQL is absent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backend, backendTitle, type BackendName } from '../helpers/backends.js';
import { AUTH, type GqlResult, startTestServer, type TestServer } from '../helpers/test-server.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'bamako-talks.md'), 'utf8');

/** Everything a write may change, read in one request. */
const STATE = `{
  entities(first: 100) { totalCount nodes { id name status mentionCount aliases provenance { method confidence extractor } } }
  byMentions: entities(first: 10, orderBy: MENTIONS) { nodes { id } }
  byDegree: entities(first: 10, orderBy: DEGREE) { nodes { id } }
  statements(first: 100) { totalCount nodes { id text kind attribution speaker { id } about { ... on Node { id } } provenance { method confidence } evidence { start end exact } } }
  relationships(first: 100) { totalCount nodes { id type source { id } target { id } } }
  documents(first: 20) { totalCount nodes { id title } }
  auditLog(first: 100) { totalCount nodes { id actor action subjectId before after } }
  bamako: search(query: "Bamako", first: 20) { totalCount }
}`;

describe.skipIf(!backend('sqlite').available || !backend('postgres').available)(
  backendTitle(backend('postgres'), 'the same writes give the same graph on SQLite and PostgreSQL'),
  () => {
    const servers = {} as Record<BackendName, TestServer>;

    beforeAll(async () => {
      const [sqlite, postgres] = await Promise.all([startTestServer({ backend: 'sqlite' }), startTestServer({ backend: 'postgres' })]);
      servers.sqlite = sqlite;
      servers.postgres = postgres;
    });
    afterAll(async () => {
      await Promise.all(Object.values(servers).map((s) => s?.stop()));
    });

    /** Send the same request to both servers, one after the other; expect the same status and body. */
    async function same(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = AUTH): Promise<GqlResult<any>> {
      const a = await servers.sqlite.gql(query, variables, headers);
      const b = await servers.postgres.gql(query, variables, headers);
      expect({ status: b.status, body: b.body }).toEqual({ status: a.status, body: a.body });
      return a;
    }

    /** The hits of a search on both backends, by subject id (ranks are each backend's own), with snippets and evidence. */
    async function sameHits(query: string): Promise<unknown[]> {
      const read = async (server: TestServer) => {
        const { data, errors } = await server.gql(
          `query ($q: String!) { search(query: $q, first: 100) { totalCount relaxed terms nodes {
            snippet text highlights { start end } subject { __typename ... on Node { id } } evidence { start end exact } } } }`,
          { q: query },
        );
        expect(errors).toBeUndefined();
        const nodes = [...data.search.nodes].sort((a: any, b: any) => (a.subject.id < b.subject.id ? -1 : 1));
        return { ...data.search, nodes };
      };
      const [a, b] = [await read(servers.sqlite), await read(servers.postgres)];
      expect(b).toEqual(a);
      return a.nodes;
    }

    it('ingests an article the same way, and both then hold the same graph', async () => {
      const result = await same(
        `mutation ($input: IngestDocumentInput!) { ingestDocument(input: $input) {
          status entitiesMatched mentions statements dates entitiesCreated { id name status } document { id title contentHash } } }`,
        { input: { text: FIXTURE } },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data.ingestDocument.status).toBe('CREATED');
      // Bamako is a word of the ingested article only: both indexes must have picked it up.
      const state = await same(STATE);
      expect(state.errors).toBeUndefined();
      expect(state.data.documents.totalCount).toBe(2);
      expect(state.data.bamako.totalCount).toBeGreaterThan(0);
      expect((await sameHits('Bamako talks')).length).toBeGreaterThan(0);
      await sameHits('Mali');
      await sameHits('Nebenzya ambassador');
    });

    it('curates the same way: confirm, merge, reject, add a statement, refuse the same bad writes', async () => {
      const { data } = await same(`{ entities(method: AUTOMATIC, first: 50) { nodes { id name } } }`);
      const automatic = data.entities.nodes as { id: string; name: string }[];
      expect(automatic.length).toBeGreaterThan(1);
      expect((await same(`mutation ($id: ID!) { confirmEntity(id: $id) { id status } }`, { id: automatic[0]!.id })).errors).toBeUndefined();
      await same(`mutation ($from: ID!, $into: ID!) { mergeEntities(fromId: $from, intoId: $into) { entity { id mentionCount } redirected } }`, {
        from: automatic[1]!.id,
        into: 'actor:mali',
      });
      await same(`mutation ($id: ID!) { rejectEntity(id: $id) { id } }`, { id: automatic.at(-1)!.id });
      await same(`mutation ($id: ID!) { confirmEntity(id: $id) { id } }`, { id: 'actor:nobody' });
      await same(`mutation { mergeEntities(fromId: "actor:mali", intoId: "actor:mali") { redirected } }`);
      await same(`mutation ($id: ID!) { confirmEntity(id: $id) { id } }`, { id: 'actor:mali' }, {});
      const state = await same(STATE);
      expect(state.errors).toBeUndefined();
      expect(state.data.auditLog.totalCount).toBeGreaterThanOrEqual(3);
      // The merged-away id answers with the entity it went into, on both.
      await same(`query ($id: ID!) { node(id: $id) { id } }`, { id: automatic[1]!.id });
      await same(`{ timeline(granularity: YEAR) { label count inferred } coMentions(first: 10) { count } }`);
    });

    it('deletes the article the same way, and the search index forgets it on both', async () => {
      const { data } = await same(`{ documents(first: 10) { nodes { id } } }`);
      const ingested = (data.documents.nodes as { id: string }[]).find((d) => d.id !== 'document:mali-asks-un-to-end-peacekeeping-mission')!;
      await same(`mutation ($id: ID!) { deleteDocument(id: $id) { entitiesRemoved factsRemoved } }`, { id: ingested.id });
      const state = await same(STATE);
      expect(state.data.documents.totalCount).toBe(1);
      // Only entities curated from it may still carry the word; the document itself is gone from both indexes.
      const hits = (await sameHits('Bamako')) as { subject: { __typename: string } }[];
      expect(hits.filter((h) => h.subject.__typename === 'Document')).toEqual([]);
    });
  },
);
