-- +goose Up
-- The frozen remainder of a suspended legal term (days of the term left when
-- an integration suspended it): the status API shows it instead of counting
-- to a due date that no longer holds. NULL while the term runs.
ALTER TABLE pratiche ADD COLUMN days_remaining INTEGER;

-- +goose Down
ALTER TABLE pratiche DROP COLUMN days_remaining;
