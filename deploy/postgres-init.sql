-- Temporal keeps its own databases beside Sportello's.
CREATE DATABASE temporal OWNER sportello;
CREATE DATABASE temporal_visibility OWNER sportello;
