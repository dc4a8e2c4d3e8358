-- +goose Up
-- A pupil's own sign-up to a профпроба open for booking: one place of its
-- capacity, beside the places schools book for their classes.
CREATE TABLE guidance_signup (
    event_id   BIGINT NOT NULL REFERENCES guidance_event (id) ON DELETE CASCADE,
    learner_id BIGINT NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event_id, learner_id)
);
CREATE INDEX guidance_signup_learner ON guidance_signup (learner_id);

-- +goose Down
DROP TABLE guidance_signup;
