-- +goose Up
-- The day by which an open case of the employment centre needs its next
-- step: three days after opening for the first contact, then the day the
-- last action set (a month after it by default). The centre's caseload is
-- read by it, overdue first.
ALTER TABLE risk_case ADD COLUMN due_on DATE;
UPDATE risk_case rc SET due_on = COALESCE(
    (SELECT max(ra.done_on) FROM risk_action ra WHERE ra.case_id = rc.id) + 30,
    (rc.opened_at AT TIME ZONE 'UTC')::date + 3)
WHERE status = 'open';
CREATE INDEX risk_case_due ON risk_case (czn_id, status, due_on);

-- +goose Down
DROP INDEX risk_case_due;
ALTER TABLE risk_case DROP COLUMN due_on;
