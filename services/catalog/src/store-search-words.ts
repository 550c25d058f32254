import type { Db, Queryable } from '@storefront/kit';
import type { TermCandidate } from './domain-search.ts';

/** What search needs to know about the typed words and the filter values before it runs. */

export interface WordLookup {
  /** A stop word ("the"): it narrows nothing and needs no correction. */
  readonly stop: boolean;
  /** Some published product contains it (as a prefix, for the last word). */
  readonly known: boolean;
  /** Dictionary words near it; only looked up for unknown words. */
  readonly candidates: TermCandidate[];
}

interface Word {
  readonly word: string;
  readonly prefix: boolean;
  readonly sound: string;
}

/**
 * Two index-only steps. First every word against the dictionary (B-tree on search_terms; a range
 * for the prefix word). Words it lacks (typos, or words only descriptions use) are then checked
 * against the text index, and the still-unknown ones get spelling candidates (trigram GIN, sound
 * key B-tree). That second statement runs with sequential scans off: for a word no product has,
 * the planner still guesses a few hundred matches and would scan the whole table looking for one.
 */
export async function lookupWords(db: Db, words: readonly Word[]): Promise<WordLookup[]> {
  if (words.length === 0) return [];
  const first = await db.query<{ stop: boolean; known: boolean }>(
    `SELECT numnode(to_tsquery('english', w.word)) = 0 AS stop,
            EXISTS (SELECT 1 FROM search_terms t
                     WHERE t.term >= (w.word COLLATE "C")
                       AND t.term <= (w.word || CASE WHEN w.prefix THEN chr(1114111) ELSE '' END) COLLATE "C") AS known
       FROM unnest($1::text[], $2::bool[]) WITH ORDINALITY AS w(word, prefix, ord)
      ORDER BY w.ord`,
    [words.map((w) => w.word), words.map((w) => w.prefix)],
  );
  const out: WordLookup[] = first.rows.map((r) => ({ stop: r.stop, known: r.known, candidates: [] }));
  const unknown = words.map((w, i) => ({ ...w, i })).filter(({ i }) => !out[i]?.stop && !out[i]?.known);
  if (unknown.length === 0) return out;

  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const parts = unknown.map((w, k) => {
    const tsq = p(w.prefix ? `${w.word}:*` : w.word);
    const word = p(w.word);
    const sound = p(w.sound);
    return `SELECT ${k} AS k,
      EXISTS (SELECT 1 FROM search_doc d WHERE d.tsv @@ to_tsquery('english', ${tsq})) AS found,
      (SELECT coalesce(json_agg(json_build_object('term', c.term, 'similarity', c.sim, 'sameSound', c.same,
                                                  'docCount', c.doc_count)), '[]'::json)
         FROM (SELECT t.term, public.similarity(t.term, ${word}) AS sim, t.sound = ${sound} AS same, t.doc_count
                 FROM search_terms t
                WHERE t.term OPERATOR(public.%) ${word} OR t.sound = ${sound}
                ORDER BY public.similarity(t.term, ${word}) + CASE WHEN t.sound = ${sound} THEN 0.3 ELSE 0 END DESC,
                         t.doc_count DESC
                LIMIT 30) c) AS candidates`;
  });
  const second = await db.tx(async (tx) => {
    await tx.query('SET LOCAL enable_seqscan = off');
    return tx.query<{ k: number; found: boolean; candidates: TermCandidate[] }>(parts.join('\nUNION ALL\n'), params);
  });
  for (const r of second.rows) {
    const at = unknown[r.k]?.i;
    if (at === undefined) continue;
    out[at] = { stop: false, known: r.found, candidates: r.found ? [] : r.candidates };
  }
  return out;
}

/** Slugs and attribute values → facet ids, the only form search_doc knows them in. */
export async function resolveFacets(
  db: Queryable,
  want: {
    category: string | null;
    brands: readonly string[];
    attrs: Readonly<Record<string, readonly string[]>>;
    stock?: boolean;
    /** The "N stars & up" facet value to resolve. */
    minRating?: number | null;
  },
): Promise<{
  category: number | null | 'missing';
  brands: number[];
  attrs: Map<string, number[]>;
  stock: number | null;
  rating: number | null;
}> {
  const attrKeys: string[] = [];
  const attrValues: string[] = [];
  for (const [k, vs] of Object.entries(want.attrs)) {
    for (const v of vs) {
      attrKeys.push(k);
      attrValues.push(v);
    }
  }
  const { rows } = await db.query<{ id: number; kind: string; key: string }>(
    `WITH wanted (kind, key, value) AS (
       SELECT 'category', '', c.id::text FROM categories c WHERE c.slug = $1
       UNION ALL SELECT 'brand', '', b.id::text FROM brands b WHERE b.slug = ANY($2::text[])
       UNION ALL SELECT 'attr', a.k, a.v FROM unnest($3::text[], $4::text[]) AS a(k, v)
       UNION ALL SELECT 'stock', '', 'in' WHERE $5
       UNION ALL SELECT 'rating', '', $6::text WHERE $6::text IS NOT NULL)
     SELECT fv.id, fv.kind, fv.key FROM wanted w JOIN facet_values fv USING (kind, key, value)`,
    [want.category, want.brands, attrKeys, attrValues, want.stock ?? false, want.minRating?.toString() ?? null],
  );
  const attrs = new Map<string, number[]>(Object.keys(want.attrs).map((k) => [k, []]));
  const brands: number[] = [];
  let category: number | null | 'missing' = want.category === null ? null : 'missing';
  let stock: number | null = null;
  let rating: number | null = null;
  for (const r of rows) {
    if (r.kind === 'category') category = r.id;
    else if (r.kind === 'brand') brands.push(r.id);
    else if (r.kind === 'stock') stock = r.id;
    else if (r.kind === 'rating') rating = r.id;
    else attrs.get(r.key)?.push(r.id);
  }
  return { category, brands, attrs, stock, rating };
}
