-- Trigram indexes make `?q=` substring search work for Korean too (SPEC §5);
-- Postgres's word-based text search does not split Hangul.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
