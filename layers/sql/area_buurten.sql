-- The buurten of :jaar an area (EPSG:28992) touches, with what is needed to apportion their figures:
-- the share of their area inside, and the dwellings at the address points the viewer may see
-- (row-level security; sia_mag_lezen, the same rule, is stated so that any connection counts the
-- same points) of the deliveries :bezit_ids (the period's view, layers.periods) in the
-- buurt and inside the area (for partial buurten only: a buurt wholly inside needs no
-- apportioning). A point on a buurt border belongs to the first buurt of the gemeente it touches,
-- by code (as in sia_partner_aggregaten, migration 0008). The buurt figures themselves come from the indicator
-- table (layers.indicators); only the dwelling stock (a kerncijfer outside the table) is read here.
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
pts AS (
    SELECT b.buurtcode, x.aantal_woningen, ST_Intersects(a.g, x.geom) AS binnen
    FROM b
    JOIN bezit x ON ST_Intersects(b.geom, x.geom)
    JOIN leveringen l ON l.id = x.levering_id
    CROSS JOIN a
    WHERE b.opp_binnen < 0.999 * b.opp AND b.opp_binnen >= :min_area  -- only partial buurten
      AND x.levering_id = ANY(CAST(:bezit_ids AS bigint[]))
      AND sia_mag_lezen(x.vertrouwelijkheid, x.synthetisch, l.via, l.organisatie_id, l.gemeente)
      AND (ST_Contains(b.geom, x.geom)  -- inside: no other buurt has it (checked first: cheap)
           OR NOT EXISTS (SELECT 1 FROM buurten y
                          WHERE y.gemeentecode = :gm AND y.jaar = :jaar AND y.buurtcode < b.buurtcode
                            AND ST_Intersects(y.geom, x.geom)))
),
w AS (
    SELECT buurtcode, sum(aantal_woningen) AS adres_totaal,
           coalesce(sum(aantal_woningen) FILTER (WHERE binnen), 0) AS adres_binnen
    FROM pts GROUP BY buurtcode
)
SELECT b.buurtcode, b.kerncijfers, b.opp, b.opp_binnen,
       coalesce(w.adres_totaal, 0) AS adres_totaal, coalesce(w.adres_binnen, 0) AS adres_binnen
FROM b
LEFT JOIN w USING (buurtcode)
WHERE b.opp_binnen >= :min_area
ORDER BY b.buurtcode
