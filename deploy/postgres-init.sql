-- Runs once, when the PostgreSQL volume is created: the knowledge base's own database (the tracker
-- store's, `conversations`, is POSTGRES_DB). Both belong to POSTGRES_USER.
CREATE DATABASE knowledge;
