-- The store's own statements (graph/store.py, graph/dialect.py, newsgraph store status).

-- name: store_ping
RETURN 1 AS ok

-- name: store_count_nodes_by_label
-- Nodes per label; a node with two labels counts under both.
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY label

-- name: store_count_relationships_by_type
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type

-- name: store_show_indexes
SHOW INDEXES YIELD name, type, labelsOrTypes, properties
RETURN name, type, labelsOrTypes, properties
ORDER BY name

-- name: store_show_constraints
SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties
RETURN name, type, labelsOrTypes, properties
ORDER BY name

-- name: store_create_fulltext_entity_search
-- Neo4j only; ArcadeDB makes this index with SQL (graph/dialect.py).
CREATE FULLTEXT INDEX entity_search IF NOT EXISTS
FOR (n:Entity) ON EACH [n.search_text]

-- name: store_fulltext_nodes
-- $query is a Lucene query built by graph.dialect.fulltext_query, never raw user text.
CALL db.index.fulltext.queryNodes($index, $query) YIELD node, score
RETURN node.id AS id, node.name AS name, labels(node) AS labels, score
ORDER BY score DESC
LIMIT $limit

-- name: store_delete_all
-- Empties the database (tests and `newsgraph store init --reset`); schema stays.
MATCH (n)
DETACH DELETE n
