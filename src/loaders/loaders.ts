/**
 * Per-request DataLoaders over the store: every lookup a resolver makes goes
 * through here, so that a list of N items costs a constant number of SQL
 * statements per nesting level. Create one `Loaders` per request.
 */
import DataLoader from 'dataloader';

import { ErrorCode, userError } from '../errors.js';
import { normalizeName } from '../graph/normalize.js';
import { CursorError } from '../store/cursor.js';
import type { ListQuery, OwnerField, Page, PageRequest } from '../store/lists.js';
import type { GraphReader, GraphStore, RowOf } from '../store/store.js';
import type {
  AliasRow,
  DateMentionRow,
  DocumentRow,
  EntityRow,
  EventRow,
  EvidenceRow,
  MentionRow,
  ParticipantRow,
  RelationshipRow,
  StatementRow,
  StatementSubjectRow,
} from '../store/types.js';
import { createBatchScheduler } from './batch-scheduler.js';

/** A nested connection request: the same list for many owners. */
interface OwnedPageKey {
  query: ListQuery;
  owner: OwnerField;
  ownerId: string;
  page: PageRequest;
}

/** Options every loader of a request shares (see `createBatchScheduler`). */
type Batching = Pick<DataLoader.Options<unknown, unknown>, 'batchScheduleFn'>;

/** Index rows by id, answering in key order (null where absent). */
function byId<Row extends { id: string }>(fetch: (ids: readonly string[]) => Promise<Row[]>, batching: Batching) {
  return new DataLoader<string, Row | null>(async (ids) => {
    const rows = new Map((await fetch(ids)).map((r) => [r.id, r]));
    return ids.map((id) => rows.get(id) ?? null);
  }, batching);
}

/** Group rows by a key field, answering in key order (empty where none). */
function grouped<Row>(fetch: (ids: readonly string[]) => Promise<Row[]>, key: (row: Row) => string, batching: Batching) {
  return new DataLoader<string, Row[]>(async (ids) => {
    const groups = new Map<string, Row[]>();
    for (const row of await fetch(ids)) {
      const k = key(row);
      let list = groups.get(k);
      if (!list) groups.set(k, (list = []));
      list.push(row);
    }
    return ids.map((id) => groups.get(id) ?? []);
  }, batching);
}

/** Batch nested-connection requests that differ only in their owner. */
function ownedLoader<Value>(
  run: (query: ListQuery, owner: OwnerField, ownerIds: string[], page: PageRequest) => Promise<Map<string, Value>>,
  batching: Batching,
) {
  return new DataLoader<OwnedPageKey, Value, string>(
    async (keys) => {
      const groups = new Map<string, OwnedPageKey[]>();
      for (const key of keys) {
        const shape = JSON.stringify([key.query, key.owner, key.page]);
        let list = groups.get(shape);
        if (!list) groups.set(shape, (list = []));
        list.push(key);
      }
      const results = new Map<OwnedPageKey, Value>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const first = group[0]!;
          const answers = await run(first.query, first.owner, group.map((k) => k.ownerId), first.page);
          for (const key of group) results.set(key, answers.get(key.ownerId)!);
        }),
      );
      return keys.map((k) => results.get(k)!);
    },
    { ...batching, cacheKeyFn: (key) => JSON.stringify([key.query, key.owner, key.ownerId, key.page]) },
  );
}

/** A request's deadline, checked before every store call (see `Loaders.startDeadline`). */
interface Deadline {
  /** `performance.now()` past which store calls are refused. */
  at: number;
  /** Makes the error a refused call throws; called once per refused call. */
  error: () => Error;
  /** Called once, when the first call is refused. */
  onExceeded: () => void;
  exceeded: boolean;
}

/** A value made on first use. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** Create the loaders for one request. */
export function createLoaders(graphStore: GraphStore) {
  // Batches go out when the request's store calls are done: the same statements on every backend.
  const scheduler = createBatchScheduler();
  const batching: Batching = { batchScheduleFn: scheduler.schedule };
  let deadline: Deadline | null = null;
  // Every store call (a loader's batch or a direct read) passes here first: once past the deadline, none starts.
  const checkDeadline = (): void => {
    if (deadline === null) return;
    if (!deadline.exceeded) {
      if (performance.now() <= deadline.at) return;
      deadline.exceeded = true;
      deadline.onExceeded();
    }
    throw deadline.error();
  };
  const store = scheduler.track(graphStore, checkDeadline);
  let graphVersion: Promise<number> | undefined;
  // perf: a loader is made on first use (a request uses a few of the fourteen; making them all cost ~20 µs).
  // An id merged away resolves to the entity it was merged into (which has its own id).
  const entity = lazy(
    () =>
      new DataLoader<string, EntityRow | null>(async (ids) => {
        const rows = new Map((await store.entitiesByIds(ids)).map((r) => [r.id, r]));
        const missing = ids.filter((id) => !rows.has(id));
        if (missing.length > 0) {
          const redirects = await store.redirectsByIds(missing);
          const targets = new Map((await store.entitiesByIds(redirects.map((r) => r.toId))).map((r) => [r.id, r]));
          for (const r of redirects) {
            const target = targets.get(r.toId);
            if (target) rows.set(r.fromId, target);
          }
        }
        return ids.map((id) => rows.get(id) ?? null);
      }, batching),
  );
  const ownedPages = lazy(() => ownedLoader((q, o, ids, p) => store.listPagesByOwner(q, o, ids, p), batching));
  const ownedCounts = lazy(() => ownedLoader((q, o, ids) => store.listCountsByOwner(q, o, ids), batching));
  const entityIdByNorm = lazy(
    () =>
      new DataLoader<string, string | null>(async (norms) => {
        const best = new Map<string, AliasRow>();
        // Prefer a canonical name, then a name the text uses, then the lowest id.
        const rank = (a: AliasRow): string => `${a.ord === 0 ? 0 : 1}${a.source === 'TEXT' ? 0 : 1}${a.entityId}`;
        for (const alias of await store.aliasesByNorms(norms)) {
          const had = best.get(alias.norm);
          if (!had || rank(alias) < rank(had)) best.set(alias.norm, alias);
        }
        return norms.map((n) => best.get(n)?.entityId ?? null);
      }, batching),
  );
  const event = lazy(() => byId<EventRow>((ids) => store.eventsByIds(ids), batching));
  const statement = lazy(() => byId<StatementRow>((ids) => store.statementsByIds(ids), batching));
  const relationship = lazy(() => byId<RelationshipRow>((ids) => store.relationshipsByIds(ids), batching));
  const document = lazy(() => byId<DocumentRow>((ids) => store.documentsByIds(ids), batching));
  const mention = lazy(() => byId<MentionRow>((ids) => store.mentionsByIds(ids), batching));
  const aliases = lazy(() => grouped<AliasRow>((ids) => store.aliasesByEntityIds(ids), (r) => r.entityId, batching));
  const evidence = lazy(() => grouped<EvidenceRow>((ids) => store.evidenceByOwnerIds(ids), (r) => r.ownerId, batching));
  const participants = lazy(() => grouped<ParticipantRow>((ids) => store.participantsByEventIds(ids), (r) => r.eventId, batching));
  const subjects = lazy(() => grouped<StatementSubjectRow>((ids) => store.subjectsByStatementIds(ids), (r) => r.statementId, batching));
  const dateMentions = lazy(() => grouped<DateMentionRow>((ids) => store.dateMentionsByDocumentIds(ids), (r) => r.documentId, batching));
  return {
    get entity() {
      return entity();
    },
    get event() {
      return event();
    },
    get statement() {
      return statement();
    },
    get relationship() {
      return relationship();
    },
    get document() {
      return document();
    },
    get mention() {
      return mention();
    },
    get aliases() {
      return aliases();
    },
    get evidence() {
      return evidence();
    },
    get participants() {
      return participants();
    },
    get subjects() {
      return subjects();
    },
    get dateMentions() {
      return dateMentions();
    },

    /** The entity with this name or alias (normalised), or null. */
    async entityByName(name: string): Promise<EntityRow | null> {
      const norm = normalizeName(name);
      if (norm.length === 0) return null;
      const id = await entityIdByNorm().load(norm);
      return id ? entity().load(id) : null;
    },

    /** One page of a top-level list. */
    listPage<Q extends ListQuery>(query: Q, page: PageRequest): Promise<Page<RowOf<Q>>> {
      // A cursor that decodes but does not fit the list's order is the client's error.
      return store.listPage(query, page).catch((error: unknown) => {
        if (error instanceof CursorError) throw userError(error.message, ErrorCode.BAD_USER_INPUT, { argument: 'after' });
        throw error;
      });
    },
    /** The size of a top-level list. */
    listCount(query: ListQuery): Promise<number> {
      return store.listCount(query);
    },
    /** One owner's page of a nested list, batched with its siblings. */
    ownedPage<Q extends ListQuery>(query: Q, owner: OwnerField, ownerId: string, page: PageRequest): Promise<Page<RowOf<Q>>> {
      if (page.first === 0 && page.after === null) {
        // perf: an empty first page only tells whether the list has rows; its count says so (kept per
        // entity for unfiltered lists, and shared with `totalCount`) without reading a hub's list in order.
        const count = ownedCounts().load({ query, owner, ownerId, page: { first: 0, after: null } }) as Promise<number>;
        return count.then((n) => ({ rows: [], positions: [], hasNextPage: n > 0 }));
      }
      return ownedPages().load({ query, owner, ownerId, page }) as Promise<Page<RowOf<Q>>>;
    },
    /** One owner's count of a nested list, batched with its siblings. */
    ownedCount(query: ListQuery, owner: OwnerField, ownerId: string): Promise<number> {
      return ownedCounts().load({ query, owner, ownerId, page: { first: 0, after: null } }) as Promise<number>;
    },

    /**
     * The store itself, for the analyst queries (src/analytics/) that page
     * through lists, expand adjacency level by level or aggregate: reads that
     * a per-request cache would not help.
     */
    store: store as GraphReader,
    /**
     * Refuse every store call (each loader batch and each direct read) that
     * would start more than `ms` milliseconds from now, with `error()`; the
     * operation then winds down at its next nesting level. Called again (the
     * operations of a batched request share the loaders), the earliest
     * deadline holds.
     */
    startDeadline(ms: number, error: () => Error, onExceeded: () => void = () => {}): void {
      const at = performance.now() + ms;
      if (deadline === null || at < deadline.at) deadline = { at, error, onExceeded, exceeded: deadline?.exceeded ?? false };
    },
    /** True once a store call was refused for the deadline. */
    get deadlineExceeded(): boolean {
      return deadline?.exceeded ?? false;
    },

    /** The graph version, read once per request (analytics caches key on it). */
    graphVersion(): Promise<number> {
      graphVersion ??= store.graphVersion();
      return graphVersion;
    },
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;
