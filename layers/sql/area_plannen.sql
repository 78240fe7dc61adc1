-- Planned projects inside or crossing an area (EPSG:28992) that the viewer may see (row-level security),
-- from the deliveries :ids (the period's view of the layer projecten), with the share of each
-- inside: by area for polygons, by length for lines, 1 for a point.
WITH a AS (
    SELECT ST_GeomFromWKB(:wkb, 28992) AS g
)
SELECT x.id, x.partner, x.periode, x.projectnaam, x.partij, x.type, x.woningen_erbij,
       x.woningen_eraf, x.startjaar, x.eindjaar, x.investering_eur, x.status, x.synthetisch,
       CASE ST_Dimension(x.geom)
            WHEN 2 THEN ST_Area(ST_Intersection(x.geom, a.g)) / nullif(ST_Area(x.geom), 0)
            WHEN 1 THEN ST_Length(ST_Intersection(x.geom, a.g)) / nullif(ST_Length(x.geom), 0)
            ELSE 1.0 END AS aandeel
FROM projecten x CROSS JOIN a
WHERE x.levering_id = ANY(CAST(:ids AS bigint[])) AND ST_Intersects(x.geom, a.g)
ORDER BY x.id
