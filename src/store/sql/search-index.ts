/**
 * What the full-text index holds for each subject, derived from graph rows.
 * Shared by every backend's writer so that search finds the same things
 * whichever database answers: an entity by its name, aliases, title and
 * description; an event by its name, description and date; a statement by its
 * text; a document by its title and text. SQLite's migration that rebuilds
 * its index writes the same rows in SQL (`REBUILD_SEARCH_FTS_SQL` in
 * sqlite/sqlite-migrations.ts): keep the two in step.
 */
import type { SearchIndexRow, SearchPage, SearchSubjectType } from '../analyst-types.js';
import type { AliasRow, DocumentRow, EntityRow, EventRow, StatementRow } from '../types.js';

/** The rows to index; any part may be missing (a per-document write passes what it wrote). */
export interface IndexableRows {
  entities?: readonly Omit<EntityRow, 'mentionCount' | 'degree'>[];
  aliases?: readonly AliasRow[];
  events?: readonly EventRow[];
  statements?: readonly StatementRow[];
  documents?: readonly DocumentRow[];
}

/** The index rows of the given graph rows, one per subject. */
export function searchIndexRows(rows: IndexableRows): SearchIndexRow[] {
  const out: SearchIndexRow[] = [];
  const aliasesOf = new Map<string, string[]>();
  for (const a of rows.aliases ?? []) {
    let list = aliasesOf.get(a.entityId);
    if (!list) aliasesOf.set(a.entityId, (list = []));
    list.push(a.name);
  }
  for (const e of rows.entities ?? []) {
    const names = [e.name, ...(aliasesOf.get(e.id) ?? []).filter((n) => n !== e.name)];
    out.push({
      subjectId: e.id,
      subjectType: e.type,
      name: names.join(' \u2022 '),
      body: [e.title, e.description].filter(Boolean).join('\n'),
    });
  }
  for (const ev of rows.events ?? []) {
    out.push({ subjectId: ev.id, subjectType: 'EVENT', name: ev.name, body: [ev.description, ev.dateText].filter(Boolean).join('\n') });
  }
  for (const s of rows.statements ?? []) {
    out.push({ subjectId: s.id, subjectType: 'STATEMENT', name: '', body: s.text });
  }
  for (const d of rows.documents ?? []) {
    out.push({ subjectId: d.id, subjectType: 'DOCUMENT', name: d.title, body: d.text });
  }
  return out;
}

/**
 * Most hits a search ranks. When a query matches at most this many subjects,
 * every match is ranked and the order is exact. When it matches more (a very
 * common word), only a bounded candidate set of this many matches is ranked
 * and can be paged through (SQLite: the first in index order; PostgreSQL: the
 * first by subject id), so that a search costs the same whether a word is
 * rare or in every statement; `totalCount` still counts every match.
 */
export const SEARCH_RANKED_LIMIT = 1000;

/**
 * A page of search hits from the rows of a backend's page statement (`subject_id`, `subject_type`, `rank`; one row
 * more than `first` when there is a next page). Both backends rank so that a lower `rank` is a better hit; the score
 * is its negation, and the rank is the cursor's sort key.
 */
export function searchPageFromRows(rows: readonly Record<string, unknown>[], first: number): SearchPage {
  const kept = rows.slice(0, first);
  return {
    rows: kept.map((r) => ({
      subjectId: String(r.subject_id),
      subjectType: String(r.subject_type) as SearchSubjectType,
      rank: Number(r.rank),
      score: -Number(r.rank),
    })),
    positions: kept.map((r) => ({ sortKey: String(Number(r.rank)), id: String(r.subject_id) })),
    hasNextPage: rows.length > first,
  };
}
