-- +goose Up
-- An overlay a regional publish could not carry along stays on its version and
-- waits for the ente's admin: review says so, review_diff holds the differences.
ALTER TABLE modeler_overlays ADD COLUMN review TEXT NOT NULL DEFAULT '';
ALTER TABLE modeler_overlays ADD COLUMN review_diff TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE modeler_overlays DROP COLUMN review_diff;
ALTER TABLE modeler_overlays DROP COLUMN review;
