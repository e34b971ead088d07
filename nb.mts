import { SqliteStore } from './src/store/sqlite/sqlite-store.ts';
import { createLoaders } from './src/loaders/loaders.ts';
import { neighborhood } from './src/analytics/neighborhood.ts';
const store = new SqliteStore('data/synthetic-100000.sqlite');
const hubs = (store as any).db.prepare('SELECT id FROM entities ORDER BY degree DESC LIMIT 3').all().map((r: any) => r.id);
const others = (store as any).db.prepare('SELECT id FROM entities WHERE rowid % 9973 = 5 LIMIT 3').all().map((r: any) => r.id);
for (const id of [...hubs, ...others]) { const t = performance.now(); const g = await neighborhood(createLoaders(store) as any, id, { depth: 2, limit: 500, linkTypes: null }); console.log(id, (performance.now() - t).toFixed(0), 'ms', g!.nodes.length, 'nodes', g!.edges.length, 'edges', (process.memoryUsage().rss / 1048576).toFixed(0), 'MB'); }
