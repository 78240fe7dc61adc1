-- Planned sales inside an area (EPSG:28992) that the viewer may see (row-level security), from the deliveries
-- :ids (the period's view of the layer verkoop): address points inside, and records without a
-- location in a buurt that lies wholly inside (:geheel).
WITH a AS (
    SELECT ST_GeomFromWKB(:wkb, 28992) AS g
)
SELECT x.id, x.partner, x.corporatie, x.energielabel, x.conditie, x.kluswoning,
       x.gemeld_aan_gemeente, x.gepland_jaar, x.synthetisch
FROM verkoop x CROSS JOIN a
WHERE x.levering_id = ANY(CAST(:ids AS bigint[]))
  AND ((x.geom IS NOT NULL AND ST_Intersects(a.g, x.geom))
       OR (x.geom IS NULL AND x.buurtcode = ANY(CAST(:geheel AS text[]))))
ORDER BY x.id
