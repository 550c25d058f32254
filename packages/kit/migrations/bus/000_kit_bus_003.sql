-- A dead letter an operator dismissed (its effect was repaired by hand, or it must never apply):
-- kept with who, when and why, no longer waiting, never redriven. See docs/runbooks.md.
ALTER TABLE dead_letters
  ADD COLUMN discarded_at   timestamptz,
  ADD COLUMN discarded_by   text,
  ADD COLUMN discard_reason text,
  ADD CONSTRAINT dead_letters_discard_complete
    CHECK ((discarded_at IS NULL) = (discarded_by IS NULL) AND (discarded_at IS NULL) = (discard_reason IS NULL)),
  ADD CONSTRAINT dead_letters_discard_reason_length CHECK (char_length(discard_reason) BETWEEN 1 AND 500),
  ADD CONSTRAINT dead_letters_redriven_or_discarded CHECK (redriven_at IS NULL OR discarded_at IS NULL);
-- Waiting now means neither redriven nor discarded (dlq_depth counts these).
DROP INDEX dead_letters_waiting;
CREATE INDEX dead_letters_waiting ON dead_letters (consumer) WHERE redriven_at IS NULL AND discarded_at IS NULL;
