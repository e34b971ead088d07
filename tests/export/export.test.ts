import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AUTH, startTestServer, type TestServer } from '../helpers/test-server.js';

const TYPES = ['entities', 'relationships', 'statements', 'events', 'mentions'] as const;

describe('exports', () => {
  let server: TestServer;
  let base: string;
  let counts: Record<(typeof TYPES)[number], number>;
  let text: string[];
  let facts: any;
  beforeAll(async () => {
    server = await startTestServer();
    base = server.url.replace(/\/graphql$/, '');
    const { data } = await server.gql(`{
      entities { totalCount } relationships { totalCount } statements(first: 100) { totalCount nodes { about { __typename } } }
      events(first: 100) { totalCount nodes { participants { role } } }
      documents { nodes { text mentions { totalCount } } }
    }`);
    counts = {
      entities: data.entities.totalCount,
      relationships: data.relationships.totalCount,
      statements: data.statements.totalCount,
      events: data.events.totalCount,
      mentions: data.documents.nodes[0].mentions.totalCount,
    };
    text = Array.from(data.documents.nodes[0].text as string);
    facts = data;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const get = async (path: string): Promise<{ status: number; type: string; body: string }> => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  };

  for (const type of TYPES) {
    it(`exports ${type} as CSV with one row per item of the list`, async () => {
      const res = await get(`/export/${type}.csv`);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^text\/csv/);
      const rows = parseCsv(res.body, { columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(counts[type]);
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    });

    it(`exports ${type} as JSON Lines with one record per item of the list`, async () => {
      const res = await get(`/export/${type}.jsonl`);
      expect(res.status).toBe(200);
      const lines = res.body.split('\n').filter(Boolean);
      expect(lines).toHaveLength(counts[type]);
      for (const line of lines) {
        const record = JSON.parse(line);
        expect(typeof record.id).toBe('string');
        const spans = type === 'mentions' ? [record] : record.evidence;
        for (const e of spans) expect(e.exact).toBe(text.slice(e.start, e.end).join(''));
      }
    });
  }

  it('keeps text with commas, quotes and line breaks intact in CSV', async () => {
    const rows = parseCsv((await get('/export/statements.csv')).body, { columns: true }) as Record<string, string>[];
    const quote = rows.find((r) => r.id === 'statement:vassily-nebenzia-peacekeeper-functions')!;
    expect(quote.text).toBe(
      'The real issue is not the number of peacekeepers but the functions, and one of the key tasks for the government of Mali is fighting terrorism, which is not provided for in the mandate of the blue helmets',
    );
    expect(quote.direct).toBe('true');
    expect(quote.speaker).toBe('person:vassily-nebenzia');
  });

  it('exports the graph as GraphML that parses as XML: entities and events as nodes', async () => {
    const res = await get('/export/graph.graphml');
    expect(res.status).toBe(200);
    expect(XMLValidator.validate(res.body)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['node', 'edge', 'key', 'data'].includes(name) }).parse(res.body);
    const graph = xml.graphml.graph;
    expect(graph['@_edgedefault']).toBe('directed');
    expect(graph.node).toHaveLength(counts.entities + counts.events);
    // Edges: every relationship, every statement subject, every participation.
    const subjects = facts.statements.nodes.reduce((n: number, s: any) => n + s.about.length, 0);
    const participations = facts.events.nodes.reduce((n: number, e: any) => n + e.participants.length, 0);
    expect(graph.edge).toHaveLength(counts.relationships + subjects + participations);
    const ids = new Set(graph.node.map((n: any) => n['@_id']));
    for (const e of graph.edge) expect(ids.has(e['@_source']) && ids.has(e['@_target'])).toBe(true);
    const mali = graph.node.find((n: any) => n['@_id'] === 'actor:mali');
    expect(mali.data.find((d: any) => d['@_key'] === 'label')['#text']).toBe('Mali');
  });

  it('exports the graph as JSON-LD with schema.org types and Web Annotation selectors', async () => {
    const res = await get('/export/graph.jsonld');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/ld\+json/);
    const doc = JSON.parse(res.body);
    expect(doc['@context']['@vocab']).toBe('https://schema.org/');
    const items: any[] = doc['@graph'];
    const ofType = (t: string) => items.filter((i) => i['@type'] === t);
    expect(ofType('Person').map((p) => p.name).sort()).toEqual(['El Ghassim Wane', 'Vassily Nebenzia']);
    expect(ofType('Event')).toHaveLength(counts.events);
    expect(ofType('Claim')).toHaveLength(counts.statements);
    expect(ofType('kg:Relationship')).toHaveLength(counts.relationships);
    expect(ofType('NewsArticle')).toHaveLength(1);
    const moura = items.find((i) => i['@id'] === 'event:moura-massacre');
    expect(moura.startDate).toBe('2022-03'); // as precise as the text: a month
    const annotations = ofType('oa:Annotation');
    expect(annotations.filter((a) => a['oa:motivatedBy']['@id'] === 'oa:identifying')).toHaveLength(counts.mentions);
    for (const a of annotations) {
      const [position, quote] = a['oa:hasTarget']['oa:hasSelector'];
      expect(position['@type']).toBe('oa:TextPositionSelector');
      expect(quote['@type']).toBe('oa:TextQuoteSelector');
      expect(quote['oa:exact']).toBe(text.slice(position['oa:start'], position['oa:end']).join(''));
    }
  });

  it('answers 404 for an unknown export and 405 for a write (with a key; without one, 401)', async () => {
    for (const path of ['/export/people.csv', '/export/entities.xml', '/export/graph.csv', '/export/entities', '/export/']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(JSON.parse(res.body).error).toBeTruthy();
    }
    const post = await fetch(`${base}/export/entities.csv`, { method: 'POST', headers: AUTH });
    expect(post.status).toBe(405);
    expect((await fetch(`${base}/export/entities.csv`, { method: 'POST' })).status).toBe(401);
  });

  it('writes the same file from the command line', async () => {
    const out = join(server.dir, 'entities.csv');
    const tsx = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const cli = join(import.meta.dirname, '..', '..', 'src', 'cli', 'export.ts');
    await promisify(execFile)(tsx, [cli, '--format', 'csv', '--type', 'entities', '--out', out], {
      env: { ...process.env, DATABASE_URL: server.databaseUrl },
    });
    expect(readFileSync(out, 'utf8')).toBe((await get('/export/entities.csv')).body);
    const bad = await promisify(execFile)(tsx, [cli, '--format', 'xml'], { env: process.env }).catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown format "xml"');
  });
});
