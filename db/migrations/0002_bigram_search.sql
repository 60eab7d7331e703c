-- Two-character search terms (`?q=제주`: most Korean words are two syllables) have no
-- trigram, so the trigram indexes cannot serve them and a search scanned every log of the
-- caller. pg_bigm would do it but PGlite does not ship it; instead, an index on each text's
-- set of lower-cased two-character substrings (matchesSearch in lib/rooms.ts queries it).
CREATE OR REPLACE FUNCTION chat_bigrams(t text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  -- Linear in the text's length: split into characters once and pair each with the next
  -- (substr(t, i, 2) walks a UTF-8 text from its start every time: 32,000 characters took 13 s).
  AS $$
    SELECT coalesce(array_agg(DISTINCT pair), '{}')
    FROM (
      SELECT ch || lead(ch) OVER (ORDER BY n) AS pair
      FROM unnest(regexp_split_to_array(lower(t), '')) WITH ORDINALITY AS chars(ch, n)
    ) AS pairs
    WHERE pair IS NOT NULL
  $$;
--> statement-breakpoint
CREATE INDEX "chat_logs_message_bigram_idx" ON "chat_logs" USING gin (chat_bigrams("message"));
