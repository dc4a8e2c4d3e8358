-- +goose Up
-- The employer that ordered a programme (B2B), so that it sees the programmes
-- it pays for; the customer's name stays as typed for those outside the registry.
ALTER TABLE measure_programme ADD COLUMN customer_id BIGINT REFERENCES organisation (id);
CREATE INDEX measure_programme_customer ON measure_programme (customer_id);

-- +goose Down
DROP INDEX measure_programme_customer;
ALTER TABLE measure_programme DROP COLUMN customer_id;
