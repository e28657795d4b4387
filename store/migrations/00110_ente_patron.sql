-- +goose Up
-- The patron saint's day of each ente ("MM-DD"), a local holiday for
-- working-day terms: ente master data, edited through the ente API.
ALTER TABLE catalog_enti ADD COLUMN patron_day TEXT NOT NULL DEFAULT '';
-- The demo enti already seeded keep the days the program used to hard-code:
-- San Giusto in Trieste, San Martino in Medea.
UPDATE catalog_enti SET patron_day = '11-03' WHERE id = 'c_l424' AND patron_day = '';
UPDATE catalog_enti SET patron_day = '11-11' WHERE id = 'c_f081' AND patron_day = '';

-- +goose Down
ALTER TABLE catalog_enti DROP COLUMN patron_day;
