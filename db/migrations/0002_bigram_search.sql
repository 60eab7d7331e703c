-- Two-character search terms (`?q=제주`: most Korean words are two syllables) have no
-- trigram, so the trigram indexes cannot serve them and a search scanned every log of the
-- caller. pg_bigm would do it but PGlite does not ship it; instead, an index on each text's
-- set of lower-cased two-character substrings (matchesSearch in lib/rooms.ts queries it).
CREATE OR REPLACE FUNCTION chat_bigrams(t text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}') FROM generate_series(1, length(t) - 1) AS i $$;
--> statement-breakpoint
CREATE INDEX "chat_logs_message_bigram_idx" ON "chat_logs" USING gin (chat_bigrams("message"));
