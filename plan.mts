import Database from 'better-sqlite3';
import { listCountsByOwnerSql, listPagesByOwnerSql } from './src/store/sql/list-sql.ts';
import { ownedRelationshipsCountSql } from './src/store/sql/owned-relationships-sql.ts';
const db = new Database('data/synthetic-100000.sqlite', { readonly: true });
const hub = (db.prepare('SELECT id FROM entities ORDER BY degree DESC LIMIT 1').get() as any).id;
const show = (label: string, st: { sql: string; params: unknown[] }) => {
  const plan = db.prepare('EXPLAIN QUERY PLAN ' + st.sql).all(...st.params as any[]).map((r: any) => r.detail).join(' | ');
  db.prepare(st.sql).all(...st.params as any[]);
  const t = performance.now(); let n = 0; for (let i = 0; i < 5; i++) n = db.prepare(st.sql).all(...st.params as any[]).length; const ms = (performance.now() - t) / 5;
  console.log(`${label}: ${ms.toFixed(2)} ms (${n} rows)\n   ${plan.slice(0, 400)}`);
};
show('rel count', ownedRelationshipsCountSql({ list: 'relationships' } as any, [hub]));
show('statementsAbout count', listCountsByOwnerSql({ list: 'statements' } as any, 'about', [hub]));
show('events count', listCountsByOwnerSql({ list: 'events' } as any, 'participant', [hub]));
show('mentions count', listCountsByOwnerSql({ list: 'mentions' } as any, 'entity', [hub]));
show('statementsAbout page', listPagesByOwnerSql({ list: 'statements' } as any, 'about', [hub], { first: 10, after: null }));
show('events page', listPagesByOwnerSql({ list: 'events' } as any, 'participant', [hub], { first: 10, after: null }));
show('mentions page', listPagesByOwnerSql({ list: 'mentions' } as any, 'entity', [hub], { first: 10, after: null }));
