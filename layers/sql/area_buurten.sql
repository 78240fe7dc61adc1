-- The buurten of :jaar an area (EPSG:28992) touches, with what is needed to apportion their figures:
-- the share of their area inside, and (for partial buurten only: a buurt wholly inside needs no
-- apportioning) the dwellings at the address points inside the area that the viewer may see
-- (row-level security; sia_mag_lezen, the same rule, is stated so that any connection counts the
-- same points) of the deliveries :bezit_ids (the period's view, layers.periods). A point on a
-- buurt border belongs to the first buurt of the gemeente it touches, by code (as in
-- sia_partner_aggregaten, migration 0008). The points inside the area are found first (spatial
-- index), then their buurt; the dwellings of the whole buurt by the same rule do not depend on the
-- area and are read once per indicator table (area_adressen.sql, layers.areas). The buurt figures
-- themselves come from the indicator table (layers.indicators); only the dwelling stock (a
-- kerncijfer outside the table) is read here.
WITH a AS (
    SELECT ST_GeomFromWKB(:wkb, 28992) AS g
),
b AS (
    SELECT x.buurtcode, x.kerncijfers, x.geom,
           ST_Area(x.geom) AS opp,
           ST_Area(ST_Intersection(x.geom, a.g)) AS opp_binnen
    FROM buurten x, a
    WHERE x.gemeentecode = :gm AND x.jaar = :jaar AND ST_Intersects(x.geom, a.g)
),
l AS MATERIALIZED (  -- the deliveries of the view (a handful)
    SELECT id, via, organisatie_id, gemeente FROM leveringen WHERE id = ANY(CAST(:bezit_ids AS bigint[]))
),
binnen AS MATERIALIZED (  -- the readable address points inside the area
    SELECT x.aantal_woningen, x.geom
    FROM bezit x JOIN l ON l.id = x.levering_id CROSS JOIN a
    WHERE x.geom IS NOT NULL AND ST_Intersects(a.g, x.geom)
      AND sia_mag_lezen(x.vertrouwelijkheid, x.synthetisch, l.via, l.organisatie_id, l.gemeente)
),
w AS (
    SELECT b.buurtcode, sum(p.aantal_woningen) AS adres_binnen
    FROM b
    JOIN binnen p ON ST_Intersects(b.geom, p.geom)
    WHERE b.opp_binnen < 0.999 * b.opp AND b.opp_binnen >= :min_area  -- only partial buurten
      AND (ST_Contains(b.geom, p.geom)  -- inside: no other buurt has it (checked first: cheap)
           OR NOT EXISTS (SELECT 1 FROM buurten y
                          WHERE y.gemeentecode = :gm AND y.jaar = :jaar AND y.buurtcode < b.buurtcode
                            AND ST_Intersects(y.geom, p.geom)))
    GROUP BY b.buurtcode
)
SELECT b.buurtcode, b.kerncijfers, b.opp, b.opp_binnen,
       (b.opp_binnen < 0.999 * b.opp) AS deels,
       coalesce(w.adres_binnen, 0) AS adres_binnen
FROM b
LEFT JOIN w USING (buurtcode)
WHERE b.opp_binnen >= :min_area
ORDER BY b.buurtcode
