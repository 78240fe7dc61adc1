-- Corporation holdings of an area (EPSG:28992), from the deliveries :ids (the period's view of the
-- layer bezit, layers.periods), per corporation:
--   * 'punt': the address points inside the area that the viewer may read, counted where they lie.
--     Row-level security already limits the application role to these records; the predicate
--     sia_mag_lezen (the same rule, migration 0008) is stated as well so that any connection counts
--     the same points;
--   * the rest of the touched buurten (records the viewer may read that have no location, and the
--     hidden part of each buurt under the disclosure rule) does not depend on the area:
--     area_bezit_buurten.sql reads it for all buurten once per indicator table (layers.areas).
WITH a AS (
    SELECT ST_GeomFromWKB(:wkb, 28992) AS g
),
l AS MATERIALIZED (  -- the deliveries of the view (a handful): joined by hash, not looked up per record
    SELECT id, via, organisatie_id, gemeente FROM leveringen WHERE id = ANY(CAST(:ids AS bigint[]))
)
SELECT 'punt' AS bron, NULL::text AS buurtcode, x.corporatie,
       sum(x.aantal_woningen)::float8 AS woningen,
       coalesce(sum(x.aantal_woningen) FILTER (WHERE x.energielabel IN ('E', 'F', 'G')), 0)::float8 AS efg,
       coalesce(sum(x.aantal_woningen) FILTER (WHERE x.energielabel IS NOT NULL), 0)::float8 AS gelabeld,
       coalesce(sum(x.conditie * x.aantal_woningen) FILTER (WHERE x.conditie IS NOT NULL), 0)::float8
           AS conditie_som,
       coalesce(sum(x.aantal_woningen) FILTER (WHERE x.conditie IS NOT NULL), 0)::float8 AS conditie_n,
       bool_or(x.synthetisch) AS synthetisch,
       '{}'::jsonb AS onderdrukt
FROM bezit x JOIN l ON l.id = x.levering_id CROSS JOIN a
WHERE x.geom IS NOT NULL AND ST_Intersects(a.g, x.geom)
  AND sia_mag_lezen(x.vertrouwelijkheid, x.synthetisch, l.via, l.organisatie_id, l.gemeente)
GROUP BY x.corporatie
