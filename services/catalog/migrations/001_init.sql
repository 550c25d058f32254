-- Catalog: products, variants, prices, categories, brands, reviews, and the search read model.

-- pg_trgm lives in `public` so every schema of the database shares one copy; the code calls it
-- schema-qualified (public.similarity, OPERATOR(public.%)) because the pool's search_path is the
-- service schema only. On a real deployment the installer creates it as admin beforehand and this
-- line is a no-op; the lock stops two schemas migrating at once from racing on CREATE EXTENSION.
SELECT pg_advisory_xact_lock(hashtext('storefront:create-extension'));
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

CREATE TABLE brands (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- A tree by parent_id plus a materialized path ('/home/kitchen/') so a subtree is one prefix test.
CREATE TABLE categories (
  id uuid PRIMARY KEY,
  parent_id uuid REFERENCES categories (id),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  path text COLLATE "C" NOT NULL UNIQUE CHECK (path LIKE '/%/'),
  position int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id);

CREATE TABLE products (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  brand_id uuid REFERENCES brands (id),
  category_id uuid REFERENCES categories (id),
  status text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  attributes jsonb NOT NULL DEFAULT '{}',
  images jsonb NOT NULL DEFAULT '[]',
  -- The review summary, updated in the review's transaction so reads never aggregate.
  rating_count int NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
  rating_sum int NOT NULL DEFAULT 0 CHECK (rating_sum >= 0),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX products_brand ON products (brand_id);
CREATE INDEX products_category ON products (category_id);
CREATE INDEX products_admin_list ON products (status, created_at DESC, id DESC);

CREATE TABLE variants (
  id uuid PRIMARY KEY,
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  sku text NOT NULL UNIQUE,
  options jsonb NOT NULL DEFAULT '{}',
  position int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL
);
CREATE INDEX variants_product ON variants (product_id, position);

-- The price list: integer minor units per SKU and currency.
CREATE TABLE prices (
  sku text NOT NULL REFERENCES variants (sku) ON DELETE CASCADE ON UPDATE CASCADE,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount bigint NOT NULL CHECK (amount >= 0),
  compare_at bigint CHECK (compare_at IS NULL OR compare_at > amount),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (sku, currency)
);

CREATE TABLE reviews (
  id uuid PRIMARY KEY,
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  author text NOT NULL,
  -- Case- and space-folded author, so "Ann " and "ann" are the same reviewer.
  author_key text NOT NULL,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  title text NOT NULL DEFAULT '',
  body text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (product_id, author_key)
);
CREATE INDEX reviews_product ON reviews (product_id, id DESC);

-- Every facet value (a category, a brand, an attribute key=value) gets a small integer, so a
-- product's facets are one int[]: filters are GIN containment and counts are unnest + GROUP BY.
CREATE TABLE facet_values (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('category', 'brand', 'attr')),
  key text NOT NULL,
  value text NOT NULL,
  UNIQUE (kind, key, value)
);

-- The search read model: one narrow row per *published* product, rebuilt by one SQL statement on
-- every write that could change it (store-search-doc.ts). Searches never join.
CREATE TABLE search_doc (
  product_id uuid PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
  slug text NOT NULL,
  name text NOT NULL,
  brand_id uuid,
  brand_name text,
  category_id uuid,
  image text,
  -- Lowest variant price per currency ("from" price): {"USD": 1999, "EUR": 1899}.
  prices jsonb NOT NULL,
  facets int[] NOT NULL,
  rating_count int NOT NULL,
  rating_sum int NOT NULL,
  -- Microseconds since the epoch: an exact, JSON-safe keyset key for "newest".
  created_us bigint NOT NULL,
  -- Words this product contributes to the spelling dictionary (search_terms), kept for the diff.
  terms text[] NOT NULL,
  tsv tsvector NOT NULL
);
CREATE INDEX search_doc_tsv ON search_doc USING gin (tsv);
CREATE INDEX search_doc_facets ON search_doc USING gin (facets);
CREATE INDEX search_doc_newest ON search_doc (created_us DESC, product_id DESC);

-- The spelling dictionary: words of names, brands, categories and attributes, with how many
-- products use them and a phonetic key (domain-search.ts soundKey) for "fone" → "phone".
CREATE TABLE search_terms (
  term text COLLATE "C" PRIMARY KEY,
  sound text NOT NULL,
  -- Reaches 0 transiently while a write moves a product's words; such rows are deleted at once.
  doc_count int NOT NULL
);
CREATE INDEX search_terms_trgm ON search_terms USING gin (term public.gin_trgm_ops);
CREATE INDEX search_terms_sound ON search_terms (sound);
