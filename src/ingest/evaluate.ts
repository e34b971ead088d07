/**
 * Scores automatic extraction against the curated seed annotations: the
 * extractor runs on each annotated seed text alone and its mentions, quotes,
 * speakers and dates are compared with the curated ones (precision and
 * recall). Two settings:
 *
 * - `known`: the graph knows the curated entities (names and aliases) but
 *   none of the document's facts, as when a new article about known actors
 *   arrives;
 * - `empty`: the graph knows nothing; every entity must come from the NLP
 *   candidates (a candidate counts as the curated entity one of whose names
 *   it has).
 */
import { compileSeeds } from '../build/compile-seeds.js';
import { normalizeName } from '../graph/normalize.js';
import type { GraphData, NameRow } from '../store/types.js';
import type { DocumentBatch } from '../store/writes.js';
import { extractDocument } from './extract.js';
import { NameIndex } from './name-index.js';

/** Precision and recall of one kind of fact. */
export interface Score {
  /** Facts the extractor got right. */
  correct: number;
  /** Facts the extractor produced. */
  predicted: number;
  /** Facts the curated annotation has. */
  expected: number;
  precision: number;
  recall: number;
}

/** The scores of one setting. */
export interface EvalReport {
  setting: 'known' | 'empty';
  documents: number;
  mentions: Score;
  quotes: Score;
  /** Over the curated direct quotes: predicted = quotes found with a speaker. */
  speakers: Score;
  dates: Score;
  /** Disagreements, for reading: what was missed and what was extra. */
  misses: string[];
  /** Milliseconds spent extracting (all documents). */
  extractMs: number;
}

function score(correct: number, predicted: number, expected: number): Score {
  return {
    correct,
    predicted,
    expected,
    precision: predicted === 0 ? (expected === 0 ? 1 : 0) : correct / predicted,
    recall: expected === 0 ? 1 : correct / expected,
  };
}

const key = (documentId: string, start: number, end: number): string => `${documentId}@${start}-${end}`;

/** Run the extractor on the seeds and score it in one setting. */
export async function evaluateSeeds(seedsDir: string, setting: 'known' | 'empty'): Promise<EvalReport> {
  const { data } = compileSeeds(seedsDir);
  const names: NameRow[] =
    setting === 'known'
      ? data.aliases.map((a) => ({
          entityId: a.entityId,
          name: a.name,
          type: data.entities.find((e) => e.id === a.entityId)!.type,
          method: 'CURATED',
        }))
      : [];
  const index = new NameIndex({ entityNames: async () => names, graphVersion: async () => 1 });
  await index.refresh();

  const annotated = new Set([...data.statements.map((s) => s.documentId), ...data.mentions.map((m) => m.documentId)]);
  const batches: DocumentBatch[] = [];
  const started = performance.now();
  for (const doc of data.documents.filter((d) => annotated.has(d.id))) {
    batches.push(
      extractDocument(
        {
          document: { ...doc, extractor: null, ingestedAt: null },
          // The eval scores the text alone: no metadata the text does not give.
          publisher: null,
        },
        index,
      ),
    );
  }
  const extractMs = performance.now() - started;
  return { setting, documents: batches.length, ...compare(data, batches), extractMs };
}

/** Compare extracted batches with the curated graph. */
export function compare(data: GraphData, batches: readonly DocumentBatch[]): Omit<EvalReport, 'setting' | 'documents' | 'extractMs'> {
  const misses: string[] = [];
  // A candidate is the curated entity that has its name among its names.
  const entityByNorm = new Map<string, string>();
  for (const a of data.aliases) if (!entityByNorm.has(a.norm)) entityByNorm.set(a.norm, a.entityId);
  const resolve = (batch: DocumentBatch, ref: string | null): string | null => {
    if (ref === null) return null;
    const candidate = batch.candidates.find((c) => c.key === ref);
    if (!candidate) return ref;
    for (const name of [candidate.name, ...candidate.aliases]) {
      const id = entityByNorm.get(normalizeName(name));
      if (id) return id;
    }
    return `unknown:${candidate.name}`;
  };

  // Mentions: same span, same entity.
  const goldMentions = new Map(data.mentions.map((m) => [key(m.documentId, m.start, m.end), m.entityId]));
  let mentionCorrect = 0;
  let mentionPredicted = 0;
  const foundMentions = new Set<string>();
  for (const b of batches) {
    for (const m of b.mentions) {
      mentionPredicted++;
      const k = key(m.span.documentId, m.span.start, m.span.end);
      const entity = resolve(b, m.entityRef);
      if (goldMentions.get(k) === entity) {
        mentionCorrect++;
        foundMentions.add(k);
      } else misses.push(`extra mention "${m.span.exact}" (${entity}) at ${m.span.start}`);
    }
  }
  for (const m of data.mentions) {
    if (!foundMentions.has(key(m.documentId, m.start, m.end))) misses.push(`missed mention "${m.exact}" (${m.entityId}) at ${m.start}`);
  }

  // Quotes: the curated direct quotes, matched by their words; speakers on the matched ones.
  const goldQuotes = data.statements.filter((s) => s.attribution === 'DIRECT_QUOTE');
  const squash = (t: string): string => t.replace(/\s+/g, ' ').trim();
  let quoteCorrect = 0;
  let speakerCorrect = 0;
  let quotesPredicted = 0;
  let speakersPredicted = 0;
  for (const b of batches) {
    for (const s of b.statements) {
      quotesPredicted++;
      if (s.speakerRef !== null) speakersPredicted++;
      const gold = goldQuotes.find((g) => g.documentId === b.document.id && squash(g.text) === squash(s.text));
      if (!gold) {
        misses.push(`extra quote "${s.text.slice(0, 60)}"`);
        continue;
      }
      quoteCorrect++;
      const speaker = resolve(b, s.speakerRef);
      if (speaker === gold.speakerId) speakerCorrect++;
      else misses.push(`wrong speaker ${speaker} (curated: ${gold.speakerId}) for "${s.text.slice(0, 40)}"`);
    }
  }
  for (const g of goldQuotes) {
    const found = batches.some((b) => b.document.id === g.documentId && b.statements.some((s) => squash(s.text) === squash(g.text)));
    if (!found) misses.push(`missed quote "${g.text.slice(0, 60)}"`);
  }

  // Dates: each dated event's date text, located inside the event's evidence; same span, same precision and parts.
  const goldDates = new Map<string, { year: number; month: number | null; day: number | null; precision: string; text: string }>();
  for (const e of data.events) {
    if (!e.dateText || e.year === null) continue;
    for (const ev of data.evidence.filter((x) => x.ownerId === e.id)) {
      const at = ev.exact.indexOf(e.dateText);
      if (at === -1) continue;
      const start = ev.start + [...ev.exact.slice(0, at)].length;
      const k = key(ev.documentId, start, start + [...e.dateText].length);
      goldDates.set(k, { year: e.year, month: e.month, day: e.day, precision: e.precision!, text: e.dateText });
      break;
    }
  }
  let dateCorrect = 0;
  let datesPredicted = 0;
  const foundDates = new Set<string>();
  for (const b of batches) {
    for (const d of b.dates) {
      datesPredicted++;
      const k = key(d.documentId, d.start, d.end);
      const gold = goldDates.get(k);
      if (gold && gold.precision === d.precision && gold.year === d.year && gold.month === d.month && gold.day === d.day) {
        dateCorrect++;
        foundDates.add(k);
      } else misses.push(`extra or wrong date "${d.exact}" (${d.precision} ${d.earliest})`);
    }
  }
  for (const [k, g] of goldDates) if (!foundDates.has(k)) misses.push(`missed date "${g.text}" (${g.precision})`);

  return {
    mentions: score(mentionCorrect, mentionPredicted, data.mentions.length),
    quotes: score(quoteCorrect, quotesPredicted, goldQuotes.length),
    speakers: score(speakerCorrect, speakersPredicted, goldQuotes.length),
    dates: score(dateCorrect, datesPredicted, goldDates.size),
    misses,
  };
}
