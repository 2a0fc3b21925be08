-- The web UI's accounts and the deployments repository's desired state (drift). Plain SQL for H2 and PostgreSQL.

-- the vendor's team: viewer (read) or licence-admin (read and edit licences); passwords as bcrypt hashes only
CREATE TABLE ui_users (
    username      VARCHAR(64)  PRIMARY KEY,
    password_hash VARCHAR(100) NOT NULL,
    role          VARCHAR(20)  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    disabled_at   TIMESTAMP WITH TIME ZONE
);

-- per customer, what the deployments repository wants running: a whole snapshot replaced by PUT /api/v1/desired-state
CREATE TABLE desired_state (
    customer_id VARCHAR(63)   PRIMARY KEY,
    version     VARCHAR(64)   NOT NULL,
    modules     VARCHAR(1000) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by  VARCHAR(200)  NOT NULL
);
