/**
 * Word lists the rule-based stages share: speech verbs (with the kind of
 * statement each suggests), titles that precede a person's name, and pronouns.
 */

/** Finite speech verbs: the speaker is their subject ("X said") or follows them ("said X"). */
export const SPEECH_VERBS = [
  'said', 'says', 'say', 'told', 'tells', 'added', 'adds', 'stated', 'states', 'noted', 'notes', 'explained', 'explains',
  'warned', 'warns', 'argued', 'argues', 'insisted', 'insists', 'claimed', 'claims', 'asked', 'asks', 'replied', 'replies',
  'declared', 'declares', 'announced', 'announces', 'remarked', 'stressed', 'stresses', 'highlighted', 'highlights',
  'emphasized', 'emphasised', 'emphasizes', 'emphasises', 'acknowledged', 'admitted', 'wrote', 'writes', 'tweeted',
  'recalled', 'continued', 'concluded', 'urged', 'urges', 'promised', 'promises', 'pledged', 'denied', 'denies',
  'accused', 'accuses', 'cautioned', 'predicted', 'predicts', 'observed', 'commented', 'responded', 'confirmed',
  'confirms', 'told reporters', 'according to',
] as const;

/** Participles that hang off a clause's subject: "X highlighted … saying “…”". */
export const SPEECH_PARTICIPLES = [
  'saying', 'adding', 'telling', 'noting', 'warning', 'explaining', 'arguing', 'insisting', 'stressing', 'declaring',
  'claiming', 'asking', 'urging', 'writing', 'promising', 'accusing', 'denying', 'stating',
] as const;

const alternation = (words: readonly string[]): string =>
  [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/ /g, '\\s+')).join('|');

/** Regular-expression source matching any speech verb or participle. */
export const SPEECH_VERB_SOURCE = alternation([...SPEECH_VERBS, ...SPEECH_PARTICIPLES]);

/** The statement kind a speech verb suggests; ASSERTION for plain "said". */
export function kindOfVerb(verb: string): string {
  const v = verb.toLowerCase();
  if (/^warn|^caution/.test(v)) return 'WARNING';
  if (/^den(y|ie|ying)/.test(v)) return 'DENIAL';
  if (/^accus/.test(v)) return 'ACCUSATION';
  if (/^(promis|pledg)/.test(v)) return 'PROMISE';
  if (/^(ask|urg)/.test(v)) return 'REQUEST';
  if (/^predict/.test(v)) return 'PREDICTION';
  return 'ASSERTION';
}

/** Words that put a person's name after them: "ambassador Vassily Nebenzia", "head of MINUSMA, El Ghassim Wane". */
export const TITLE_WORDS = [
  'ambassador', 'envoy', 'minister', 'president', 'prime minister', 'secretary', 'secretary-general', 'spokesperson',
  'spokesman', 'spokeswoman', 'head', 'chief', 'leader', 'director', 'commander', 'general', 'colonel', 'captain',
  'official', 'representative', 'chairman', 'chairwoman', 'chair', 'governor', 'mayor', 'senator', 'deputy', 'adviser',
  'advisor', 'analyst', 'researcher', 'professor', 'journalist', 'reporter', 'founder', 'coordinator', 'negotiator',
  'resident', 'witness', 'activist', 'correspondent', 'lawmaker', 'officer', 'chancellor', 'king', 'queen', 'prince',
] as const;

/** Regular-expression source matching any title word. */
export const TITLE_WORD_SOURCE = alternation(TITLE_WORDS);

/** Personal pronouns that can stand for a speaker, with what they can stand for. */
export const PRONOUNS: Record<string, 'PERSON' | 'GROUP'> = {
  he: 'PERSON',
  she: 'PERSON',
  they: 'GROUP',
  it: 'GROUP',
};
