import { startChildServer } from './lib/child-server.js';
import { timedPost } from './lib/client.js';
import Database from 'better-sqlite3';
const path = process.argv[2]!;
const db = new Database(path, { readonly: true });
const rows = db.prepare('SELECT e.name, a.name AS alias FROM entities e JOIN aliases a ON a.entity_id = e.id AND a.ord = 1 WHERE e.rowid % 97 = 3 LIMIT 2000').all() as { name: string; alias: string }[];
db.close();
const server = await startChildServer({ databaseUrl: `file:${path}`, env: { RESPONSE_CACHE_BYTES: '0', BUILD_ON_START: 'false' } });
const q = 'query ($name: String!) { entity(name: $name) { id name } }';
const ms: number[] = [];
for (let i = 0; i < 1000; i++) ms.push((await timedPost(server.url, q, { name: i % 2 ? rows[i % rows.length]!.alias.toLowerCase() : rows[i % rows.length]!.name })).ms);
await server.stop();
const show = (from: number, to: number) => {
  const s = ms.slice(from, to).sort((a, b) => a - b);
  console.log(`requests ${from}-${to}: p50 ${s[Math.floor(s.length / 2)]!.toFixed(2)} p99 ${s[Math.ceil(0.99 * s.length) - 1]!.toFixed(2)} max ${s[s.length - 1]!.toFixed(2)}`);
};
show(0, 200); show(200, 400); show(400, 600); show(600, 800); show(800, 1000);
console.log('slowest indexes', ms.map((t, i) => [t, i]).sort((a, b) => b[0]! - a[0]!).slice(0, 10).map(([t, i]) => `${i}:${t!.toFixed(1)}`).join(' '));
