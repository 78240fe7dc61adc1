-- Corporation holdings of an area (EPSG:28992) from the deliveries :ids (the period's view of the
-- layer bezit, layers.periods: each partner's newest delivery at or before the period).
-- bron 'punt': address points the viewer may see ({public}) inside the area, counted where they lie.
-- bron 'buurt': everything else per touched buurt (records without a location, by their buurtcode;
-- points the viewer may not see, in the first buurt they touch by code): the caller apportions
-- these by the buurt's share, so they enter only as the buurt aggregate the map already shows.
WITH a AS (
    SELECT ST_GeomFromWKB(:wkb, 28992) AS g
),
l AS MATERIALIZED (  -- the deliveries of the view (a handful): joined by hash, not looked up per record
    SELECT id, via FROM leveringen WHERE id = ANY(CAST(:ids AS bigint[]))
),
b AS (
    SELECT buurtcode, geom FROM buurten
    WHERE gemeentecode = :gm AND jaar = :jaar AND buurtcode = ANY(CAST(:codes AS text[]))
),
hidden AS MATERIALIZED (  -- points the viewer may not see (few or none): filtered before any spatial test
    SELECT x.* FROM bezit x JOIN l ON l.id = x.levering_id
    WHERE CAST(:met_verborgen AS boolean)  -- false when the view has none: not scanned at all
      AND x.geom IS NOT NULL AND NOT {public}
),
rec AS (
    SELECT 'punt' AS bron, NULL::text AS buurtcode, x.corporatie, x.aantal_woningen,
           x.energielabel, x.conditie, x.synthetisch
    FROM bezit x JOIN l ON l.id = x.levering_id CROSS JOIN a
    WHERE x.geom IS NOT NULL AND {public} AND ST_Intersects(a.g, x.geom)
    UNION ALL
    SELECT 'buurt', b.buurtcode, x.corporatie, x.aantal_woningen, x.energielabel, x.conditie,
           x.synthetisch
    FROM bezit x JOIN l ON l.id = x.levering_id
    JOIN b ON x.buurtcode = b.buurtcode
    WHERE x.geom IS NULL
    UNION ALL
    SELECT 'buurt', b.buurtcode, x.corporatie, x.aantal_woningen, x.energielabel, x.conditie,
           x.synthetisch
    FROM b JOIN hidden x ON ST_Intersects(b.geom, x.geom)
    WHERE ST_Contains(b.geom, x.geom)
       OR NOT EXISTS (SELECT 1 FROM buurten y
                      WHERE y.gemeentecode = :gm AND y.jaar = :jaar AND y.buurtcode < b.buurtcode
                        AND ST_Intersects(y.geom, x.geom))
)
SELECT bron, buurtcode, corporatie,
       sum(aantal_woningen)::float8 AS woningen,
       coalesce(sum(aantal_woningen) FILTER (WHERE energielabel IN ('E', 'F', 'G')), 0)::float8 AS efg,
       coalesce(sum(aantal_woningen) FILTER (WHERE energielabel IS NOT NULL), 0)::float8 AS gelabeld,
       coalesce(sum(conditie * aantal_woningen) FILTER (WHERE conditie IS NOT NULL), 0)::float8
           AS conditie_som,
       coalesce(sum(aantal_woningen) FILTER (WHERE conditie IS NOT NULL), 0)::float8 AS conditie_n,
       bool_or(synthetisch) AS synthetisch
FROM rec
GROUP BY bron, buurtcode, corporatie
ORDER BY bron, buurtcode, corporatie
