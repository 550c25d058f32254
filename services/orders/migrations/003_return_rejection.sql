-- A rejection's reason has its own column: `note` stays the customer's note.
ALTER TABLE returns ADD COLUMN rejection text;
