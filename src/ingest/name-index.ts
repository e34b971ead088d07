/**
 * The dictionary of known names for the mention matcher, kept between
 * ingests: built once from the store (every name and alias of every entity),
 * then extended with the names each ingest adds, and rebuilt only when someone
 * else changed the graph (its `graphVersion` moved without us).
 */
import { MentionMatcher, type NameMatch, type NamePattern } from '../graph/mention-matcher.js';
import type { GraphReader } from '../store/store.js';
import type { EntityType, ExtractionMethod } from '../store/types.js';

/** What the index knows of an entity. */
export interface KnownEntity {
  type: EntityType;
  method: ExtractionMethod;
}

/** Curated names win over candidates' names when both spell the same. */
const PRIORITY: Record<ExtractionMethod, number> = { CURATED: 1, AUTOMATIC: 0 };

/** Known names, compiled into Aho–Corasick automata. */
export class NameIndex {
  private base: MentionMatcher | null = null;
  private added: NamePattern[] = [];
  private addedMatcher: MentionMatcher | null = null;
  private version = -1;
  private readonly entities = new Map<string, KnownEntity>();

  constructor(private readonly store: Pick<GraphReader, 'entityNames' | 'graphVersion'>) {}

  /** Make sure the index matches the store; rebuilds when the graph changed behind our back. */
  async refresh(): Promise<void> {
    const version = await this.store.graphVersion();
    if (this.base && version === this.version) return;
    const names = await this.store.entityNames();
    this.entities.clear();
    for (const n of names) this.entities.set(n.entityId, { type: n.type, method: n.method });
    this.base = new MentionMatcher(
      names.map((n) => ({ name: n.name, entityId: n.entityId, priority: PRIORITY[n.method] })),
      { onConflict: 'skip' },
    );
    this.added = [];
    this.addedMatcher = null;
    this.version = version;
  }

  /**
   * Record names this process just wrote (new candidates), and the graph
   * version after the write, so that the next ingest need not rebuild.
   */
  remember(entities: { id: string; type: EntityType; names: string[] }[], versionAfterWrite: number, versionBeforeWrite: number): void {
    if (versionBeforeWrite !== this.version) {
      // Someone else wrote in between: rebuild at the next refresh (the old automata stay usable meanwhile).
      this.version = -1;
      return;
    }
    for (const e of entities) {
      this.entities.set(e.id, { type: e.type, method: 'AUTOMATIC' });
      for (const name of e.names) this.added.push({ name, entityId: e.id, priority: PRIORITY.AUTOMATIC });
    }
    this.addedMatcher = null;
    this.version = versionAfterWrite;
  }

  /** The graph version the index reflects. */
  get graphVersion(): number {
    return this.version;
  }

  /** What the index knows of an entity id (null when unknown). */
  entity(id: string): KnownEntity | null {
    return this.entities.get(id) ?? null;
  }

  /** Every non-overlapping mention of a known name (leftmost-longest across both automata). */
  find(text: string): NameMatch[] {
    if (!this.base) throw new Error('NameIndex.find before refresh()');
    const found = this.base.find(text);
    if (this.added.length === 0) return found;
    this.addedMatcher ??= new MentionMatcher(this.added, { onConflict: 'skip' });
    const all = [...found, ...this.addedMatcher.find(text)];
    all.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
    const out: NameMatch[] = [];
    let reached = 0;
    for (const m of all) {
      if (m.startIndex < reached) continue;
      out.push(m);
      reached = m.endIndex;
    }
    return out;
  }
}
