-- Constraints and indexes of docs/SCHEMA.md, applied in order by GraphStore.apply_schema().
-- Every statement is idempotent. The full-text index entity_search is made by graph/dialect.py.

-- name: schema_entity_id
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE

-- name: schema_article_id
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE

-- name: schema_sentence_id
CREATE CONSTRAINT sentence_id IF NOT EXISTS FOR (n:Sentence) REQUIRE n.id IS UNIQUE

-- name: schema_claim_id
CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (n:Claim) REQUIRE n.id IS UNIQUE

-- name: schema_quantity_id
CREATE CONSTRAINT quantity_id IF NOT EXISTS FOR (n:Quantity) REQUIRE n.id IS UNIQUE

-- name: schema_store_digest_id
CREATE CONSTRAINT store_digest_id IF NOT EXISTS FOR (n:StoreDigest) REQUIRE n.id IS UNIQUE

-- name: schema_entity_name
CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)

-- name: schema_entity_name_key
CREATE INDEX entity_name_key IF NOT EXISTS FOR (n:Entity) ON (n.name_key)

-- name: schema_entity_affiliation
CREATE INDEX entity_affiliation IF NOT EXISTS FOR (n:Entity) ON (n.affiliation)

-- name: schema_entity_type
CREATE INDEX entity_type IF NOT EXISTS FOR (n:Entity) ON (n.type)

-- name: schema_claim_kind
CREATE INDEX claim_kind IF NOT EXISTS FOR (n:Claim) ON (n.kind)

-- name: schema_claim_article_id
CREATE INDEX claim_article_id IF NOT EXISTS FOR (n:Claim) ON (n.article_id)

-- name: schema_claim_speaker_entity_id
CREATE INDEX claim_speaker_entity_id IF NOT EXISTS FOR (n:Claim) ON (n.speaker_entity_id)

-- name: schema_claim_published
CREATE INDEX claim_published IF NOT EXISTS FOR (n:Claim) ON (n.published)

-- name: schema_sentence_article_id
CREATE INDEX sentence_article_id IF NOT EXISTS FOR (n:Sentence) ON (n.article_id)

-- name: schema_article_url
CREATE INDEX article_url IF NOT EXISTS FOR (n:Article) ON (n.url)

-- name: schema_article_published
CREATE INDEX article_published IF NOT EXISTS FOR (n:Article) ON (n.published)

-- name: schema_article_outlet
CREATE INDEX article_outlet IF NOT EXISTS FOR (n:Article) ON (n.outlet)

-- name: schema_article_ingested_at
CREATE INDEX article_ingested_at IF NOT EXISTS FOR (n:Article) ON (n.ingested_at)
