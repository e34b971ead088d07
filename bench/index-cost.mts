/**
 * `npx tsx bench/index-cost.mts data/copy.sqlite`: CPU seconds to build each
 * secondary index of a generated graph, dropping and re-creating them one by
 * one (one sorter thread). Writes to the file: run it on a copy, never on
 * /work/main/data.
 */
import Database from 'better-sqlite3';

const path = process.argv[2];
if (!path) throw new Error('usage: index-cost.mts <copy of a generated .sqlite>');
const db = new Database(path);
db.pragma('journal_mode = OFF');
db.pragma('synchronous = OFF');
db.pragma('locking_mode = EXCLUSIVE');
db.pragma('cache_size = -1048576');
db.pragma('temp_store = MEMORY');
db.pragma('threads = 0');
const indexes = db.prepare("SELECT name, tbl_name AS tableName, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string; tableName: string; sql: string }[];
const cost: [string, number][] = [];
for (const index of indexes) {
  db.exec(`DROP INDEX ${index.name}`);
  const before = process.cpuUsage();
  db.exec(index.sql);
  const spent = process.cpuUsage(before);
  cost.push([`${index.tableName}.${index.name}`, (spent.user + spent.system) / 1e6]);
}
db.close();
cost.sort((a, b) => b[1] - a[1]);
console.log(`total ${cost.reduce((s, [, c]) => s + c, 0).toFixed(1)} CPU s`);
for (const [name, seconds] of cost) console.log(`${seconds.toFixed(2).padStart(6)}  ${name}`);
